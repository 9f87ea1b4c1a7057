// The runner executes the committed dist/ (action.yml: dist/index.js, dist/post.js), not the
// sources: a rebuild must give exactly the committed files, else dist/ is stale.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { ROOT } from './support/schemas.ts';

const DIST = join(ROOT, 'dist');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function buildAction(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', 'build-action.ts'), '--out', out],
      { cwd: ROOT },
      (err, _stdout, stderr) => (err ? reject(new Error(`build-action failed: ${stderr}`)) : resolve()),
    );
  });
}

test('the committed dist/ is what npm run build:action builds from these sources', async () => {
  const out = await mkdtemp(join(tmpdir(), 'kaniko-ts-dist-'));
  try {
    await buildAction(out);
    const built = await filesUnder(out);
    const committed = await filesUnder(DIST);
    const stale =
      'dist/ is stale: commit the sources, then run `npm run build:action -- --committed` and commit dist/';
    assert.deepEqual(committed, built, `${stale} (files differ)`);
    const differing: string[] = [];
    for (const f of built) {
      const [a, b] = await Promise.all([readFile(join(out, f)), readFile(join(DIST, f))]);
      if (!a.equals(b)) differing.push(f);
    }
    assert.deepEqual(differing, [], `${stale} (contents differ)`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test('action.yml runs the bundled steps, which exist in dist/', async () => {
  const action = load(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; main: string; post: string };
  };
  assert.equal(action.runs.using, 'node24');
  const files = await filesUnder(DIST);
  assert.ok(files.includes(action.runs.main.replace(/^dist\//, '')), action.runs.main);
  assert.ok(files.includes(action.runs.post.replace(/^dist\//, '')), action.runs.post);
  assert.ok(files.includes('executor/kaniko-ts.js'), 'the executor is bundled');
});
