// Runs external tools (skopeo, umoci, debootstrap, dockerd...) for the test rig.
import { spawn } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** Resolve with the exit code instead of throwing when the command fails. */
  allowFailure?: boolean;
}

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      // No input: nothing to write, so no EPIPE when the child exits first.
      stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? (signal ? 128 : 1),
      };
      if (result.code !== 0 && !opts.allowFailure) {
        const tail = result.stderr.trim().split('\n').slice(-15).join('\n');
        reject(
          new Error(
            `${cmd} ${args.join(' ')} exited ${result.code}${signal ? ` (${signal})` : ''}:\n${tail}`,
          ),
        );
        return;
      }
      resolve(result);
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}
