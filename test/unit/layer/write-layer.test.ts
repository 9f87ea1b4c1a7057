import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  link,
  lutimes,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { readTar } from '../../../src/fs/tar-reader.ts';
import { layerFromTree } from '../../../src/layer/from-tree.ts';
import { writeLayer } from '../../../src/layer/write-layer.ts';

const exec = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), 'kts-layer-'));
after(() => rm(work, { recursive: true, force: true }));

async function makeTree(dir: string, fixedTimes: boolean): Promise<void> {
  await mkdir(join(dir, 'etc/app'), { recursive: true });
  await mkdir(join(dir, 'usr/bin'), { recursive: true });
  await writeFile(join(dir, 'etc/app/config.yaml'), 'key: value\n'.repeat(100));
  await writeFile(join(dir, 'usr/bin/tool'), Buffer.alloc(300_000, 7));
  await chmod(join(dir, 'usr/bin/tool'), 0o4755);
  await link(join(dir, 'usr/bin/tool'), join(dir, 'usr/bin/tool-alias'));
  await symlink('../etc/app', join(dir, 'usr/app'));
  const long = `opt/${'deep/'.repeat(30)}${'x'.repeat(120)}`;
  await mkdir(join(dir, long, '..'), { recursive: true });
  await writeFile(join(dir, long), 'long name');
  if (fixedTimes) {
    for (const p of ['etc/app/config.yaml', 'usr/bin/tool', long, 'etc/app', 'etc', 'usr/bin', 'usr', 'opt'])
      await utimes(join(dir, p), 1_600_000_000, 1_600_000_000);
    // The symlink's own time (tar stores whole seconds; two trees can straddle a second).
    await lutimes(join(dir, 'usr/app'), 1_600_000_000, 1_600_000_000);
    // Every directory of the long path too.
    let p = long;
    while (p.includes('/')) {
      p = p.slice(0, p.lastIndexOf('/'));
      await utimes(join(dir, p), 1_600_000_000, 1_600_000_000);
    }
  }
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return `sha256:${h.digest('hex')}`;
}

