// Extraction of well-formed layers as real tools write them: GNU tar's gnu format (long names and
// link names as ././@LongLink, old-style sparse) and its posix/PAX format (path and linkpath records,
// sparse 0.0/0.1/1.0), a file of several MB, owners, modes and mtimes of files, directories and
// symlinks, gzip and zstd (by the gzip and zstd programs). The extracted tree must equal the source
// tree. The compression is found by the magic bytes and checked against the media type.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ArchiveFormatError } from '../../../src/fs/errors.ts';
import { type ExtractOptions, type ExtractResult, extractLayer } from '../../../src/fs/extract.ts';

const exec = promisify(execFile);
const base = await mkdtemp(join(tmpdir(), 'kts-extract-'));
after(() => rm(base, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

const MB = 1024 * 1024;
/** A component longer than ustar's 100-byte name field, under a path longer than its 155-byte prefix. */
const LONG_DIR = `deep/${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
const LONG_FILE = `${LONG_DIR}/${'n'.repeat(130)}.txt`;
const LONG_TARGET = `../${'t'.repeat(140)}/target`;

/** The source tree every archive below is made from. */
async function makeSource(dir: string): Promise<void> {
  await mkdir(join(dir, LONG_DIR), { recursive: true });
  await mkdir(join(dir, 'bin'));
  await mkdir(join(dir, 'ünï'));
  await writeFile(join(dir, LONG_FILE), 'long name\n');
  await writeFile(join(dir, 'ünï', 'café.txt'), 'utf-8 name\n');
  await writeFile(join(dir, 'bin', 'big'), randomBytes(3 * MB + 123));
  await writeFile(join(dir, 'bin', 'tool'), '#!/bin/sh\n');
  await chmod(join(dir, 'bin', 'tool'), 0o4750);
  await link(join(dir, LONG_FILE), join(dir, 'bin', 'hard-to-long'));
  await symlink(LONG_TARGET, join(dir, 'bin', 'long-link'));
  await symlink('tool', join(dir, 'bin', 'short-link'));
  // A sparse file: 5 MB with data at the start, in the middle and at the very end.
  const sparse = join(dir, 'sparse.img');
  const fh = await open(sparse, 'w');
  try {
    await fh.write(Buffer.alloc(4096, 0x61), 0, 4096, 0);
    await fh.write(Buffer.alloc(8192, 0x62), 0, 8192, 2 * MB);
    await fh.write(Buffer.from('z'), 0, 1, 5 * MB - 1);
  } finally {
    await fh.close();
  }
  if (isRoot) {
    await lchown(join(dir, 'bin', 'tool'), 1234, 5678);
    await lchown(join(dir, 'bin', 'short-link'), 42, 43);
    await lchown(join(dir, 'ünï'), 1000, 1000);
  }
  // Distinct times everywhere, directories last (adding entries changes their mtime).
  let t = 1_500_000_000;
  const paths = (await readdir(dir, { recursive: true })).sort().reverse();
  for (const p of paths) await lutimes(join(dir, p), t, t++);
}

interface Node {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  content: string;
  /** Paths sharing the inode (hardlinks), sorted. */
  links?: string[];
}

/** Every path below `dir` with what a layer carries; hardlinked paths name each other. */
async function readTree(dir: string): Promise<Map<string, Node>> {
  const out = new Map<string, Node>();
  const byIno = new Map<number, string[]>();
  for (const p of (await readdir(dir, { recursive: true })).sort()) {
    const host = join(dir, p);
    const st = await lstat(host);
    const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
    const content =
      type === 'file'
        ? createHash('sha256')
            .update(await readFile(host))
            .digest('hex')
        : type === 'symlink'
          ? await readlink(host)
          : '';
    out.set(p, {
      type,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      mtime: Math.floor(st.mtimeMs / 1000),
      size: type === 'dir' ? 0 : st.size,
      content,
    });
    if (type === 'file') byIno.set(st.ino, [...(byIno.get(st.ino) ?? []), p]);
  }
  for (const paths of byIno.values()) if (paths.length > 1) for (const p of paths) out.get(p)!.links = paths;
  return out;
}

async function tarOf(src: string, ...opts: string[]): Promise<Buffer> {
  const { stdout } = await exec('tar', ['-c', '--sort=name', ...opts, '-C', src, '.'], {
    encoding: 'buffer',
    maxBuffer: 64 * MB,
  });
  return stdout;
}

/** Pipes `input` through a compressor program (gzip, zstd, xz). */
function compress(program: string, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, ['-c'], { encoding: 'buffer', maxBuffer: 64 * MB }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
    child.stdin!.end(input);
  });
}

/** The typeflags of an archive's headers (GNU sparse headers here need no extension blocks). */
function typeflags(tar: Buffer): Set<string> {
  const out = new Set<string>();
  for (let o = 0; o + 512 <= tar.length && tar[o] !== 0; ) {
    out.add(String.fromCharCode(tar[o + 156]!));
    const size = Number.parseInt(tar.toString('latin1', o + 124, o + 136), 8);
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

let n = 0;
async function extract(
  bytes: Buffer,
  opts: Omit<ExtractOptions, 'root'> = {},
): Promise<{ root: string; result: ExtractResult }> {
  const root = join(base, `root-${n++}`);
  await mkdir(root);
  const result = await extractLayer(Readable.from([bytes]), { root, ...opts });
  return { root, result };
}

describe('extractLayer', () => {
  let src = '';
  let source: Map<string, Node>;
  before(async () => {
    src = join(base, 'src');
    await mkdir(src);
    await makeSource(src);
    source = await readTree(src);
    // The tree really has what the tests are about.
    assert.ok(source.get(LONG_FILE)!.links!.includes('bin/hard-to-long'));
    assert.equal(source.get('bin/long-link')!.content, LONG_TARGET);
    assert.equal(source.get('sparse.img')!.size, 5 * MB);
  });

  // Each format with what its archive must hold, so the test knows which path of the reader it took.
  const formats: Array<[string, string[], string[]]> = [
    [
      'GNU tar, gnu format (././@LongLink names and link names, old GNU sparse)',
      ['--format=gnu', '--sparse'],
      ['type L', 'type K', 'type S'],
    ],
    [
      'GNU tar, posix format (PAX path/linkpath, sparse 1.0)',
      ['--format=posix', '--sparse', '--sparse-version=1.0'],
      ['type x', 'path=', 'linkpath=', 'GNU.sparse.major=1'],
    ],
    [
      'GNU tar, posix format (sparse 0.1)',
      ['--format=posix', '--sparse', '--sparse-version=0.1'],
      ['GNU.sparse.map='],
    ],
    [
      'GNU tar, posix format (sparse 0.0)',
      ['--format=posix', '--sparse', '--sparse-version=0.0'],
      // The map is GNU.sparse.offset/numbytes records, the same two keys repeated once per segment.
      ['GNU.sparse.numblocks=', 'GNU.sparse.offset=', 'GNU.sparse.numbytes='],
    ],
  ];
  for (const [name, tarOpts, holds] of formats) {
    test(`${name}: the extracted tree equals the source (long names, sparse, mtimes, modes, owners)`, async () => {
      const tar = await tarOf(src, ...tarOpts);
      const types = typeflags(tar);
      for (const h of holds)
        assert.ok(h.startsWith('type ') ? types.has(h.slice(5)) : tar.includes(h), `archive has no ${h}`);
      // The sparse file is stored packed (a few KB of data for 5 MB), so the sparse path is used.
      assert.ok(tar.length < 3 * MB + 512 * 1024, `archive of ${tar.length} bytes is not sparse`);
      const { root, result } = await extract(tar, {
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
      });
      assert.equal(result.compression, 'none');
      assert.equal(result.mediaTypeMismatch, undefined);
      assert.deepEqual(result.skipped, []);
      assert.deepEqual(await readTree(root), source);
      const sparse = await lstat(join(root, 'sparse.img'));
      const srcSparse = await lstat(join(src, 'sparse.img'));
      // Holes stay holes when the source had them (ext4, tmpfs and most filesystems keep them).
      if (srcSparse.blocks * 512 < srcSparse.size)
        assert.ok(sparse.blocks * 512 < 1 * MB, `${sparse.blocks} blocks allocated for a sparse file`);
    });
  }

  test('a gzip layer (gzip -c) and a zstd layer (zstd -c) extract to the source tree', async () => {
    const tar = await tarOf(src, '--format=posix');
    for (const [program, mediaType] of [
      ['gzip', 'application/vnd.oci.image.layer.v1.tar+gzip'],
      ['zstd', 'application/vnd.oci.image.layer.v1.tar+zstd'],
    ] as const) {
      const { root, result } = await extract(await compress(program, tar), { mediaType });
      assert.equal(result.compression, program);
      assert.equal(result.mediaTypeMismatch, undefined, program);
      assert.deepEqual(await readTree(root), source, program);
    }
  });

  test('Docker media types announce gzip too', async () => {
    const gz = await compress('gzip', await tarOf(src));
    const { result } = await extract(gz, { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' });
    assert.equal(result.compression, 'gzip');
    assert.equal(result.mediaTypeMismatch, undefined);
  });

  test('a media type that announces another compression: the magic bytes decide, the mismatch is reported', async () => {
    const tar = await tarOf(src, '--format=posix');
    const cases = [
      ['application/vnd.oci.image.layer.v1.tar+gzip', 'zstd', await compress('zstd', tar)],
      ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'none', tar],
      ['application/vnd.oci.image.layer.v1.tar', 'gzip', await compress('gzip', tar)],
      ['application/vnd.oci.image.layer.v1.tar+zstd', 'gzip', await compress('gzip', tar)],
    ] as const;
    for (const [mediaType, actual, bytes] of cases) {
      const { root, result } = await extract(bytes, { mediaType, where: 'sha256:abc' });
      assert.equal(result.compression, actual);
      const announced = /gzip$/.test(mediaType) ? 'gzip' : /zstd$/.test(mediaType) ? 'zstd' : 'none';
      assert.equal(
        result.mediaTypeMismatch,
        `sha256:abc: media type ${mediaType} announces ${announced} but the bytes are ${actual} (extracted as ${actual})`,
      );
      assert.deepEqual(await readTree(root), source, mediaType);
    }
  });

  test('xz bytes under a layer media type are refused with one line naming both', async () => {
    const xz = await compress('xz', await tarOf(src));
    await assert.rejects(
      extract(xz, { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', where: 'sha256:abc' }),
      (e: unknown) =>
        e instanceof ArchiveFormatError &&
        e.message ===
          'sha256:abc: media type application/vnd.oci.image.layer.v1.tar+gzip announces gzip but the bytes are xz, which is no layer compression',
    );
    // Without a media type (ADD of a local archive) xz is fine.
    const { root, result } = await extract(xz);
    assert.equal(result.compression, 'xz');
    assert.deepEqual(await readTree(root), source);
  });

  test('mtimes of files, symlinks and directories are restored, directories after their children', async () => {
    const dir = join(base, 'times');
    await mkdir(join(dir, 'a/b'), { recursive: true });
    await writeFile(join(dir, 'a/b/f'), 'x');
    await symlink('b/f', join(dir, 'a/l'));
    await utimes(join(dir, 'a/b/f'), 1_000_000_001, 1_000_000_001);
    await lutimes(join(dir, 'a/l'), 1_000_000_002, 1_000_000_002);
    await utimes(join(dir, 'a/b'), 1_000_000_003, 1_000_000_003);
    await utimes(join(dir, 'a'), 1_000_000_004, 1_000_000_004);
    // Directories listed before their children, as tar does: their times must survive the children.
    const { root } = await extract(await tarOf(dir, '--format=gnu'));
    const mtime = async (p: string) => Math.floor((await lstat(join(root, p))).mtimeMs / 1000);
    assert.equal(await mtime('a/b/f'), 1_000_000_001);
    assert.equal(await mtime('a/l'), 1_000_000_002);
    assert.equal(await mtime('a/b'), 1_000_000_003);
    assert.equal(await mtime('a'), 1_000_000_004);
  });
});
