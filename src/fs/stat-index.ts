// The snapshotter's memory of a root: image path → the stat fields that decide whether a path
// changed. Extraction and COPY feed it as they write, so a base rootfs is never walked twice.
import { createHash } from 'node:crypto';
import { type BigIntStats, closeSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';

export type FileKind = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

export interface IndexEntry {
  kind: FileKind;
  /** Permission bits including setuid/setgid/sticky. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  nlink: number;
  rdev: number;
  /** Symlink target. */
  link?: string;
  /** Content sha256, kept only for files modified too close to the index time to trust mtime. */
  hash?: string;
  /** Walk generation that last saw the path (internal to the snapshotter). */
  seen: number;
}

export function kindOf(st: BigIntStats): FileKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

export function entryFromStat(st: BigIntStats, hostPath: string, seen: number): IndexEntry {
  const kind = kindOf(st);
  const e: IndexEntry = {
    kind,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: Number(st.size),
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    ino: st.ino,
    nlink: Number(st.nlink),
    rdev: Number(st.rdev),
    seen,
  };
  if (kind === 'symlink') e.link = readlinkSync(hostPath);
  return e;
}

/** Whether two observations of a path differ in anything a layer records. */
export function statChanged(a: IndexEntry, b: IndexEntry): boolean {
  return (
    a.kind !== b.kind ||
    a.mode !== b.mode ||
    a.uid !== b.uid ||
    a.gid !== b.gid ||
    a.size !== b.size ||
    a.mtimeNs !== b.mtimeNs ||
    a.ctimeNs !== b.ctimeNs ||
    a.ino !== b.ino ||
    a.nlink !== b.nlink ||
    a.rdev !== b.rdev ||
    a.link !== b.link
  );
}

/**
 * Timestamps are only as fine as the kernel's clock tick: a file rewritten (same size) within
 * the tick in which it was indexed keeps its mtime and ctime. Such files get a content hash.
 */
export const RACY_WINDOW_NS = 50_000_000n;

export function hashFile(hostPath: string): string {
  const h = createHash('sha256');
  const fd = openSync(hostPath, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
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

export class FsIndex {
  readonly entries = new Map<string, IndexEntry>();
  /** Current walk generation. */
  generation = 0;

  get size(): number {
    return this.entries.size;
  }

  get(path: string): IndexEntry | undefined {
    return this.entries.get(path);
  }

  /** Records `path` from an lstat of `hostPath` (missing → removed from the index). */
  record(path: string, hostPath: string): IndexEntry | undefined {
    let st: BigIntStats;
    try {
      st = lstatSync(hostPath, { bigint: true });
    } catch {
      this.entries.delete(path);
      return undefined;
    }
    return this.recordStat(path, hostPath, st);
  }

  recordStat(path: string, hostPath: string, st: BigIntStats): IndexEntry {
    const e = entryFromStat(st, hostPath, this.generation);
    this.markRacy(e, hostPath);
    this.entries.set(path, e);
    return e;
  }

  /** Hashes a file whose mtime is too recent to be trusted later. */
  markRacy(e: IndexEntry, hostPath: string): void {
    if (e.kind !== 'file') return;
    const now = BigInt(Date.now()) * 1_000_000n;
    if (e.mtimeNs >= now - RACY_WINDOW_NS) e.hash = hashFile(hostPath);
  }

  /** Forgets `path` and everything under it. */
  deleteTree(path: string): void {
    this.entries.delete(path);
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
