// The content hash of exactly what a COPY/ADD selects from a directory (the build context or a
// stage's root): each source as Docker expands it (wildcards, .dockerignore, --exclude), every
// entry's path, type, permission bits, size, link target and file bytes, in one sorted walk.
// Modification times and owners are left out, as BuildKit does (COPY sets the owner itself).
import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import { goMatch, hasWildcard } from '../fs/match.ts';

export interface SelectedSources {
  /** Directory the sources are relative to. */
  base: string;
  /** Paths or Go wildcard patterns, as written. */
  paths: readonly string[];
  /** .dockerignore predicate on '/'-separated paths relative to `base`. */
  ignored?: (rel: string) => boolean;
  /** --exclude patterns, relative to each source. */
  exclude?: readonly string[];
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

function hashFile(h: Hash, path: string): void {
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
}

function typeOf(st: Stats): string {
  if (st.isFile()) return 'f';
  if (st.isDirectory()) return 'd';
  if (st.isSymbolicLink()) return 'l';
  if (st.isFIFO()) return 'p';
  return 'o';
}

function record(h: Hash, host: string, rel: string, st: Stats): void {
  const type = typeOf(st);
  const link = type === 'l' ? readlinkSync(host) : '';
  h.update(`${rel}\0${type}\0${(st.mode & 0o7777).toString(8)}\0${type === 'f' ? st.size : 0}\0${link}\n`);
  if (type === 'f') hashFile(h, host);
}

/** Hashes a directory tree below `root`, entries named relative to the source. */
function walk(h: Hash, host: string, rel: string, srcRel: string, opts: SelectedSources): void {
  const exclude = opts.exclude ?? [];
  for (const name of readdirSync(host).sort()) {
    const childHost = join(host, name);
    const childRel = rel ? `${rel}/${name}` : name;
    const inSource = srcRel ? childRel.slice(srcRel.length + 1) : childRel;
    if (excluded(exclude, inSource)) continue;
    const st = lstatSync(childHost);
    // An ignored directory may still hold re-included files (`!` patterns): walk it regardless.
    if (!opts.ignored?.(childRel)) record(h, childHost, inSource, st);
    if (st.isDirectory()) walk(h, childHost, childRel, srcRel, opts);
  }
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
      record(h, host, '', st);
      if (st.isDirectory()) walk(h, host, rel, rel, opts);
    }
  }
  return h.digest('hex');
}
