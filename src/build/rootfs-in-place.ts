// In-place mode's stage root: `/` of the container the builder runs in, as kaniko does. One stage
// at a time holds `/` (a lease per build); a stage whose files later stages need is copied out
// when it finishes. What the container itself provides (mount points, /proc, the builder's own
// directory, the context) is never emptied, extracted over, copied or snapshotted.
import { lchown, lstat, mkdir, readdir, readFile, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { cloneTree } from '../fs/clone-tree.ts';
import type { LayerEntry } from '../layer/entry.ts';
import type { BuildContext } from './build-context.ts';
import type { StageRootfs } from './rootfs.ts';
import { DirRootfs } from './rootfs-impl.ts';

/** A FIFO mutex: whoever holds it owns `/`. */
class RootLease {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const turn = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return turn;
  }
}

const leases = new WeakMap<BuildContext, RootLease>();

/** What the container provides in place of the image's own, and the sandboxed modes create. */
const RUNTIME_PATHS = ['/dev', '/proc', '/sys', '/etc/hosts', '/etc/resolv.conf'];

/** Mount points of this process's mount namespace, except `/` (octal escapes undone). */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const points = new Set<string>();
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (!field || field === '/') continue;
    points.add(field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))));
  }
  return [...points];
}

/** Paths in-place mode keeps: kaniko's defaults, the builder, the context, the work dir, mounts. */
export async function inPlaceIgnorePaths(ctx: BuildContext): Promise<string[]> {
  const paths = ['/proc', '/sys', '/dev', '/etc/hosts', '/etc/resolv.conf', '/etc/hostname', '/etc/mtab'];
  paths.push('/kaniko', '/busybox', ctx.contextDir, ctx.work.root, ...(await mountPoints()));
  // kaniko's --ignore-var-run defaults to true in its own model.
  if (ctx.opts.ignoreVarRun ?? true) paths.push('/var/run', '/run');
  if (process.env.DOCKER_CONFIG) paths.push(process.env.DOCKER_CONFIG);
  paths.push(...ctx.opts.ignorePaths);
  return paths;
}

/**
 * The host paths under `root` to act on: every entry that is not ignored, taken whole unless an
 * ignored path lies inside it (then its children are visited, and `onAncestor` sees it).
 */
async function keptEntries(
  root: string,
  ignored: readonly string[],
  onAncestor: (path: string) => Promise<void>,
): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (ignored.some((p) => p === path || path.startsWith(`${p}/`))) continue;
      if (ignored.some((p) => p.startsWith(`${path}/`)) && (await lstat(path)).isDirectory()) {
        await onAncestor(path);
        await visit(path);
      } else {
        out.push(path);
      }
    }
  };
  await visit(root);
  return out;
}

export class InPlaceRootfs extends DirRootfs {
  readonly #ignored: string[];
  readonly #runtimeDirs = new Set<string>();
  #release: (() => void) | undefined;

  constructor(ctx: BuildContext, ignorePaths: string[]) {
    super(ctx, '/', ignorePaths);
    this.#ignored = this.ignoreList.paths;
    this.extractSkipsIgnored = true;
  }

  private async hold(): Promise<void> {
    if (this.#release) return;
    let lease = leases.get(this.ctx);
    if (!lease) {
      lease = new RootLease();
      leases.set(this.ctx, lease);
    }
    this.#release = await lease.acquire();
  }

  /** Empties `/` except what is kept, so the base lands on a clean root as kaniko's does. */
  protected override async prepare(): Promise<void> {
    await this.hold();
    const entries = await keptEntries('/', this.#ignored, async () => undefined);
    await Promise.all(entries.map((p) => rm(p, { recursive: true, force: true })));
  }

  override async cloneFrom(other: StageRootfs): Promise<void> {
    await this.prepare();
    const ignored = this.#ignored;
    await cloneTree(other.dir, '/', {
      merge: true,
      skip: (p) => ignored.some((i) => p === i || p.startsWith(`${i}/`)),
    });
    this.snapshotter.init();
    // The walk skips what the container provides; whether the image has it comes from `other`.
    if (other instanceof DirRootfs)
      for (const p of RUNTIME_PATHS) if (other.imageHas(p)) this.skippedByExtraction.add(p);
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }

  /**
   * The container's own /proc, /dev, /sys and /etc files are always there; the images must equal
   * those of the sandboxed modes, where runc (and our chroot) create what the image lacks: the
   * kernel filesystems' directories once, and /etc touched by each RUN's hosts/resolv.conf stubs.
   */
  protected override async runtimeEntries(createdDirs: readonly string[]): Promise<LayerEntry[]> {
    const entries = await super.runtimeEntries(createdDirs);
    const mtime = Math.floor(Date.now() / 1000);
    for (const path of ['/dev', '/proc', '/sys']) {
      if (this.imageHas(path) || this.#runtimeDirs.has(path)) continue;
      this.#runtimeDirs.add(path);
      entries.push({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime });
    }
    if (!this.imageHas('/etc/hosts') || !this.imageHas('/etc/resolv.conf')) {
      const st = this.index.get('/etc') ? await lstat('/etc') : undefined;
      entries.push({
        path: '/etc',
        type: 'dir',
        mode: st ? st.mode & 0o7777 : 0o755,
        uid: st?.uid ?? 0,
        gid: st?.gid ?? 0,
        mtime,
      });
    }
    return entries;
  }

  /**
   * The stage is done: gives `/` back. With `keepAt`, what later stages need is kept there: a
   * copy of `/` if this stage used it, else a directory its base can be extracted into.
   */
  async finish(keepAt: string | undefined): Promise<StageRootfs | undefined> {
    try {
      if (!keepAt) return undefined;
      if (!this.#release) return new DirRootfs(this.ctx, keepAt);
      await mkdir(keepAt, { recursive: true });
      const entries = await keptEntries('/', this.#ignored, async (dir) => {
        const st = await lstat(dir);
        const copy = join(keepAt, dir);
        await mkdir(copy, { recursive: true, mode: st.mode & 0o7777 });
        await lchown(copy, st.uid, st.gid);
        await utimes(copy, st.atime, st.mtime);
      });
      for (const path of entries) await cloneTree(path, join(keepAt, path));
      const present = RUNTIME_PATHS.filter((p) => this.imageHas(p) || this.#runtimeDirs.has(p));
      return new ExportedRootfs(this.ctx, keepAt, present);
    } finally {
      this.#release?.();
      this.#release = undefined;
    }
  }
}

/** A finished in-place stage's copy: only read (COPY --from, mounts) or cloned (FROM). */
class ExportedRootfs extends DirRootfs {
  readonly #present: Set<string>;

  constructor(ctx: BuildContext, dir: string, runtimePresent: readonly string[]) {
    super(ctx, dir);
    this.#present = new Set(runtimePresent);
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }

  override imageHas(path: string): boolean {
    return this.#present.has(path);
  }
}
