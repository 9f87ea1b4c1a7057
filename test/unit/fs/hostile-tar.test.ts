// The hostile-tar corpus: each archive is extracted into <work>/root next to a sentinel
// directory <work>/outside; each must be refused (typed error) or contained (whatever it
// creates is inside the root), and nothing outside the root may change: not the sentinel, not
// anything else under the corpus's base directory (earlier cases' trees included), and not the
// unique host path /<HOST> some archives aim at through absolute names and `../` chains.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { ArchiveFormatError, UnsafeEntryError } from '../../../src/fs/errors.ts';
import { type ExtractResult, extractLayer } from '../../../src/fs/extract.ts';
import { archive, dir, file, hardlink, header, meta, paxRecords, symlink } from './craft-tar.ts';

const base = await mkdtemp(join(tmpdir(), 'kts-hostile-'));
after(() => rm(base, { recursive: true, force: true }));
/** A name nothing on the host has: archives aim at /<HOST>, which must never appear. */
const HOST = `kts-hostile-escape-${process.pid}-${randomBytes(6).toString('hex')}`;
/** Enough `../` to climb from a case's root (<base>/cN/root) to `/`, and two more. */
const UP = '../'.repeat(base.split('/').length + 3);
const isRoot = process.getuid?.() === 0;

interface Case {
  name: string;
  tar: Buffer | (() => Buffer);
  outcome: 'refused' | 'contained';
  check?: (root: string, work: string, result: ExtractResult) => Promise<void>;
  createDevices?: boolean;
  /** Lower layer made before the hostile one. */
  lower?: Buffer;
  /** For a refusal that must be an ArchiveFormatError: what its message says. */
  refusal?: RegExp;
}

let n = 0;
async function setup(): Promise<{ work: string; root: string; outside: string }> {
  const work = join(base, `c${n++}`);
  const root = join(work, 'root');
  const outside = join(work, 'outside');
  await mkdir(root, { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'sentinel'), 'keep');
  return { work, root, outside };
}

async function assertOutsideUntouched(work: string): Promise<void> {
  assert.deepEqual((await readdir(work)).sort(), ['outside', 'root']);
  assert.deepEqual(await readdir(join(work, 'outside')), ['sentinel']);
  assert.equal(await readFile(join(work, 'outside', 'sentinel'), 'utf8'), 'keep');
  const st = await stat(join(work, 'outside', 'sentinel'));
  assert.equal(st.nlink, 1);
  assert.equal(st.mode & 0o7777, 0o644);
  // No attribute either (getfattr prints nothing for a file without any).
  const attrs = spawnSync('getfattr', ['-d', '-m', '-', join(work, 'outside', 'sentinel')], {
    encoding: 'utf8',
  });
  assert.equal(attrs.stdout, '');
}

/**
 * Every path under the base directory with its type, mode, size, link count and link target,
 * except what is inside `root` (the one place a case may write).
 */
async function snapshotBase(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const st = await lstat(path);
      const type = st.isDirectory()
        ? 'dir'
        : st.isSymbolicLink()
          ? 'symlink'
          : st.isFile()
            ? 'file'
            : 'other';
      const target = st.isSymbolicLink() ? await readlink(path) : '';
      if (path === root) {
        out.push(`${rel}${name} ${type}`);
        continue;
      }
      out.push(`${rel}${name} ${type} ${(st.mode & 0o7777).toString(8)} ${st.size} ${st.nlink} ${target}`);
      if (st.isDirectory()) await walk(path, `${rel}${name}/`);
    }
  };
  await walk(base, '');
  return out;
}

const exists = (p: string) =>
  lstat(p).then(
    () => true,
    () => false,
  );

// Absolute paths to the sentinel are only known per case, so those archives are made lazily.
let current = { work: '', root: '', outside: '' };
const outsideAbs = () => current.outside;

/**
 * A GNU sparse 0.0 file: PAX records (GNU.sparse.name "sp", then `records` in order, the
 * offset/numbytes keys repeated as GNU tar writes them), then the packed data.
 */
const sparse00 = (records: Array<[string, string]>, data: string) =>
  archive(meta('x', paxRecords([['GNU.sparse.name', 'sp'], ...records])), file('GNUSparseFile.0/sp', data));
