// Entry of the action's main step (runs.main): the executor is the CLI next to this file in the
// bundle (executor.js), else this repository's bin/kaniko-ts.js; KANIKO_TS_EXECUTOR overrides.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runAction } from './main.ts';

function executorCommand(): string[] {
  const override = process.env.KANIKO_TS_EXECUTOR;
  if (override) return [override];
  const bundled = fileURLToPath(new URL('./executor.js', import.meta.url));
  if (existsSync(bundled)) return [process.execPath, bundled];
  return [process.execPath, fileURLToPath(new URL('../bin/kaniko-ts.js', import.meta.url))];
}

await runAction({ executor: executorCommand() });
