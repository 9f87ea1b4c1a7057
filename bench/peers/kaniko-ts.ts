// kaniko-ts itself, run as a user would: the executor as it ships (the bundle the GitHub Action
// runs, dist/executor, built here from the working tree) in its own Node process under GNU time,
// with an empty --kaniko-dir every run (no local state). Warm = the registry layer cache (--cache-repo)
// filled by one unmeasured build; measured runs still start with an empty --kaniko-dir.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXECUTOR_NODE_FLAGS } from '../../src/cli/node-flags.ts';
import { measureSequence, unmountUnder } from './measure.ts';
import type { Builder, PeerOptions, RunOutcome, Scenario } from './types.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(REPO, 'node_modules', '.bin', 'node');

export function createKanikoTs(opts: PeerOptions): Builder {
  const runs = new Map<string, number>();
  const dist = join(opts.workDir, 'dist');
  const CLI = join(dist, 'executor', 'kaniko-ts.js');
  /** The shipped bundle, built once from the working tree before the first (unmeasured) use. */
  let bundled: Promise<unknown> | undefined;
  const bundle = () => {
    bundled ??= promisify(execFile)(NODE, [join(REPO, 'scripts', 'build-action.ts'), '--out', dist], {
      cwd: REPO,
    });
    return bundled;
  };

  // Started as the GitHub Action starts it: the executor's Node flags, then the bundled CLI.
  const args = (s: Scenario, registry: string, kanikoDir: string): string[] => [
    ...EXECUTOR_NODE_FLAGS,
    CLI,
    '--context',
    s.dir,
    '--dockerfile',
    join(s.dir, 'Dockerfile'),
    '--destination',
    `${registry}/bench/${s.name}:kaniko-ts`,
    '--build-arg',
    `REGISTRY=${registry}`,
    '--insecure',
    '--insecure-pull',
    '--kaniko-dir',
    kanikoDir,
    ...(s.warm ? ['--cache=true', '--cache-repo', `${registry}/bench/cache`] : []),
  ];

  /** A fresh, empty --kaniko-dir, removed first with anything a killed run left mounted in it. */
  const emptyKanikoDir = async () => {
    const dir = join(opts.workDir, 'kaniko');
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  };

  return {
    name: 'kaniko-ts',
    method:
      `the GitHub Action's executor (dist/), started as the action starts it: \`node ${EXECUTOR_NODE_FLAGS.join(' ')} dist/executor/kaniko-ts.js\`. ` +
      'cold: an empty `--kaniko-dir` per run (warm: the registry cache filled by one unmeasured build, still an empty `--kaniko-dir`). Peak RSS and CPU: GNU time (`%M`; `%U + %S`) around the CLI, i.e. the Node process and the children it waited for.',
    async version() {
      const { stdout } = await promisify(execFile)('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
      const { stdout: node } = await promisify(execFile)(NODE, ['--version']);
      return `kaniko-ts at ${stdout.trim()} (working tree, bundled as dist/), Node ${node.trim()}`;
    },
    async prepareCold() {
      await bundle();
      await emptyKanikoDir();
    },
    async prepareWarm(s, registry) {
      await bundle();
      const dir = await emptyKanikoDir();
      const warmup = await measureSequence([[NODE, args(s, registry, dir)]], {
        logFile: opts.logFile(s.name, 'warmup'),
        rss: false,
        timeoutMs: opts.timeoutMs,
      });
      if (!warmup.ok) throw new Error(`warm-up build failed: ${warmup.error}`);
    },
    async build(s, registry): Promise<RunOutcome> {
      const n = (runs.get(s.name) ?? 0) + 1;
      runs.set(s.name, n);
      const dir = await emptyKanikoDir();
      const r = await measureSequence([[NODE, args(s, registry, dir)]], {
        logFile: opts.logFile(s.name, `run${n}`),
        rss: true,
        timeoutMs: opts.timeoutMs,
      });
      return {
        seconds: r.seconds,
        peakRssMb: r.maxRssKb / 1024,
        cpuSeconds: r.cpuSeconds,
        ok: r.ok,
        ...(r.error ? { error: r.error } : {}),
      };
    },
    async close() {
      await unmountUnder(opts.workDir);
      await rm(opts.workDir, { recursive: true, force: true });
    },
  };
}
