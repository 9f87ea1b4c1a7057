// Mount targets that do not exist in the rootfs are created before a RUN and removed after it,
// so nothing of a mount is left in the image (as with BuildKit). The directory that received the
// first new entry gets its times back unless the RUN itself changed it meanwhile.
import { lstat, mkdir, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { insidePath, resolveInRoot } from './rootfs-path.ts';

export type TargetKind = 'dir' | 'file';

interface Created {
  host: string;
  kind: TargetKind;
}

interface TouchedDir {
  host: string;
  atime: Date;
  mtime: Date;
  /** mtime right after our creation: if it is unchanged at cleanup, only we touched the dir. */
  ourMtimeMs: number;
}

/** What a cleanup could not remove, relative to the rootfs (e.g. a RUN wrote into a created dir). */
export interface LeftBehind {
  path: string;
  reason: string;
}

export class MountPoints {
  private readonly root: string;
  private readonly created: Created[] = [];
  private readonly touched: TouchedDir[] = [];

  constructor(root: string) {
    this.root = root;
  }

  /**
   * Makes sure `target` exists in the rootfs (as `kind`) and returns its resolved path inside
   * the rootfs, free of symlinks, for the mount tool.
   */
  async ensure(target: string, kind: TargetKind): Promise<string> {
    const r = await resolveInRoot(this.root, target);
    if (r.existing === r.inside.length) return insidePath(r);
    const parent = join(this.root, ...r.inside.slice(0, r.existing));
    const before = await stat(parent);
    for (let i = r.existing; i < r.inside.length; i++) {
      const host = join(this.root, ...r.inside.slice(0, i + 1));
      const last = i === r.inside.length - 1;
      if (last && kind === 'file') {
        await writeFile(host, '', { flag: 'wx', mode: 0o644 });
        this.created.push({ host, kind: 'file' });
      } else {
        await mkdir(host, { mode: 0o755 });
        this.created.push({ host, kind: 'dir' });
      }
    }
    const after = await stat(parent);
    const known = this.touched.find((t) => t.host === parent);
    if (!known) {
      this.touched.push({
        host: parent,
        atime: before.atime,
        mtime: before.mtime,
        ourMtimeMs: after.mtimeMs,
      });
    } else {
      // Still only our doing if nothing else changed it since our last creation there.
      known.ourMtimeMs = known.ourMtimeMs === before.mtimeMs ? after.mtimeMs : Number.NaN;
    }
    return insidePath(r);
  }

  /** Image paths of the directories `ensure` created something in (never `/`). */
  touchedPaths(): string[] {
    return this.touched.map((t) => t.host.slice(this.root.length)).filter((p) => p !== '' && p !== '/');
  }

  /** Removes what `ensure` created, deepest first; returns what had to stay. */
  async cleanup(): Promise<LeftBehind[]> {
    const left: LeftBehind[] = [];
    const untouched = new Set<string>();
    for (const t of this.touched) {
      const now = await stat(t.host).catch(() => undefined);
      if (now && now.mtimeMs === t.ourMtimeMs) untouched.add(t.host);
    }
    for (const c of this.created.reverse()) {
      try {
        if (c.kind === 'dir') await rmdir(c.host);
        else {
          const st = await lstat(c.host);
          if (!st.isFile() || st.size !== 0) {
            left.push({ path: c.host.slice(this.root.length), reason: 'changed by the RUN' });
            continue;
          }
          await unlink(c.host);
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        left.push({ path: c.host.slice(this.root.length) || '/', reason: code ?? String(e) });
      }
    }
    this.created.length = 0;
    for (const t of this.touched) {
      if (untouched.has(t.host)) await utimes(t.host, t.atime, t.mtime).catch(() => undefined);
    }
    this.touched.length = 0;
    return left;
  }
}
