// An ordinary, non-root user for tests of rootless building: created once on this machine with
// a subordinate uid/gid range in /etc/subuid and /etc/subgid (as useradd would give), then used to
// run commands with no capability at all. Creation is serialised with flock, so parallel test
// files can all ask for it.
import { execFile, spawn } from 'node:child_process';
import { access, constants, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { RunOptions, RunResult } from './exec.ts';

// execFile writes nothing to stdin (exec.ts's run can hit EPIPE with commands this quick).
const execFileP = promisify(execFile);
async function out(cmd: string, args: string[]): Promise<string> {
  return (await execFileP(cmd, args)).stdout;
}

export interface IdRange {
  start: number;
  count: number;
}

export interface UnprivilegedUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  subuid: IdRange;
  subgid: IdRange;
}

export const TEST_USER = 'kts-builder';
const RANGE_COUNT = 65536;
const RANGE_FLOOR = 300000;

async function rangeOf(file: string, name: string): Promise<IdRange | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.split(':');
    if (owner === name) return { start: Number(start), count: Number(count) };
  }
  return undefined;
}

/** Why unprivileged user namespaces cannot work here, or undefined when they can. */
export async function userNamespacesBlocked(): Promise<string | undefined> {
  const max = await readFile('/proc/sys/user/max_user_namespaces', 'utf8').catch(() => '1');
  if (Number(max.trim()) === 0) return 'sysctl user.max_user_namespaces is 0';
  const clone = await readFile('/proc/sys/kernel/unprivileged_userns_clone', 'utf8').catch(() => '1');
  if (clone.trim() === '0') return 'sysctl kernel.unprivileged_userns_clone is 0';
  for (const tool of ['/usr/bin/newuidmap', '/usr/bin/newgidmap']) {
    const st = await stat(tool).catch(() => undefined);
    const runnable = await access(tool, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!st || !runnable || (st.mode & 0o4000) === 0)
      return `${tool} is missing or not setuid (Debian package uidmap)`;
  }
  return undefined;
}

/** Creates (once) and returns the test user with its subordinate ranges. Needs root. */
export async function ensureUnprivilegedUser(name: string = TEST_USER): Promise<UnprivilegedUser> {
  // One shell script under an exclusive lock: create the user and the ranges if missing,
  // choosing ranges above every range already handed out.
  const script = `
set -e
id -u "$1" >/dev/null 2>&1 || useradd --create-home --user-group --shell /bin/sh "$1"
if ! grep -q "^$1:" /etc/subuid 2>/dev/null || ! grep -q "^$1:" /etc/subgid 2>/dev/null; then
  top=$(cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: -v floor=${RANGE_FLOOR} 'BEGIN{m=floor} NF==3 && $2+$3>m {m=$2+$3} END{print m}')
  grep -q "^$1:" /etc/subuid 2>/dev/null || usermod --add-subuids "$top-$((top + ${RANGE_COUNT} - 1))" "$1"
  grep -q "^$1:" /etc/subgid 2>/dev/null || usermod --add-subgids "$top-$((top + ${RANGE_COUNT} - 1))" "$1"
fi
`;
  await out('flock', ['/run/lock/kaniko-ts-test-user.lock', 'sh', '-c', script, 'sh', name]);
  const uid = Number((await out('id', ['-u', name])).trim());
  const gid = Number((await out('id', ['-g', name])).trim());
  const home = (await out('getent', ['passwd', name])).split(':')[5] ?? `/home/${name}`;
  const subuid = await rangeOf('/etc/subuid', name);
  const subgid = await rangeOf('/etc/subgid', name);
  if (!subuid || !subgid) throw new Error(`${name} has no range in /etc/subuid or /etc/subgid`);
  return { name, uid, gid, home, subuid, subgid };
}

/** unshare arguments giving `user` the mapping a rootless build uses: itself as 0, its range as 1..n. */
export function userNamespaceArgs(user: UnprivilegedUser): string[] {
  return [
    '--user',
    '--map-root-user',
    `--map-users=${user.subuid.start},1,${user.subuid.count}`,
    `--map-groups=${user.subgid.start},1,${user.subgid.count}`,
  ];
}

/** Runs a command as `user` (no supplementary groups, a login-like environment). */
export function runAs(
  user: UnprivilegedUser,
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      uid: user.uid,
      gid: user.gid,
      cwd: opts.cwd ?? user.home,
      env: {
        HOME: user.home,
        USER: user.name,
        LOGNAME: user.name,
        PATH: '/usr/local/bin:/usr/bin:/bin',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? (signal ? 128 : 1),
      };
      if (result.code !== 0 && !opts.allowFailure) {
        reject(
          new Error(
            `${cmd} ${args.join(' ')} as ${user.name} exited ${result.code}: ${result.stderr.trim()}`,
          ),
        );
        return;
      }
      resolve(result);
    });
    child.stdin.end(opts.input ?? '');
  });
}
