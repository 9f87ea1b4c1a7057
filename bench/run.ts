// The benchmark harness: builds ../shared/bench's scenarios with kaniko-ts and its peers in one
// run, every build pushed to a real local registry, and writes bench/RESULTS.md and results.json.
//
//   npm run bench -- [--scenarios s1,s2,...] [--builders kaniko-ts,buildkit,buildah] [--runs 3]
//                    [--timeout 900] [--on-disk]
//   npm run bench -- --render-only    (rewrite RESULTS.md from results.json)
//
// Cold runs get a fresh registry holding only the base images and a builder with no local state;
// warm scenarios keep one registry and the builder's cache across runs after an unmeasured build.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ensureFixtures, pushBaseImages } from '../test/support/fixtures.ts';
import { startRegistry, type TestRegistry } from '../test/support/registry.ts';
import { createBuildah } from './peers/buildah.ts';
import { createBuildKit } from './peers/buildkit.ts';
import { createKanikoTs } from './peers/kaniko-ts.ts';
import { unmountUnder } from './peers/measure.ts';
import type { Results, RunRecord } from './peers/report.ts';
import { readResults, writeResults } from './peers/results-files.ts';
import { mountScratchFs, type ScratchFs } from './peers/scratch-fs.ts';
import type { Builder, BuilderName, PeerOptions, Scenario } from './peers/types.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const SCENARIOS_SRC = join(REPO, '..', 'shared', 'bench');
const WORK = join(REPO, '.bench-work');
const LOGS = join(REPO, '.bench-logs');
/** Scenarios that measure a rebuild with the builder's cache warm. */
const WARM = new Set(['s5-cached-rebuild']);
const ALL_BUILDERS: readonly BuilderName[] = ['kaniko-ts', 'buildkit', 'buildah'];
const FACTORIES: Record<BuilderName, (o: PeerOptions) => Builder> = {
  'kaniko-ts': createKanikoTs,
  buildkit: createBuildKit,
  buildah: createBuildah,
};

class UsageError extends Error {}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenarios: { type: 'string' },
      builders: { type: 'string' },
      runs: { type: 'string', default: '3' },
      timeout: { type: 'string', default: '900' },
      'render-only': { type: 'boolean', default: false },
      'on-disk': { type: 'boolean', default: false },
    },
  });
  const runs = Number.parseInt(values.runs, 10);
  const timeoutS = Number.parseInt(values.timeout, 10);
  if (!(runs >= 1)) throw new UsageError(`--runs must be a positive integer, got ${values.runs}`);
  if (!(timeoutS >= 1)) throw new UsageError(`--timeout must be positive seconds, got ${values.timeout}`);
  const builders = (values.builders?.split(',') ?? [...ALL_BUILDERS]).map((b) => b.trim());
  for (const b of builders) {
    if (!ALL_BUILDERS.includes(b as BuilderName))
      throw new UsageError(`unknown builder ${b}; known: ${ALL_BUILDERS.join(', ')}`);
  }
  const scenarios = values.scenarios?.split(',').map((s) => s.trim());
  return {
    runs,
    timeoutMs: timeoutS * 1000,
    builders: builders as BuilderName[],
    scenarios,
    renderOnly: values['render-only'],
    onDisk: values['on-disk'],
  };
}

