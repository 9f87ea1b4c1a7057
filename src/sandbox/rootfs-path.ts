// Resolves a path inside a rootfs the way the kernel would after chroot: symlinks (absolute or
// relative) and `..` never lead above the rootfs. Mount targets are resolved with this before
// anything is created or mounted, so a hostile image cannot make the builder touch host files.
import { lstat, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { SandboxError } from './errors.ts';

const MAX_LINKS = 255;

export interface ResolvedPath {
  /** Components of the resolved path inside the rootfs, no symlinks among the existing ones. */
  inside: string[];
  /** How many leading components of `inside` exist; the rest are missing. */
  existing: number;
}

/** The resolved absolute path inside the rootfs, e.g. `/run/secrets/x`. */
export function insidePath(r: ResolvedPath): string {
  return `/${r.inside.join('/')}`;
}

export async function resolveInRoot(root: string, path: string): Promise<ResolvedPath> {
  if (!path.startsWith('/')) throw new SandboxError(`mount target "${path}" is not absolute`);
  const done: string[] = [];
  let todo = path.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  while (todo.length > 0) {
    const comp = todo.shift()!;
    if (comp === '..') {
      done.pop();
      continue;
    }
    const host = join(root, ...done, comp);
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(host);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      // Missing from here on: the remaining components are taken literally (after `..`).
      const rest = posix.normalize([comp, ...todo].join('/')).split('/');
      const existing = done.length;
      for (const c of rest) {
        if (c === '..') done.pop();
        else if (c !== '.' && c !== '') done.push(c);
      }
      return { inside: done, existing: Math.min(existing, done.length) };
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new SandboxError(`too many symlinks resolving "${path}" in the rootfs`);
      const target = await readlink(host);
      if (target.startsWith('/')) done.length = 0;
      todo = [...target.split('/').filter((c) => c !== '' && c !== '.'), ...todo];
      continue;
    }
    done.push(comp);
  }
  return { inside: done, existing: done.length };
}
