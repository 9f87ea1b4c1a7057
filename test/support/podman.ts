// podman as the issues run it (runc, cgroupfs), and the bundled executor imported as an image.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunResult, run } from './exec.ts';

/**
 * `podman run` with the host's limits: `--ulimit host` makes podman 4.3 ask runc for more open
 * files than conmon has, so the hard limits are given explicitly.
 */
export async function podmanRun(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const nofile = /Max open files\s+\d+\s+(\d+)/.exec(limits)?.[1] ?? '1024';
  return run(
    'podman',
    [
      '--runtime',
      'runc',
      '--cgroup-manager',
      'cgroupfs',
      'run',
      '--rm',
      '--ulimit',
      `nofile=${nofile}:${nofile}`,
      '--ulimit',
      'nproc=32768:32768',
      ...args,
    ],
    { allowFailure: true, ...(env ? { env } : {}) },
  );
}

/** Imports a bundle tree (`kaniko/`, and `busybox/` of the debug variant, under `out`) as the executor image `name`. */
export async function importExecutorImage(out: string, name: string): Promise<void> {
  const tar = `${out}.tar`;
  const parts = ['kaniko', ...(existsSync(join(out, 'busybox')) ? ['busybox'] : [])];
  await run('tar', ['-C', out, '-cf', tar, ...parts]);
  try {
    await run('podman', [
      'import',
      '--change',
      'ENTRYPOINT ["/kaniko/executor"]',
      '--change',
      'ENV PATH=/usr/local/bin:/kaniko:/busybox',
      tar,
      name,
    ]);
  } finally {
    await rm(tar, { force: true });
  }
}

export async function removeImage(name: string): Promise<void> {
  await run('podman', ['rmi', '--force', name], { allowFailure: true });
}

export const executorPath = (out: string) => join(out, 'kaniko', 'executor');
