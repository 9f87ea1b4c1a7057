// The command the action runs the executor with. In dist/ (npm run build:action) it is the
// bundled CLI next to this file, dist/executor/kaniko-ts.js, run with the runner's own Node and
// the executor's Node flags; from source it is this repository's bin/kaniko-ts.js.
// KANIKO_TS_EXECUTOR overrides both.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXECUTOR_NODE_FLAGS } from '../src/cli/node-flags.ts';

export function executorCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env.KANIKO_TS_EXECUTOR;
  if (override) return [override];
  const bundled = fileURLToPath(new URL('./executor/kaniko-ts.js', import.meta.url));
  const entry = existsSync(bundled)
    ? bundled
    : fileURLToPath(new URL('../bin/kaniko-ts.js', import.meta.url));
  return [process.execPath, ...EXECUTOR_NODE_FLAGS, entry];
}
