// Start time of the single executable /kaniko/executor in its two roles, each in a bubblewrap
// sandbox with the tree at /kaniko, as the tests and the image run it:
//   version  `/kaniko/executor --version` to its exit;
//   runner   the warm RUN runner (KANIKO_TS_SANDBOX_RUNNER=1) from spawn to its answer to one
//            request running /bin/true (in its own PID namespace, as the build starts it);
//   node     the stock node binary it is made from, `-e 0`: the floor.
// The roles take turns run by run, so load from elsewhere hits them alike.
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
  out: string;
}

/** Runs argv to its exit; the time from spawn to exit. */
function timeExit(argv: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code}`));
      else resolve({ ms: performance.now() - t0, out });
    });
  });
}

/** Starts the runner role, sends one request and times its result line on fd 3; then ends it. */
function timeRunner(argv: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
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
      else resolve({ ms, out: line });
    });
    const req = { id: 1, argv: ['/bin/true'], env: { PATH: '/usr/bin:/bin' }, cwd: '/', uid: 0, gid: 0 };
    child.stdin!.write(`${JSON.stringify(req)}\n`);
  });
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)]!;
  return `best ${s[0]!.toFixed(0)} ms, median ${median.toFixed(0)} ms`;
}

let out: string | undefined;
let tree = values.tree;
if (tree === undefined) {
  out = await mkdtemp(join(tmpdir(), 'kts-bench-start-'));
  process.stderr.write('building the bundle...\n');
  await buildBundle({ out });
  tree = out;
}
try {
  const kaniko = join(tree, 'kaniko');
  // The runner kills every other process of its PID namespace after a command: it must have its own.
  const sandbox = ['bwrap', '--dev-bind', '/', '/', '--bind', kaniko, '/kaniko', '--die-with-parent'];
  const env = { PATH: '/usr/bin:/bin' };
  const times: Record<'node' | 'version' | 'runner', number[]> = { node: [], version: [], runner: [] };
  for (let i = 0; i < runs; i++) {
    times.node.push((await timeExit([...sandbox, defaultNodeBinary(), '-e', '0'], env)).ms);
    const v = await timeExit([...sandbox, '/kaniko/executor', '--version'], env);
    if (!v.out.startsWith('kaniko-ts ')) throw new Error(`unexpected --version output: ${v.out}`);
    times.version.push(v.ms);
    const r = await timeRunner([
      ...sandbox,
      '--unshare-pid',
      '--proc',
      '/proc',
      '--setenv',
      'KANIKO_TS_SANDBOX_RUNNER',
      '1',
      '/kaniko/executor',
    ]);
    if (!/"exitCode":0/.test(r.out)) throw new Error(`unexpected runner result: ${r.out}`);
    times.runner.push(r.ms);
  }
  const load = (await readFile('/proc/loadavg', 'utf8')).trim();
  process.stdout.write(`executor start, ${runs} runs each (loadavg ${load}):\n`);
  process.stdout.write(`  node -e 0 (floor)     ${summary(times.node)}\n`);
  process.stdout.write(`  executor --version    ${summary(times.version)}\n`);
  process.stdout.write(`  runner, first answer  ${summary(times.runner)}\n`);
} finally {
  if (out) await rm(out, { recursive: true, force: true });
}
