import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

test('runs on Node 24', () => {
  assert.equal(process.versions.node.split('.')[0], '24');
});

test('kaniko-ts --version prints the package version', () => {
  const r = spawnSync(process.execPath, ['bin/kaniko-ts.js', '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^kaniko-ts ${pkg.version.replaceAll('.', '\\.')} \\(node v24\\.`));
});