async function sh(cmd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** s1 selects s1-small-runs; a full name selects itself. */
function pickScenarios(available: readonly string[], wanted: readonly string[] | undefined): string[] {
  if (!wanted) return [...available];
  return wanted.map((w) => {
    const hit = available.find((a) => a === w || a.startsWith(`${w}-`));
    if (!hit) throw new UsageError(`unknown scenario ${w}; known: ${available.join(', ')}`);
    return hit;
  });
}

async function machine(): Promise<Results['machine']> {
  const debian = await readFile('/etc/debian_version', 'utf8').catch(() => '?');
  return {
    nproc: availableParallelism(),
    memoryGb: totalmem() / 1024 ** 3,
    kernel: release(),
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    os: `Debian ${debian.trim()}`,
  };
}

/** A registry holding only library/busybox:latest and library/debian:bookworm. */
async function baseRegistry(): Promise<TestRegistry> {
  const reg = await startRegistry();
  await pushBaseImages(reg);
  return reg;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

async function main(): Promise<void> {
  const opts = parseCli(process.argv.slice(2));
  if (opts.renderOnly) {
    // Rewrites RESULTS.md from the results.json of the last run, e.g. after a report change.
    const saved = await readResults();
    if (!saved) throw new UsageError('no bench/results.json to render');
    // Method texts describe the code, so they come from it, not from the saved file.
    const noWork: PeerOptions = { workDir: WORK, timeoutMs: 0, logFile: () => '' };
    saved.builders = saved.builders.map((b) => ({ ...b, method: FACTORIES[b.name](noWork).method }));
    await writeResults(saved);
    return;
  }
  if (!existsSync('/usr/bin/time')) throw new UsageError('needs GNU time: apt-get install time');
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();

  // A previous run killed half-way may have left dockerd's or buildah's mounts behind.
  await unmountUnder(WORK);
  await rm(WORK, { recursive: true, force: true });
  let scratch: ScratchFs | undefined;
  if (!opts.onDisk) scratch = await mountScratchFs(WORK, `${WORK}.img`);
  // Registries' storage and the builders' temporary files go there too.
  await mkdir(join(WORK, 'tmp'), { recursive: true });
  process.env.TMPDIR = join(WORK, 'tmp');
  try {
    await benchIn(
      opts,
      command,
      scratch?.describe ?? `the directory ${WORK} on the machine's own file system`,
    );
  } finally {
    await unmountUnder(WORK);
    await scratch?.close();
  }
}

async function benchIn(opts: ReturnType<typeof parseCli>, command: string, storage: string): Promise<void> {
  const contexts = join(WORK, 'contexts');
  // Logs outlive the scratch file system.
  const logs = LOGS;
  await rm(logs, { recursive: true, force: true });
  await mkdir(logs, { recursive: true });
  await sh(join(SCENARIOS_SRC, 'make-contexts.sh'), [contexts]);
  await ensureFixtures();

  const available = (await readdir(contexts)).filter((n) => /^s\d+-/.test(n)).sort();
  const scenarios: Scenario[] = pickScenarios(available, opts.scenarios).map((name) => ({
    name,
    dir: join(contexts, name),
    warm: WARM.has(name),
  }));
  const builders = opts.builders.map((name) =>
    FACTORIES[name]({
      workDir: join(WORK, name),
      timeoutMs: opts.timeoutMs,
      logFile: (scenario, label) => join(logs, `${scenario}.${name}.${label}.log`),
    }),
  );

  const results: Results = {
    date: new Date().toISOString(),
    command,
    machine: await machine(),
    storage,
    builders: [],
    scenarios: scenarios.map((s) => ({ name: s.name, warm: s.warm })),
    runs: [],
  };
  for (const b of builders) {
    const version = await b.version().catch((e: unknown) => `unknown (${firstLine(e)})`);
    results.builders.push({ name: b.name, version, method: b.method });
  }
  const save = () => writeResults(results);

  const warmRegistries = new Map<BuilderName, TestRegistry>();
  try {
    for (const s of scenarios) {
      const warmupErrors = new Map<BuilderName, string>();
      if (s.warm) {
        for (const b of builders) {
          try {
            const reg = await baseRegistry();
            warmRegistries.set(b.name, reg);
            await b.prepareWarm(s, reg.host);
          } catch (e) {
            warmupErrors.set(b.name, `warm-up: ${firstLine(e)}`);
          }
        }
      }
      // Builders take turns within each round, so slow drift on the machine hits all of them.
      for (let run = 1; run <= opts.runs; run++) {
        for (const b of builders) {
          const record = await measuredRun(b, s, run, warmRegistries.get(b.name), warmupErrors.get(b.name));
          results.runs.push(record);
          const what = record.ok
            ? `${record.seconds.toFixed(2)} s, ${record.peakRssMb.toFixed(0)} MB`
            : 'FAILED';
          console.log(`${s.name} ${b.name} run ${run}: ${what}${record.error ? ` (${record.error})` : ''}`);
        }
      }
      for (const reg of warmRegistries.values()) await reg.stop();
      warmRegistries.clear();
      await save();
    }
  } finally {
    for (const reg of warmRegistries.values()) await reg.stop().catch(() => undefined);
    for (const b of builders) {
      await b.close().catch((e: unknown) => console.error(`bench: closing ${b.name}: ${firstLine(e)}`));
    }
  }
  await save();
  console.log(`bench: wrote ${join('bench', 'RESULTS.md')} and ${join('bench', 'results.json')}`);
}

/** One measured run; whatever goes wrong becomes a failed record, never an exception. */
async function measuredRun(
  b: Builder,
  s: Scenario,
  run: number,
  warmRegistry: TestRegistry | undefined,
  warmupError: string | undefined,
): Promise<RunRecord> {
  const base = { scenario: s.name, builder: b.name, run, warm: s.warm };
  let fresh: TestRegistry | undefined;
  try {
    let host: string;
    if (s.warm) {
      if (!warmRegistry || warmupError) throw new Error(warmupError ?? 'no warm registry');
      host = warmRegistry.host;
    } else {
      fresh = await baseRegistry();
      host = fresh.host;
      await b.prepareCold(host);
    }
    const load1 = loadavg()[0] ?? 0;
    const outcome = await b.build(s, host);
    return { ...base, ...outcome, load1 };
  } catch (e) {
    return {
      ...base,
      seconds: 0,
      peakRssMb: 0,
      cpuSeconds: 0,
      ok: false,
      error: firstLine(e),
      load1: loadavg()[0] ?? 0,
    };
  } finally {
    await fresh?.stop().catch(() => undefined);
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof UsageError ? '' : 'failed: '}${firstLine(e)}`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
