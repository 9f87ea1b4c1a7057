// Runs the build tools the bundle needs (ldd, strip, patchelf, node, postject) and turns a failure
// into one line naming the command.
import { execFile } from 'node:child_process';

export class BundleError extends Error {
  override name = 'BundleError';
}

export function runTool(cmd: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, cwd }, (err, stdout, stderr) => {
      if (err) {
        const why = stderr.trim().split('\n').slice(-3).join(' | ') || err.message;
        reject(new BundleError(`${cmd} ${args.join(' ')}: ${why}`));
        return;
      }
      resolve(stdout);
    });
  });
}
