// A directory tree's entries with what the content hash needs, read by one `find -printf` (a
// single process stats the whole tree far faster than a stat call per file from JavaScript);
// where GNU find is missing or fails, the same is read with readdir + lstat.
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface TreeEntry {
  name: string;
  /** f file, d directory, l symlink, p fifo, o other. */
  type: string;
  /** Permission bits in octal, special bits included. */
  mode: string;
  size: number;
  link: string;
  /** Changes whenever the bytes do (inode, size, times): the key of remembered hashes. */
  stamp: string;
  /** Most recent of modification and change time, ms. */
  changedMs: number;
}

/** Entries of every directory of the tree by directory path relative to the root ('' = root). */
export type Tree = Map<string, TreeEntry[]>;

function typeOf(st: Stats): string {
  if (st.isFile()) return 'f';
  if (st.isDirectory()) return 'd';
  if (st.isSymbolicLink()) return 'l';
  if (st.isFIFO()) return 'p';
  return 'o';
}

export function entryOf(name: string, host: string, st: Stats): TreeEntry {
  const type = typeOf(st);
  return {
    name,
    type,
    mode: (st.mode & 0o7777).toString(8),
    size: type === 'f' ? st.size : 0,
    link: type === 'l' ? readlinkSync(host) : '',
    stamp: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`,
    changedMs: Math.max(st.mtimeMs, st.ctimeMs),
  };
}

const FIELDS = 8;

/** find's listing of the tree below `root` (raw bytes), or undefined when find is not usable. */
export function findListing(root: string): Buffer | undefined {
  // node:child_process is loaded on the first listing, not on every start.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const r = spawnSync(
    'find',
    ['-H', root, '-mindepth', '1', '-printf', '%P\\0%y\\0%m\\0%s\\0%i\\0%T@\\0%C@\\0%l\\0'],
    {
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  if (r.status !== 0 || r.error || !r.stdout) return undefined;
  return r.stdout;
}

/** The tree a find listing describes. */
export function parseListing(listing: Buffer): Tree {
  const parts = listing.toString('utf8').split('\0');
  const tree: Tree = new Map([['', []]]);
  for (let i = 0; i + FIELDS <= parts.length; i += FIELDS) {
    const path = parts[i]!;
    const y = parts[i + 1]!;
    const type = y === 'f' || y === 'd' || y === 'l' || y === 'p' ? y : 'o';
    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    const mtime = Number(parts[i + 5]) * 1000;
    const ctime = Number(parts[i + 6]) * 1000;
    const entry: TreeEntry = {
      name: path.slice(slash + 1),
      type,
      mode: Number.parseInt(parts[i + 2]!, 8).toString(8),
      size: type === 'f' ? Number(parts[i + 3]) : 0,
      link: type === 'l' ? parts[i + 7]! : '',
      stamp: `${parts[i + 4]}:${parts[i + 3]}:${parts[i + 5]}:${parts[i + 6]}`,
      changedMs: Math.max(mtime, ctime),
    };
    let list = tree.get(dir);
    if (!list) {
      list = [];
      tree.set(dir, list);
    }
    list.push(entry);
    if (type === 'd' && !tree.has(path)) tree.set(path, []);
  }
  for (const list of tree.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return tree;
}

function walkTree(root: string): Tree {
  const tree: Tree = new Map();
  const visit = (rel: string) => {
    const host = rel ? join(root, rel) : root;
    const list: TreeEntry[] = [];
    tree.set(rel, list);
    for (const name of readdirSync(host).sort()) {
      const childHost = join(host, name);
      const e = entryOf(name, childHost, lstatSync(childHost));
      list.push(e);
      if (e.type === 'd') visit(rel ? `${rel}/${name}` : name);
    }
  };
  visit('');
  return tree;
}

/** The tree below `root`, through find when it works. */
export function listTree(root: string, useFind = true): Tree {
  const listing = useFind ? findListing(root) : undefined;
  return listing ? parseListing(listing) : walkTree(root);
}
