// Finds what changed under a root since the last snapshot in one walk: stat fields decide
// (size, mtime/ctime in ns, mode, owner, inode, link count, link target); content is hashed only
// for files touched too recently for their timestamps to be trusted. Produces layer entries:
// added and changed paths, whiteouts for deleted ones, hardlinks kept as hardlinks.
import { type BigIntStats, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerEntry } from '../layer/entry.ts';
import { IgnoreList } from './ignore.ts';
import { FsIndex, hashFile, type IndexEntry } from './stat-index.ts';
import { readXattrs } from './xattr.ts';

export interface SnapshotterOptions {
  /** The rootfs directory (`/` in in-place mode). */
  root: string;
  /** Paths never walked nor recorded; mount targets can be added later with `ignore.add`. */
  ignore?: IgnoreList;
  /** Index fed by extraction; without it, call `init()` once to walk the base. */
  index?: FsIndex;
}

export interface SnapshotResult {
  /** Entries for the layer (unsorted; the layer writer sorts and adds parents). */
  entries: LayerEntry[];
  added: string[];
  /** Content or metadata changed. */
  modified: string[];
  /** Deleted paths that got a whiteout (a deleted directory's children are not listed). */
  deleted: string[];
}

interface Observed {
  path: string;
  host: string;
  entry: IndexEntry;
}

function devMajor(rdev: number): number {
  return ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

function devMinor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >> 12) & ~0xff);
}

export class Snapshotter {
  readonly root: string;
  readonly ignore: IgnoreList;
  readonly index: FsIndex;

  constructor(opts: SnapshotterOptions) {
    this.root = opts.root;
    this.ignore = opts.ignore ?? new IgnoreList();
    this.index = opts.index ?? new FsIndex();
  }

