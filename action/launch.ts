// How the action starts the executor on a runner. GitHub's Ubuntu 24.04 runners run steps as a
// non-root user with passwordless sudo, and AppArmor there refuses unprivileged user namespaces,
// so the executor's own non-root mode (a user namespace) cannot start: the action then runs it
// with sudo, where it picks its chroot sandbox. Self-hosted and ARC runners in unprivileged pods
// run as root in the pod, or allow user namespaces: no sudo. The choice is logged with its reason.
// KANIKO_TS_LAUNCH=sudo|direct overrides the choice (auto, the default, is the above).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface LaunchFacts {
  uid: number;
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns is 1 (Ubuntu ≥ 23.10). */
  appArmorRestrictsUserns: boolean;
  /** /proc/sys/kernel/unprivileged_userns_clone is 0 (Debian's switch); false when absent. */
  usernsCloneDisabled: boolean;
  /** `sudo -n true` succeeds. */
  passwordlessSudo: boolean;
}

export interface Launch {
  /** Prepended to the executor command (e.g. sudo keeping the environment). */
  prefix: string[];
  /** One line for the log: which way and why. */
  reason: string;
  /** Files the executor writes are root's: the post step needs sudo to remove them. */
  asRoot: boolean;
}

/** The variable a runner (or a test) sets to force one way. */
export const LAUNCH_ENV = 'KANIKO_TS_LAUNCH';

export type LaunchMode = 'auto' | 'sudo' | 'direct';

export class LaunchError extends Error {
  override name = 'LaunchError';
}

/** KANIKO_TS_LAUNCH: auto (default, also when unset or empty), sudo or direct. */
export function launchMode(env: NodeJS.ProcessEnv): LaunchMode {
  const value = (env[LAUNCH_ENV] ?? '').trim();
  if (value === '') return 'auto';
  if (value === 'auto' || value === 'sudo' || value === 'direct') return value;
  throw new LaunchError(`${LAUNCH_ENV}=${value}: expected auto, sudo or direct`);
}

// --preserve-env: the executor needs the step's environment (DOCKER_CONFIG, KANIKO_TS_BWRAP, secrets).
const SUDO = ['sudo', '--non-interactive', '--preserve-env', '--'];

export function chooseLaunch(f: LaunchFacts, mode: LaunchMode = 'auto'): Launch {
  if (mode === 'direct')
    return {
      prefix: [],
      reason: `${LAUNCH_ENV}=direct: the executor runs as this user (uid ${f.uid}) and picks its sandbox`,
      asRoot: f.uid === 0,
    };
  if (mode === 'sudo') {
    if (f.uid === 0)
      return {
        prefix: [],
        reason: `${LAUNCH_ENV}=sudo, already root: the executor runs directly and picks its sandbox`,
        asRoot: true,
      };
    if (!f.passwordlessSudo)
      throw new LaunchError(
        `${LAUNCH_ENV}=sudo but this user (uid ${f.uid}) has no passwordless sudo (sudo -n true fails); set it to auto or direct`,
      );
    return {
      prefix: [...SUDO],
      reason: `${LAUNCH_ENV}=sudo: running the executor with sudo (chroot sandbox)`,
      asRoot: true,
    };
  }
  if (f.uid === 0)
    return { prefix: [], reason: 'running as root: the executor picks its sandbox', asRoot: true };
  const usernsBlocked = f.appArmorRestrictsUserns || f.usernsCloneDisabled;
  if (!usernsBlocked)
    return {
      prefix: [],
      reason: 'not root, user namespaces allowed: the executor runs in one',
      asRoot: false,
    };
  const why = f.appArmorRestrictsUserns
    ? 'AppArmor restricts unprivileged user namespaces'
    : 'unprivileged user namespaces are disabled';
  if (f.passwordlessSudo)
    return {
      prefix: [...SUDO],
      reason: `${why}: running the executor with sudo (chroot sandbox)`,
      asRoot: true,
    };
  return {
    prefix: [],
    reason: `${why} and there is no passwordless sudo: the executor falls back to its unprivileged sandbox`,
    asRoot: false,
  };
}

function sysctl(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Reads the facts from this machine (process uid, /proc/sys, sudo -n). */
export function launchFacts(): LaunchFacts {
  const uid = process.getuid?.() ?? 0;
  return {
    uid,
    appArmorRestrictsUserns: sysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1',
    usernsCloneDisabled: sysctl('/proc/sys/kernel/unprivileged_userns_clone') === '0',
    passwordlessSudo: uid !== 0 && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
  };
}

/** How to start the executor here, as the step's KANIKO_TS_LAUNCH asks (read first: a wrong value starts nothing). */
export function launchFor(env: NodeJS.ProcessEnv): Launch {
  const mode = launchMode(env);
  return chooseLaunch(launchFacts(), mode);
}
