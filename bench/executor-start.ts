// Start time of the single executable /kaniko/executor in its two roles, each in a bubblewrap
// sandbox with the tree at /kaniko, as the tests and the image run it:
//   version  `/kaniko/executor --version` to its exit;
//   runner   the warm RUN runner (KANIKO_TS_SANDBOX_RUNNER=1) from spawn to its answer to one
//            request running /bin/true (in its own PID namespace, as the build starts it);
//   node     the stock node binary it is made from, `-e 0`: the floor.
// The roles take turns run by run, so load from elsewhere hits them alike. Wall time (to the exit,
// or to the runner's answer) and CPU time (user + system of the whole process tree, by GNU time:
// steadier than wall time on a loaded machine).
//   node bench/executor-start.ts [--tree DIR (an `npm run bundle` output; built if absent)] [--runs 15]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBundle, defaultNodeBinary } from '../scripts/bundle/bundle.ts';

const { values } = parseArgs({
  options: { tree: { type: 'string' }, runs: { type: 'string', default: '15' } },
  strict: true,
});
const runs = Number(values.runs);

interface Started {
  ms: number;
  cpuMs: number;
  out: string;
}

/** argv under GNU time, writing `user system` seconds to `file`. */
function timed(argv: string[], file: string): string[] {
  return ['/usr/bin/time', '-f', '%U %S', '-o', file, ...argv];
}

async function cpuMs(file: string): Promise<number> {
  const [user, system] = (await readFile(file, 'utf8')).trim().split(/\s+/).slice(-2).map(Number);
  return ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000;
}

/** Runs argv to its exit; the time from spawn to exit. */
function timeExit(argv: string[], env: NodeJS.ProcessEnv, cpuFile: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const full = timed(argv, cpuFile);
    const child = spawn(full[0]!, full.slice(1), { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code}`));
      else cpuMs(cpuFile).then((cpu) => resolve({ ms, cpuMs: cpu, out }), reject);
    });
  });
}

/** Starts the runner role, sends one request and times its result line on fd 3; then ends it. */
function timeRunner(argv: string[], cpuFile: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const full = timed(argv, cpuFile);
    const child = spawn(full[0]!, full.slice(1), {
      env: { PATH: '/usr/bin:/bin' },
      stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
    });
    const results = child.stdio[3] as NodeJS.ReadableStream;
    let line = '';
    let ms = 0;
    results.on('data', (d: Buffer) => {
      line += d.toString();
      if (ms === 0 && line.includes('\n')) {
        ms = performance.now() - t0;
        child.stdin!.end();
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      if (ms === 0) reject(new Error(`the runner gave no result: ${line}`));
      else cpuMs(cpuFile).then((cpu) => resolve({ ms, cpuMs: cpu, out: line }), reject);
    });
    const req = { id: 1, argv: ['/bin/true'], env: { PATH: '/usr/bin:/bin' }, cwd: '/', uid: 0, gid: 0 };
    child.stdin!.write(`${JSON.stringify(req)}\n`);
  });
}

function summary(runs: Started[], withCpu = true): string {
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `best ${s[0]!.toFixed(0).padStart(4)} ms, median ${s[Math.floor(s.length / 2)]!.toFixed(0).padStart(4)} ms`;
  };
  const wall = `wall ${stat(runs.map((r) => r.ms))}`;
  return withCpu ? `${wall};  cpu ${stat(runs.map((r) => r.cpuMs))}` : wall;
}

const scratch = await mkdtemp(join(tmpdir(), 'kts-bench-start-'));
const cpuFile = join(scratch, 'cpu');
let tree = values.tree;
if (tree === undefined) {
  tree = join(scratch, 'tree');
  process.stderr.write('building the bundle...\n');
  await buildBundle({ out: tree });
}
try {
  const kaniko = join(tree, 'kaniko');
  // The runner kills every other process of its PID namespace after a command: it must have its own.
  const sandbox = ['bwrap', '--dev-bind', '/', '/', '--bind', kaniko, '/kaniko', '--die-with-parent'];
  const env = { PATH: '/usr/bin:/bin' };
  const times: Record<'node' | 'version' | 'runner', Started[]> = { node: [], version: [], runner: [] };
  for (let i = 0; i < runs; i++) {
    times.node.push(await timeExit([...sandbox, defaultNodeBinary(), '-e', '0'], env, cpuFile));
    const v = await timeExit([...sandbox, '/kaniko/executor', '--version'], env, cpuFile);
    if (!v.out.startsWith('kaniko-ts ')) throw new Error(`unexpected --version output: ${v.out}`);
    times.version.push(v);
    const r = await timeRunner(
      [
        ...sandbox,
        '--unshare-pid',
        '--proc',
        '/proc',
        '--setenv',
        'KANIKO_TS_SANDBOX_RUNNER',
        '1',
        '/kaniko/executor',
      ],
      cpuFile,
    );
    if (!/"exitCode":0/.test(r.out)) throw new Error(`unexpected runner result: ${r.out}`);
    times.runner.push(r);
  }
  const load = (await readFile('/proc/loadavg', 'utf8')).trim();
  process.stdout.write(`executor start, ${runs} runs each (loadavg ${load}):\n`);
  process.stdout.write(`  node -e 0 (floor)     ${summary(times.node)}\n`);
  process.stdout.write(`  executor --version    ${summary(times.version)}\n`);
  // GNU time sees no CPU time of a process in another PID namespace.
  process.stdout.write(`  runner, first answer  ${summary(times.runner, false)}\n`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
