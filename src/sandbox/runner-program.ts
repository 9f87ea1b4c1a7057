// The process that lives inside a stage's sandbox and starts its RUN commands, so a RUN costs a
// fork and exec instead of a new sandbox. It imports only node: modules (it runs with the
// image as `/`). Protocol: one JSON request per line on stdin; each command's stdout and stderr
// are this process's own, followed by an end marker on both; one JSON result per line on fd 3.
import { spawn } from 'node:child_process';
import { readdirSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';

export interface RunnerRequest {
  id: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  gid: number;
}

export interface RunnerResult {
  id: number;
  exitCode: number;
  signal?: string;
  /** Set when the command could not be started (e.g. not found). */
  error?: string;
}

/** Written on stdout and stderr after a command's own output, so none is attributed to the next. */
export const endMarker = (id: number): string => `\u0000kts-run-end-${id}\u0000`;

/** Every process of this PID namespace but init (1) and this runner: what a RUN left running. */
function killLeftovers(): void {
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}

function runOne(req: RunnerRequest): Promise<RunnerResult> {
  return new Promise((resolve) => {
    const child = spawn(req.argv[0]!, req.argv.slice(1), {
      cwd: req.cwd,
      env: req.env,
      uid: req.uid,
      gid: req.gid,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({
        id: req.id,
        exitCode: e.code === 'ENOENT' ? 127 : 126,
        error: `${req.argv[0]}: ${e.code ?? e.message}`,
      });
    });
    child.on('exit', (code, signal) => {
      if (signal) resolve({ id: req.id, exitCode: 128 + (constants.signals[signal] ?? 0), signal });
      else resolve({ id: req.id, exitCode: code ?? 1 });
    });
  });
}

export async function runnerMain(): Promise<void> {
  // Killing leftovers means killing every other process it can see: only ever do that as the
  // first child of bubblewrap's init in a PID namespace of its own (pid 2 there; never on a host).
  if (process.pid > 2) {
    process.stderr.write('kaniko-ts runner: not in a PID namespace of its own; refusing to start\n');
    process.exitCode = 70;
    return;
  }
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === '') continue;
    const req = JSON.parse(line) as RunnerRequest;
    const result = await runOne(req);
    killLeftovers();
    const marker = endMarker(req.id);
    writeSync(1, marker);
    writeSync(2, marker);
    writeSync(3, `${JSON.stringify(result)}\n`);
  }
}

// Run from source as the entry point inside a sandbox (the single executable dispatches in main).
if (import.meta.main && process.env.KANIKO_TS_SANDBOX_RUNNER === '1') await runnerMain();
