// Turns the raw runs of one harness run into bench/results.json and bench/RESULTS.md: medians,
// ranges, peak RSS, and kaniko-ts's median as a ratio of the faster peer's, all from that run.
import type { BuilderName } from './types.ts';

export interface RunRecord {
  scenario: string;
  builder: BuilderName;
  /** 1-based measured run number. */
  run: number;
  warm: boolean;
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
  ok: boolean;
  error?: string;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  load1: number;
}

export interface Results {
  date: string;
  command: string;
  machine: { nproc: number; memoryGb: number; kernel: string; cpu: string; os: string };
  /** What file system the builders' state lived on (older results do not say). */
  storage?: string;
  builders: Array<{ name: BuilderName; version: string; method: string }>;
  scenarios: Array<{ name: string; warm: boolean }>;
  runs: RunRecord[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Summary {
  builder: BuilderName;
  okRuns: number;
  totalRuns: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  medianCpuSeconds: number;
  /** Largest peak RSS over the successful runs. */
  peakRssMb: number;
  firstError?: string;
}

export function summarise(runs: readonly RunRecord[], builder: BuilderName): Summary {
  const mine = runs.filter((r) => r.builder === builder);
  const ok = mine.filter((r) => r.ok);
  const secs = ok.map((r) => r.seconds);
  const firstError = mine.find((r) => !r.ok)?.error;
  return {
    builder,
    okRuns: ok.length,
    totalRuns: mine.length,
    medianSeconds: median(secs),
    minSeconds: secs.length ? Math.min(...secs) : Number.NaN,
    maxSeconds: secs.length ? Math.max(...secs) : Number.NaN,
    medianCpuSeconds: median(ok.map((r) => r.cpuSeconds)),
    peakRssMb: ok.length ? Math.max(...ok.map((r) => r.peakRssMb)) : Number.NaN,
    ...(firstError ? { firstError } : {}),
  };
}

/** kaniko-ts's median over the faster peer's, or why there is none. */
export function ratio(summaries: readonly Summary[]): { text: string; value?: number; peer?: BuilderName } {
  const k = summaries.find((s) => s.builder === 'kaniko-ts');
  const peers = summaries.filter((s) => s.builder !== 'kaniko-ts' && s.okRuns > 0);
  if (!k) return { text: 'kaniko-ts not run' };
  if (peers.length === 0) return { text: 'no peer succeeded' };
  const fastest = peers.reduce((a, b) => (b.medianSeconds < a.medianSeconds ? b : a));
  if (k.okRuns === 0) return { text: `n/a (kaniko-ts failed; fastest peer ${fastest.builder})` };
  const value = k.medianSeconds / fastest.medianSeconds;
  return { text: `${value.toFixed(2)}× ${fastest.builder}`, value, peer: fastest.builder };
}

const num = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Warm rebuilds with the layer cache, kaniko-ts alone (bench/cache-rebuild.ts --write). */
export interface CacheRebuilds {
  command: string;
  date: string;
  /** What was built: `<commit> (working tree)` or the --ref given. */
  revision: string;
  node: string;
  /** Node flags the executor ran with (the GitHub Action's). */
  nodeFlags: string[];
  runs: number;
  bareNodeSeconds: number;
  load: string;
  rows: Array<{
    scenario: string;
    /** What it measures, for the reader. */
    what: string;
    entry: string;
    medianSeconds: number;
    minSeconds: number;
    maxSeconds: number;
    medianCpuSeconds: number;
    peakRssMb: number;
    targetSeconds: number;
  }>;
}

function renderCacheRebuilds(c: CacheRebuilds): string[] {
  const out: string[] = [];
  out.push('## Layer cache: warm rebuilds, kaniko-ts alone', '');
  out.push(
    `Written by \`${c.command}\` on ${c.date}, at ${c.revision}, Node ${c.node} with ` +
      `\`${c.nodeFlags.join(' ')}\` (as the GitHub Action starts the executor); ${c.runs} measured runs per row after ` +
      `one unmeasured build that fills the cache; bare \`node -e 0\` took ${num(c.bareNodeSeconds, 2)} s; ` +
      `load average ${c.load}. Wall time is build + push, whole process, under GNU time.`,
    '',
  );
  out.push(
    '| scenario | cache | entry | median s | min–max s | median CPU s | peak RSS MB | target s | met |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const r of c.rows) {
    out.push(
      `| ${r.scenario} | ${r.what} | ${r.entry} | ${num(r.medianSeconds, 2)} | ${num(r.minSeconds, 2)}–${num(r.maxSeconds, 2)} | ` +
        `${num(r.medianCpuSeconds, 2)} | ${num(r.peakRssMb, 0)} | ${num(r.targetSeconds, 2)} | ${r.medianSeconds <= r.targetSeconds ? 'yes' : 'no'} |`,
    );
  }
  out.push('');
  return out;
}

export function renderMarkdown(res: Results, cache?: CacheRebuilds): string {
  const names = res.builders.map((b) => b.name);
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(
    `Written by \`${res.command}\` on ${res.date}. Raw run times are in [results.json](results.json); ` +
      'how the runs are made is in [README.md](README.md). Every ratio below comes from this one run.',
    '',
  );
  const m = res.machine;
  out.push(
    `Machine: ${m.os}, kernel ${m.kernel}, ${m.nproc} CPUs (${m.cpu}), ${m.memoryGb.toFixed(1)} GB memory.`,
    '',
  );
  if (res.storage) out.push(`Storage: ${res.storage}.`, '');
  const loads = res.runs.map((r) => r.load1);
  const maxLoad = loads.length > 0 ? Math.max(...loads) : 0;
  if (maxLoad > m.nproc) {
    out.push(
      `**The machine was shared during this run** (1-minute load average up to ${maxLoad.toFixed(1)} on ` +
        `${m.nproc} CPUs at the start of a run): wall times are inflated and noisy; compare builders by ` +
        'the ratios (the builders took turns, so the load hit all of them) and by the CPU-time column.',
      '',
    );
  }
  out.push('| builder | version |', '| --- | --- |');
  for (const b of res.builders) out.push(`| ${b.name} | ${cell(b.version)} |`);
  out.push('', 'How each builder is measured (wall time is always build + push):', '');
  for (const b of res.builders) out.push(`- **${b.name}**: ${b.method}`);
  out.push('');

  out.push('## Summary: median wall seconds (build + push)', '');
  out.push(`| scenario | ${names.join(' | ')} | kaniko-ts ÷ faster peer |`);
  out.push(`| --- | ${names.map(() => '---:').join(' | ')} | --- |`);
  for (const sc of res.scenarios) {
    const runs = res.runs.filter((r) => r.scenario === sc.name);
    const sums = names.map((n) => summarise(runs, n));
    const medians = sums.map((s) => (s.okRuns > 0 ? num(s.medianSeconds, 2) : 'failed'));
    out.push(`| ${sc.name}${sc.warm ? ' (warm)' : ''} | ${medians.join(' | ')} | ${ratio(sums).text} |`);
  }
  out.push('');

  for (const sc of res.scenarios) {
    const runs = res.runs.filter((r) => r.scenario === sc.name);
    const sums = names.map((n) => summarise(runs, n));
    const r = ratio(sums);
    out.push(`## ${sc.name}${sc.warm ? ' (warm)' : ' (cold)'}`, '');
    out.push(
      '| builder | ok runs | median s | min–max s | median CPU s | peak RSS MB | kaniko-ts ÷ faster peer | failures |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const s of sums) {
      const failures =
        s.okRuns === s.totalRuns ? '' : `${s.totalRuns - s.okRuns} failed: \`${cell(s.firstError ?? '?')}\``;
      out.push(
        `| ${s.builder} | ${s.okRuns}/${s.totalRuns} | ${num(s.medianSeconds, 2)} | ` +
          `${num(s.minSeconds, 2)}–${num(s.maxSeconds, 2)} | ${num(s.medianCpuSeconds, 2)} | ${num(s.peakRssMb, 0)} | ` +
          `${s.builder === 'kaniko-ts' ? r.text : ''} | ${failures} |`,
      );
    }
    out.push('');
  }
  if (loads.length > 0) {
    out.push(
      `Load average (1 min) at the start of the runs: ${num(Math.min(...loads), 2)}–${num(Math.max(...loads), 2)}.`,
      '',
    );
  }
  if (cache) out.push(...renderCacheRebuilds(cache));
  return out.join('\n');
}
