import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hashSources, SourceMissing } from '../../../src/cache/context-hash.ts';
import { HashMemo } from '../../../src/cache/hash-memo.ts';

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

  test('find and readdir + lstat list the same tree', async () => {
    await mkdir(join(dir, 'app', 'deep', 'er'), { recursive: true });
    await writeFile(join(dir, 'app', 'deep', 'er', 'x y.txt'), 'spaces');
    await writeFile(join(dir, 'app', 'deep', 'Z'), 'upper');
    await chmod(join(dir, 'app', 'deep', 'Z'), 0o4755);
    for (const paths of [['app'], ['app/deep'], ['.']])
      assert.equal(
        hashSources({ base: dir, paths, useFind: true }),
        hashSources({ base: dir, paths, useFind: false }),
      );
  });

  test('remembered tree and file hashes are used while unchanged, then computed again', async () => {
    const { readFile, writeFile: write } = await import('node:fs/promises');
    const file = join(dir, 'memo');
    const memo = await HashMemo.load(file, { recentMs: 0 });
    const plain = h(['app']);
    assert.equal(hashSources({ base: dir, paths: ['app'], memo }), plain);
    await memo.save();
    const forge = async (path: string) => {
      const text = await readFile(path, 'utf8');
      await write(
        path,
        text.replace(/=?[0-9a-f]{64}\n/g, (m) => m.replace(/[0-9a-f]{64}/, '0'.repeat(64))),
      );
    };
    // A forged tree hash is used as is: the memo is consulted, and nothing is walked.
    await forge(file);
    assert.notEqual(hashSources({ base: dir, paths: ['app'], memo: await HashMemo.load(file) }), plain);
    // Without the tree entry, the forged file hashes are used.
    await rm(file);
    await forge(`${file}.files`);
    assert.notEqual(hashSources({ base: dir, paths: ['app'], memo: await HashMemo.load(file) }), plain);
    // A changed file has a new stamp: its forged hash is no longer used.
    await writeFile(join(dir, 'app', 'lib', 'a.js'), 'A changed');
    const reloaded = await HashMemo.load(file);
    assert.equal(hashSources({ base: dir, paths: ['app/lib/a.js'], memo: reloaded }), h(['app/lib/a.js']));
  });

  test('a missing source throws SourceMissing', () => {
    assert.throws(() => h(['nope']), SourceMissing);
    assert.throws(() => h(['app/*.none']), SourceMissing);
  });
});
