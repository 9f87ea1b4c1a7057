// Faults injected by a proxy in front of the real registry: 500s, 429 with Retry-After, a cut
// connection mid-blob, a corrupted byte, a failing upload. The proxy's request counts show the
// retries (and --push-retry's extra ones), the wait a Retry-After asks for, the Range resume,
// mounts, HEAD-skips, blobs uploaded once for two repositories, lazy blob reads, chunked uploads
// and mirror fallback.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { parseFlags } from '../../src/cli/flags.ts';
import { toBuildOptions } from '../../src/cli/options.ts';
import { type Image, readAll } from '../../src/image/image.ts';
import { readOciLayout, writeOciLayout } from '../../src/image/layout.ts';
import { checkPushPermission, PresentBlobs, pushImage, UploadSessions } from '../../src/image/push.ts';
import { pullImage } from '../../src/image/remote.ts';
import { MediaType } from '../../src/image/types.ts';
import { RegistryError } from '../../src/registry/errors.ts';
import { type RegistryOptions, registryOptionsFromFlags } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { cancelUpload, headBlob, headManifest } from '../../src/registry/remote.ts';
import { closeTransport, transportFor } from '../../src/registry/shared.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { fixtureLayout, pushBaseImages, pushFixture } from '../support/fixtures.ts';
import { skopeoDigest, withLayer } from '../support/images.ts';
import { kanikoBuild } from '../support/kaniko-ts.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const platform = { os: 'linux', architecture: 'amd64' };
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('faults through a proxy in front of the registry', () => {
  let reg: TestRegistry;
  let proxy: FaultProxy;
  let work: string;
  let options: RegistryOptions;
  before(async () => {
    reg = await startRegistry();
    await pushBaseImages(reg);
    proxy = await startFaultProxy(reg.url);
    work = await mkdtemp(join(tmpdir(), 'kts-faults-'));
  });
  after(async () => {
    await proxy.stop();
    await reg.stop();
    await rm(work, { recursive: true, force: true });
  });
  // A fresh client per test, so no connection, token or ping is shared between tests.
  before(() => {
    options = { retryBaseMs: 5, retries: 3 };
  });
  afterEach(async () => {
    await closeTransport(options);
    options = { retryBaseMs: 5, retries: 3 };
    proxy.clear();
  });
  const ref = (s: string) => parseReference(`${proxy.host}/${s}`);

  test('HEADs one after another share one connection (undici would close it after each)', async () => {
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    const layer = (await img.layers())[0]!;
    const t = transportFor(options);
    const repo = { registry: proxy.host, repository: 'library/busybox' };
    await headManifest(t, repo, 'latest'); // the ping and any token are behind us
    proxy.clear();
    for (let i = 0; i < 5; i++) {
      assert.ok(await headManifest(t, repo, 'latest'));
      assert.equal(await headBlob(t, repo, layer.digest), layer.size);
    }
    assert.equal(proxy.count('HEAD', /./), 10);
    assert.equal(proxy.connections, 0, 'no new connection after the first request');
  });

  test('500s on the manifest are retried until it comes through', async () => {
    proxy.addFault({
      method: 'GET',
      path: /\/manifests\/latest$/,
      times: 2,
      action: { respond: { status: 500 } },
    });
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    assert.equal(await img.digest(), await skopeoDigest(`${reg.host}/library/busybox:latest`));
    assert.equal(proxy.count('GET', /\/v2\/library\/busybox\/manifests\/latest$/), 3);
  });

  test('429 with Retry-After is honoured and retried', async () => {
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    const cfgDigest = (await img.manifest()).config.digest;
    proxy.clear();
    proxy.addFault({
      method: 'GET',
      path: new RegExp(`/blobs/${cfgDigest}$`),
      times: 1,
      action: {
        respond: {
          status: 429,
          headers: { 'retry-after': '1' },
          body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
        },
      },
    });
    assert.equal((await img.config()).os, 'linux');
    const gets = proxy.requests.filter((r) => r.method === 'GET' && r.path.endsWith(cfgDigest));
    assert.deepEqual(
      gets.map((r) => r.status),
      [429, 200],
    );
    // The backoff alone would retry within ~6 ms (retryBaseMs 5); the second second is the registry's.
    const waited = gets[1]!.at - gets[0]!.at;
    assert.ok(waited >= 900, `retried after ${waited.toFixed(0)} ms, not after Retry-After: 1`);
  });

  test('a registry that keeps failing gives one clean network error after the retries', async () => {
    proxy.addFault({ method: 'GET', path: /\/manifests\//, action: { respond: { status: 503 } } });
    await assert.rejects(pullImage(ref('library/busybox:latest'), { platform, options }), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.kind === 'network', String(e));
      assert.match(e.message, new RegExp(`^${proxy.host}/library/busybox: GET .*HTTP 503 after 4 attempts$`));
      return true;
    });
    assert.equal(proxy.count('GET', /\/manifests\//), 4);
  });

  test('a connection cut mid-blob resumes with Range and the bytes verify', async () => {
    const img = await pullImage(ref('library/debian:bookworm'), { platform, options });
    const [layer] = await img.layers();
    assert.ok(layer && layer.size > 1_000_000);
    proxy.addFault({
      method: 'GET',
      path: new RegExp(`/blobs/${layer.digest}$`),
      times: 1,
      action: { cutResponseAfter: 300_000 },
    });
    const hash = createHash('sha256');
    let n = 0;
    for await (const c of (await layer.open()) as AsyncIterable<Buffer>) {
      hash.update(c);
      n += c.length;
    }
    assert.equal(n, layer.size);
    assert.equal(`sha256:${hash.digest('hex')}`, layer.digest);
    const gets = proxy.requests.filter((r) => r.method === 'GET' && r.path.endsWith(layer.digest));
    assert.equal(gets.length, 2);
    assert.equal(gets[0]?.headers.range, undefined);
    assert.match(String(gets[1]?.headers.range), /^bytes=\d+-$/);
    const resumedAt = Number(/=(\d+)-/.exec(String(gets[1]?.headers.range))?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= 300_000, `resumed at ${resumedAt}`);
  });

  test('a corrupted byte fails with an integrity error and nothing is kept under the digest', async () => {
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    const [layer] = await img.layers();
    assert.ok(layer);
    proxy.addFault({
      method: 'GET',
      path: new RegExp(`/blobs/${layer.digest}$`),
      action: { corruptAt: 1000 },
    });
    await assert.rejects(readAll(await layer.open()), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.kind === 'integrity', String(e));
      assert.equal(e.message.split('\n').length, 1);
      assert.ok(
        e.message.startsWith(`${proxy.host}/library/busybox@${layer.digest}: digest mismatch`),
        e.message,
      );
      return true;
    });
    const layout = join(work, 'corrupt-layout');
    await assert.rejects(writeOciLayout(img, layout, 'x'), RegistryError);
    const blobs = await readdir(join(layout, 'blobs', 'sha256'));
    assert.deepEqual(blobs, [], 'no blob and no temporary file left');
    assert.equal(existsSync(join(layout, 'index.json')), false);
  });

  test('an upload cut mid-body and a 500 on the PUT are retried from a new session', async () => {
    const fixture = await readOciLayout(fixtureLayout('busybox'), 'latest');
    const [layer] = await fixture.layers();
    assert.ok(layer);
    proxy.addFault({
      method: 'PUT',
      path: /\/blobs\/uploads\//,
      times: 1,
      action: { cutRequestAfter: 50_000 },
    });
    proxy.addFault({
      method: 'PUT',
      path: /\/blobs\/uploads\//,
      times: 1,
      action: { respond: { status: 500 } },
    });
    const dest = ref('retried/busybox:1');
    const res = await pushImage(fixture, [dest], { ...options, concurrency: 1 });
    assert.equal(await skopeoDigest(`${reg.host}/retried/busybox:1`), res.digest);
    assert.ok(proxy.count('POST', /\/v2\/retried\/busybox\/blobs\/uploads\/$/) >= 3);
  });

  test('after a failed push the old tag still resolves to the old digest', async () => {
    const base = await pullImage(ref('library/busybox:latest'), { platform, options });
    const dest = ref('stable/app:prod');
    const first = await pushImage(base, [dest], options);
    const next = await withLayer(base, Buffer.alloc(1024), 'RUN true');
    proxy.clear();
    proxy.addFault({ method: 'PUT', path: /\/blobs\/uploads\//, action: { respond: { status: 500 } } });
    await assert.rejects(
      pushImage(next, [dest], options),
      (e: unknown) => e instanceof RegistryError && e.kind === 'network',
    );
    assert.equal(proxy.count('PUT', /\/manifests\//), 0);
    assert.equal(await skopeoDigest(`${reg.host}/stable/app:prod`), first.digest);
  });

  /** busybox with one more layer and a new config: two blobs a push must upload. */
  async function changedBusybox(): Promise<Image> {
    const base = await pullImage(ref('library/busybox:latest'), { platform, options });
    return withLayer(base, Buffer.alloc(2048), `RUN echo ${Math.random()}`);
  }

  test("the permission check's upload session carries a blob of the push; none is left open", async () => {
    const img = await changedBusybox();
    const dest = ref('session/app:1');
    const t = transportFor(options);
    const sessions = new UploadSessions();
    proxy.clear();
    await checkPushPermission(dest, options, t, sessions);
    const res = await pushImage(img, [dest], options, { transport: t, sessions });
    await sessions.cancelAll(t);
    assert.equal(await skopeoDigest(`${reg.host}/session/app:1`), res.digest);
    // Two new blobs (layer, config), the busybox layer mounted: one session from the check, one
    // opened by the push, and nothing cancelled.
    assert.equal(proxy.count('POST', /\/v2\/session\/app\/blobs\/uploads\/$/), 2);
    assert.equal(proxy.count('PUT', /\/v2\/session\/app\/blobs\/uploads\//), 2);
    assert.equal(proxy.count('DELETE', /\/blobs\/uploads\//), 0);
    // The new config goes straight into the kept session: no HEAD for it.
    const config = (await img.manifest()).config.digest;
    assert.equal(proxy.requests.filter((r) => r.method === 'HEAD' && r.path.endsWith(config)).length, 0);
  });

  test('a kept session that no longer works costs one new session, and an unused one is cancelled', async () => {
    const img = await changedBusybox();
    const dest = ref('session/app:2');
    const t = transportFor(options);
    const sessions = new UploadSessions();
    await checkPushPermission(dest, options, t, sessions);
    const kept = sessions.take({ registry: dest.registry, repository: dest.repository })!;
    await sessions.keep(t, { registry: dest.registry, repository: dest.repository }, `${kept}-gone`);
    proxy.clear();
    const res = await pushImage(img, [dest], options, { transport: t, sessions });
    assert.equal(await skopeoDigest(`${reg.host}/session/app:2`), res.digest);
    assert.equal(proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('-gone')).length, 1);

    // A check whose session the push never takes (the build failed, say): cancelled at the end.
    await checkPushPermission(ref('session/app:3'), options, t, sessions);
    proxy.clear();
    await sessions.cancelAll(t);
    assert.equal(proxy.count('DELETE', /\/v2\/session\/app\/blobs\/uploads\//), 1);
    // The real one from the first check was abandoned by this test: cancel it too.
    await cancelUpload(t, { registry: dest.registry, repository: dest.repository }, kept);
  });

  test("a rebuild pushed to the same tag HEADs only what the tag's manifest does not name", async () => {
    const dest = ref('present/app:latest');
    const t = transportFor(options);
    const first = await changedBusybox();
    await pushImage(first, [dest], options, { transport: t });
    const next = await changedBusybox(); // same layers, a new config
    const present = new PresentBlobs(t);
    proxy.clear();
    present.prefetch(dest);
    const res = await pushImage(next, [dest], options, { transport: t, present: present.lookup });
    assert.equal(await skopeoDigest(`${reg.host}/present/app:latest`), res.digest);
    assert.equal(proxy.count('GET', /\/v2\/present\/app\/manifests\/latest$/), 1);
    // The two layers are named by the old manifest; only the new config is asked about.
    assert.equal(proxy.count('HEAD', /\/v2\/present\/app\/blobs\//), 1);
    assert.equal(proxy.count('PUT', /\/v2\/present\/app\/blobs\/uploads\//), 1);
  });

  test('a blob wrongly taken as present: the manifest PUT fails, every blob is checked, the push succeeds', async () => {
    const dest = ref('present/wrong:1');
    const t = transportFor(options);
    const img = await changedBusybox();
    const layers = await img.layers();
    const claimed = new Set(layers.map((l) => l.digest));
    proxy.clear();
    const res = await pushImage(img, [dest], options, { transport: t, present: async () => claimed });
    assert.equal(await skopeoDigest(`${reg.host}/present/wrong:1`), res.digest);
    const puts = proxy.requests.filter((r) => r.method === 'PUT' && /\/manifests\/1$/.test(r.path));
    assert.deepEqual(
      puts.map((r) => r.status),
      [400, 201],
    );
    // First pass: only the config (the layers were claimed); second pass: all three.
    assert.equal(proxy.count('HEAD', /\/v2\/present\/wrong\/blobs\//), 1 + 3);
  });

  test('pull and push with the same settings ping the registry once', async () => {
    const t = transportFor(options);
    proxy.clear();
    const img = await pullImage(ref('library/busybox:latest'), { platform, options, transport: t });
    await pushImage(img, [ref('pinged/busybox:1')], options, { transport: t });
    assert.equal(proxy.count('GET', /^\/v2\/$/), 1);
  });

  test('cross-repository mount, then HEAD-skip on a second push', async () => {
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    proxy.clear();
    const dest = ref('mounted/busybox:1');
    await pushImage(img, [dest], options);
    const mounts = proxy.requests.filter((r) => r.method === 'POST' && /[?&]mount=sha256/.test(r.path));
    assert.equal(mounts.length, 2, 'layer and config');
    assert.ok(mounts.every((r) => r.status === 201 && r.path.includes('from=library%2Fbusybox')));
    assert.equal(proxy.count('PUT', /\/blobs\/uploads\//), 0);
    assert.equal(proxy.count('PATCH', /\/blobs\/uploads\//), 0);

    proxy.clear();
    await pushImage(img, [dest], options);
    assert.equal(proxy.count('HEAD', /\/v2\/mounted\/busybox\/blobs\/sha256:/), 2);
    assert.equal(proxy.count('POST', /\/blobs\/uploads\//), 0);
    assert.equal(proxy.count('PUT', /\/v2\/mounted\/busybox\/manifests\/1$/), 1);
  });

  test('a pulled image GETs no blob until its config is read, and a layer only once opened', async () => {
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    const manifest = await img.manifest();
    await img.digest();
    await img.rawManifest();
    assert.equal(proxy.count('GET', /\/blobs\//), 0, 'the manifest alone needs no blob');
    await img.config();
    const [layer] = await img.layers();
    assert.ok(layer);
    assert.equal(layer.digest, manifest.layers[0]?.digest);
    const blobGets = () => proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
    assert.deepEqual(
      blobGets().map((r) => r.path),
      [`/v2/library/busybox/blobs/${manifest.config.digest}`],
      'reading the config and listing the layers fetches only the config',
    );
    const stream = await layer.open();
    assert.equal((await readAll(stream)).length, layer.size);
    assert.equal(blobGets().filter((r) => r.path.endsWith(layer.digest)).length, 1);
    assert.equal(proxy.count('HEAD', /\/blobs\//), 0);
  });

  test("one image pushed to two repositories of a registry: each blob's bytes are sent once", async () => {
    // From an OCI layout (no source repository to mount from), plus a layer the registry never saw.
    const fixture = await readOciLayout(fixtureLayout('busybox'), 'latest');
    const img = await withLayer(fixture, Buffer.alloc(4096, Math.random().toString()), 'RUN twice');
    const sizes = new Map((await img.layers()).map((l) => [l.digest, l.size]));
    const cfg = await img.rawConfig();
    sizes.set(sha(cfg), cfg.length);
    const res = await pushImage(img, [ref('twice/a:1'), ref('twice/b:1')], options);
    assert.equal(await skopeoDigest(`${reg.host}/twice/a:1`), res.digest);
    assert.equal(await skopeoDigest(`${reg.host}/twice/b:1`), res.digest);

    assert.equal(proxy.count('PATCH', /./), 0);
    const uploads = proxy.requests.filter((r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/'));
    assert.equal(uploads.length, sizes.size, 'one PUT per blob');
    for (const [digest, size] of sizes) {
      const puts = uploads.filter((r) => r.path.includes(`digest=${encodeURIComponent(digest)}`));
      assert.equal(puts.length, 1, `${digest} uploaded once`);
      assert.ok(puts[0]!.path.startsWith('/v2/twice/a/blobs/uploads/'));
      assert.equal(Number(puts[0]!.headers['content-length']), size);
      // The second repository mounts it from the first: a POST with no bytes, answered 201.
      const mounts = proxy.requests.filter(
        (r) =>
          r.method === 'POST' &&
          r.path === `/v2/twice/b/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=twice%2Fa`,
      );
      assert.deepEqual(
        mounts.map((r) => r.status),
        [201],
        `${digest} mounted into twice/b`,
      );
    }
  });

  test('--push-retry adds attempts to every push request: a manifest PUT that fails 3 times', async () => {
    const img = await pullImage(ref('library/busybox:latest'), { platform, options });
    const flags = (argv: string[]) =>
      registryOptionsFromFlags(toBuildOptions(parseFlags([...argv, '--no-push'])).registry);
    const manifestPut = /\/v2\/retry\/app\/manifests\/1$/;
    const failThrice = () =>
      proxy.addFault({ method: 'PUT', path: manifestPut, times: 3, action: { respond: { status: 500 } } });

    // One attempt plus one retry is not enough...
    const short: RegistryOptions = { ...flags(['--push-retry=1']), retries: 1, retryBaseMs: 5 };
    assert.equal(short.pushRetry, 1);
    failThrice();
    await assert.rejects(pushImage(img, [ref('retry/app:1')], short), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.kind === 'network', String(e));
      assert.match(e.message, /PUT \/v2\/retry\/app\/manifests\/1: HTTP 500 after 3 attempts$/);
      return true;
    });
    await closeTransport(short);
    assert.equal(proxy.count('PUT', manifestPut), 3);
    assert.equal(proxy.requests.filter((r) => manifestPut.test(r.path) && r.status !== 500).length, 0);

    // ...one more --push-retry gets the fourth attempt through.
    proxy.clear();
    const enough: RegistryOptions = { ...flags(['--push-retry=2']), retries: 1, retryBaseMs: 5 };
    failThrice();
    const res = await pushImage(img, [ref('retry/app:1')], enough);
    await closeTransport(enough);
    assert.deepEqual(
      proxy.requests.filter((r) => r.method === 'PUT' && manifestPut.test(r.path)).map((r) => r.status),
      [500, 500, 500, 201],
    );
    assert.equal(await skopeoDigest(`${reg.host}/retry/app:1`), res.digest);
    // Pulls do not get push retries.
    assert.equal(enough.imageDownloadRetry, 0);
  });

  test('the CLI: a manifest PUT refused 4 times fails the build, and --push-retry=1 pushes it', async () => {
    const dir = await mkdtemp(join(work, 'cli-retry-'));
    await writeFile(join(dir, 'Dockerfile'), `FROM ${reg.host}/library/busybox:latest\nENV RETRIED=1\n`);
    const dest = `${proxy.host}/cli-retry/app:1`;
    const manifestPut = /\/v2\/cli-retry\/app\/manifests\/1$/;
    // 429 with Retry-After: 0 is retried at once, so the CLI's default backoff adds no wait.
    const refuse4 = () =>
      proxy.addFault({
        method: 'PUT',
        path: manifestPut,
        times: 4,
        action: { respond: { status: 429, headers: { 'retry-after': '0' } } },
      });
    refuse4();
    const failed = await kanikoBuild({ context: dir, destinations: [dest] });
    assert.equal(failed.code, 5, failed.stderr);
    assert.match(failed.stderr.trim().split('\n').at(-1)!, /cli-retry\/app.*HTTP 429 after 4 attempts$/);
    assert.equal(proxy.count('PUT', manifestPut), 4, 'the default: 3 retries');

    proxy.clear();
    refuse4();
    const ok = await kanikoBuild({ context: dir, destinations: [dest], extraArgs: ['--push-retry=1'] });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(
      proxy.requests.filter((r) => r.method === 'PUT' && manifestPut.test(r.path)).map((r) => r.status),
      [429, 429, 429, 429, 201],
    );
  });

  test('chunked upload: PATCH chunks then PUT, byte-identical result', async () => {
    const fixture = await readOciLayout(fixtureLayout('busybox'), 'latest');
    const [layer] = await fixture.layers();
    assert.ok(layer);
    const chunkSize = 256 * 1024;
    const res = await pushImage(fixture, [ref('chunked/busybox:1')], { ...options, chunkSize });
    const patches = proxy.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, Math.ceil(layer.size / chunkSize) + 1, 'layer chunks + config');
    assert.equal(patches[0]?.headers['content-range'] !== undefined, true);
    assert.equal(await skopeoDigest(`${reg.host}/chunked/busybox:1`), res.digest);
  });

  test('a schema1 manifest is refused with a clear error', async () => {
    const schema1 = JSON.stringify({
      schemaVersion: 1,
      name: 'library/busybox',
      tag: 'latest',
      architecture: 'amd64',
      fsLayers: [],
      history: [],
    });
    proxy.addFault({
      method: 'GET',
      path: /\/manifests\/old$/,
      action: {
        respond: {
          status: 200,
          headers: {
            'content-type': MediaType.dockerSchema1Signed,
            'docker-content-digest': sha(Buffer.from(schema1)),
          },
          body: schema1,
        },
      },
    });
    await assert.rejects(pullImage(ref('library/busybox:old'), { platform, options }), (e: unknown) => {
      assert.ok(e instanceof RegistryError && e.kind === 'unsupported', String(e));
      assert.match(
        e.message,
        /library\/busybox: old is a Docker schema 1 manifest, which is deprecated and not supported/,
      );
      return true;
    });
  });
});

describe('mirrors', () => {
  let origin: TestRegistry;
  let mirror: TestRegistry;
  let originProxy: FaultProxy;
  let mirrorProxy: FaultProxy;
  before(async () => {
    [origin, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    await pushFixture(origin, 'busybox', 'library/busybox:latest');
    await pushFixture(mirror, 'busybox', 'mirrored/only:1');
    originProxy = await startFaultProxy(origin.url);
    mirrorProxy = await startFaultProxy(mirror.url);
  });
  after(async () => {
    await Promise.all([originProxy.stop(), mirrorProxy.stop()]);
    await Promise.all([origin.stop(), mirror.stop()]);
  });
  afterEach(() => {
    originProxy.clear();
    mirrorProxy.clear();
  });

  test('a mirror without the image falls back to the origin', async () => {
    const options: RegistryOptions = {
      registryMap: { [originProxy.host]: mirrorProxy.host },
      retryBaseMs: 5,
    };
    const img = await pullImage(parseReference(`${originProxy.host}/library/busybox`), { platform, options });
    assert.equal(img.source.registry, originProxy.host);
    assert.equal(mirrorProxy.count('GET', /\/v2\/library\/busybox\/manifests\/latest$/), 1);
    assert.equal(originProxy.count('GET', /\/v2\/library\/busybox\/manifests\/latest$/), 1);
    assert.equal((await img.layers()).length, 1);
    await closeTransport(options);
  });

  test('a failing mirror falls back too; with --skip-default-registry-fallback the mirror error stands', async () => {
    mirrorProxy.addFault({ path: /./, action: { respond: { status: 502 } } });
    const options: RegistryOptions = {
      registryMap: { [originProxy.host]: mirrorProxy.host },
      retryBaseMs: 5,
      retries: 1,
    };
    await pullImage(parseReference(`${originProxy.host}/library/busybox`), { platform, options });
    assert.equal(originProxy.count('GET', /\/manifests\/latest$/), 1);
    await closeTransport(options);
    originProxy.clear();
    const strict: RegistryOptions = { ...options, skipDefaultRegistryFallback: true };
    await assert.rejects(
      pullImage(parseReference(`${originProxy.host}/library/busybox`), { platform, options: strict }),
      (e: unknown) => e instanceof RegistryError && e.registry === mirrorProxy.host,
    );
    assert.equal(originProxy.count('GET', /./), 0);
    await closeTransport(strict);
  });

  test('a mirror that has the image serves it all; the origin is not asked', async () => {
    const options: RegistryOptions = { registryMap: { [originProxy.host]: mirrorProxy.host } };
    const img = await pullImage(parseReference(`${originProxy.host}/mirrored/only:1`), { platform, options });
    for (const l of await img.layers()) await readAll(await l.open());
    assert.equal(originProxy.requests.length, 0);
    assert.ok(mirrorProxy.count('GET', /\/blobs\//) >= 2);
    await closeTransport(options);
  });
});
