// Warm rebuilds with the layer cache (issue 8's targets), kaniko-ts alone:
//   s5 warm: s5-cached-rebuild with the registry cache filled by one unmeasured build, a real
//            push of the result, and no local state (a fresh --kaniko-dir, no --cache-dir);
//   s3 warm: s3-big-copy with the local cache (--cache-dir --cache-copy-layers) filled likewise.
// Each is run from the TypeScript sources (bin/kaniko-ts.js) and as it ships (the GitHub Action's
// bundle, dist/executor, what bench/run.ts measures), to show what Node's start-up and type
// stripping cost at this scale. The cache is filled once per scenario, from the sources.
//   node bench/cache-rebuild.ts [--runs 5] [--variants source,bundle] [--scenarios s5,s3]
//                               [--ref REF]   (build a commit's tree instead of the working tree)
//                               [--write]     (also record the rows in bench/cache-rebuild.json
//                                              and the layer-cache section of bench/RESULTS.md)
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXECUTOR_NODE_FLAGS } from '../src/cli/node-flags.ts';
import { run } from '../test/support/exec.ts';
import { ensureFixtures, pushBaseImages } from '../test/support/fixtures.ts';
import { startRegistry } from '../test/support/registry.ts';
import { measureSequence } from './peers/measure.ts';
import type { CacheRebuilds } from './peers/report.ts';
import { writeCacheRebuilds } from './peers/results-files.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const NODE = join(REPO, 'node_modules', '.bin', 'node');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    variants: { type: 'string', default: 'source,bundle' },
    scenarios: { type: 'string', default: 's5,s3' },
    ref: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const variants = values.variants.split(',');
const scenarios = values.scenarios.split(',');

const markdownRow = (r: CacheRebuilds['rows'][number]) =>
  `| ${r.scenario} | ${r.entry} | ${r.medianSeconds.toFixed(2)} | ${r.minSeconds.toFixed(2)}–${r.maxSeconds.toFixed(2)} | ${r.medianCpuSeconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

await ensureFixtures();
const work = await mkdtemp(join(tmpdir(), 'kts-bench-cache-'));
const reg = await startRegistry();
try {
  await pushBaseImages(reg);
  const contexts = join(work, 'contexts');
  await run('sh', [join(REPO, '..', 'shared', 'bench', 'make-contexts.sh'), contexts]);
  const dist = join(work, 'dist');
  const bundle = join(dist, 'executor', 'kaniko-ts.js');
  let root = REPO;
  if (values.ref) {
    // The commit's tree, with this checkout's node_modules for the bundled dependencies.
    root = join(work, 'tree');
    await mkdir(root);
    await run('sh', ['-c', `git -C "${REPO}" archive "${values.ref}" | tar -x -C "${root}"`]);
    await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'));
  }
  // The executor as it ships (the GitHub Action's dist/, what bench/run.ts measures).
  if (variants.includes('bundle'))
    await run(NODE, [join(root, 'scripts', 'build-action.ts'), '--out', dist], { cwd: root });
  const entry = (v: string) => (v === 'bundle' ? bundle : join(root, 'bin', 'kaniko-ts.js'));

  const rows: CacheRebuilds['rows'] = [];
  for (const s of scenarios) {
    const dir = join(contexts, s === 's5' ? 's5-cached-rebuild' : 's3-big-copy');
    const cacheFlags =
      s === 's5'
        ? ['--cache=true', '--cache-repo', `${reg.host}/bench/cache`]
        : ['--cache=true', '--cache-dir', join(work, `cache-${s}`), '--cache-copy-layers'];
    // One unmeasured build from the sources fills the cache for every entry (same keys): the
    // bundled entry is only ever measured warm, where no RUN goes through the sandbox.
    let warmed = false;
    for (const v of variants) {
      const args = async (variant = v) => {
        const kanikoDir = join(work, 'kaniko');
        await rm(kanikoDir, { recursive: true, force: true });
        await mkdir(kanikoDir, { recursive: true });
        // As the GitHub Action starts the executor: its Node flags first.
        return [
          ...EXECUTOR_NODE_FLAGS,
          entry(variant),
          '--context',
          dir,
          '--dockerfile',
          join(dir, 'Dockerfile'),
          '--destination',
          `${reg.host}/bench/${s}:${v}`,
          '--build-arg',
          `REGISTRY=${reg.host}`,
          '--insecure',
          '--insecure-pull',
          '--kaniko-dir',
          kanikoDir,
          ...cacheFlags,
          ...(process.env.KTS_BENCH_EXTRA_ARGS?.split(' ').filter(Boolean) ?? []),
        ];
      };
      const opts = {
        logFile: join(process.env.KTS_BENCH_LOG_DIR ?? work, `${s}-${v}.log`),
        rss: true,
        timeoutMs: 900_000,
      };
      if (!warmed) {
        const warmup = await measureSequence([[NODE, await args('source')]], opts);
        if (!warmup.ok) throw new Error(`${s}: warm-up failed: ${warmup.error}`);
        warmed = true;
      }
      const seconds: number[] = [];
      const cpu: number[] = [];
      let rss = 0;
      for (let i = 0; i < runs; i++) {
        // KTS_BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to measured runs.
        const flags = process.env.KTS_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
        const r = await measureSequence([[NODE, [...flags, ...(await args())]]], opts);
        if (!r.ok) throw new Error(`${s} ${v}: run ${i + 1} failed: ${r.error}`);
        seconds.push(r.seconds);
        cpu.push(r.cpuSeconds);
        rss = Math.max(rss, r.maxRssKb);
      }
      const row = {
        scenario: s === 's5' ? 's5-cached-rebuild (warm)' : 's3-big-copy (warm)',
        what:
          s === 's5' ? 'registry (--cache-repo), no local state' : 'local (--cache-dir --cache-copy-layers)',
        entry: v === 'bundle' ? 'dist/ (as shipped)' : 'bin/kaniko-ts.js (sources)',
        medianSeconds: median(seconds),
        minSeconds: Math.min(...seconds),
        maxSeconds: Math.max(...seconds),
        medianCpuSeconds: median(cpu),
        peakRssMb: rss / 1024,
        targetSeconds: s === 's5' ? 0.25 : 1,
      };
      rows.push(row);
      process.stderr.write(`${markdownRow(row)}\n`);
    }
  }
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await measureSequence([[NODE, ['-e', '0']]], {
      logFile: join(work, 'node.log'),
      rss: false,
      timeoutMs: 60_000,
    });
    bare.push(r.seconds);
  }
  process.stdout.write(
    [
      `runs: ${runs} measured per row (median), after one unmeasured warm-up; Node ${process.version}`,
      `bare \`node -e 0\`: ${median(bare).toFixed(2)} s`,
      '',
      '| scenario | entry | wall s (median) | min–max | CPU s | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(markdownRow),
      '',
    ].join('\n'),
  );
  if (values.write) {
    const { stdout: head } = await run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
    await writeCacheRebuilds({
      command: `node bench/cache-rebuild.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      revision: values.ref ?? `${head.trim()} (working tree)`,
      node: process.version,
      nodeFlags: [...EXECUTOR_NODE_FLAGS],
      runs,
      bareNodeSeconds: median(bare),
      load: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
      rows,
    });
  }
} finally {
  await reg.stop();
  await rm(work, { recursive: true, force: true });
}
