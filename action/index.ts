// Entry of the action's main step (runs.main). In dist/ (npm run build:action) the executor is
// the bundled CLI next to this file, dist/executor/kaniko-ts.js, run with the runner's own Node;
// from source it is this repository's bin/kaniko-ts.js. KANIKO_TS_EXECUTOR overrides both.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAction } from './main.ts';

function executorCommand(): string[] {
  const override = process.env.KANIKO_TS_EXECUTOR;
  if (override) return [override];
  const bundled = fileURLToPath(new URL('./executor/kaniko-ts.js', import.meta.url));
  if (existsSync(bundled)) return [process.execPath, bundled];
  return [process.execPath, fileURLToPath(new URL('../bin/kaniko-ts.js', import.meta.url))];
}

await runAction({ executor: executorCommand() });
