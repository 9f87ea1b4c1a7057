// Applies one layer to a root directory, treating the archive as hostile: every name is made
// relative to the root, `..` is refused, parent directories are resolved inside the root (a
// symlink can never carry a write outside it), existing files are replaced rather than written
// through, and hardlinks must point at non-directories inside the root. Whiteouts and opaque
// directories follow the OCI layer rules. The snapshotter's index is fed as entries land.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  ftruncateSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  type Stats,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Readable } from 'node:stream';
import { type ArchiveCompression, compressionOfMediaType, openArchive } from './decompress.ts';
import { ArchiveFormatError, UnsafeEntryError } from './errors.ts';
import type { IgnoreList } from './ignore.ts';
import { ScopedRoot } from './scoped-path.ts';
import type { FsIndex } from './stat-index.ts';
import { readTar, type TarEntry } from './tar-reader.ts';
import { applyXattrs, isKeptXattr, type Xattrs } from './xattr.ts';

export interface ExtractOptions {
  /**
   * Layer media type. The compression it announces is checked against the magic bytes, which
   * decide (as containerd and go-containerregistry do: a registry may label a plain tar `+gzip`);
   * a mismatch is reported in ExtractResult.mediaTypeMismatch, and bzip2 or xz bytes, which no
   * layer may hold, are refused.
   */
  mediaType?: string;
  /** Directory to extract into (`/` only in in-place mode inside a container). */
  root: string;
  /** Index to update with every path written or removed. */
  index?: FsIndex;
  /** Entries under these image paths are skipped (in-place mode: /proc, /sys, /dev...). */
  ignore?: IgnoreList;
  /** Apply uid/gid (default: when running as root). */
  chown?: boolean;
  /** Create char/block devices with mknod (default: when running as root). Otherwise recorded. */
  createDevices?: boolean;
  /** Sparse files may not expand beyond this (default 64 GiB). */
  maxSparseSize?: number;
  /** Names this layer in errors (e.g. the layer digest). */
  where?: string;
  /** Image directory the archive is extracted under (ADD of a local archive); default `/`. */
  prefix?: string;
  /** Apply `.wh.` whiteouts (layers: yes; ADD archives: no, they are ordinary files). */
  whiteouts?: boolean;
  /** Owner for every entry instead of the archive's (ADD --chown). */
  owner?: { uid: number; gid: number };
  /** Return the image paths written in `paths`. */
  collectPaths?: boolean;
}

export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface ExtractResult {
  /** The compression found by the magic bytes (and used). */
  compression: ArchiveCompression;
  /** One line when the media type announced another compression than the bytes have. */
  mediaTypeMismatch?: string;
  /** Entries applied (including whiteouts). */
  entries: number;
  /** Entries not applied (devices without privileges, xattrs Node cannot set, ignored paths). */
  skipped: SkippedEntry[];
  /** Image paths written (with `collectPaths`), created parent directories included. */
  paths?: string[];
}

