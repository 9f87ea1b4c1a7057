// The content hash of exactly what a COPY/ADD selects from a directory (the build context or a
// stage's root): each source as Docker expands it (wildcards, .dockerignore, --exclude), every
// entry's path, type, permission bits, size, link target and file bytes, in one sorted walk.
// Modification times and owners are left out, as BuildKit does (COPY sets the owner itself).
import { createHash, type Hash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync, type Stats, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { goMatch, hasWildcard } from '../fs/match.ts';
import type { HashMemo } from './hash-memo.ts';
import { entryOf, findListing, listTree, parseListing, type Tree, type TreeEntry } from './tree-list.ts';

export interface SelectedSources {
  /** Directory the sources are relative to. */
  base: string;
  /** Paths or Go wildcard patterns, as written. */
  paths: readonly string[];
  /** .dockerignore predicate on '/'-separated paths relative to `base`. */
  ignored?: (rel: string) => boolean;
  /** --exclude patterns, relative to each source. */
  exclude?: readonly string[];
  /** Remembered file hashes (a local cache directory keeps them between builds). */
  memo?: HashMemo;
  /** List trees with find (default); false reads them with readdir + lstat. */
  useFind?: boolean;
  /** Identifies what `ignored` decides (the .dockerignore patterns), for remembered tree hashes. */
  ignoreId?: string;
}

/** A source that does not exist: the step itself reports it; the key is not computable. */
export class SourceMissing extends Error {}

function lstatOr(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function excluded(patterns: readonly string[], rel: string): boolean {
  if (patterns.length === 0 || rel === '') return false;
  const parts = rel.split('/');
  for (const raw of patterns) {
    const p = posix.normalize(raw).replace(/^\/+|\/+$/g, '');
    for (let i = 1; i <= parts.length; i++) if (goMatch(p, parts.slice(0, i).join('/'))) return true;
  }
  return false;
}

/** One source pattern → matching paths relative to base ('' is base itself), sorted. */
function expand(base: string, given: string, ignored: SelectedSources['ignored']): string[] {
  const rel = (posix.normalize(`/${given}`).replace(/\/+$/, '') || '/').slice(1);
  if (!hasWildcard(rel)) {
    if (!lstatOr(join(base, rel)) || (rel !== '' && ignored?.(rel))) throw new SourceMissing(given);
    return [rel];
  }
  let current = [''];
  for (const part of rel.split('/')) {
    const next: string[] = [];
    for (const dir of current) {
      if (!hasWildcard(part)) {
        const candidate = dir ? `${dir}/${part}` : part;
        if (lstatOr(join(base, candidate))) next.push(candidate);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(join(base, dir)).sort();
      } catch {
        continue;
      }
      for (const name of names) if (goMatch(part, name)) next.push(dir ? `${dir}/${name}` : name);
    }
    current = next;
  }
  const matches = current.filter((r) => !ignored?.(r));
  if (matches.length === 0) throw new SourceMissing(given);
  return matches;
}

const buf = Buffer.allocUnsafe(1 << 16);

function hashFile(path: string): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

function record(h: Hash, host: string, rel: string, e: TreeEntry, memo: HashMemo | undefined): number {
  let content = '';
  if (e.type === 'f') {
    const known = memo?.lookup(host, e.stamp);
    content = known ?? hashFile(host);
    if (!known) memo?.remember(host, e.stamp, e.changedMs, content);
  }
  h.update(`${rel}\0${e.type}\0${e.mode}\0${e.size}\0${e.link}\0${content}\n`);
  return e.changedMs;
}

/**
 * Hashes the entries of `tree` below directory `rel` (relative to the source root); returns the
 * newest change time seen.
 */
function walk(h: Hash, tree: Tree, root: string, rel: string, srcRel: string, opts: SelectedSources): number {
  const exclude = opts.exclude ?? [];
  let newest = 0;
  for (const e of tree.get(rel) ?? []) {
    const inSource = rel ? `${rel}/${e.name}` : e.name;
    if (exclude.length > 0 && excluded(exclude, inSource)) continue;
    const fromBase = srcRel ? `${srcRel}/${inSource}` : inSource;
    // An ignored directory may still hold re-included files (`!` patterns): walk it regardless.
    if (!opts.ignored?.(fromBase))
      newest = Math.max(newest, record(h, `${root}/${inSource}`, inSource, e, opts.memo));
    if (e.type === 'd') newest = Math.max(newest, walk(h, tree, root, inSource, srcRel, opts));
  }
  return newest;
}

/**
 * The hash of the directory tree of one source. With a memo and find, an unchanged listing (every
 * entry's name, type, mode, size, inode and times) gives the remembered hash without a walk.
 */
function treeHash(host: string, srcRel: string, opts: SelectedSources): string {
  const listing = (opts.useFind ?? true) ? findListing(host) : undefined;
  const memo = opts.memo;
  const key =
    listing && memo
      ? createHash('sha256')
          .update(
            `${host}\0${srcRel}\0${JSON.stringify(opts.exclude ?? [])}\0${opts.ignored ? (opts.ignoreId ?? '?') : ''}\0`,
          )
          .update(listing)
          .digest('hex')
      : undefined;
  // A predicate without an id can not be told apart from another: nothing is remembered then.
  const rememberable = key !== undefined && (!opts.ignored || opts.ignoreId !== undefined);
  const known = rememberable ? memo?.tree(key) : undefined;
  if (known) return known;
  const tree = listing ? parseListing(listing) : listTree(host, false);
  const sub = createHash('sha256');
  const newest = walk(sub, tree, host.replace(/\/+$/, ''), '', srcRel, opts);
  const hash = sub.digest('hex');
  if (rememberable) memo?.rememberTree(key, newest, hash);
  return hash;
}

/**
 * sha256 (hex) of the selected sources. Throws SourceMissing when a source does not exist (the
 * COPY itself will fail with the proper error).
 */
export function hashSources(opts: SelectedSources): string {
  const h = createHash('sha256');
  for (const given of opts.paths) {
    h.update(`source\0${given}\n`);
    for (const rel of expand(opts.base, given, opts.ignored)) {
      const host = join(opts.base, rel);
      // The source itself is followed when it is a symlink (Docker copies what it points to).
      let st: Stats;
      try {
        st = statSync(host);
      } catch {
        st = lstatSync(host);
      }
      h.update(`match\0${rel}\n`);
      const top = entryOf('', host, st);
      // A single file is read, not looked up: loading remembered file hashes costs more.
      record(h, host, '', top, undefined);
      if (top.type === 'd') h.update(`tree\0${treeHash(host, rel, opts)}\n`);
    }
  }
  return h.digest('hex');
}
