// The test rig itself: registries on free ports, fixtures pushed with skopeo, the inspection
// helper, and the BuildKit oracle building FROM a fixture.
import assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startBuildKit, stripSyntaxDirective } from '../support/buildkit.ts';
import { run } from '../support/exec.ts';
import { fixtureLayout, pushBaseImages, pushFixture } from '../support/fixtures.ts';
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

/** What a registry-owning child process reports once its registry answers /v2/. */
interface ChildRegistry {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  url: string;
  host: string;
  port: number;
  storageDir: string;
  exited: Promise<{ code: number | null; stderr: string }>;
}

// Stands for a test file: its own process, its own startRegistry(), alive until told to stop.
const REGISTRY_CHILD = `
import { createInterface } from 'node:readline';
const { startRegistry } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../support/registry.ts')).href)});
const reg = await startRegistry();
try {
  const res = await fetch(reg.url + '/v2/');
  if (res.status !== 200) throw new Error('GET ' + reg.url + '/v2/ answered ' + res.status);
  console.log(JSON.stringify({ url: reg.url, host: reg.host, port: reg.port, storageDir: reg.storageDir }));
  // A line on stdin (or its end, if the parent dies) stops the registry.
  for await (const _ of createInterface({ input: process.stdin })) break;
} finally {
  await reg.stop();
}
`;

function startRegistryChild(): Promise<ChildRegistry> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', REGISTRY_CHILD], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stderr })),
  );
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      try {
        resolve({ child, exited, ...(JSON.parse(line) as Omit<ChildRegistry, 'child' | 'exited'>) });
      } catch {
        reject(new Error(`registry child printed ${JSON.stringify(line)} instead of its registry`));
      }
    });
    void exited.then(({ code }) =>
      reject(
        new Error(`registry child exited ${code} before reporting its registry:\n${stderr.slice(-2000)}`),
      ),
    );
  });
}

describe('registries of separate test processes', () => {
  test('two test processes at once get their own registries', async () => {
    const started = [startRegistryChild(), startRegistryChild()] as const;
    let both: [ChildRegistry, ChildRegistry];
    try {
      // Both have answered /v2/ before either is told to stop: the registries are up together.
      both = await Promise.all(started);
      const [a, b] = both;
      assert.notEqual(a.port, b.port);
      assert.notEqual(a.storageDir, b.storageDir);
      for (const r of both) assert.equal((await fetch(`${r.url}/v2/`)).status, 200);
      await run('skopeo', [
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${fixtureLayout('busybox')}:latest`,
        `docker://${a.host}/only/a:1`,
      ]);
      const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' };
      assert.equal((await fetch(`${a.url}/v2/only/a/manifests/1`, { headers: accept })).status, 200);
      assert.equal((await fetch(`${b.url}/v2/only/a/manifests/1`, { headers: accept })).status, 404);
    } finally {
      // Also stops a child whose sibling failed to start.
      for (const p of started)
        p.then(
          (r) => r.child.stdin.end('stop\n'),
          () => undefined,
        );
    }
    for (const r of both) {
      const { code, stderr } = await r.exited;
      assert.equal(code, 0, stderr);
      // startRegistry keeps its storage in a temp dir that stop() removes.
      assert.equal(existsSync(dirname(r.storageDir)), false, `${dirname(r.storageDir)} is left behind`);
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
