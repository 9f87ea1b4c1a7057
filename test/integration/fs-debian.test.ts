// Extracting the debian fixture with kaniko-ts gives the same tree as umoci unpack, and so does a
// full snapshot of that tree written as one layer and extracted again; the index fed during
// extraction already matches the tree (the first snapshot is empty). On top of
// debian, GNU tar and umoci (not our code) add a layer holding a file with a capability and user.* xattrs.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extractLayer } from '../../src/fs/extract.ts';
import { Snapshotter } from '../../src/fs/snapshot.ts';
import { FsIndex } from '../../src/fs/stat-index.ts';
import { layerFromTree } from '../../src/layer/from-tree.ts';
import { writeLayer } from '../../src/layer/write-layer.ts';
import { run } from '../support/exec.ts';
import { ensureFixtures, fixtureLayout } from '../support/fixtures.ts';
import { readTree, type TreeEntry } from '../support/inspect.ts';

interface Descriptor {
  mediaType: string;
  digest: string;
}

const work = await mkdtemp(join(tmpdir(), 'kts-fs-debian-'));
after(() => rm(work, { recursive: true, force: true }));

async function layers(layout: string): Promise<Descriptor[]> {
  const blob = (d: string) => join(layout, 'blobs', ...d.split(':'));
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const manifest = JSON.parse(await readFile(blob(index.manifests[0]!.digest), 'utf8')) as {
    layers: Descriptor[];
  };
  return manifest.layers.map((l) => ({ ...l, digest: blob(l.digest) }));
}

/** Up to five entries of `a` that `b` lacks or holds differently (all fields compared). */
function diff(a: TreeEntry[], b: TreeEntry[]): TreeEntry[] {
  const m = new Map(b.map((e) => [e.path, JSON.stringify(e)]));
  return a.filter((e) => m.get(e.path) !== JSON.stringify(e)).slice(0, 5);
}

describe('debian fixture', () => {
  const ours = join(work, 'ours');
  const index = new FsIndex();
  let umociTree: TreeEntry[] = [];

  before(async () => {
    await ensureFixtures(['debian']);
    const layout = join(work, 'layout');
    await cp(fixtureLayout('debian'), layout, { recursive: true });
    const capdir = join(work, 'capsrc', 'opt', 'capdir');
    await mkdir(capdir, { recursive: true });
    await writeFile(join(capdir, 'ping'), 'capped\n', { mode: 0o755 });
    await run('setcap', ['cap_net_raw+ep', join(capdir, 'ping')]);
    await run('setfattr', ['-n', 'user.origin', '-v', 'kaniko-ts', join(capdir, 'ping')]);
    await run('setfattr', ['-n', 'user.note', '-v', 'a dir', capdir]);
    // GNU tar writes the attributes as SCHILY.xattr records; umoci adds the tar as a layer.
    const tar = join(work, 'caps.tar');
    await run('tar', [
      '--xattrs',
      '--xattrs-include=*',
      '--numeric-owner',
      '-cf',
      tar,
      '-C',
      join(work, 'capsrc'),
      'opt',
    ]);
    await run('umoci', ['raw', 'add-layer', '--image', `${layout}:latest`, tar]);
    await mkdir(ours);
    for (const l of await layers(layout))
      await extractLayer(createReadStream(l.digest), {
        root: ours,
        mediaType: l.mediaType,
        index,
        createDevices: true,
      });
    const bundle = join(work, 'bundle');
    const rootless = process.getuid?.() === 0 ? [] : ['--rootless'];
    await run('umoci', ['unpack', ...rootless, '--image', `${layout}:latest`, bundle]);
    umociTree = await readTree(join(bundle, 'rootfs'));
  });

  test('extraction gives the same tree as umoci unpack (types, modes, owners, links, content, xattrs)', async () => {
    const tree = await readTree(ours);
    assert.ok(tree.length > 6000, `${tree.length} entries`);
    const ping = tree.find((e) => e.path === '/opt/capdir/ping');
    assert.equal(ping?.xattrs?.['security.capability'], '0100000200200000000000000000000000000000');
    assert.equal(ping?.xattrs?.['user.origin'], Buffer.from('kaniko-ts').toString('hex'));
    assert.deepEqual(diff(tree, umociTree), []);
    assert.deepEqual(diff(umociTree, tree), []);
    assert.equal(tree.length, umociTree.length);
  });

  // Runs before the capability test below changes `ours`.
  test('a full snapshot of the extracted tree, written as a layer and extracted again, gives the same tree as umoci unpack', async () => {
    const layer = await layerFromTree(ours, { dir: join(work, 'full-blobs') });
    assert.ok(layer.entries > 6000, `${layer.entries} entries`);
    const full = join(work, 'full');
    await mkdir(full);
    const x = await extractLayer(createReadStream(layer.path), {
      root: full,
      mediaType: layer.mediaType,
      createDevices: true,
    });
    assert.deepEqual(x.skipped, []);
    const tree = await readTree(full);
    assert.deepEqual(diff(tree, umociTree), []);
    assert.deepEqual(diff(umociTree, tree), []);
    assert.equal(tree.length, umociTree.length);
  });

  test('the index fed during extraction equals a fresh walk, so the first snapshot is empty', () => {
    const fresh = new Snapshotter({ root: ours });
    fresh.init();
    assert.equal(index.size, fresh.index.size);
    const r = new Snapshotter({ root: ours, index }).takeSnapshot();
    assert.deepEqual([...r.added, ...r.modified, ...r.deleted], []);
  });

  test('a capability set by a command is snapshotted into the layer and extracted again', async () => {
    const snap = new Snapshotter({ root: ours, index });
    await writeFile(join(ours, 'usr/bin/arping-like'), 'x\n', { mode: 0o755 });
    await run('setcap', ['cap_net_admin,cap_net_raw+ep', join(ours, 'usr/bin/arping-like')]);
    // Only the attribute changes here (ctime): still a modified file with its xattr.
    await run('setfattr', ['-n', 'user.later', '-v', '1', join(ours, 'opt/capdir/ping')]);
    const r = snap.takeSnapshot();
    assert.deepEqual(r.added, ['/usr/bin/arping-like']);
    assert.deepEqual(r.modified.sort(), ['/opt/capdir/ping', '/usr/bin']);
    const layer = await writeLayer(r.entries, { root: ours, dir: join(work, 'blobs') });
    const again = join(work, 'again');
    await mkdir(again);
    const x = await extractLayer(createReadStream(layer.path), { root: again, mediaType: layer.mediaType });
    assert.deepEqual(x.skipped, []);
    const { stdout } = await run('getcap', [join(again, 'usr/bin/arping-like')]);
    assert.match(stdout, /cap_net_admin,cap_net_raw=ep/);
    const tree = await readTree(again);
    assert.deepEqual(tree.find((e) => e.path === '/opt/capdir/ping')?.xattrs, {
      'security.capability': '0100000200200000000000000000000000000000',
      'user.later': '31',
      'user.origin': Buffer.from('kaniko-ts').toString('hex'),
    });
  });
});
