// The README's main job. Until the executor lands it shows the CLI runs on Node 24; the executor
// issue turns this into a real build of examples/hello against a local registry.
import { spawnSync } from 'node:child_process';

const r = spawnSync(process.execPath, ['bin/kaniko-ts.js', '--version'], { stdio: 'inherit' });
console.log('example: building images lands with the executor (issue 7); this run checked the CLI only');
process.exitCode = r.status ?? 1;
