// The chroot sandbox: bubblewrap puts the RUN in fresh mount and pid namespaces (and a network
// namespace for --network=none) with the rootfs as `/`, a new /proc, a minimal /dev, /sys
// read-only, and the host's resolv.conf and hosts bound in. Running as uid 0 (real root, or root
// of the build's user namespace), it needs no userns of its own. A RUN as another user keeps the
// host's view until util-linux's setpriv (groups, gid) and unshare (chroot, cwd, uid) switch to it,
// because nothing in an arbitrary rootfs can be trusted to change the user.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { DEFAULT_CAPABILITIES } from './capabilities.ts';
import { SandboxError } from './errors.ts';
import { MountPoints } from './mountpoints.ts';
import { runProcess } from './process.ts';
import { SecretFiles } from './secret-files.ts';
import type { RunResult, RunSpec, Sandbox, SandboxName } from './types.ts';
import { withDefaultPath } from './types.ts';
import { WarmRunner, warmEligible } from './warm-runner.ts';

/** Where bubblewrap is, unless $KANIKO_TS_BWRAP names another one. */
export const DEFAULT_BWRAP = '/usr/bin/bwrap';
/** An absolute path to bwrap, for machines without /usr/bin/bwrap (the GitHub Action sets it). */
export const BWRAP_ENV = 'KANIKO_TS_BWRAP';

/** The bwrap to run: $KANIKO_TS_BWRAP when set (it must be an absolute path), else /usr/bin/bwrap. */
export function bwrapPath(env: NodeJS.ProcessEnv = process.env): string {
  const p = env[BWRAP_ENV];
  if (p === undefined || p === '') return DEFAULT_BWRAP;
  if (!isAbsolute(p)) throw new SandboxError(`${BWRAP_ENV}=${p}: not an absolute path`);
  return p;
}
const SETPRIV = '/usr/bin/setpriv';
const UNSHARE = '/usr/bin/unshare';

/** Where left-behind mount targets are reported; the executor may log them at debug level. */
export type LeftBehindHook = (paths: string[]) => void;

export interface ChrootOptions {
  name?: SandboxName;
  reason: string;
  onLeftBehind?: LeftBehindHook;
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}

/** True when the RUN's user differs from the sandbox's own root user. */
function switchesUser(spec: RunSpec): boolean {
  return spec.user.uid !== 0 || spec.user.gid !== 0 || (spec.user.groups?.length ?? 0) > 0;
}

export class ChrootSandbox implements Sandbox {
  readonly name: SandboxName;
  readonly reason: string;
  private readonly onLeftBehind: LeftBehindHook | undefined;
  private readonly bwrap: string;

  constructor(opts: ChrootOptions) {
    this.name = opts.name ?? 'chroot';
    this.reason = opts.reason;
    this.onLeftBehind = opts.onLeftBehind;
    this.bwrap = bwrapPath();
  }

  /** Stage-long runners by root directory (plain RUNs only; see warm-runner.ts). */
  readonly #warm = new Map<string, { runner: WarmRunner; points: MountPoints }>();

  async run(spec: RunSpec): Promise<RunResult> {
    if (warmEligible(spec)) return this.#runWarm(spec);
    const points = new MountPoints(spec.rootfs);
    const secrets = new SecretFiles();
    try {
      const args = await this.bwrapArgs(spec, points, secrets);
      // The kernel's comm is the program's file name, cut to 15 bytes.
      const comm = basename(this.bwrap).slice(0, 15);
      const result = await runProcess(this.bwrap, args, spec, { managerComms: [comm] });
      // The stage's runner keeps its mount targets; this RUN "made" them too.
      const touched = this.#warm.get(spec.rootfs)?.points.touchedPaths() ?? [];
      return touched.length > 0 ? { ...result, touched } : result;
    } finally {
      await secrets.cleanup();
      const left = await points.cleanup();
      if (left.length > 0) this.onLeftBehind?.(left.map((l) => l.path));
    }
  }