  #host(path: string): string {
    return join(this.root, path);
  }

  /** Records the whole tree as the baseline (only needed when extraction did not feed the index). */
  init(): void {
    const gen = ++this.index.generation;
    this.#walk((path, host, st) => {
      this.index.recordStat(path, host, st);
      this.index.get(path)!.seen = gen;
    });
  }

  /** One walk: everything that differs from the index becomes an entry; the index is updated. */
  takeSnapshot(): SnapshotResult {
    const gen = ++this.index.generation;
    const changed: Observed[] = [];
    const added: string[] = [];
    const modified: string[] = [];
    this.#walk((path, host, st) => {
      const prev = this.index.get(path);
      if (prev && !this.#differs(prev, st, host)) {
        prev.seen = gen;
        return;
      }
      const entry = this.index.recordStat(path, host, st);
      (prev ? modified : added).push(path);
      changed.push({ path, host, entry });
    });
    const deleted: string[] = [];
    for (const [path, e] of this.index.entries) {
      if (e.seen === gen || path === '/' || this.ignore.has(path)) continue;
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      const p = parent === '/' ? undefined : this.index.get(parent);
      if (parent === '/' || (p?.seen === gen && p.kind === 'dir')) deleted.push(path);
    }
    for (const path of deleted) this.index.deleteTree(path);
    // Entries not seen and not whited out are children of deleted or replaced directories.
    for (const [path, e] of this.index.entries)
      if (e.seen !== gen && !this.ignore.has(path)) this.index.entries.delete(path);
    const entries = this.#entries(changed);
    // RUN may have set attributes (setcap); COPY (addPaths) never copies any, so only here.
    const attrs = readXattrs(
      entries.flatMap((e) => (e.type === 'file' || e.type === 'dir' ? [this.#host(e.path)] : [])),
    );
    if (attrs.size > 0)
      for (const e of entries) {
        const x = attrs.get(this.#host(e.path));
        if (x) e.xattrs = x;
      }
    for (const path of deleted) entries.push({ path, type: 'whiteout' });
    return { entries, added, modified, deleted };
  }

  /**
   * Records paths a COPY/ADD wrote (image paths, as returned by copyInto) without walking the
   * tree, and returns their entries. Parents' index records are refreshed silently.
   */
  addPaths(paths: Iterable<string>): SnapshotResult {
    const gen = this.index.generation;
    const changed: Observed[] = [];
    const added: string[] = [];
    const modified: string[] = [];
    const parents = new Set<string>();
    for (const path of new Set(paths)) {
      if (this.ignore.has(path)) continue;
      const host = this.#host(path);
      let st: BigIntStats;
      try {
        st = lstatSync(host, { bigint: true });
      } catch {
        continue;
      }
      const prev = this.index.get(path);
      const entry = this.index.recordStat(path, host, st);
      entry.seen = gen;
      (prev ? modified : added).push(path);
      changed.push({ path, host, entry });
      for (let p = path.slice(0, path.lastIndexOf('/')); p; p = p.slice(0, p.lastIndexOf('/')))
        parents.add(p);
    }
    for (const p of parents) {
      const prev = this.index.get(p);
      if (prev) {
        this.index.record(p, this.#host(p));
        const now = this.index.get(p);
        if (now) now.seen = prev.seen;
      }
    }
    return { entries: this.#entries(changed), added, modified, deleted: [] };
  }

  #differs(prev: IndexEntry, st: BigIntStats, host: string): boolean {
    if (
      prev.ino !== st.ino ||
      prev.mtimeNs !== st.mtimeNs ||
      prev.ctimeNs !== st.ctimeNs ||
      prev.size !== Number(st.size) ||
      prev.mode !== Number(st.mode & 0o7777n) ||
      prev.uid !== Number(st.uid) ||
      prev.gid !== Number(st.gid) ||
      prev.nlink !== Number(st.nlink)
    )
      return true;
    // Stat fields agree; only a file indexed within the clock tick of its last write is in doubt.
    if (prev.hash !== undefined) return hashFile(host) !== prev.hash;
    return false;
  }

  #walk(visit: (path: string, host: string, st: BigIntStats) => void): void {
    const stack: Array<[string, string]> = [['', this.root]];
    while (stack.length > 0) {
      const [dir, dirHost] = stack.pop()!;
      let names: string[];
      try {
        names = readdirSync(dirHost);
      } catch {
        continue; // removed while walking, or unreadable
      }
      for (const name of names) {
        const path = `${dir}/${name}`;
        if (this.ignore.isIgnoredExactly(path)) continue;
        const host = `${dirHost === '/' ? '' : dirHost}/${name}`;
        let st: BigIntStats;
        try {
          st = lstatSync(host, { bigint: true });
        } catch {
          continue;
        }
        visit(path, host, st);
        if (st.isDirectory()) stack.push([path, host]);
      }
    }
  }

  /** Observed paths → layer entries; paths sharing an inode become one file plus hardlinks. */
  #entries(changed: Observed[]): LayerEntry[] {
    const firstOfInode = new Map<bigint, string>();
    const sorted = [...changed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const out: LayerEntry[] = [];
    for (const { path, host, entry: e } of sorted) {
      const base = { path, mode: e.mode, uid: e.uid, gid: e.gid, mtime: Number(e.mtimeNs / 1_000_000_000n) };
      switch (e.kind) {
        case 'file': {
          const first = e.nlink > 1 ? firstOfInode.get(e.ino) : undefined;
          if (first !== undefined) out.push({ ...base, type: 'hardlink', linkname: first });
          else {
            if (e.nlink > 1) firstOfInode.set(e.ino, path);
            out.push({ ...base, type: 'file', source: host });
          }
          break;
        }
        case 'dir':
          out.push({ ...base, type: 'dir' });
          break;
        case 'symlink':
          out.push({ ...base, type: 'symlink', linkname: e.link ?? '' });
          break;
        case 'char':
        case 'block':
          out.push({ ...base, type: e.kind, devmajor: devMajor(e.rdev), devminor: devMinor(e.rdev) });
          break;
        case 'fifo':
          out.push({ ...base, type: 'fifo' });
          break;
        case 'socket':
          break; // sockets cannot be archived
      }
    }
    return out;
  }
}
