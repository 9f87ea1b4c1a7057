// The user-namespace model of rootless buildah/podman: a non-root builder re-executes itself in
// a user namespace where it is root, with its own uid as 0 and its whole subordinate range
// (/etc/subuid, /etc/subgid, mapped by newuidmap/newgidmap) as 1..n. Extraction with image
// owners, chown and useradd in RUN then work, and the snapshotter reads in-image owners.
// Inside, RUNs use the chroot sandbox. Without a subordinate range only the caller's own uid is
// mapped (to 0): a fallback that works for most builds, announced with a warning.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { SandboxError } from './errors.ts';

const UNSHARE = '/usr/bin/unshare';
/** Set in the re-executed process so it never tries to enter a namespace twice. */
export const USERNS_ENV = 'KANIKO_TS_IN_USERNS';

export interface IdRange {
  start: number;
  count: number;
}

export interface IdMapEntry {
  inside: number;
  outside: number;
  count: number;
}

function parseMap(text: string): IdMapEntry[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every((n) => Number.isFinite(n)))
    .map(([inside, outside, count]) => ({ inside: inside!, outside: outside!, count: count! }));
}

/** The calling process's uid map (/proc/self/uid_map). */
export async function uidMap(): Promise<IdMapEntry[]> {
  return parseMap(await readFile('/proc/self/uid_map', 'utf8'));
}

/** True inside a user namespace other than the initial one (whose map is 0 0 4294967295). */
export async function inUserNamespace(): Promise<boolean> {
  const map = await uidMap();
  return !(map.length === 1 && map[0]!.inside === 0 && map[0]!.outside === 0 && map[0]!.count === 4294967295);
}

/** First range of /etc/subuid or /etc/subgid owned by `name` or the numeric `id`. */
export async function subordinateRange(file: string, name: string, id: number): Promise<IdRange | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.trim().split(':');
    if (owner !== name && owner !== String(id)) continue;
    const s = Number(start);
    const c = Number(count);
    if (Number.isInteger(s) && Number.isInteger(c) && c > 0) return { start: s, count: c };
  }
  return undefined;
}

export interface UserNamespacePlan {
  /** The unshare arguments (before `--`). */
  args: string[];
  /** Full subordinate ranges mapped, or only the caller's own ids. */
  mapping: 'subordinate' | 'single';
  /** Set for the single-id fallback: why the full mapping is not possible. */
  warning?: string;
}

/** How this user would enter a namespace: full subordinate mapping when possible. */
export async function planUserNamespace(): Promise<UserNamespacePlan> {
  const me = userInfo();
  const uids = await subordinateRange('/etc/subuid', me.username, me.uid);
  const gids = await subordinateRange('/etc/subgid', me.username, me.uid);
  const tools = existsSync('/usr/bin/newuidmap') && existsSync('/usr/bin/newgidmap');
  if (uids && gids && tools) {
    return {
      mapping: 'subordinate',
      args: [
        '--user',
        '--map-root-user',
        `--map-users=${uids.start},1,${uids.count}`,
        `--map-groups=${gids.start},1,${gids.count}`,
      ],
    };
  }
  const missing = !tools
    ? 'newuidmap/newgidmap are missing (Debian package uidmap)'
    : `${me.username} has no range in ${uids ? '/etc/subgid' : '/etc/subuid'}`;
  return {
    mapping: 'single',
    args: ['--user', '--map-root-user'],
    warning: `${missing}: only uid ${me.uid} is mapped (to root); chown to other users in RUN fails and every file belongs to root`,
  };
}

/** Whether an unprivileged user namespace can be created here (quick probe). */
export function canCreateUserNamespace(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(UNSHARE, ['--user', '--map-root-user', '/bin/true'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

export interface EnterOptions {
  /** Told about the single-id fallback. */
  warn?: (message: string) => void;
}

/**
 * For a non-root caller: runs `argv` (normally this very CLI: process.execPath plus its
 * arguments) inside a new user namespace as its root, waits for it and resolves with its exit
 * code, which the caller should exit with. SIGINT and SIGTERM are passed on. Resolves undefined
 * when nothing is to be done (already root, or already inside the namespace).
 */
export async function enterUserNamespace(
  argv: string[],
  opts: EnterOptions = {},
): Promise<number | undefined> {
  if (process.getuid?.() === 0 || process.env[USERNS_ENV] === '1') return undefined;
  if (!(await canCreateUserNamespace())) {
    throw new SandboxError(
      'unprivileged user namespaces are not allowed here (see sysctl user.max_user_namespaces and kernel.unprivileged_userns_clone); run as root, or use --sandbox=proot',
      'userns',
    );
  }
  const plan = await planUserNamespace();
  if (plan.warning) opts.warn?.(plan.warning);
  const child = spawn(UNSHARE, [...plan.args, '--', ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [USERNS_ENV]: '1' },
  });
  const forward = (sig: NodeJS.Signals): void => {
    child.kill(sig);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolve(code ?? 128 + (sig === 'SIGINT' ? 2 : 15)));
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
