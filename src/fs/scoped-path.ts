// Resolves image paths inside a root as if the root were `/`: symlinks in parent directories are
// followed but can never leave the root (absolute targets restart at the root, `..` stops at
// it), the way a chroot would see them. Used by extraction and COPY so that no write goes
// through a symlink to outside.
import { lstatSync, mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UnsafeEntryError } from './errors.ts';

const MAX_SYMLINKS = 40;

function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

export interface ResolveOptions {
  /** Create missing directories (mode 0755) while resolving; reported through `onCreate`. */
  create?: boolean;
  onCreate?: (imagePath: string, hostPath: string) => void;
}

export class ScopedRoot {
  readonly root: string;
  /** Unresolved directory image path → resolved image path (both existing directories). */
  readonly #dirs = new Map<string, string>();

  constructor(root: string) {
    this.root = root;
  }

  host(imagePath: string): string {
    return imagePath === '/' ? this.root : join(this.root, imagePath);
  }

  /**
   * Resolves a directory path, following every symlink inside the root. Returns the resolved
   * image path, or undefined when a component is missing (and `create` is off).
   */
  resolveDir(imagePath: string, opts: ResolveOptions = {}): string | undefined {
    if (imagePath === '/') return '/';
    const cached = this.#dirs.get(imagePath);
    if (cached !== undefined) return cached;
    const resolved = this.#resolve(imagePath, opts, false);
    if (resolved !== undefined) this.#dirs.set(imagePath, resolved);
    return resolved;
  }

  /**
   * Follows every symlink, the last component included, and returns the resolved image path,
   * which may be a file or missing; undefined when a parent directory is missing.
   */
  resolveAll(imagePath: string): string | undefined {
    return this.#resolve(imagePath, {}, true);
  }

  #resolve(imagePath: string, opts: ResolveOptions, anyFinal: boolean): string | undefined {
    const todo = components(imagePath);
    const done: string[] = [];
    let hops = 0;
    while (todo.length > 0) {
      const c = todo.shift()!;
      if (c === '..') {
        done.pop();
        continue;
      }
      const last = todo.length === 0;
      const image = `/${[...done, c].join('/')}`;
      const host = join(this.root, image);
      let st: import('node:fs').Stats | undefined;
      try {
        st = lstatSync(host);
      } catch {
        st = undefined;
      }
      if (!st) {
        if (anyFinal && last) return image;
        if (!opts.create) return undefined;
        mkdirSync(host, { mode: 0o755 });
        opts.onCreate?.(image, host);
        done.push(c);
        continue;
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINKS) throw new UnsafeEntryError(imagePath, 'too many levels of symbolic links');
        const target = readlinkSync(host);
        if (target.startsWith('/')) done.length = 0;
        todo.unshift(...components(target));
        continue;
      }
      if (!st.isDirectory()) {
        if (anyFinal && last) return image;
        throw new UnsafeEntryError(imagePath, `${image} is not a directory`);
      }
      done.push(c);
    }
    return `/${done.join('/')}`;
  }

  /**
   * Host path for `imagePath` with its parent resolved in the root; the last component is never
   * followed. Returns undefined when the parent is missing and `create` is off.
   */
  resolveParent(imagePath: string, opts: ResolveOptions = {}): { image: string; host: string } | undefined {
    const i = imagePath.lastIndexOf('/');
    const base = imagePath.slice(i + 1);
    const dir = this.resolveDir(i <= 0 ? '/' : imagePath.slice(0, i), opts);
    if (dir === undefined) return undefined;
    const image = dir === '/' ? `/${base}` : `${dir}/${base}`;
    return { image, host: join(this.root, image) };
  }

  /** Forgets cached resolutions that went through `imagePath` (it was replaced or removed). */
  invalidate(imagePath: string): void {
    const prefix = `${imagePath}/`;
    for (const [k, v] of this.#dirs) {
      if (k === imagePath || k.startsWith(prefix) || v === imagePath || v.startsWith(prefix))
        this.#dirs.delete(k);
    }
  }
}
