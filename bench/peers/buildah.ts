// buildah as a peer: `buildah bud` (chroot isolation, docker format, --layers) then `buildah push`,
// with its own storage under the bench work dir so the machine's containers storage is untouched.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { measureSequence, measureStep, unmountUnder } from './measure.ts';
import type { Builder, PeerOptions, RunOutcome, Scenario } from './types.ts';

const BUILDAH = 'buildah';

export function createBuildah(opts: PeerOptions): Builder {
  const root = join(opts.workDir, 'storage');
  const runroot = join(opts.workDir, 'run');
  const storage = ['--root', root, '--runroot', runroot, '--storage-driver', 'overlay'];
  const runs = new Map<string, number>();

  const budSteps = (s: Scenario, registry: string) => {
    const tag = `${registry}/bench/${s.name}:buildah`;
    return [
      [
        BUILDAH,
        [
          ...storage,
          'bud',
          '--isolation',
          'chroot',
          '--format',
          'docker',
          '--layers',
          '--tls-verify=false',
          '--build-arg',
          `REGISTRY=${registry}`,
          '-f',
          join(s.dir, 'Dockerfile'),
          '-t',
          tag,
          s.dir,
        ],
      ],
      [BUILDAH, [...storage, 'push', '--tls-verify=false', tag, `docker://${tag}`]],
    ] as const;
  };

  const clean = async (log: string) => {
    const step = { logFile: log, rss: false, timeoutMs: opts.timeoutMs };
    await measureStep(BUILDAH, [...storage, 'rm', '--all'], step);
    await measureStep(BUILDAH, [...storage, 'rmi', '--all', '--force'], step);
  };

  return {
    name: 'buildah',
    method:
      'cold: `buildah rm --all` and `buildah rmi --all --force` before each run (warm: storage kept after one unmeasured build). Peak RSS and CPU: GNU time around `buildah bud` and `buildah push` (the larger RSS, the summed CPU) of buildah and the children it waited for.',
    async version() {
      const { stdout } = await promisify(execFile)(BUILDAH, ['--version']);
      return stdout.trim();
    },
    async prepareCold() {
      await mkdir(opts.workDir, { recursive: true });
      await clean(opts.logFile('all', 'prepare'));
    },
    async prepareWarm(s, registry) {
      await mkdir(opts.workDir, { recursive: true });
      const log = opts.logFile(s.name, 'warmup');
      await clean(log);
      const warmup = await measureSequence(budSteps(s, registry), {
        logFile: log,
        rss: false,
        timeoutMs: opts.timeoutMs,
      });
      if (!warmup.ok) throw new Error(`warm-up build failed: ${warmup.error}`);
    },
    async build(s, registry): Promise<RunOutcome> {
      const n = (runs.get(s.name) ?? 0) + 1;
      runs.set(s.name, n);
      const r = await measureSequence(budSteps(s, registry), {
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
      await clean(opts.logFile('all', 'close'));
      // containers/storage keeps its overlay directory mounted private; let go of it first.
      await unmountUnder(opts.workDir);
      await rm(opts.workDir, { recursive: true, force: true });
    },
  };
}
