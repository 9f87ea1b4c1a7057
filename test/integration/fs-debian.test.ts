// Extracting the debian fixture with kaniko-ts gives the same tree as umoci unpack, and the
// index fed during extraction already matches the tree (the first snapshot is empty).
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { extractLayer } from '../../src/fs/extract.ts';
import { Snapshotter } from '../../src/fs/snapshot.ts';
import { FsIndex } from '../../src/fs/stat-index.ts';
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

describe('debian fixture', () => {
  const ours = join(work, 'ours');
  const index = new FsIndex();
  let umociTree: TreeEntry[] = [];

  before(async () => {
    await ensureFixtures(['debian']);
    const layout = fixtureLayout('debian');
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

  test('extraction gives the same tree as umoci unpack (types, modes, owners, links, content)', async () => {
    const tree = await readTree(ours);
    assert.ok(tree.length > 6000, `${tree.length} entries`);
    const diff = (a: TreeEntry[], b: TreeEntry[]) => {
      const m = new Map(b.map((e) => [e.path, JSON.stringify(e)]));
      return a.filter((e) => m.get(e.path) !== JSON.stringify(e)).slice(0, 5);
    };
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
});
