// Copies a directory tree keeping what an image records: types, modes, owners, times, symlinks and
// hardlinks. Used where no `cp` can be assumed (the executor image has none, and in-place mode
// replaces / with the base image, whose cp may be missing or broken).
import { constants } from 'node:fs';
import {
  chmod,
  copyFile,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  symlink,
} from 'node:fs/promises';
import { join } from 'node:path';

export interface CloneOptions {
  /** Paths relative to `src` (`/etc/hosts`) to leave out, with everything under them. */
  skip?: (path: string) => boolean;
  /** `dest` may exist: directories already there are filled in, not replaced. */
  merge?: boolean;
}

/** Copies `src` (a directory or any other entry) to `dest`, which must not exist unless merging. */
export async function cloneTree(src: string, dest: string, opts: CloneOptions = {}): Promise<void> {
  const inodes = new Map<string, string>();
  const asRoot = process.getuid?.() === 0;
  // Directory times are set last, deepest first, once nothing more is written into them.
  const dirs: Array<{ path: string; atime: Date; mtime: Date }> = [];

  const copy = async (from: string, to: string, rel: string): Promise<void> => {
    const st = await lstat(from);
    if (st.isDirectory()) {
      await mkdir(to).catch((e: NodeJS.ErrnoException) => {
        if (!(opts.merge && e.code === 'EEXIST')) throw e;
      });
      for (const name of (await readdir(from)).sort()) {
        const childRel = `${rel}/${name}`;
        if (!opts.skip?.(childRel)) await copy(join(from, name), join(to, name), childRel);
      }
      dirs.push({ path: to, atime: st.atime, mtime: st.mtime });
    } else if (st.isSymbolicLink()) {
      await symlink(await readlink(from), to);
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? inodes.get(key) : undefined;
      if (first !== undefined) {
        await link(first, to);
        return;
      }
      if (st.nlink > 1) inodes.set(key, to);
      await copyFile(from, to, constants.COPYFILE_FICLONE);
    } else {
      // Devices, fifos and sockets: not needed by what reads a copied stage (COPY --from, FROM).
      return;
    }
    if (asRoot) await lchown(to, st.uid, st.gid);
    if (!st.isSymbolicLink()) await chmod(to, st.mode & 0o7777);
    if (!st.isDirectory()) await lutimes(to, st.atime, st.mtime);
  };

  await copy(src, dest, '');
  for (const d of dirs.reverse()) await lutimes(d.path, d.atime, d.mtime);
}

/**
 * Copies a whole root filesystem, devices and extended attributes included: GNU `cp -a` where
 * there is one (it copies in the kernel and keeps everything), else `cloneTree`.
 */
export async function copyTree(src: string, dest: string): Promise<void> {
  const copied = await new Promise<boolean>((resolve, reject) => {
    // node:child_process is loaded on the first copy, not on every start.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn('cp', ['-a', '--reflink=auto', src, dest], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? resolve(false) : reject(e)));
    child.on('close', (code) =>
      code === 0 ? resolve(true) : reject(new Error(`cp failed: ${err.trim().split('\n')[0]}`)),
    );
  });
  if (!copied) await cloneTree(src, dest);
}
