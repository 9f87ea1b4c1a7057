// BuildKit as a peer: Debian's dockerd 20.10 (BuildKit inside) driven by Debian's docker client.
// One daemon for the whole bench. Cold = build cache and images pruned before the run (a fresh
// daemon per run was tried too: its first build is about a second slower, which would flatter
// kaniko-ts); warm = no prune after one unmeasured build. The build runs inside dockerd, so its
// memory is dockerd's peak (VmHWM), reset to the current size just before the measured run.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Daemon, startDaemon } from '../../test/support/daemon.ts';
import { measureSequence, measureStep, unmountUnder } from './measure.ts';
import type { Builder, PeerOptions, RunOutcome, Scenario } from './types.ts';

/** Debian's client; the other docker on PATH is a newer client without the builder. */
const DOCKER = '/usr/bin/docker';
/** USER_HZ: the unit of /proc/PID/stat times, 100 on every Linux architecture Debian ships. */
const CLOCK_TICKS = 100;

/** User + system CPU seconds of a process plus its reaped children (runc, RUN processes). */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return ticks / CLOCK_TICKS;
}

async function vmHwmKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return m?.[1] ? Number.parseInt(m[1], 10) : 0;
}

export function createBuildKit(opts: PeerOptions): Builder {
  const socket = join(opts.workDir, 'd.sock');
  const dataRoot = join(opts.workDir, 'data');
  const execRoot = join(opts.workDir, 'exec');
  const env = {
    ...process.env,
    DOCKER_HOST: `unix://${socket}`,
    DOCKER_BUILDKIT: '1',
    DOCKER_CONFIG: join(opts.workDir, 'client'),
  };
  let daemon: Daemon | undefined;
  const runs = new Map<string, number>();

  const stopDaemon = async () => {
    if (daemon) await daemon.stop();
    daemon = undefined;
    await unmountUnder(opts.workDir);
    await rm(dataRoot, { recursive: true, force: true });
    await rm(execRoot, { recursive: true, force: true });
  };

  const ensureDaemon = async () => {
    if (daemon && daemon.process.exitCode === null && daemon.process.signalCode === null) return;
    await stopDaemon();
    await mkdir(opts.workDir, { recursive: true });
    daemon = await startDaemon(
      'dockerd',
      [
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        '--data-root',
        dataRoot,
        '--exec-root',
        execRoot,
        '--pidfile',
        join(opts.workDir, 'dockerd.pid'),
        '-H',
        `unix://${socket}`,
      ],
      { ready: /API listen on/, timeoutMs: 120_000 },
    );
  };

  const prune = async (logFile: string) => {
    const step = { env, logFile, rss: false, timeoutMs: opts.timeoutMs };
    for (const args of [
      ['builder', 'prune', '--all', '--force'],
      ['image', 'prune', '--all', '--force'],
    ]) {
      const r = await measureStep(DOCKER, args, step);
      if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.error ?? `exit ${r.code}`}`);
    }
  };

  const steps = (s: Scenario, registry: string) => {
    const tag = `${registry}/bench/${s.name}:buildkit`;
    return [
      [
        DOCKER,
        [
          'build',
          '--network',
          'host',
          '--progress',
          'plain',
          '--build-arg',
          `REGISTRY=${registry}`,
          '-f',
          join(s.dir, 'Dockerfile'),
          '-t',
          tag,
          s.dir,
        ],
      ],
      [DOCKER, ['push', tag]],
    ] as const;
  };

  return {
    name: 'buildkit',
    method:
      "cold: one dockerd for all runs, `docker builder prune -af` and `docker image prune -af` before each run (warm: nothing pruned after one unmeasured build). Peak RSS: dockerd's VmHWM from /proc/PID/status, reset (clear_refs) just before the run; the build runs inside dockerd, so the client's memory is not the build's, and RUN processes are not counted. CPU: dockerd's own plus its reaped children's time from /proc/PID/stat over the run.",
    async version() {
      const { stdout } = await promisify(execFile)('dockerd', ['--version']);
      return `${stdout.trim()} (BuildKit built in), client ${DOCKER}`;
    },
    async prepareCold() {
      await ensureDaemon();
      await prune(opts.logFile('all', 'prune'));
    },
    async prepareWarm(s, registry) {
      await ensureDaemon();
      await prune(opts.logFile(s.name, 'prune'));
      const warmup = await measureSequence(steps(s, registry), {
        env,
        logFile: opts.logFile(s.name, 'warmup'),
        rss: false,
        timeoutMs: opts.timeoutMs,
      });
      if (!warmup.ok) throw new Error(`warm-up build failed: ${warmup.error}`);
    },
    async build(s, registry): Promise<RunOutcome> {
      const n = (runs.get(s.name) ?? 0) + 1;
      runs.set(s.name, n);
      const pid = daemon?.process.pid;
      if (pid === undefined)
        return { seconds: 0, peakRssMb: 0, cpuSeconds: 0, ok: false, error: 'dockerd is not running' };
      await writeFile(`/proc/${pid}/clear_refs`, '5');
      const cpuBefore = await cpuSecondsOf(pid);
      const r = await measureSequence(steps(s, registry), {
        env,
        logFile: opts.logFile(s.name, `run${n}`),
        rss: false,
        timeoutMs: opts.timeoutMs,
      });
      const peakRssMb = (await vmHwmKb(pid).catch(() => 0)) / 1024;
      const cpuSeconds = (await cpuSecondsOf(pid).catch(() => cpuBefore)) - cpuBefore;
      return { seconds: r.seconds, peakRssMb, cpuSeconds, ok: r.ok, ...(r.error ? { error: r.error } : {}) };
    },
    async close() {
      await stopDaemon();
      await rm(opts.workDir, { recursive: true, force: true });
    },
  };
}
