// COPY and ADD as filesystem operations, independent of the Dockerfile: sources from a context
// (after .dockerignore) or another stage's rootfs, Docker's rules for directories, wildcards,
// trailing slashes and symlinked destinations, --chown/--chmod/--parents/--exclude. Returns the
// image paths written so the snapshotter can record them without a walk.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  createReadStream,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  rmSync,
  type Stats,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { posix } from 'node:path';
import { type ModeChange, parseChmod } from './chmod.ts';
import { detectCompression } from './decompress.ts';
import { CopyError, SourceNotFoundError } from './errors.ts';
import { extractLayer } from './extract.ts';
import { goMatch, hasWildcard } from './match.ts';
import { type Owner, resolveOwner } from './owner.ts';
import { ScopedRoot } from './scoped-path.ts';

export interface CopySources {
  /** Directory the source paths are relative to: the build context, or a stage's rootfs. */
  base: string;
  /** Source paths or Go wildcard patterns, as written in the Dockerfile. */
  paths: readonly string[];
  /** .dockerignore predicate on '/'-separated paths relative to `base` (no leading slash). */
  ignored?: (relPath: string) => boolean;
}

export interface CopyIntoOptions {
  /** The target rootfs directory. */
  root: string;
  sources: CopySources;
  /** Destination as written; relative to `workdir` unless absolute. */
  dest: string;
  /** The image's working directory (default `/`). */
  workdir?: string;
  /** `user[:group]`, names or ids, resolved in the target's /etc/passwd and /etc/group. */
  chown?: string;
  /** Octal (`0755`) or symbolic (`u+x,go-w`). */
  chmod?: string;
  /** --parents: keep each source's directory path under the destination. */
  parents?: boolean;
  /**
   * --exclude patterns, matched as BuildKit does against paths relative to each source (so
   * `*.log` drops `logs/a.log` when copying `logs/`); a wildcard's matches are checked by name.
   */
  exclude?: readonly string[];
  /** --link: no effect on the files written (the executor makes the layer independent). */
  link?: boolean;
  /** ADD: local tar archives (plain, gzip, bzip2, xz, zstd) are extracted into the destination. */
  extractArchives?: boolean;
}

export interface CopyResult {
  /** Image paths written, created parent directories included, sorted. */
  paths: string[];
}

interface Source {
  /** Path relative to base, '/'-separated, no leading slash ('' for base itself). */
  rel: string;
  /** As written, for errors. */
  given: string;
}

const isRoot = process.getuid?.() === 0;

