// Pull the fixtures with our client, push them to another repository and to a second registry
// (where nothing can be mounted, so every byte is uploaded), write an OCI layout and a
// docker-archive tar; skopeo and umoci read every result and agree on the digests.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readOciLayout, writeOciLayout } from '../../src/image/layout.ts';
import { appendLayer, mutate } from '../../src/image/mutate.ts';
import { pushImage } from '../../src/image/push.ts';
import { pullImage } from '../../src/image/remote.ts';
import { writeDockerArchive } from '../../src/image/tarball.ts';
import { MediaType } from '../../src/image/types.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { closeTransport } from '../../src/registry/shared.ts';
import { run } from '../support/exec.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { gzipLayer, skopeoDigest } from '../support/images.ts';
import { byPath, inspectImage } from '../support/inspect.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const platform = { os: 'linux', architecture: 'amd64' };

/** A one-file tar layer, gzipped, with both digests. */
function tinyLayer(name: string, content: string) {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  body.write(content);
  return gzipLayer(Buffer.concat([header, body, Buffer.alloc(1024)]));
}

describe('image round trip against a real registry', () => {
  let reg: TestRegistry;
  let other: TestRegistry;
  let work: string;
  const options: RegistryOptions = { retryBaseMs: 20 };
  before(async () => {
    [reg, other] = await Promise.all([startRegistry(), startRegistry()]);
    await pushBaseImages(reg);
    work = await mkdtemp(join(tmpdir(), 'kts-image-'));
  });
  after(async () => {
    await closeTransport(options);
    await Promise.all([reg.stop(), other.stop()]);
    await rm(work, { recursive: true, force: true });
  });

  for (const [name, tag] of [
    ['busybox', 'latest'],
    ['debian', 'bookworm'],
  ] as const) {
    test(`${name}: pull, push elsewhere and to another registry, OCI layout, docker tar; skopeo and umoci agree`, async () => {
      const src = parseReference(`${reg.host}/library/${name}:${tag}`);
      const img = await pullImage(src, { platform, options });
      const digest = await img.digest();
      assert.equal(digest, await skopeoDigest(src.toString()));
      const cfg = await img.config();
      assert.equal(cfg.os, 'linux');

      const dest = parseReference(`${reg.host}/copies/${name}:v1`);
      const pushed = await pushImage(img, [dest], options);
      assert.equal(pushed.digest, digest);
      assert.equal(await skopeoDigest(dest.toString()), digest);

      // Another registry holds none of the blobs: each one is uploaded, and umoci unpacks
      // skopeo's copy of the result into the same tree as the source.
      const far = parseReference(`${other.host}/copies/${name}:v1`);
      assert.equal((await pushImage(img, [far], options)).digest, digest);
      assert.equal(await skopeoDigest(far.toString()), digest);
      const [fromSource, fromOther] = await Promise.all([
        inspectImage(src.toString()),
        inspectImage(far.toString()),
      ]);
      assert.ok(fromOther.tree.length > 0);
      assert.deepEqual(fromOther.tree, fromSource.tree);
      assert.deepEqual(fromOther.config, fromSource.config);

      const layout = join(work, `${name}-layout`);
      await writeOciLayout(img, layout, 'v1');
      await run('umoci', ['stat', '--image', `${layout}:v1`]);
      const { stdout: fromLayout } = await run('skopeo', ['inspect', '--raw', `oci:${layout}:v1`]);
      assert.equal(`sha256:${createHash('sha256').update(fromLayout).digest('hex')}`, digest);
      const again = await readOciLayout(layout, 'v1');
      assert.equal(await again.digest(), digest);

      const tarPath = join(work, `${name}.tar`);
      await writeDockerArchive(img, tarPath, [dest.toString()]);
      const { stdout: tarInspect } = await run('skopeo', ['inspect', `docker-archive:${tarPath}`]);
      // skopeo names a docker-archive's layers by their uncompressed digests.
      const info = JSON.parse(tarInspect) as { Layers: string[]; RepoTags: string[] };
      assert.deepEqual(info.Layers, cfg.rootfs.diff_ids);
      const { stdout: tarConfig } = await run('skopeo', [
        'inspect',
        '--config',
        '--raw',
        `docker-archive:${tarPath}`,
      ]);
      assert.equal(tarConfig, (await img.rawConfig()).toString('utf8'));
    });
  }

  test('mutate appends a layer to busybox; the pushed image unpacks with the new file', async () => {
    const base = await pullImage(parseReference(`${reg.host}/library/busybox:latest`), { platform, options });
    const layer = tinyLayer('hello.txt', 'hello\n');
    const config = appendLayer(await base.config(), layer, { created_by: 'COPY hello.txt /' });
    const img = await mutate(base, { layers: [layer], config, format: 'docker' });
    assert.equal(await img.mediaType(), MediaType.dockerManifest);
    const dest = parseReference(`${reg.host}/built/hello:1`);
    const res = await pushImage(img, [dest, parseReference(`${reg.host}/built/other:2`)], options);
    assert.equal(await skopeoDigest(dest.toString()), res.digest);
    const seen = await inspectImage(dest.toString());
    assert.equal(byPath(seen.tree).get('/hello.txt')?.size, 6);
    assert.equal(byPath(seen.tree).get('/bin/sh')?.link, 'busybox');
    assert.equal(seen.manifest.layers[0]?.mediaType, MediaType.dockerLayerGzip);
  });
});