/** `name` from a tar header → clean image path (`/a/b`), refusing `..` and NUL. */
export function imagePathOf(name: string, where?: string): string {
  if (name.includes('\0')) throw new UnsafeEntryError(name, 'NUL in name', where);
  const parts: string[] = [];
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw new UnsafeEntryError(name, '".." in path', where);
    parts.push(c);
  }
  return `/${parts.join('/')}`;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function lstatOrUndefined(host: string): Stats | undefined {
  try {
    // Most entries are new: a thrown ENOENT (an Error with its stack) per file costs more than the
    // lstat itself.
    return lstatSync(host, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

interface DirMeta {
  image: string;
  host: string;
  entry: TarEntry;
}

export async function extractLayer(compressed: Readable, opts: ExtractOptions): Promise<ExtractResult> {
  const where = opts.where;
  const isRoot = process.getuid?.() === 0;
  const doChown = opts.chown ?? isRoot;
  const createDevices = opts.createDevices ?? isRoot;
  const maxSparse = opts.maxSparseSize ?? 64 * 1024 ** 3;
  const scoped = new ScopedRoot(opts.root);
  const prefix = imagePathOf(opts.prefix ?? '/');
  const whiteouts = opts.whiteouts ?? true;
  const index = opts.index;
  const { compression, tar } = await openArchive(compressed, where ?? 'layer');
  const declared = compressionOfMediaType(opts.mediaType);
  let mediaTypeMismatch: string | undefined;
  if (declared !== undefined && declared !== compression) {
    if (compression === 'bzip2' || compression === 'xz') {
      tar.destroy();
      throw new ArchiveFormatError(
        `media type ${opts.mediaType} announces ${declared} but the bytes are ${compression}, which is no layer compression`,
        where,
      );
    }
    mediaTypeMismatch = `media type ${opts.mediaType} announces ${declared} but the bytes are ${compression} (extracted as ${compression})`;
  }
  const skipped: SkippedEntry[] = [];
  const dirs: DirMeta[] = [];
  /** Image paths this layer wrote: opaque whiteouts must keep them. */
  const written = new Set<string>();
  /** Directories whose listing or metadata changed: re-recorded in the index at the end. */
  const touchedDirs = new Set<string>();
  const linkedInodes = new Set<number>();
  /** Attributes to set once every entry is in: image path → host path and attributes. */
  const pendingXattrs = new Map<string, { host: string; xattrs: Xattrs }>();
  let count = 0;

  const onCreate = (image: string) => {
    written.add(image);
    touchedDirs.add(image);
    touchedDirs.add(parentOf(image));
  };

  // Synchronous calls: thousands of small files are much faster without a threadpool round
  // trip per call, and decompression keeps running on the pool meanwhile.
  const removeExisting = (image: string, host: string, st: Stats) => {
    if (st.isDirectory()) rmSync(host, { recursive: true, force: true });
    else unlinkSync(host);
    if (st.isDirectory() || st.isSymbolicLink()) scoped.invalidate(image);
    index?.deleteTree(image);
  };

  const applyMeta = (host: string, e: TarEntry, isLink: boolean) => {
    if (doChown) lchownSync(host, e.uid, e.gid);
    if (!isLink) chmodSync(host, e.mode);
    lutimesSync(host, e.mtime, e.mtime);
  };

  try {
    for await (const { entry, body } of readTar(tar)) {
      const named = imagePathOf(entry.name, where);
      const requested = prefix === '/' ? named : named === '/' ? prefix : `${prefix}${named}`;
      if (opts.owner) {
        entry.uid = opts.owner.uid;
        entry.gid = opts.owner.gid;
      }
      if (opts.ignore?.has(requested)) {
        skipped.push({ path: requested, reason: 'ignored path' });
        continue;
      }
      const base = requested.slice(requested.lastIndexOf('/') + 1);
      count++;
      if (whiteouts && base.startsWith(WHITEOUT)) {
        await applyWhiteout(requested, base);
        continue;
      }
      if (requested === '/') {
        if (entry.type !== 'dir')
          throw new UnsafeEntryError(entry.name, 'the root must stay a directory', where);
        continue; // the root's own metadata is the runtime's business
      }
      const target = scoped.resolveParent(requested, { create: true, onCreate })!;
      const { image, host } = target;
      if (opts.ignore?.has(image)) {
        skipped.push({ path: image, reason: 'ignored path' });
        continue;
      }
      const existing = lstatOrUndefined(host);
      touchedDirs.add(parentOf(image));
      written.add(image);
      switch (entry.type) {
        case 'dir': {
          if (existing && !existing.isDirectory()) removeExisting(image, host, existing);
          if (!existing?.isDirectory()) mkdirSync(host, { mode: 0o700 });
          dirs.push({ image, host, entry });
          touchedDirs.add(image);
          break;
        }
        case 'file': {
          if (existing) removeExisting(image, host, existing);
          const fd = openSync(host, FILE_FLAGS, 0o600);
          try {
            await writeFile(fd, entry, body, maxSparse);
            if (doChown) fchownSync(fd, entry.uid, entry.gid);
            fchmodSync(fd, entry.mode);
            futimesSync(fd, entry.mtime, entry.mtime);
            index?.recordStat(image, host, fstatSync(fd, { bigint: true }));
          } finally {
            closeSync(fd);
          }
          break;
        }
        case 'symlink': {
          if (existing) removeExisting(image, host, existing);
          symlinkSync(entry.linkname, host);
          applyMeta(host, entry, true);
          index?.record(image, host);
          break;
        }
        case 'hardlink': {
          const linkImage = imagePathOf(entry.linkname, where);
          const src = scoped.resolveParent(linkImage);
          const srcStat = src ? lstatOrUndefined(src.host) : undefined;
          if (!src || !srcStat)
            throw new UnsafeEntryError(entry.name, `hardlink target ${linkImage} does not exist`, where);
          if (srcStat.isDirectory()) throw new UnsafeEntryError(entry.name, 'hardlink to a directory', where);
          if (src.host === host) break;
          if (existing) removeExisting(image, host, existing);
          linkSync(src.host, host);
          linkedInodes.add(srcStat.ino);
          index?.record(image, host);
          break;
        }
        case 'char':
        case 'block':
        case 'fifo': {
          if (entry.type !== 'fifo' && !createDevices) {
            skipped.push({
              path: image,
              reason: `${entry.type} device ${entry.devmajor}:${entry.devminor} not created`,
            });
            written.delete(image);
            break;
          }
          if (existing) removeExisting(image, host, existing);
          const args =
            entry.type === 'fifo'
              ? [host, 'p']
              : [host, entry.type === 'char' ? 'c' : 'b', String(entry.devmajor), String(entry.devminor)];
          const r = spawnSync('mknod', ['-m', '0600', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
          if (r.status !== 0) {
            skipped.push({ path: image, reason: `mknod failed: ${String(r.stderr ?? '').trim()}` });
            written.delete(image);
            break;
          }
          applyMeta(host, entry, false);
          index?.record(image, host);
          break;
        }
      }
      const kept = Object.entries(entry.xattrs).filter(([name]) => isKeptXattr(name));
      if (kept.length > 0 && written.has(image))
        pendingXattrs.set(image, { host, xattrs: Object.fromEntries(kept) });
      else pendingXattrs.delete(image);
    }
  } catch (e) {
    tar.destroy();
    if (e instanceof UnsafeEntryError || e instanceof ArchiveFormatError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new ArchiveFormatError(`extracting layer: ${err.code ?? ''} ${err.message}`.trim(), where);
  }

  // Attributes after owners (a chown clears security.capability), in one setfattr run. A later
  // entry may have turned a parent into a symlink since: only paths that still resolve to the
  // same host path get them, so nothing is set outside the root.
  const xattrTargets: Array<{ image: string; host: string; xattrs: Xattrs }> = [];
  for (const [image, p] of pendingXattrs) {
    const now = scoped.resolveParent(image);
    if (now?.host === p.host && lstatOrUndefined(p.host)) xattrTargets.push({ image, ...p });
  }
  const byHost = new Map(xattrTargets.map((t) => [t.host, t.image]));
  for (const f of applyXattrs(xattrTargets))
    skipped.push({ path: byHost.get(f.host) ?? f.host, reason: `xattrs not applied: ${f.reason}` });
  if (index) for (const t of xattrTargets) index.record(t.image, t.host); // setfattr changed ctime

  // Directory metadata last, deepest first: adding children changes a directory's mtime, and a
  // read-only directory must stay writable until its children are in.
  dirs.sort((a, b) => b.image.length - a.image.length);
  for (const d of dirs) applyMeta(d.host, d.entry, false);
  if (index) {
    for (const d of touchedDirs) {
      const resolved = scoped.resolveDir(d);
      // The root itself is not an entry of any layer.
      if (resolved !== undefined && resolved !== '/' && !opts.ignore?.has(resolved))
        index.record(resolved, scoped.host(resolved));
    }
    // A new hardlink changes the link count (and ctime) of every path sharing the inode.
    if (linkedInodes.size > 0) {
      for (const [p, e] of index.entries)
        if (linkedInodes.has(Number(e.ino))) index.record(p, scoped.host(p));
    }
  }
  const result: ExtractResult = { compression, entries: count, skipped };
  if (mediaTypeMismatch) result.mediaTypeMismatch = `${where ? `${where}: ` : ''}${mediaTypeMismatch}`;
  if (opts.collectPaths) result.paths = [...written].sort();
  return result;

  async function applyWhiteout(requested: string, base: string): Promise<void> {
    const dirImage = parentOf(requested);
    const dir = scoped.resolveDir(dirImage);
    if (dir === undefined) return; // nothing below to hide
    touchedDirs.add(dir);
    if (base === OPAQUE) {
      const hostDir = scoped.host(dir);
      for (const name of readdirSync(hostDir)) {
        const image = dir === '/' ? `/${name}` : `${dir}/${name}`;
        if (written.has(image) || opts.ignore?.has(image)) continue;
        const st = lstatOrUndefined(scoped.host(image));
        if (st) removeExisting(image, scoped.host(image), st);
      }
      return;
    }
    const name = base.slice(WHITEOUT.length);
    if (name === '' || name === '.' || name === '..' || name.startsWith(WHITEOUT))
      throw new UnsafeEntryError(requested, 'whiteout of an invalid name', where);
    const image = dir === '/' ? `/${name}` : `${dir}/${name}`;
    if (opts.ignore?.has(image)) return;
    const host = scoped.host(image);
    const st = lstatOrUndefined(host);
    if (st) removeExisting(image, host, st);
  }
}

async function writeFile(fd: number, entry: TarEntry, body: () => AsyncGenerator<Buffer>, maxSparse: number) {
  if (!entry.sparse) {
    for await (const chunk of body()) writeAll(fd, chunk, null);
    return;
  }
  if (entry.sparse.realSize > maxSparse)
    throw new UnsafeEntryError(entry.name, `sparse file of ${entry.sparse.realSize} bytes exceeds the limit`);
  const segments = entry.sparse.segments;
  let seg = 0;
  let segLeft = segments[0]?.[1] ?? 0;
  let pos = segments[0]?.[0] ?? 0;
  for await (let chunk of body()) {
    while (chunk.length > 0) {
      while (segLeft === 0 && seg < segments.length - 1) {
        seg++;
        pos = segments[seg]![0];
        segLeft = segments[seg]![1];
      }
      const n = Math.min(segLeft, chunk.length);
      writeAll(fd, chunk.subarray(0, n), pos);
      pos += n;
      segLeft -= n;
      chunk = chunk.subarray(n);
    }
  }
  ftruncateSync(fd, entry.sparse.realSize);
}

function writeAll(fd: number, buf: Buffer, position: number | null): void {
  let off = 0;
  while (off < buf.length) {
    const n = writeSync(fd, buf, off, buf.length - off, position === null ? null : position + off);
    off += n;
  }
}
