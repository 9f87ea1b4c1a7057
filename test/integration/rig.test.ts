// The test rig itself: registries on free ports, fixtures pushed with skopeo, the inspection
// helper, and the BuildKit oracle building FROM a fixture.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startBuildKit, stripSyntaxDirective } from '../support/buildkit.ts';
import { pushBaseImages, pushFixture } from '../support/fixtures.ts';
import { byPath, inspectImage } from '../support/inspect.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

describe('test registry', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(async () => {
    await reg.stop();
  });

  test('serves the distribution API on a free loopback port', async () => {
    const res = await fetch(`${reg.url}/v2/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('docker-distribution-api-version'), 'registry/2.0');
  });

  test('the busybox fixture pushed with skopeo reads back over HTTP', async () => {
    await pushFixture(reg, 'busybox', 'library/busybox:latest');
    const res = await fetch(`${reg.url}/v2/library/busybox/manifests/latest`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    assert.equal(res.status, 200);
    const manifest = (await res.json()) as { layers: Array<{ digest: string }>; config: { digest: string } };
    assert.equal(manifest.layers.length, 1);
    const blob = await fetch(`${reg.url}/v2/library/busybox/blobs/${manifest.config.digest}`);
    const config = (await blob.json()) as { config: { Cmd: string[] } };
    assert.deepEqual(config.config.Cmd, ['sh']);
  });

  test('two registries run side by side with separate storage', async () => {
    const other = await startRegistry();
    try {
      assert.notEqual(other.port, reg.port);
      await pushFixture(reg, 'busybox', 'only/here:1');
      const mine = await fetch(`${reg.url}/v2/only/here/tags/list`);
      const theirs = await fetch(`${other.url}/v2/only/here/tags/list`);
      assert.equal(mine.status, 200);
      assert.equal(theirs.status, 404);
    } finally {
      await other.stop();
    }
  });
});

describe('registry variants', () => {
  test('htpasswd basic auth refuses anonymous and accepts the user', async () => {
    const reg = await startRegistry({ htpasswd: { username: 'ci', password: 's3cret' } });
    try {
      assert.equal((await fetch(`${reg.url}/v2/`)).status, 401);
      const auth = `Basic ${Buffer.from('ci:s3cret').toString('base64')}`;
      assert.equal((await fetch(`${reg.url}/v2/`, { headers: { authorization: auth } })).status, 200);
    } finally {
      await reg.stop();
    }
  });

  test('TLS with a CA made at test time', async () => {
    const reg = await startRegistry({ tls: true });
    try {
      assert.match(reg.url, /^https:/);
      const ref = await pushFixture(reg, 'busybox', 'tls/busybox:latest');
      const img = await inspectImage(ref, { certDir: reg.ca!.certDir });
      assert.equal(byPath(img.tree).get('/bin/sh')?.link, 'busybox');
    } finally {
      await reg.stop();
    }
  });
});

describe('inspection helper', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
    await pushBaseImages(reg);
  });
  after(async () => {
    await reg.stop();
  });

  test('reads the busybox fixture into a tree with modes and owners', async () => {
    const img = await inspectImage(`${reg.host}/library/busybox:latest`);
    const tree = byPath(img.tree);
    assert.equal(tree.get('/tmp')?.mode, 0o1777);
    assert.equal(tree.get('/home/app')?.uid, 1000);
    assert.equal(tree.get('/bin/busybox')?.type, 'file');
    assert.equal(tree.get('/bin/ls')?.type, 'symlink');
    assert.match(img.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(img.config.os, 'linux');
  });

  test('reads the debian fixture (debootstrap minbase)', async () => {
    const img = await inspectImage(`${reg.host}/library/debian:bookworm`);
    const tree = byPath(img.tree);
    assert.ok(img.tree.length > 3000, `only ${img.tree.length} entries`);
    assert.equal(tree.get('/usr/bin/bash')?.type, 'file');
    assert.equal(tree.get('/etc/debian_version')?.type, 'file');
    assert.deepEqual(img.config.config?.Cmd, ['bash']);
  });
});

describe('BuildKit oracle', () => {
  test('drops only the syntax directive', () => {
    assert.equal(
      stripSyntaxDirective('# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n# syntax=not-a-directive\n'),
      '# escape=`\nFROM a\n# syntax=not-a-directive\n',
    );
  });

  test('builds a two-line Dockerfile FROM the busybox fixture; the inspection helper reads it', async () => {
    const reg = await startRegistry();
    const bk = await startBuildKit();
    const ctx = await mkdtemp(join(tmpdir(), 'kts-ctx-'));
    try {
      await pushFixture(reg, 'busybox', 'library/busybox:latest');
      await writeFile(
        join(ctx, 'Dockerfile'),
        `# syntax=docker/dockerfile:1\nFROM ${reg.host}/library/busybox:latest\nRUN echo hello > /hello && chmod 640 /hello\n`,
      );
      const tag = `${reg.host}/oracle/two-lines:latest`;
      await bk.build({ context: ctx, tag });
      const img = await inspectImage(tag);
      const hello = byPath(img.tree).get('/hello');
      assert.equal(hello?.mode, 0o640);
      assert.equal(hello?.size, 6);
      assert.equal(
        img.config.history?.at(-1)?.created_by,
        'RUN /bin/sh -c echo hello > /hello && chmod 640 /hello # buildkit',
      );
    } finally {
      await rm(ctx, { recursive: true, force: true });
      await bk.stop();
      await reg.stop();
    }
  });
});
