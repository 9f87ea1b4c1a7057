import assert from 'node:assert/strict';
import {
  chmod,
  lchown,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cloneTree } from '../../../src/fs/clone-tree.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-clone-'));
after(() => rm(work, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;

describe('cloneTree', () => {
  test('keeps modes, owners, times, symlinks and hardlinks', async () => {
    const src = join(work, 'src');
    await mkdir(join(src, 'bin'), { recursive: true });
    await writeFile(join(src, 'bin/tool'), 'x');
    await chmod(join(src, 'bin/tool'), 0o4755);
    await link(join(src, 'bin/tool'), join(src, 'bin/alias'));
    await symlink('bin/tool', join(src, 'link'));
    if (asRoot) await lchown(join(src, 'bin/tool'), 1234, 5678);
    if (asRoot) await chmod(join(src, 'bin/tool'), 0o4755);
    await utimes(join(src, 'bin'), 1_600_000_000, 1_600_000_000);
    const dest = join(work, 'dest');
    await cloneTree(src, dest);
    const tool = await lstat(join(dest, 'bin/tool'));
    assert.equal(tool.mode & 0o7777, 0o4755);
    if (asRoot) assert.deepEqual([tool.uid, tool.gid], [1234, 5678]);
    assert.equal((await lstat(join(dest, 'bin/alias'))).ino, tool.ino, 'hardlink kept');
    assert.equal(await readlink(join(dest, 'link')), 'bin/tool');
    assert.equal(Math.floor((await lstat(join(dest, 'bin'))).mtimeMs / 1000), 1_600_000_000);
  });

  test('merges into an existing tree and leaves skipped paths alone', async () => {
    const src = join(work, 'm-src');
    const dest = join(work, 'm-dest');
    await mkdir(join(src, 'etc'), { recursive: true });
    await writeFile(join(src, 'etc/passwd'), 'root');
    await writeFile(join(src, 'etc/hosts'), 'from the image');
    await mkdir(join(dest, 'etc'), { recursive: true });
    await writeFile(join(dest, 'etc/hosts'), 'the runtime’s');
    await cloneTree(src, dest, { merge: true, skip: (p) => p === '/etc/hosts' });
    assert.equal((await lstat(join(dest, 'etc/passwd'))).size, 4);
    assert.equal(await readFile(join(dest, 'etc/hosts'), 'utf8'), 'the runtime’s');
    await assert.rejects(cloneTree(src, dest), /EEXIST/);
  });
});
