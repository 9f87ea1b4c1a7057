// Whether a build RUNs in place: decided before the sandbox is chosen (the stage roots depend on
// it), without loading any sandbox.
import { existsSync } from 'node:fs';

/** Carried by the project's executor image; the only evidence in-place mode is ever chosen on. */
export const EXECUTOR_IMAGE_MARKER = '/kaniko/.kaniko-ts-executor';

/** Whether selectSandbox will choose in-place mode: forced, or as root inside the executor image. */
export function choosesInPlace(opts: { forced?: string; markerPath?: string }): boolean {
  if (opts.forced !== undefined) return opts.forced === 'in-place';
  return process.getuid?.() === 0 && existsSync(opts.markerPath ?? EXECUTOR_IMAGE_MARKER);
}
