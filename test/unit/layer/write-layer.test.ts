import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  link,
  lstat,
  lutimes,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import { readTar } from '../../../src/fs/tar-reader.ts';
import { layerFromTree } from '../../../src/layer/from-tree.ts';
import { writeLayer } from '../../../src/layer/write-layer.ts';

const exec = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), 'kts-layer-'));
after(() => rm(work, { recursive: true, force: true }));

const MTIME = 1_600_000_000;

/** Every path of a tree made by makeTree, relative, the tree's root first. */
async function treePaths(dir: string): Promise<string[]> {
  return ['.', ...(await readdir(dir, { recursive: true }))];
}

/**
 * Builds the test tree. With `atime`, every path gets mtime MTIME and that atime, so two trees can
 * differ in atime (and, being made later, in ctime) while everything a layer holds is the same.
 */
async function makeTree(dir: string, atime?: number): Promise<void> {
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
  // lutimes: the symlink's own time too (tar stores whole seconds; two trees can straddle a second).
  if (atime !== undefined) for (const p of await treePaths(dir)) await lutimes(join(dir, p), atime, MTIME);
}

/** ctime (ns) and atime (ms) of every path, by relative path. */
async function times(dir: string): Promise<Map<string, { ctimeNs: bigint; atimeMs: bigint }>> {
  const out = new Map<string, { ctimeNs: bigint; atimeMs: bigint }>();
  for (const p of await treePaths(dir)) {
    const st = await lstat(join(dir, p), { bigint: true });
    out.set(p, { ctimeNs: st.ctimeNs, atimeMs: st.atimeMs });
  }
  return out;
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
    await makeTree(a, 1_650_000_000);
    await makeTree(b, 1_750_000_000);
    // tree-b was changed after tree-a, so its ctimes are later; the clock may be coarse (a kernel
    // tick), so change the mode of any path whose ctime still equals tree-a's until it moves on.
    const timesA = await times(a);
    for (let same = [...timesA.keys()]; same.length > 0; ) {
      const timesB = await times(b);
      same = same.filter((p) => timesB.get(p)!.ctimeNs === timesA.get(p)!.ctimeNs);
      for (const p of same) {
        const st = await lstat(join(b, p));
        if (!st.isSymbolicLink()) await chmod(join(b, p), st.mode & 0o7777);
        else await lutimes(join(b, p), 1_750_000_000, MTIME);
      }
    }
    const timesB = await times(b);
    for (const [p, ta] of timesA) {
      assert.notEqual(timesB.get(p)!.ctimeNs, ta.ctimeNs, `ctime of ${p}`);
      assert.notEqual(timesB.get(p)!.atimeMs, ta.atimeMs, `atime of ${p}`);
    }
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
    await makeTree(a);
    await makeTree(b);
    await utimes(join(b, 'usr/bin/tool'), 2_000_000_000, 2_000_000_000);
    const plain = await layerFromTree(b, { dir: join(work, 'o1') });
    const la = await layerFromTree(a, { dir: join(work, 'o2'), sourceDateEpoch: 1_000_000_000 });
    const lb = await layerFromTree(b, { dir: join(work, 'o3'), sourceDateEpoch: 1_000_000_000 });
    assert.equal(la.digest, lb.digest);
    assert.notEqual(plain.digest, lb.digest);
  });

  test('diffID is the sha256 of the decompressed blob and GNU tar reads the archive', async () => {
    const a = join(work, 'tree-c');
    await makeTree(a, MTIME);
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

  test('headers are normalised: sorted, real implicit parents, empty uname/gname, no times but mtime', async () => {
    const root = join(work, 'tree-h');
    const long = `opt/x/deep/${'n'.repeat(120)}`;
    await mkdir(join(root, 'opt/x/deep'), { recursive: true });
    await mkdir(join(root, 'opt/x-y'), { recursive: true });
    await writeFile(join(root, 'opt/x-y/f'), 'f');
    await writeFile(join(root, long), 'long');
    // The parents on disk, which no entry names, have modes and times of their own.
    const dirModes: Record<string, number> = {
      opt: 0o750,
      'opt/x': 0o711,
      'opt/x/deep': 0o700,
      'opt/x-y': 0o705,
    };
    for (const [d, mode] of Object.entries(dirModes)) {
      await chmod(join(root, d), mode);
      await utimes(join(root, d), 1_200_000_000, 1_234_567_890);
    }
    const l = await writeLayer(
      [
        { path: '/opt/x/hard', type: 'hardlink', linkname: '/opt/x-y/f' },
        { path: '/opt/x/link', type: 'symlink', linkname: `/${'L'.repeat(150)}`, mtime: MTIME },
        {
          path: `/${long}`,
          type: 'file',
          source: join(root, long),
          mode: 0o644,
          uid: 3_000_000,
          gid: 4_000_000,
          mtime: MTIME,
          xattrs: { 'user.b': Buffer.from('2'), 'user.a': Buffer.from('1') },
        },
        { path: '/opt/x-y/f', type: 'file', source: join(root, 'opt/x-y/f'), mode: 0o640, mtime: MTIME },
      ],
      { dir: join(work, 'out-h'), root, compression: 'none' },
    );
    const raw = await readFile(l.path);

    const headers: Header[] = [];
    const ex = tar.extract();
    ex.on('entry', (h, stream, next) => {
      headers.push(h);
      stream.on('end', next);
      stream.resume();
    });
    await pipeline(Readable.from([raw]), ex);
    // Sorted by name (code units, trailing slash ignored): `opt/x-y` comes between `opt/x` and its children.
    assert.deepEqual(
      headers.map((h) => h.name),
      ['opt/', 'opt/x/', 'opt/x-y/', 'opt/x-y/f', 'opt/x/deep/', long, 'opt/x/hard', 'opt/x/link'],
    );
    for (const h of headers) {
      assert.equal(h.uname, '', h.name);
      assert.equal(h.gname, '', h.name);
      const dir = h.name.replace(/\/$/, '');
      if (h.type === 'directory') {
        assert.equal(h.mode, dirModes[dir], `implicit ${h.name} keeps its mode`);
        assert.equal(h.mtime!.getTime() / 1000, 1_234_567_890, `implicit ${h.name} keeps its mtime`);
      }
    }
    // PAX only where ustar cannot say it, keys sorted, and never atime, ctime or a fractional mtime.
    const pax = Object.fromEntries(
      headers.filter((h) => h.pax).map((h) => [h.name, h.pax as Record<string, string>]),
    );
    assert.deepEqual(Object.keys(pax), [long, 'opt/x/link']);
    assert.deepEqual(Object.entries(pax[long]!), [
      ['SCHILY.xattr.user.a', '1'],
      ['SCHILY.xattr.user.b', '2'],
      ['gid', '4000000'],
      ['path', long],
      ['uid', '3000000'],
    ]);
    assert.deepEqual(Object.entries(pax['opt/x/link']!), [['linkpath', `/${'L'.repeat(150)}`]]);

    // The raw blocks: POSIX ustar magic (so no GNU atime/ctime fields), no global PAX header, and
    // every PAX header block the same apart from its size.
    const paxBlocks: Buffer[] = [];
    for (let o = 0; o < raw.length && raw[o] !== 0; ) {
      const block = raw.subarray(o, o + 512);
      assert.equal(block.toString('latin1', 257, 265), 'ustar\u000000');
      assert.ok(
        block.subarray(265, 329).every((b) => b === 0),
        'uname and gname are empty',
      );
      const typeflag = String.fromCharCode(block[156]!);
      assert.notEqual(typeflag, 'g');
      if (typeflag === 'x') paxBlocks.push(Buffer.concat([block.subarray(0, 124), block.subarray(136, 148)]));
      const size = Number.parseInt(block.toString('latin1', 124, 136), 8);
      o += 512 + Math.ceil(size / 512) * 512;
    }
    assert.equal(paxBlocks.length, 2);
    assert.deepEqual(paxBlocks[0], paxBlocks[1]);
    assert.equal(paxBlocks[0]!.toString('latin1', 0, 9), 'PaxHeader');
    assert.equal(paxBlocks[0]!.toString('latin1', 124, 135), '00000000000', 'PAX header mtime is 0');
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