describe('writeLayer', () => {
  test('the same tree in two directories, made at different times, gives byte-identical layers', async () => {
    const a = join(work, 'tree-a');
    const b = join(work, 'tree-b');
    await makeTree(a, true);
    await new Promise((r) => setImmediate(r));
    await makeTree(b, true);
    for (const compression of ['gzip', 'zstd', 'none'] as const) {
      const la = await layerFromTree(a, { dir: join(work, 'out-a'), compression });
      const lb = await layerFromTree(b, { dir: join(work, 'out-b'), compression });
      assert.equal(la.digest, lb.digest, compression);
      assert.deepEqual(await readFile(la.path), await readFile(lb.path));
      assert.equal(await sha256(la.path), la.digest);
      assert.equal(la.size, (await readFile(la.path)).length);
    }
  });

  test('SOURCE_DATE_EPOCH makes trees with different mtimes give the same digest', async () => {
    const a = join(work, 'epoch-a');
    const b = join(work, 'epoch-b');
    await makeTree(a, false);
    await makeTree(b, false);
    await utimes(join(b, 'usr/bin/tool'), 2_000_000_000, 2_000_000_000);
    const plain = await layerFromTree(b, { dir: join(work, 'o1') });
    const la = await layerFromTree(a, { dir: join(work, 'o2'), sourceDateEpoch: 1_000_000_000 });
    const lb = await layerFromTree(b, { dir: join(work, 'o3'), sourceDateEpoch: 1_000_000_000 });
    assert.equal(la.digest, lb.digest);
    assert.notEqual(plain.digest, lb.digest);
  });

  test('diffID is the sha256 of the decompressed blob and GNU tar reads the archive', async () => {
    const a = join(work, 'tree-c');
    await makeTree(a, true);
    const l = await layerFromTree(a, { dir: join(work, 'out-c') });
    const tar = zlib.gunzipSync(await readFile(l.path));
    assert.equal(`sha256:${createHash('sha256').update(tar).digest('hex')}`, l.diffID);
    assert.equal(l.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
    const { stdout } = await exec('tar', ['-tvzf', l.path]);
    assert.match(stdout, /usr\/bin\/tool-alias link to usr\/bin\/tool/);
    assert.match(stdout, /x{120}/);
    assert.match(stdout, /-rwsr-xr-x/);
    await exec('gzip', ['-t', l.path]);
  });

  test('entries are sorted, parents implicit with their real modes, whiteouts named as OCI says', async () => {
    const root = join(work, 'tree-d');
    await mkdir(join(root, 'srv/data'), { recursive: true });
    await chmod(join(root, 'srv'), 0o710);
    await writeFile(join(root, 'srv/data/f'), 'x');
    const l = await writeLayer(
      [
        { path: '/srv/data/f', type: 'file', source: join(root, 'srv/data/f'), mode: 0o600, mtime: 5 },
        { path: '/srv/gone', type: 'whiteout' },
        { path: '/srv/data', type: 'opaque' },
        { path: '/a', type: 'dir', mode: 0o755, mtime: 5 },
      ],
      { dir: join(work, 'out-d'), root, compression: 'none' },
    );
    const seen: Array<[string, string, number]> = [];
    for await (const { entry } of readTar(createReadStream(l.path)))
      seen.push([entry.name, entry.type, entry.mode]);
    assert.deepEqual(seen, [
      ['a/', 'dir', 0o755],
      ['srv/', 'dir', 0o710],
      ['srv/.wh.gone', 'file', 0],
      ['srv/data/', 'dir', 0o755],
      ['srv/data/.wh..wh..opq', 'file', 0],
      ['srv/data/f', 'file', 0o600],
    ]);
  });

  test('binary xattrs and large ids survive through PAX', async () => {
    const root = join(work, 'tree-e');
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'ping'), 'bin');
    const cap = Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x0a, 0x3d]);
    const l = await writeLayer(
      [
        {
          path: '/ping',
          type: 'file',
          source: join(root, 'ping'),
          uid: 3_000_000,
          gid: 70,
          xattrs: { 'security.capability': cap },
        },
      ],
      { dir: join(work, 'out-e'), compression: 'zstd' },
    );
    const tar = zlib.zstdDecompressSync(await readFile(l.path));
    const entries = [];
    for await (const { entry } of readTar([tar])) entries.push(entry);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.uid, 3_000_000);
    assert.deepEqual(entries[0]!.xattrs['security.capability'], cap);
  });
  test('a layer of many compressor blocks decodes to the tar its diffID names, with gzip and zstd', async () => {
    const dir = join(work, 'multi-block');
    await mkdir(dir);
    const text = Buffer.from('layer digest manifest '.repeat(150_000));
    const content = Buffer.concat([randomBytes(2_500_000), text, randomBytes(700_001)]);
    await writeFile(join(dir, 'mixed.bin'), content);
    const entries = [
      { path: '/mixed.bin', type: 'file' as const, source: join(dir, 'mixed.bin'), mode: 0o644 },
    ];
    for (const compression of ['gzip', 'zstd', 'none'] as const) {
      const l = await writeLayer(entries, { dir: join(dir, compression), compression });
      const blob = await readFile(l.path);
      assert.equal(`sha256:${createHash('sha256').update(blob).digest('hex')}`, l.digest);
      assert.equal(blob.length, l.size);
      const tar =
        compression === 'gzip'
          ? zlib.gunzipSync(blob)
          : compression === 'zstd'
            ? zlib.zstdDecompressSync(blob)
            : blob;
      assert.equal(`sha256:${createHash('sha256').update(tar).digest('hex')}`, l.diffID, compression);
      assert.equal(tar.length, l.uncompressedSize);
      // One short-named entry: its data follows the 512-byte header.
      assert.ok(tar.subarray(512, 512 + content.length).equals(content), `${compression} content`);
    }
  });
});
