// BaseTrees: stages on the same base get one extraction; each but the last gets a copy, the last
// the extracted directory itself; a stage on other layers, or alone on its base, extracts itself.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BaseTrees } from '../../../src/build/base-trees.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-base-trees-'));
after(() => rm(work, { recursive: true, force: true }));

let n = 0;
async function fresh(): Promise<string> {
  const d = join(work, `t${n++}`);
  await mkdir(d);
  return d;
}

/** An extractor that writes a small tree and counts its calls. */
function counting() {
  const calls: string[] = [];
  const extract = async (dir: string) => {
    calls.push(dir);
    await mkdir(join(dir, 'etc'), { recursive: true });
    await writeFile(join(dir, 'etc', 'os-release'), 'ID=test\n', { mode: 0o640 });
    await symlink('etc/os-release', join(dir, 'link'));
    return new Set(['/dev/null']);
  };
  return { calls, extract };
}

test('three stages on one base: one extraction, two copies and the original moved', async () => {
  const root = await fresh();
  const trees = new BaseTrees(root);
  for (let i = 0; i < 3; i++) trees.expect('debian');
  const { calls, extract } = counting();
  const into = [join(root, 'a'), join(root, 'b'), join(root, 'c')];
  // The stages' own directories may already exist (made empty for them).
  await mkdir(into[0]!);
  const got = await Promise.all(into.map((d) => trees.take('debian', ['sha256:1', 'sha256:2'], d, extract)));
  assert.equal(calls.length, 1);
  for (const [i, d] of into.entries()) {
    assert.deepEqual(got[i], new Set(['/dev/null']));
    assert.equal(await readFile(join(d, 'etc', 'os-release'), 'utf8'), 'ID=test\n');
    assert.equal((await lstat(join(d, 'etc', 'os-release'))).mode & 0o777, 0o640);
    assert.ok((await lstat(join(d, 'link'))).isSymbolicLink());
  }
  // The extracted directory was moved to the last stage: nothing else is left in the root.
  assert.deepEqual((await readdir(root)).sort(), ['a', 'b', 'c']);
  assert.ok(!existsSync(calls[0]!));
});

test('a base used by one stage only is left to that stage', async () => {
  const root = await fresh();
  const trees = new BaseTrees(root);
  trees.expect('alpine');
  const { calls, extract } = counting();
  assert.equal(await trees.take('alpine', ['sha256:1'], join(root, 'a'), extract), undefined);
  assert.equal(await trees.take('unknown', ['sha256:1'], join(root, 'b'), extract), undefined);
  assert.equal(calls.length, 0);
});

test('a stage wanting other layers of the same base (cached steps on top) extracts its own', async () => {
  const root = await fresh();
  const trees = new BaseTrees(root);
  trees.expect('debian');
  trees.expect('debian');
  const { calls, extract } = counting();
  const first = trees.take('debian', ['sha256:1'], join(root, 'a'), extract);
  assert.equal(
    await trees.take('debian', ['sha256:1', 'sha256:cached'], join(root, 'b'), extract),
    undefined,
  );
  await first;
  assert.equal(calls.length, 1);
  assert.ok(existsSync(join(root, 'a', 'etc', 'os-release')));
});

test('a failed extraction fails every stage waiting for it', async () => {
  const root = await fresh();
  const trees = new BaseTrees(root);
  trees.expect('debian');
  trees.expect('debian');
  const extract = async () => {
    throw new Error('layer sha256:1: unexpected end of archive');
  };
  const results = await Promise.allSettled([
    trees.take('debian', ['sha256:1'], join(root, 'a'), extract),
    trees.take('debian', ['sha256:1'], join(root, 'b'), extract),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
});
