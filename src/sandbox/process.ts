// Spawns the sandbox's outer process, streams its output, and stops the whole process tree on
// abort: SIGTERM to every descendant (daemons that called setsid included), SIGKILL after a grace.
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import type { RunResult, RunSpec } from './types.ts';

const DEFAULT_GRACE_MS = 2000;

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
}

async function processes(): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...; comm may hold spaces and parentheses.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (open < 0 || close < 0) continue;
    const fields = stat.slice(close + 2).split(' ');
    out.push({ pid: Number(name), ppid: Number(fields[1]), comm: stat.slice(open + 1, close) });
  }
  return out;
}

/** Every descendant of `root` (not `root` itself), parents before children. */
export async function descendants(root: number): Promise<ProcInfo[]> {
  const all = await processes();
  const found: ProcInfo[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

function signalName(n: number): string | undefined {
  for (const [name, num] of Object.entries(constants.signals)) if (num === n) return name;
  return undefined;
}

export interface SpawnedRun {
  /** Processes that only manage the sandbox (bwrap, proot): spared by SIGTERM, killed last. */
  managerComms?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  uid?: number;
  gid?: number;
}

/** Runs `cmd args` for a RUN spec and resolves with its exit status; rejects only if it cannot start. */
export function runProcess(
  cmd: string,
  args: string[],
  spec: RunSpec,
  opts: SpawnedRun = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (spec.signal?.aborted) {
      resolve({ exitCode: 128 + constants.signals.SIGKILL, signal: 'SIGKILL' });
      return;
    }
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? {},
      cwd: opts.cwd,
      uid: opts.uid,
      gid: opts.gid,
      detached: true,
    });
    child.stdout.pipe(spec.stdout, { end: false });
    child.stderr.pipe(spec.stderr, { end: false });
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const managers = new Set(opts.managerComms ?? []);

    const killAll = async (sig: NodeJS.Signals): Promise<void> => {
      const pid = child.pid;
      if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const tree = await descendants(pid);
      for (const p of tree) {
        if (sig === 'SIGTERM' && managers.has(p.comm)) continue;
        try {
          process.kill(p.pid, sig);
        } catch {}
      }
      // Managers die last (killing bwrap's outer process tears the pid namespace down at once).
      const spareManagers = sig === 'SIGTERM' && managers.size > 0;
      if (spareManagers) return;
      for (const target of [-pid, pid]) {
        try {
          // The process group too: catches children not yet visible in /proc when it was read.
          process.kill(target, sig);
        } catch {}
      }
    };
    const onAbort = (): void => {
      aborted = true;
      void killAll('SIGTERM');
      killTimer = setTimeout(() => void killAll('SIGKILL'), spec.killGraceMs ?? DEFAULT_GRACE_MS);
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (e) => {
      spec.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      reject(e);
    });
    child.on('close', (code, sig) => {
      spec.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (sig) {
        const n = constants.signals[sig] ?? 0;
        resolve({ exitCode: 128 + n, signal: sig });
        return;
      }
      const exitCode = code ?? 1;
      if (aborted && exitCode > 128) {
        const name = signalName(exitCode - 128);
        resolve(name ? { exitCode, signal: name } : { exitCode });
        return;
      }
      resolve({ exitCode });
    });
  });
}
