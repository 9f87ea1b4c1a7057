// Runs one command of a benchmark step: wall time from spawn to exit, peak RSS from GNU time's
// %M (the largest resident set among the command and the descendants it waited for) and CPU time
// from its %U + %S (which a busy machine disturbs less than wall time), output
// streamed to a log file with only a bounded tail kept in memory for the error line.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
const TAIL_BYTES = 64 * 1024;

export interface StepOptions {
  env?: NodeJS.ProcessEnv;
  /** Output of the command is appended here. */
  logFile: string;
  /** Measure peak RSS with GNU time; off for clients whose memory is not the builder's. */
  rss: boolean;
  /** A hung build is killed (with its process group) after this long and counted as failed. */
  timeoutMs: number;
}

export interface StepResult {
  seconds: number;
  /** 0 when not measured. */
  maxRssKb: number;
  /** User + system CPU seconds of the command and its waited-for children; 0 when not measured. */
  cpuSeconds: number;
  code: number;
  /** First error line of the output when the command failed. */
  error?: string;
}

/** Picks the line that best says why a build failed: an `error` line first, else the last line. */
export function firstErrorLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Command (exited|terminated)/.test(l));
  const line =
    lines.find((l) => /^(error|fatal|Error)\b/i.test(l)) ??
    lines.find((l) => /\berror\b/i.test(l)) ??
    lines.at(-1) ??
    'no output';
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

/** GNU time's output file ends with the `%M %U %S` line (after a note if the command failed). */
function parseTime(text: string): { maxRssKb: number; cpuSeconds: number } {
  const [m, u, s] = (text.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  const ok = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : 0);
  return { maxRssKb: ok(m), cpuSeconds: ok(u) + ok(s) };
}

export async function measureStep(
  cmd: string,
  args: readonly string[],
  opts: StepOptions,
): Promise<StepResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'kts-bench-time-'));
  const rssFile = join(tmp, 'rss');
  const argv = opts.rss ? ['-f', '%M %U %S', '-o', rssFile, cmd, ...args] : [...args];
  const exe = opts.rss ? GNU_TIME : cmd;
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  log.write(`$ ${cmd} ${args.join(' ')}\n`);
  let tail = '';
  const start = performance.now();
  try {
    const { code, spawnError } = await new Promise<{ code: number; spawnError?: string }>((resolve) => {
      // Own process group, so a timeout kills the whole build, not only GNU time.
      const child = spawn(exe, argv, { env: opts.env ?? process.env, detached: true, stdio: 'pipe' });
      child.stdin.end();
      const onData = (b: Buffer) => {
        log.write(b);
        tail += b.toString('utf8');
        if (tail.length > TAIL_BYTES * 2) tail = tail.slice(-TAIL_BYTES);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const timer = setTimeout(() => {
        tail += `\nerror: killed after ${opts.timeoutMs / 1000} s\n`;
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }, opts.timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        resolve({ code: 127, spawnError: `error: cannot run ${exe}: ${e.message}` });
      });
      child.on('close', (c, signal) => {
        clearTimeout(timer);
        resolve({ code: c ?? (signal ? 128 : 1) });
      });
    });
    const seconds = (performance.now() - start) / 1000;
    const { maxRssKb, cpuSeconds } = opts.rss
      ? parseTime(await readFile(rssFile, 'utf8').catch(() => ''))
      : { maxRssKb: 0, cpuSeconds: 0 };
    if (code === 0) return { seconds, maxRssKb, cpuSeconds, code };
    return { seconds, maxRssKb, cpuSeconds, code, error: spawnError ?? firstErrorLine(tail) };
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface Sequence {
  seconds: number;
  maxRssKb: number;
  cpuSeconds: number;
  ok: boolean;
  error?: string;
}

/** Runs the steps of one measured build in order, summing time, stopping at the first failure. */
export async function measureSequence(
  steps: ReadonlyArray<readonly [string, readonly string[]]>,
  opts: StepOptions,
): Promise<Sequence> {
  let seconds = 0;
  let maxRssKb = 0;
  let cpuSeconds = 0;
  for (const [cmd, args] of steps) {
    const r = await measureStep(cmd, args, opts);
    seconds += r.seconds;
    cpuSeconds += r.cpuSeconds;
    maxRssKb = Math.max(maxRssKb, r.maxRssKb);
    if (r.code !== 0) return { seconds, maxRssKb, cpuSeconds, ok: false, error: r.error ?? `exit ${r.code}` };
  }
  return { seconds, maxRssKb, cpuSeconds, ok: true };
}

/** Unmounts whatever a builder left mounted below dir (deepest first), so dir can be removed. */
export async function unmountUnder(dir: string): Promise<void> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points = info
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
  for (const p of points) {
    await new Promise<void>((resolve) => {
      const c = spawn('umount', ['-l', p], { stdio: 'ignore' });
      c.on('error', () => resolve());
      c.on('close', () => resolve());
    });
  }
}
