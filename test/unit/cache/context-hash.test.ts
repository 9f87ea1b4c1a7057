import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hashSources, SourceMissing } from '../../../src/cache/context-hash.ts';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kts-ctxhash-'));
  await mkdir(join(dir, 'app', 'lib'), { recursive: true });
  await writeFile(join(dir, 'app', 'lib', 'a.js'), 'a');
  await writeFile(join(dir, 'app', 'lib', 'b.js'), 'b');
  await writeFile(join(dir, 'app', 'notes.log'), 'log');
  await writeFile(join(dir, 'other.txt'), 'other');
  await symlink('lib/a.js', join(dir, 'app', 'link'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const h = (paths: string[], extra: { ignored?: (r: string) => boolean; exclude?: string[] } = {}) =>
  hashSources({ base: dir, paths, ...extra });

describe('hashSources', () => {
  test('stable, and only the selected files count', async () => {
    const before = h(['app']);
    assert.equal(h(['app']), before);
    await writeFile(join(dir, 'other.txt'), 'changed');
    assert.equal(h(['app']), before);
    await writeFile(join(dir, 'app', 'lib', 'b.js'), 'B');
    assert.notEqual(h(['app']), before);
  });

  test('mode counts, modification time does not', async () => {
    const a = h(['app']);
    await utimes(join(dir, 'app', 'lib', 'a.js'), 1, 1);
    assert.equal(h(['app']), a);
    await chmod(join(dir, 'app', 'lib', 'a.js'), 0o700);
    assert.notEqual(h(['app']), a);
    await chmod(join(dir, 'app', 'lib', 'a.js'), 0o644);
  });

  test('.dockerignore and --exclude leave files out', async () => {
    const ignoring = (r: string) => r.endsWith('.log');
    const a = h(['app'], { ignored: ignoring });
    await writeFile(join(dir, 'app', 'notes.log'), 'more log');
    assert.equal(h(['app'], { ignored: ignoring }), a);
    const b = h(['app'], { exclude: ['*.log'] });
    await writeFile(join(dir, 'app', 'notes.log'), 'even more');
    assert.equal(h(['app'], { exclude: ['*.log'] }), b);
    assert.notEqual(h(['app']), a);
  });

  test('wildcards select by name', async () => {
    const a = h(['app/lib/a*']);
    await writeFile(join(dir, 'app', 'lib', 'b.js'), 'bb');
    assert.equal(h(['app/lib/a*']), a);
  });

  test('a symlink target change counts', async () => {
    const a = h(['app']);
    await rm(join(dir, 'app', 'link'));
    await symlink('lib/b.js', join(dir, 'app', 'link'));
    assert.notEqual(h(['app']), a);
  });

  test('a missing source throws SourceMissing', () => {
    assert.throws(() => h(['nope']), SourceMissing);
    assert.throws(() => h(['app/*.none']), SourceMissing);
  });
});
