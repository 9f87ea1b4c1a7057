// Picks the RUN sandbox, or takes the one forced by flag, and says why in one line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BWRAP_ENV, bwrapPath, ChrootSandbox, type LeftBehindHook } from './chroot.ts';
import { SandboxError } from './errors.ts';
import { InPlaceSandbox } from './in-place.ts';
import { choosesInPlace } from './in-place-choice.ts';
import { PROOT, ProotSandbox } from './proot.ts';
import type { Sandbox, SandboxName } from './types.ts';
import { canCreateUserNamespace, inUserNamespace, uidMap } from './userns.ts';

export { choosesInPlace, EXECUTOR_IMAGE_MARKER } from './in-place-choice.ts';

export interface SelectOptions {
  forced?: SandboxName;
  /** The rootfs the build will use (`/` for in-place). */
  rootfs: string;
  /** Told about degraded behaviour (proot's network, in-place limits). */
  warn?: (message: string) => void;
  /** Told about mount targets a RUN kept alive (it wrote into them), relative to the rootfs. */
  onLeftBehind?: LeftBehindHook;
  /** For tests: where the executor-image marker is looked for. */
  markerPath?: string;
}

function succeeds(cmd: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Can this process give a RUN its own mount and pid namespaces (as root, or root of a userns)? */
export function canUseMountNamespaces(): Promise<boolean> {
  const bwrap = bwrapPath();
  if (!existsSync(bwrap)) return Promise.resolve(false);
  return succeeds(bwrap, [
    '--bind',
    '/',
    '/',
    '--unshare-pid',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '/bin/true',
  ]);
}

async function namespaceSandbox(opts: SelectOptions, forced: boolean): Promise<Sandbox> {
  const extra = opts.onLeftBehind ? { onLeftBehind: opts.onLeftBehind } : {};
  if (await inUserNamespace()) {
    const map = await uidMap();
    const ids = map.reduce((n, e) => n + e.count, 0);
    const reason = `${forced ? 'forced' : 'running as root of a user namespace'} (${ids} uid${ids === 1 ? '' : 's'} mapped): RUN in bubblewrap inside it`;
    return new ChrootSandbox({ name: 'userns', reason, ...extra });
  }
  const reason = `${forced ? 'forced' : 'running as root with mount-namespace rights'}: RUN in bubblewrap with the rootfs as /`;
  return new ChrootSandbox({ name: 'chroot', reason, ...extra });
}

/** A bwrap named by $KANIKO_TS_BWRAP must be there: falling back to another sandbox would hide the mistake. */
function assertBwrapOverride(): void {
  const bwrap = bwrapPath();
  if (process.env[BWRAP_ENV] && !existsSync(bwrap))
    throw new SandboxError(`${BWRAP_ENV}=${bwrap}: no such file (it names the bubblewrap program to run)`);
}

const ROOTLESS_HINT =
  'a non-root build must first re-execute itself in a user namespace (enterUserNamespace) before choosing a sandbox';

export async function selectSandbox(opts: SelectOptions): Promise<Sandbox> {
  const warn = opts.warn ? { warn: opts.warn } : {};
  const root = process.getuid?.() === 0;
  switch (opts.forced) {
    case 'in-place':
      return new InPlaceSandbox({ reason: 'forced: RUN straight in this container', ...warn });
    case 'proot':
      if (!existsSync(PROOT)) throw new SandboxError(`${PROOT} is missing (Debian package proot)`, 'proot');
      return new ProotSandbox({ reason: 'forced: RUN under proot', ...warn });
    case 'chroot':
    case 'userns':
      if (!root) throw new SandboxError(ROOTLESS_HINT, opts.forced);
      assertBwrapOverride();
      if (!(await canUseMountNamespaces())) {
        throw new SandboxError('bubblewrap cannot create mount and pid namespaces here', opts.forced);
      }
      if (opts.forced === 'userns' && !(await inUserNamespace())) {
        throw new SandboxError('this process is not inside a user namespace (run as non-root)', 'userns');
      }
      return namespaceSandbox(opts, true);
    case undefined:
      break;
  }
  if (choosesInPlace(opts)) {
    return new InPlaceSandbox({
      reason: 'inside the kaniko-ts executor image: RUN straight in this container',
      ...warn,
    });
  }
  assertBwrapOverride();
  if (root && (await canUseMountNamespaces())) return namespaceSandbox(opts, false);
  if (!root && (await canCreateUserNamespace())) throw new SandboxError(ROOTLESS_HINT);
  if (existsSync(PROOT)) {
    return new ProotSandbox({
      reason: root
        ? 'no mount-namespace rights (no CAP_SYS_ADMIN): RUN under proot'
        : 'unprivileged user namespaces are not allowed: RUN under proot',
      ...warn,
    });
  }
  throw new SandboxError(
    'no RUN sandbox works here: run as root with CAP_SYS_ADMIN and bubblewrap (chroot; /usr/bin/bwrap or $KANIKO_TS_BWRAP), allow unprivileged user namespaces (userns: sysctl user.max_user_namespaces > 0, kernel.unprivileged_userns_clone=1, a range in /etc/subuid and /etc/subgid), install proot (Debian package proot), or build inside the kaniko-ts executor image (in-place)',
  );
}