/** Segments as GNU.sparse.offset / GNU.sparse.numbytes records. */
const segments = (...pairs: Array<[string, string]>): Array<[string, string]> =>
  pairs.flatMap(
    ([o, n]): Array<[string, string]> => [
      ['GNU.sparse.offset', o],
      ['GNU.sparse.numbytes', n],
    ],
  );
/** The refusal of a malformed map names the sparse file, then says what is wrong with the map. */
const sparseRefusal = (why: string) => new RegExp(`sparse file "sp" \\(entry \\d+\\): .*${why}`);

const cases: Case[] = [
  { name: 'plain ../ traversal', tar: archive(file('../outside/pwn', 'x')), outcome: 'refused' },
  { name: 'traversal hidden mid-path', tar: archive(file('a/../../outside/pwn', 'x')), outcome: 'refused' },
  {
    name: 'traversal in a PAX path overriding a harmless name',
    tar: archive(meta('x', paxRecords({ path: '../outside/pwn' })), file('harmless', 'x')),
    outcome: 'refused',
  },
  {
    name: 'traversal in a GNU long name',
    tar: archive(meta('L', Buffer.from('../../outside/pwn\0')), file('harmless', 'x')),
    outcome: 'refused',
  },
  {
    name: 'absolute name is contained under the root',
    tar: () => archive(file(`${outsideAbs()}/pwn`, 'x')),
    outcome: 'contained',
    check: async (root) => assert.ok(await exists(join(root, outsideAbs(), 'pwn'))),
  },
  {
    name: 'absolute name aimed at a host path is contained under the root',
    tar: archive(file(`/${HOST}/pwn`, 'x')),
    outcome: 'contained',
    check: async (root) => assert.ok(await exists(join(root, HOST, 'pwn'))),
  },
  { name: '../ chain up to a host path', tar: archive(file(`${UP}${HOST}/pwn`, 'x')), outcome: 'refused' },
  {
    name: 'relative symlink escaping the root, then a file through it',
    tar: archive(symlink('esc', `${UP}${HOST}`), file('esc/pwn', 'x')),
    outcome: 'contained',
    check: async (root) => {
      assert.equal(await readlink(join(root, 'esc')), `${UP}${HOST}`);
      assert.ok(await exists(join(root, HOST, 'pwn')));
    },
  },
  {
    name: 'absolute symlink to a host path, then a directory and a file through it',
    tar: archive(symlink('esc', `/${HOST}`), dir('esc/d/'), file('esc/d/pwn', 'x')),
    outcome: 'contained',
    check: async (root) => assert.ok(await exists(join(root, HOST, 'd', 'pwn'))),
  },
  {
    name: 'absolute symlink to the sentinel dir, then a file through it',
    tar: () => archive(symlink('esc', outsideAbs()), file('esc/pwn', 'x')),
    outcome: 'contained',
    check: async (root) => assert.ok(await exists(join(root, outsideAbs(), 'pwn'))),
  },
  {
    name: 'symlink to the sentinel file, then a file entry of the same name',
    tar: () => archive(symlink('evil', `${outsideAbs()}/sentinel`), file('evil', 'overwritten')),
    outcome: 'contained',
    check: async (root) => assert.equal(await readFile(join(root, 'evil'), 'utf8'), 'overwritten'),
  },
  {
    name: 'chain of symlinked parents ending outside',
    tar: () =>
      archive(symlink('a', 'b'), symlink('b', '../c'), symlink('c', outsideAbs()), file('a/pwn', 'x')),
    outcome: 'contained',
    check: async (root) => assert.ok(await exists(join(root, outsideAbs(), 'pwn'))),
  },
  {
    name: 'symlink in a lower layer, file through it in the upper layer',
    lower: archive(symlink('lib', '../../outside')),
    tar: archive(file('lib/pwn', 'x')),
    outcome: 'contained',
    check: async (root) => assert.ok(await exists(join(root, 'outside', 'pwn'))),
  },
  {
    name: 'hardlink with ../ target',
    tar: archive(hardlink('h', '../outside/sentinel')),
    outcome: 'refused',
  },
  {
    name: 'hardlink to an absolute outside path resolves inside the root (missing → refused)',
    tar: () => archive(hardlink('h', `${outsideAbs()}/sentinel`)),
    outcome: 'refused',
  },
  {
    name: 'hardlink through a symlinked parent pointing outside',
    tar: () => archive(symlink('l', outsideAbs()), hardlink('h', 'l/sentinel')),
    outcome: 'refused',
  },
  {
    name: 'hardlink to a symlink that points outside links the symlink, not its target',
    tar: () => archive(symlink('s', `${outsideAbs()}/sentinel`), hardlink('h', 's')),
    outcome: 'contained',
    check: async (root) => assert.ok((await lstat(join(root, 'h'))).isSymbolicLink()),
  },
  { name: 'hardlink to a directory', tar: archive(dir('d/'), hardlink('h', 'd')), outcome: 'refused' },
  {
    name: 'device nodes without privileges are recorded, not created',
    tar: archive(
      header('dev/sda', { type: '4', devmajor: 8, devminor: 0 }),
      header('dev/mem', { type: '3', devmajor: 1, devminor: 1 }),
      header('dev/ctl', { type: '6' }),
    ),
    outcome: 'contained',
    createDevices: false,
    check: async (root, _work, result) => {
      assert.equal(await exists(join(root, 'dev', 'sda')), false);
      assert.equal(await exists(join(root, 'dev', 'mem')), false);
      // A fifo needs no privilege: it is made either way.
      assert.ok((await lstat(join(root, 'dev', 'ctl'))).isFIFO());
      assert.deepEqual(result.skipped, [
        { path: '/dev/sda', reason: 'block device 8:0 not created' },
        { path: '/dev/mem', reason: 'char device 1:1 not created' },
      ]);
    },
  },
  {
    name: 'device nodes are created inside the root when allowed',
    tar: archive(
      header('dev/null', { type: '3', devmajor: 1, devminor: 3, mode: 0o666 }),
      header('dev/loop9', { type: '4', devmajor: 7, devminor: 9, mode: 0o660 }),
      header('run/ctl', { type: '6', mode: 0o620 }),
    ),
    outcome: 'contained',
    createDevices: true,
    check: async (root, _work, result) => {
      assert.deepEqual(result.skipped, []);
      const nul = await lstat(join(root, 'dev', 'null'));
      assert.ok(nul.isCharacterDevice());
      assert.equal(nul.rdev, deviceNumber(1, 3));
      assert.equal(nul.mode & 0o7777, 0o666);
      const loop = await lstat(join(root, 'dev', 'loop9'));
      assert.ok(loop.isBlockDevice());
      assert.equal(loop.rdev, deviceNumber(7, 9));
      const fifo = await lstat(join(root, 'run', 'ctl'));
      assert.ok(fifo.isFIFO());
      assert.equal(fifo.mode & 0o7777, 0o620);
    },
  },
  {
    name: 'devices and a fifo through symlinked parents pointing outside land inside the root',
    tar: () =>
      archive(
        symlink('l', outsideAbs()),
        symlink('r', `${UP}${HOST}`),
        header('l/null', { type: '3', devmajor: 1, devminor: 3 }),
        header('l/fifo', { type: '6' }),
        header('r/null', { type: '3', devmajor: 1, devminor: 3 }),
        header('r/fifo', { type: '6' }),
      ),
    outcome: 'contained',
    createDevices: true,
    check: async (root) => {
      for (const d of [join(root, outsideAbs()), join(root, HOST)]) {
        assert.ok((await lstat(join(d, 'null'))).isCharacterDevice(), d);
        assert.ok((await lstat(join(d, 'fifo'))).isFIFO(), d);
      }
    },
  },
  {
    name: 'a sentinel-named device through a symlinked parent replaces nothing outside',
    tar: () =>
      archive(symlink('l', outsideAbs()), header('l/sentinel', { type: '3', devmajor: 1, devminor: 3 })),
    outcome: 'contained',
    createDevices: true,
    check: async (root) => assert.ok((await lstat(join(root, outsideAbs(), 'sentinel'))).isCharacterDevice()),
  },
  {
    name: 'a fifo is created inside the root',
    tar: archive(header('run/ctl', { type: '6' })),
    outcome: 'contained',
    check: async (root) => assert.ok((await lstat(join(root, 'run', 'ctl'))).isFIFO()),
  },
  {
    name: 'duplicate entries: the last one wins, whatever the types',
    tar: archive(
      file('dup', 'one'),
      file('dup', 'two'),
      dir('d2/'),
      file('d2/inner', 'x'),
      file('d2', 'now a file'),
      symlink('s', 'x'),
      dir('s/'),
    ),
    outcome: 'contained',
    check: async (root) => {
      assert.equal(await readFile(join(root, 'dup'), 'utf8'), 'two');
      assert.equal(await readFile(join(root, 'd2'), 'utf8'), 'now a file');
      assert.ok((await lstat(join(root, 's'))).isDirectory());
    },
  },
  { name: 'whiteout of the root (empty name)', tar: archive(file('.wh.', '')), outcome: 'refused' },
  { name: 'whiteout of ".."', tar: archive(file('.wh..', '')), outcome: 'refused' },
  { name: 'whiteout traversal', tar: archive(file('../.wh.outside', '')), outcome: 'refused' },
  {
    name: 'whiteout through a symlinked parent removes only inside the root',
    tar: () => archive(symlink('l', outsideAbs()), file('l/.wh.sentinel', '')),
    outcome: 'contained',
  },
  {
    name: 'opaque whiteout of the root only empties the root',
    lower: archive(file('old', 'x'), dir('keepdir/')),
    tar: archive(file('.wh..wh..opq', ''), file('new', 'y')),
    outcome: 'contained',
    check: async (root) => assert.deepEqual(await readdir(root), ['new']),
  },
  {
    name: 'opaque whiteout through a symlink pointing outside',
    tar: () => archive(symlink('l', outsideAbs()), file('l/.wh..wh..opq', '')),
    outcome: 'contained',
  },
  {
    name: 'huge PAX header',
    tar: archive(meta('x', Buffer.alloc(2 << 20, 0x61)), file('a', 'x')),
    outcome: 'refused',
  },
  {
    name: 'huge GNU long name',
    tar: archive(meta('L', Buffer.alloc(2 << 20, 0x61)), file('a', 'x')),
    outcome: 'refused',
  },
  {
    name: 'malformed PAX record',
    tar: archive(meta('x', Buffer.from('99999 path=x\n')), file('a', 'x')),
    outcome: 'refused',
  },
  {
    name: 'NUL inside a PAX path',
    tar: archive(meta('x', paxRecords({ path: 'a\0/../../outside' })), file('a', 'x')),
    outcome: 'refused',
  },
  {
    name: 'bad header checksum',
    tar: archive(Buffer.concat([header('a', { size: 0, badChecksum: true })])),
    outcome: 'refused',
  },
  {
    name: 'truncated in the middle of file data',
    tar: file('big', Buffer.alloc(4096, 1)).subarray(0, 1500),
    outcome: 'refused',
  },
  {
    name: 'truncated gzip stream',
    tar: () => {
      const gz = zlib.gzipSync(archive(file('a', Buffer.alloc(100_000, 3))));
      return gz.subarray(0, gz.length - 6);
    },
    outcome: 'refused',
  },
  {
    name: 'size field claiming petabytes (base-256) with no data',
    tar: () => {
      const f = Buffer.alloc(12);
      f[0] = 0x80;
      f.writeUIntBE(2 ** 46, 6, 6);
      return archive(header('huge', { sizeField: f }));
    },
    outcome: 'refused',
  },
  {
    name: 'negative base-256 uid',
    tar: () =>
      archive(header('neg', { uidField: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]) })),
    outcome: 'refused',
  },
  {
    name: 'symlink loop as parent',
    tar: archive(symlink('a', 'b'), symlink('b', 'a'), file('a/x', 'x')),
    outcome: 'refused',
  },
  { name: 'file below a regular file', tar: archive(file('f', 'x'), file('f/x', 'y')), outcome: 'refused' },
  {
    name: 'sparse file expanding beyond the limit',
    tar: () =>
      archive(
        meta(
          'x',
          paxRecords({
            'GNU.sparse.map': '0,1',
            'GNU.sparse.size': String(2 ** 52),
            'GNU.sparse.name': 'sp',
          }),
        ),
        file('GNUSparse/sp', 'x'),
      ),
    outcome: 'refused',
  },
  {
    name: 'GNU sparse 0.0 made by hand expands inside the root (the cases below differ by one defect)',
    tar: sparse00(
      [
        ['GNU.sparse.size', '1000000'],
        ['GNU.sparse.numblocks', '2'],
        ...segments(['0', '3'], ['999997', '3']),
      ],
      'abcxyz',
    ),
    outcome: 'contained',
    check: async (root) => {
      const data = await readFile(join(root, 'sp'));
      assert.equal(data.length, 1_000_000);
      assert.equal(data.subarray(0, 3).toString(), 'abc');
      assert.equal(data.subarray(999_997).toString(), 'xyz');
      assert.ok(data.subarray(3, 999_997).every((b) => b === 0));
      assert.equal(await exists(join(root, 'GNUSparseFile.0')), false);
    },
  },
  {
    name: 'GNU sparse 0.0 with numblocks larger than its pairs',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '3'], ...segments(['0', '3'], ['10', '3'])],
      'abcxyz',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('numblocks is 3 but the map has 2 segments'),
  },
  {
    name: 'GNU sparse 0.0 with numblocks smaller than its pairs',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '1'], ...segments(['0', '3'], ['10', '3'])],
      'abcxyz',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('numblocks is 1 but the map has 2 segments'),
  },
  {
    name: 'GNU sparse 0.0 with an absurd numblocks (nothing is allocated for it)',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', String(2 ** 50)], ...segments(['0', '3'])],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal(`numblocks is ${2 ** 50} but the map has 1 segments`),
  },
  {
    name: 'GNU sparse 0.0 with a numblocks past the safe integers',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '9'.repeat(30)], ...segments(['0', '3'])],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('invalid GNU.sparse.numblocks'),
  },
  {
    name: 'GNU sparse 0.0 offset/numbytes records without numblocks',
    tar: sparse00([['GNU.sparse.size', '100'], ...segments(['0', '3'])], 'abc'),
    outcome: 'refused',
    refusal: sparseRefusal('without GNU.sparse.numblocks'),
  },
  {
    name: 'GNU sparse 0.0 with offsets going backwards',
    tar: sparse00(
      [['GNU.sparse.size', '1000'], ['GNU.sparse.numblocks', '2'], ...segments(['500', '3'], ['0', '3'])],
      'abcxyz',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('overlaps or precedes'),
  },
  {
    name: 'GNU sparse 0.0 with overlapping regions',
    tar: sparse00(
      [['GNU.sparse.size', '1000'], ['GNU.sparse.numblocks', '2'], ...segments(['0', '10'], ['5', '3'])],
      'abcdefghijxyz',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('overlaps or precedes'),
  },
  {
    name: 'GNU sparse 0.0 with a region past the real size',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '1'], ...segments(['98', '5'])],
      'abcde',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('ends past the real size 100'),
  },
  {
    name: 'GNU sparse 0.0 with no real size',
    tar: sparse00([['GNU.sparse.numblocks', '1'], ...segments(['0', '3'])], 'abc'),
    outcome: 'refused',
    refusal: sparseRefusal('no GNU.sparse.size'),
  },
  {
    name: 'GNU sparse 0.0 with a negative offset',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '1'], ...segments(['-1', '3'])],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('invalid GNU.sparse.offset "-1"'),
  },
  {
    name: 'GNU sparse 0.0 with an offset past the safe integers and a huge real size',
    tar: sparse00(
      [
        ['GNU.sparse.size', '9007199254740991'],
        ['GNU.sparse.numblocks', '1'],
        ...segments(['9007199254740993', '3']),
      ],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('invalid GNU.sparse.offset "9007199254740993"'),
  },
  {
    name: 'GNU sparse 0.0 with numbytes before its offset',
    tar: sparse00(
      [
        ['GNU.sparse.size', '100'],
        ['GNU.sparse.numblocks', '1'],
        ['GNU.sparse.numbytes', '3'],
        ['GNU.sparse.offset', '0'],
      ],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('GNU.sparse.numbytes record where GNU.sparse.offset was expected'),
  },
  {
    name: 'GNU sparse 0.0 with an offset missing its numbytes',
    tar: sparse00(
      [
        ['GNU.sparse.size', '100'],
        ['GNU.sparse.numblocks', '1'],
        ...segments(['0', '3']),
        ['GNU.sparse.offset', '50'],
      ],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('offset without a length'),
  },
  {
    name: 'GNU sparse 0.0 map holding more data than the entry carries',
    tar: sparse00(
      [['GNU.sparse.size', '100'], ['GNU.sparse.numblocks', '1'], ...segments(['0', '50'])],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('the map holds 50 bytes of data, the entry 3'),
  },
  {
    name: 'GNU sparse 0.0 records beside a 0.1 map',
    tar: sparse00(
      [
        ['GNU.sparse.size', '100'],
        ['GNU.sparse.numblocks', '1'],
        ['GNU.sparse.map', '0,3'],
        ...segments(['50', '3']),
      ],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('beside another form of sparse map'),
  },
  {
    name: 'GNU sparse 0.0 records in a global PAX header',
    tar: archive(meta('g', paxRecords(segments(['0', '3']))), file('a', 'abc')),
    outcome: 'refused',
    refusal: /GNU\.sparse\.offset in a global PAX header/,
  },
  {
    name: 'GNU sparse 0.1 map whose numblocks does not match',
    tar: sparse00(
      [
        ['GNU.sparse.size', '100'],
        ['GNU.sparse.numblocks', '2'],
        ['GNU.sparse.map', '0,3'],
      ],
      'abc',
    ),
    outcome: 'refused',
    refusal: sparseRefusal('numblocks is 2 but the map has 1 segments'),
  },
  {
    name: 'xattrs on a file whose parent a later entry turns into a symlink to outside',
    tar: () =>
      archive(
        dir('a'),
        meta('x', paxRecords({ 'SCHILY.xattr.user.pwn': 'x', 'SCHILY.xattr.security.capability': 'y' })),
        file('a/sentinel', 'inside'),
        symlink('a', outsideAbs()),
      ),
    outcome: 'contained',
    check: async (root) => assert.equal((await lstat(join(root, 'a'))).isSymbolicLink(), true),
  },
  {
    name: 'xattrs on a symlink pointing at a file outside',
    tar: () =>
      archive(
        meta('x', paxRecords({ 'SCHILY.xattr.user.pwn': 'x' })),
        symlink('l', `${outsideAbs()}/sentinel`),
      ),
    outcome: 'contained',
  },
  { name: 'unknown entry type', tar: archive(header('odd', { type: 'Z' })), outcome: 'refused' },
  {
    name: 'no end-of-archive marker, garbage instead',
    tar: Buffer.concat([file('a', 'x'), Buffer.alloc(512, 0x41)]),
    outcome: 'refused',
  },
];

/** Linux's dev_t encoding (glibc makedev), as lstat reports rdev. */
function deviceNumber(major: number, minor: number): number {
  return ((major & 0xfff) << 8) | (minor & 0xff) | ((minor & ~0xff) << 12);
}

describe('hostile tar corpus', () => {
  test('has at least 20 archives', () => assert.ok(cases.length >= 20));
  test(`/${HOST} does not exist before the corpus runs`, async () =>
    assert.equal(await exists(`/${HOST}`), false));
  for (const c of cases) {
    // mknod of a device needs root (CAP_MKNOD); a fifo does not.
    const skip = c.createDevices && !isRoot ? 'creating device nodes needs root' : false;
    test(`${c.outcome}: ${c.name}`, { skip }, async () => {
      current = await setup();
      const { work, root } = current;
      if (c.lower) await extractLayer(Readable.from([c.lower]), { root });
      const before = await snapshotBase(root);
      const tar = typeof c.tar === 'function' ? c.tar() : c.tar;
      const run = extractLayer(Readable.from([tar]), { root, createDevices: c.createDevices ?? false });
      if (c.outcome === 'refused') {
        await assert.rejects(run, (e: unknown) =>
          c.refusal
            ? e instanceof ArchiveFormatError && c.refusal.test(e.message)
            : e instanceof UnsafeEntryError || e instanceof ArchiveFormatError,
        );
      } else {
        await c.check?.(root, work, await run);
      }
      await assertOutsideUntouched(work);
      assert.deepEqual(await snapshotBase(root), before, 'something changed under the base outside the root');
      assert.equal(await exists(`/${HOST}`), false, `/${HOST} appeared on the host`);
    });
  }
});
