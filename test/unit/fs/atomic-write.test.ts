// writeFileAtomic: whole files or none, no temporary file left behind, and devices and pipes
// written through rather than replaced (--metadata-file /dev/stdout).
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeFileAtomic } from '../../../src/fs/atomic-write.ts';
import { run } from '../../support/exec.ts';
import { kanikoBuild } from '../../support/kaniko-ts.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kts-atomic-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('replaces a file whole and leaves nothing else in its directory', async () => {
  const path = join(dir, 'out.json');
  await writeFile(path, 'old');
  await writeFileAtomic(path, '{"new":true}\n');
  assert.equal(await readFile(path, 'utf8'), '{"new":true}\n');
  assert.deepEqual(await readdir(dir), ['out.json']);
});

test('a failed rename removes the temporary file and keeps what was there', async () => {
  const sub = join(dir, 'fail');
  await mkdir(join(sub, 'target'), { recursive: true });
  await writeFile(join(sub, 'target', 'keep'), 'kept');
  await assert.rejects(writeFileAtomic(join(sub, 'target'), 'x'), /EISDIR|ENOTEMPTY|EEXIST/);
  assert.deepEqual(await readdir(sub), ['target']);
  assert.equal(await readFile(join(sub, 'target', 'keep'), 'utf8'), 'kept');
});

test('a FIFO is written through, not replaced', async () => {
  const fifo = join(dir, 'pipe');
  await run('mkfifo', [fifo]);
  const chunks: Buffer[] = [];
  const read = new Promise<string>((resolve, reject) => {
    createReadStream(fifo)
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      .on('error', reject);
  });
  await writeFileAtomic(fifo, 'through the pipe\n');
  assert.equal(await read, 'through the pipe\n');
  assert.ok((await lstat(fifo)).isFIFO());
});

test('--metadata-file /dev/stdout prints the metadata (here a socket, as Node gives its children, which open() refuses)', async () => {
  const ctx = join(dir, 'ctx');
  await mkdir(ctx);
  await writeFile(join(ctx, 'Dockerfile'), 'FROM scratch\nENV A=1\n');
  const r = await kanikoBuild({ context: ctx, extraArgs: ['--metadata-file', '/dev/stdout'] });
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as Record<string, unknown>;
  assert.match(String(json['containerimage.digest']), /^sha256:[0-9a-f]{64}$/);
});
