// In-place, kaniko's model: the rootfs is `/` of the container the builder runs in, which is
// itself the build environment. No namespaces and no mounts (no SYS_ADMIN needed): RUN is spawned
// with the user, cwd and environment, and RUN mounts are emulated by putting things in place
// (symlinks to bind and cache sources, copies of secrets, empty directories for tmpfs) and taking
// them away afterwards, with whatever was at the target moved aside meanwhile.
import { chmod, chown, copyFile, lstat, mkdir, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SandboxError } from './errors.ts';
import { MountPoints } from './mountpoints.ts';
import { runProcess } from './process.ts';
import { insidePath, resolveInRoot } from './rootfs-path.ts';
import type { RunMount, RunResult, RunSpec, Sandbox } from './types.ts';
import { withDefaultPath } from './types.ts';

export interface InPlaceOptions {
  reason: string;
  warn?: (message: string) => void;
}

interface Placed {
  host: string;
  /** Where what was at `host` before waits meanwhile. */
  aside?: string;
}

export class InPlaceSandbox implements Sandbox {
  readonly name = 'in-place' as const;
  readonly reason: string;
  private readonly warn: ((message: string) => void) | undefined;
  private readonly warned = new Set<string>();

  constructor(opts: InPlaceOptions) {
    this.reason = opts.reason;
    this.warn = opts.warn;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.warn?.(message);
  }

  async run(spec: RunSpec): Promise<RunResult> {
    if (spec.network === 'none') {
      this.warnOnce('net', 'in-place mode cannot isolate the network: RUN --network=none uses the network');
    }
    if ((spec.user.groups?.length ?? 0) > 0) {
      this.warnOnce('groups', 'in-place mode does not set supplementary groups for RUN');
    }
    const points = new MountPoints(spec.rootfs);
    const placed: Placed[] = [];
    try {
      for (const m of spec.mounts) await this.place(spec.rootfs, m, points, placed);
      const env: NodeJS.ProcessEnv = {};
      for (const e of withDefaultPath(spec.env)) {
        const eq = e.indexOf('=');
        if (eq <= 0)
          throw new SandboxError(`environment entry "${e.split('=')[0]}" is not KEY=VALUE`, 'in-place');
        env[e.slice(0, eq)] = e.slice(eq + 1);
      }
      const [cmd, ...args] = spec.argv;
      if (!cmd) throw new SandboxError('RUN has no command', 'in-place');
      return await runProcess(cmd, args, spec, {
        env,
        cwd: join(spec.rootfs, spec.cwd),
        uid: spec.user.uid,
        gid: spec.user.gid,
      }).catch((e: NodeJS.ErrnoException) => {
        // Like a shell: a command that cannot be found or executed is exit status 127/126.
        if (e.code === 'ENOENT') return { exitCode: 127 };
        if (e.code === 'EACCES') return { exitCode: 126 };
        throw e;
      });
    } finally {
      for (const p of placed.reverse()) {
        await rm(p.host, { recursive: true, force: true });
        if (p.aside) await rename(p.aside, p.host);
      }
      await points.cleanup();
    }
  }

  private async place(root: string, m: RunMount, points: MountPoints, placed: Placed[]): Promise<void> {
    const resolved = await resolveInRoot(root, m.target);
    const inside = insidePath(resolved);
    const host = join(root, inside);
    // The parent exists (made by MountPoints, removed after); the target itself is ours.
    await points.ensure(dirname(inside), 'dir');
    let aside: string | undefined;
    if (await lstat(host).catch(() => undefined)) {
      aside = `${host}.kaniko-ts-aside`;
      await rename(host, aside);
    }
    placed.push(aside ? { host, aside } : { host });
    switch (m.type) {
      case 'bind':
        if (!m.readonly) this.warnOnce('rw', 'in-place mode: read-write bind mounts write to their source');
        await symlink(m.source, host);
        break;
      case 'cache':
        await symlink(m.source, host);
        break;
      case 'ssh':
        await symlink(m.socket, host);
        break;
      case 'tmpfs':
        await mkdir(host, { mode: 0o1777 });
        await chmod(host, 0o1777);
        break;
      case 'secret':
        await copyFile(m.source, host);
        await chown(host, m.uid ?? 0, m.gid ?? 0);
        await chmod(host, m.mode ?? 0o400);
        break;
    }
  }
}
