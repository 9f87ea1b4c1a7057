// Starts a long-running helper process (registry, dockerd) and waits for the log line that
// says it is ready, so tests synchronise on the daemon itself rather than on sleeps.
import { type ChildProcess, spawn } from 'node:child_process';

export interface Daemon {
  readonly process: ChildProcess;
  /** Everything the process printed so far, for error messages. */
  log(): string;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  /** A line on stdout or stderr that means the daemon is ready. */
  ready: RegExp;
  /** Give up if the ready line has not appeared after this long (a hung daemon, not a timing). */
  timeoutMs?: number;
}

export function startDaemon(cmd: string, args: readonly string[], opts: DaemonOptions): Promise<Daemon> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let ready = false;
    let exited = false;
    const exitPromise = new Promise<void>((res) => child.once('exit', () => res()));
    const daemon: Daemon = {
      process: child,
      log: () => output,
      async stop() {
        if (!exited) {
          child.kill('SIGTERM');
          await exitPromise;
        }
      },
    };
    const timer = setTimeout(() => {
      if (!ready) {
        child.kill('SIGKILL');
        reject(new Error(`${cmd} did not become ready:\n${output.slice(-2000)}`));
      }
    }, opts.timeoutMs ?? 60_000);
    const onData = (b: Buffer) => {
      output += b.toString('utf8');
      if (output.length > 200_000) output = output.slice(-100_000);
      if (!ready && opts.ready.test(output)) {
        ready = true;
        clearTimeout(timer);
        resolve(daemon);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`${cmd} exited (${code ?? signal}) before it was ready:\n${output.slice(-2000)}`));
      }
    });
  });
}