function joinImage(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

function excludedBy(patterns: readonly string[], rel: string): boolean {
  if (patterns.length === 0) return false;
  const parts = rel.split('/');
  for (const raw of patterns) {
    const p = posix.normalize(raw).replace(/^\/+|\/+$/g, '');
    // A pattern excludes a path when it matches the path or one of its parent directories.
    for (let i = 1; i <= parts.length; i++) if (goMatch(p, parts.slice(0, i).join('/'))) return true;
  }
  return false;
}

/** Expands one source (wildcards included) to paths relative to base. */
function expand(scopedSrc: ScopedRoot, given: string, ignored: CopySources['ignored']): Source[] {
  const clean = posix.normalize(`/${given}`).replace(/\/+$/, '') || '/';
  const rel = clean.slice(1);
  if (!hasWildcard(rel)) {
    const resolved = scopedSrc.resolveAll(clean);
    const exists = resolved !== undefined && lstatOrUndefined(scopedSrc.host(resolved)) !== undefined;
    if (!exists || (rel !== '' && ignored?.(rel))) throw new SourceNotFoundError(given);
    return [{ rel, given }];
  }
  const parts = rel.split('/');
  let current: string[] = [''];
  for (const part of parts) {
    const next: string[] = [];
    for (const dir of current) {
      if (!hasWildcard(part)) {
        const candidate = dir ? `${dir}/${part}` : part;
        if (lstatOrUndefined(scopedSrc.host(`/${candidate}`))) next.push(candidate);
        continue;
      }
      let resolvedDir: string | undefined;
      try {
        resolvedDir = scopedSrc.resolveDir(`/${dir}`);
      } catch {
        resolvedDir = undefined; // a file where the pattern needs a directory: no match
      }
      if (resolvedDir === undefined) continue;
      let names: string[];
      try {
        names = readdirSync(scopedSrc.host(resolvedDir)).sort();
      } catch {
        continue;
      }
      for (const name of names) if (goMatch(part, name)) next.push(dir ? `${dir}/${name}` : name);
    }
    current = next;
  }
  const matches = current.filter((r) => !ignored?.(r));
  if (matches.length === 0) throw new SourceNotFoundError(given, 'no files match the pattern');
  return matches.map((r) => ({ rel: r, given }));
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function isArchive(host: string): boolean {
  const head = Buffer.alloc(512);
  const fd = openSync(host, 'r');
  let n = 0;
  try {
    n = readSync(fd, head, 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 6 && detectCompression(head) !== 'none') return true;
  // A plain tar: ustar magic at offset 257.
  return n === 512 && head.subarray(257, 262).toString('latin1') === 'ustar';
}

export async function copyInto(opts: CopyIntoOptions): Promise<CopyResult> {
  const target = new ScopedRoot(opts.root);
  const source = new ScopedRoot(opts.sources.base);
  const owner: Owner = opts.chown ? resolveOwner(opts.root, opts.chown) : { uid: 0, gid: 0 };
  const modeChange: ModeChange | undefined = opts.chmod ? parseChmod(opts.chmod) : undefined;
  const exclude = opts.exclude ?? [];
  const ignored = opts.sources.ignored;
  const written = new Set<string>();
  const dirMeta: Array<{ host: string; st: Stats }> = [];
  const inodes = new Map<number, string>();

  const trailingEarly = /\/$|(^|\/)\.$/.test(opts.dest);
  if (opts.sources.paths.length > 1 && !trailingEarly)
    throw new CopyError(
      `with more than one source, the destination ${opts.dest} must be a directory ending in /`,
    );
  const sources = opts.sources.paths.flatMap((p) => expand(source, p, ignored));
  if (sources.length === 0) throw new CopyError('COPY/ADD without sources');
  const workdir = opts.workdir ?? '/';
  const destRaw = opts.dest.startsWith('/') ? opts.dest : `${workdir}/${opts.dest}`;
  const destImage = posix.normalize(destRaw).replace(/\/+$/, '') || '/';
  const multiple = sources.length > 1 || opts.sources.paths.some((p) => hasWildcard(p));
  const trailing = /\/$|(^|\/)\.$/.test(opts.dest) || opts.dest === '';
  const onCreate = (image: string, host: string) => {
    written.add(image);
    chownSafe(host, owner);
  };

  const chownSafe = (host: string, o: Owner) => {
    if (!isRoot) return;
    lchownSync(host, o.uid, o.gid);
  };

  /** Creates or reuses the destination directory, following symlinks inside the root. */
  const ensureDir = (image: string): string => {
    const resolved = target.resolveDir(image, { create: true, onCreate });
    if (resolved === undefined) throw new CopyError(`cannot create ${image}`);
    return resolved;
  };

  const removeExisting = (image: string, host: string, st: Stats) => {
    if (st.isDirectory()) rmSync(host, { recursive: true, force: true });
    else unlinkSync(host);
    target.invalidate(image);
  };

  const applyMeta = (host: string, st: Stats) => {
    const isLink = st.isSymbolicLink();
    chownSafe(host, owner);
    if (!isLink)
      chmodSync(host, modeChange ? modeChange(st.mode & 0o7777, st.isDirectory()) : st.mode & 0o7777);
    lutimesSync(host, st.atime, st.mtime);
  };

  /** Copies one source entry (not following it) to the image path `dest`. */
  const copyEntry = (srcHost: string, st: Stats, dest: string, rel: string, inSource: string) => {
    const parent = target.resolveParent(dest, { create: true, onCreate });
    if (!parent) throw new CopyError(`cannot create the parent of ${dest}`);
    const { image, host } = parent;
    const existing = lstatOrUndefined(host);
    written.add(image);
    if (st.isDirectory()) {
      if (existing && !existing.isDirectory()) removeExisting(image, host, existing);
      if (!existing?.isDirectory()) mkdirSync(host, { mode: 0o700 });
      copyChildren(srcHost, image, rel, inSource);
      dirMeta.push({ host, st });
      return;
    }
    if (existing) removeExisting(image, host, existing);
    if (st.isFile()) {
      const first = st.nlink > 1 ? inodes.get(st.ino) : undefined;
      if (first !== undefined) {
        linkSync(target.host(first), host);
        return;
      }
      if (st.nlink > 1) inodes.set(st.ino, image);
      copyFileSync(srcHost, host, constants.COPYFILE_EXCL);
    } else if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(srcHost), host);
    } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
      const kind = st.isFIFO()
        ? ['p']
        : [st.isCharacterDevice() ? 'c' : 'b', String(st.rdev >> 8), String(st.rdev & 0xff)];
      const r = spawnSync('mknod', [host, ...kind], { stdio: 'ignore' });
      if (r.status !== 0) {
        written.delete(image);
        return;
      }
    } else {
      written.delete(image); // sockets cannot be copied
      return;
    }
    applyMeta(host, st);
  };

  const copyChildren = (srcDirHost: string, destDir: string, rel: string, fromSource: string) => {
    for (const name of readdirSync(srcDirHost).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const inSource = fromSource ? `${fromSource}/${name}` : name;
      if (ignored?.(childRel) || excludedBy(exclude, inSource)) continue;
      const childHost = `${srcDirHost}/${name}`;
      copyEntry(childHost, lstatSync(childHost), joinImage(destDir, name), childRel, inSource);
    }
  };

  for (const src of sources) {
    if (hasWildcard(src.given) && excludedBy(exclude, posix.basename(`/${src.rel}`))) continue;
    // The source path itself is followed (inside its base), as Docker does.
    const resolved = source.resolveAll(`/${src.rel}`);
    const srcHost = resolved === undefined ? undefined : source.host(resolved);
    const st = srcHost ? lstatOrUndefined(srcHost) : undefined;
    if (!srcHost || !st) throw new SourceNotFoundError(src.given);
    const name = posix.basename(`/${src.rel}`);
    const parentsDir = opts.parents ? posix.dirname(`/${src.rel}`) : '/';
    if (st.isDirectory()) {
      const into = ensureDir(opts.parents ? posix.join(destImage, src.rel) : destImage);
      copyChildren(srcHost, into, src.rel, '');
      continue;
    }
    if (opts.extractArchives && st.isFile() && isArchive(srcHost)) {
      const into = ensureDir(destImage);
      const r = await extractLayer(createReadStream(srcHost), {
        root: opts.root,
        prefix: into,
        whiteouts: false,
        owner: opts.chown ? owner : undefined,
        collectPaths: true,
        where: `ADD ${src.given}`,
      });
      for (const p of r.paths ?? []) written.add(p);
      continue;
    }
    let dest: string;
    if (multiple || trailing || opts.parents) {
      dest = joinImage(ensureDir(posix.join(destImage, parentsDir)), name);
    } else {
      // A single file: the destination is the file itself, unless it is an existing directory.
      const resolvedDest = target.resolveAll(destImage);
      const destStat = resolvedDest ? lstatOrUndefined(target.host(resolvedDest)) : undefined;
      dest = destStat?.isDirectory() ? joinImage(resolvedDest!, name) : (resolvedDest ?? destImage);
    }
    copyEntry(srcHost, st, dest, src.rel, '');
  }
  // Directory times last: writing children changes them.
  for (const { host, st } of dirMeta.reverse()) applyMeta(host, st);
  return { paths: [...written].sort() };
}