  async #runWarm(spec: RunSpec): Promise<RunResult> {
    let warm = this.#warm.get(spec.rootfs);
    if (!warm?.runner.alive) {
      // A runner that died (an aborted command) first takes its mount targets away.
      if (warm) await warm.runner.close();
      const points = new MountPoints(spec.rootfs);
      const args = ['--bind', spec.rootfs, '/'];
      await this.runtimeArgs(spec, points, (p) => p, args);
      warm = { runner: WarmRunner.start(this.bwrap, args, points), points };
      this.#warm.set(spec.rootfs, warm);
    }
    const result = await warm.runner.run(spec);
    const touched = warm.points.touchedPaths();
    return touched.length > 0 ? { ...result, touched } : result;
  }

  async release(rootfs: string): Promise<void> {
    const warm = this.#warm.get(rootfs);
    if (!warm) return;
    this.#warm.delete(rootfs);
    await warm.runner.close();
  }

  /** /proc, /dev, /sys, resolv.conf and hosts, as every RUN gets them. */
  private async runtimeArgs(
    spec: RunSpec,
    points: MountPoints,
    at: (inside: string) => string,
    args: string[],
  ): Promise<void> {
    args.push('--proc', at(await points.ensure('/proc', 'dir')));
    args.push('--dev', at(await points.ensure('/dev', 'dir')));
    args.push('--ro-bind', '/sys', at(await points.ensure('/sys', 'dir')));
    args.push(
      '--ro-bind',
      spec.resolvConf ?? '/etc/resolv.conf',
      at(await points.ensure('/etc/resolv.conf', 'file')),
    );
    args.push('--ro-bind', spec.hostsFile ?? '/etc/hosts', at(await points.ensure('/etc/hosts', 'file')));
  }

  private async bwrapArgs(spec: RunSpec, points: MountPoints, secrets: SecretFiles): Promise<string[]> {
    const asUser = switchesUser(spec);
    // As root, the rootfs becomes `/` (pivot_root: nothing of the host stays reachable). For
    // another user, the host stays visible until unshare chroots and drops to that user.
    const at = (inside: string): string => (asUser ? join(spec.rootfs, inside) : inside);
    const args = asUser ? ['--bind', '/', '/'] : ['--bind', spec.rootfs, '/'];
    await this.runtimeArgs(spec, points, at, args);

    const targets: string[] = [];
    const mounts = [...spec.mounts].sort((a, b) => depth(a.target) - depth(b.target));
    for (const m of mounts) {
      // A target inside an earlier mount is created by bwrap in that mount, not in the rootfs.
      const nested = targets.some(
        (t) => m.target === t || m.target.startsWith(t.endsWith('/') ? t : `${t}/`),
      );
      const place = async (kind: 'dir' | 'file'): Promise<string> =>
        at(nested ? m.target : await points.ensure(m.target, kind));
      switch (m.type) {
        case 'bind': {
          const kind = (await stat(m.source)).isDirectory() ? 'dir' : 'file';
          args.push(m.readonly ? '--ro-bind' : '--bind', m.source, await place(kind));
          break;
        }
        case 'cache':
          args.push('--bind', m.source, await place('dir'));
          break;
        case 'tmpfs':
          args.push('--tmpfs', await place('dir'));
          break;
        case 'secret':
          args.push('--ro-bind', await secrets.prepare(m), await place('file'));
          break;
        case 'ssh':
          args.push('--bind', m.socket, await place('file'));
          break;
      }
      targets.push(m.target);
    }

    args.push('--unshare-pid', '--die-with-parent');
    if (spec.network === 'none') args.push('--unshare-net');
    if (spec.security !== 'insecure') {
      args.push('--cap-drop', 'ALL');
      for (const c of DEFAULT_CAPABILITIES) args.push('--cap-add', c);
    }
    args.push('--clearenv');
    for (const e of withDefaultPath(spec.env)) {
      const eq = e.indexOf('=');
      if (eq <= 0)
        throw new SandboxError(`environment entry "${e.split('=')[0]}" is not KEY=VALUE`, this.name);
      args.push('--setenv', e.slice(0, eq), e.slice(eq + 1));
    }
    if (!asUser) {
      args.push('--chdir', spec.cwd, '--', ...spec.argv);
      return args;
    }
    const { uid, gid, groups = [] } = spec.user;
    const groupArgs = groups.length > 0 ? ['--groups', groups.join(',')] : ['--clear-groups'];
    args.push('--', SETPRIV, `--regid=${gid}`, ...groupArgs, '--');
    args.push(UNSHARE, `--root=${spec.rootfs}`, `--wd=${spec.cwd}`, `--setuid=${uid}`, '--', ...spec.argv);
    return args;
  }
}
