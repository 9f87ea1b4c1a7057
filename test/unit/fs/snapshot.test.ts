import assert from 'node:assert/strict';
import { chmod, link, mkdir, mkdtemp, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, beforeEach, describe, test } from 'node:test';
import { extractLayer } from '../../../src/fs/extract.ts';
import { IgnoreList } from '../../../src/fs/ignore.ts';
import { Snapshotter } from '../../../src/fs/snapshot.ts';
import { FsIndex } from '../../../src/fs/stat-index.ts';
import { archive, dir, file, hardlink, symlink as tarSymlink } from './craft-tar.ts';

const base = await mkdtemp(join(tmpdir(), 'kts-snap-'));
after(() => rm(base, { recursive: true, force: true }));

let root = '';
let n = 0;
beforeEach(async () => {
  root = join(base, `r${n++}`);
  await mkdir(join(root, 'etc/app'), { recursive: true });
  await mkdir(join(root, 'var/lib/db'), { recursive: true });
  await writeFile(join(root, 'etc/app/conf'), 'a=1\n');
  await writeFile(join(root, 'var/lib/db/data'), 'rows');
  await writeFile(join(root, 'var/lib/db/log'), 'log');
  await symlink('app/conf', join(root, 'etc/conf'));
  // Old timestamps, so nothing is "racy" unless a test makes it so.
  for (const p of [
    'etc/app/conf',
    'var/lib/db/data',
    'var/lib/db/log',
    'etc/app',
    'etc',
    'var/lib/db',
    'var/lib',
    'var',
  ])
    await utimes(join(root, p), 1_500_000_000, 1_500_000_000);
});

function snap(ignore?: IgnoreList): Snapshotter {
  const s = new Snapshotter({ root, ignore });
  s.init();
  return s;
}

const paths = (entries: Array<{ path: string; type: string }>) =>
  entries.map((e) => `${e.type} ${e.path}`).sort();

describe('Snapshotter', () => {
  test('no change, no entries', () => {
    const s = snap();
    const r = s.takeSnapshot();
    assert.deepEqual(r.entries, []);
  });

  test('added, modified, metadata-only and deleted paths in one walk', async () => {
    const s = snap();
    await writeFile(join(root, 'etc/app/new'), 'n');
    await writeFile(join(root, 'etc/app/conf'), 'a=2\n'); // same size, new mtime
    await chmod(join(root, 'var/lib/db/data'), 0o600);
    await unlink(join(root, 'var/lib/db/log'));
    const r = s.takeSnapshot();
    assert.deepEqual(r.added, ['/etc/app/new']);
    assert.deepEqual(r.modified.sort(), ['/etc/app', '/etc/app/conf', '/var/lib/db', '/var/lib/db/data']);
    assert.deepEqual(r.deleted, ['/var/lib/db/log']);
    assert.deepEqual(paths(r.entries), [
      'dir /etc/app',
      'dir /var/lib/db',
      'file /etc/app/conf',
      'file /etc/app/new',
      'file /var/lib/db/data',
      'whiteout /var/lib/db/log',
    ]);
    assert.deepEqual(s.takeSnapshot().entries, [], 'the index follows the new state');
  });

  test('a deleted directory is one whiteout; a directory replaced by a file hides its children', async () => {
    const s = snap();
    await rm(join(root, 'var/lib/db'), { recursive: true });
    await rm(join(root, 'etc/app'), { recursive: true });
    await writeFile(join(root, 'etc/app'), 'now a file');
    const r = s.takeSnapshot();
    assert.deepEqual(r.deleted, ['/var/lib/db']);
    assert.ok(paths(r.entries).includes('file /etc/app'));
    assert.ok(!paths(r.entries).some((p) => p.includes('/etc/app/')));
  });

  test('a new hardlink makes both paths entries, the second as a hardlink', async () => {
    const s = snap();
    await link(join(root, 'var/lib/db/data'), join(root, 'var/lib/db/data2'));
    const r = s.takeSnapshot();
    const data = r.entries.find((e) => e.path === '/var/lib/db/data');
    const data2 = r.entries.find((e) => e.path === '/var/lib/db/data2');
    assert.equal(data?.type, 'file');
    assert.equal(data2?.type, 'hardlink');
    assert.equal(data2?.linkname, '/var/lib/db/data');
  });

  test('ignored paths are neither walked nor whited out, even when ignored after indexing', async () => {
    const ignore = new IgnoreList(['/etc/app']);
    const s = snap(ignore);
    await writeFile(join(root, 'etc/app/other'), 'x');
    ignore.add('/var/lib/db'); // e.g. a cache mount target for the next RUN
    await rm(join(root, 'var/lib/db'), { recursive: true });
    await mkdir(join(root, 'var/lib/db'));
    const r = s.takeSnapshot();
    assert.ok(!r.entries.some((e) => e.path.startsWith('/etc/app') || e.path.startsWith('/var/lib/db')));
    assert.deepEqual(r.deleted, []);
  });

  test('a file indexed right after its write is hashed, and unchanged content is not reported', async () => {
    await writeFile(join(root, 'etc/app/fresh'), 'fresh');
    const s = snap();
    assert.ok(s.index.get('/etc/app/fresh')?.hash, 'racy file hashed');
    assert.equal(s.index.get('/etc/app/conf')?.hash, undefined, 'old file not hashed');
    assert.deepEqual(s.takeSnapshot().entries, []);
  });

  test('addPaths records COPY results without a walk, and the next snapshot does not repeat them', async () => {
    const s = snap();
    await mkdir(join(root, 'srv'));
    await writeFile(join(root, 'srv/index.html'), '<html>');
    const r = s.addPaths(['/srv', '/srv/index.html']);
    assert.deepEqual(paths(r.entries), ['dir /srv', 'file /srv/index.html']);
    assert.deepEqual(s.takeSnapshot().entries, []);
  });

  test('an index fed by extraction needs no walk: the first snapshot after two layers is empty', async () => {
    const r = join(base, `x${n++}`);
    await mkdir(r);
    const index = new FsIndex();
    const lower = archive(
      dir('usr/'),
      dir('usr/lib/'),
      file('usr/lib/a', 'a'),
      file('usr/lib/b', 'b'),
      tarSymlink('lib', 'usr/lib'),
      dir('opt/'),
      file('opt/x', 'x'),
    );
    const upper = archive(
      file('lib/c', 'c'),
      hardlink('usr/lib/a2', 'usr/lib/a'),
      file('usr/lib/.wh.b', ''),
      dir('opt/'),
      file('opt/.wh..wh..opq', ''),
      file('opt/y', 'y'),
    );
    await extractLayer(Readable.from([lower]), { root: r, index });
    await extractLayer(Readable.from([upper]), { root: r, index });
    const s = new Snapshotter({ root: r, index });
    const fresh = new Snapshotter({ root: r });
    fresh.init();
    assert.deepEqual([...index.entries.keys()].sort(), [...fresh.index.entries.keys()].sort());
    assert.deepEqual(s.takeSnapshot().entries, []);
  });
});
