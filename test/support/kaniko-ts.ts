// Runs the kaniko-ts CLI as a user would (a separate process), for end-to-end tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, run } from './exec.ts';

export const CLI = new URL('../../bin/kaniko-ts.js', import.meta.url).pathname;

export interface CliBuild {
  context: string;
  dockerfile?: string;
  destinations?: string[];
  buildArgs?: Record<string, string>;
  target?: string;
  /** Secrets by id; passed through the environment (`--secret id=ID,env=…`). */
  secrets?: Record<string, string>;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** The command that runs the CLI instead of `node bin/kaniko-ts.js` (e.g. the action's executor). */
  command?: string[];
}

/** Builds with a fresh --kaniko-dir and returns the process result (does not throw on failure). */
export async function kanikoBuild(b: CliBuild): Promise<RunResult> {
  const kanikoDir = await mkdtemp(join(tmpdir(), 'kts-kdir-'));
  const args = [
    '--context',
    b.context,
    '--dockerfile',
    b.dockerfile ?? join(b.context, 'Dockerfile'),
    '--kaniko-dir',
    kanikoDir,
  ];
  for (const d of b.destinations ?? []) args.push('--destination', d);
  if (!b.destinations?.length) args.push('--no-push');
  for (const [k, v] of Object.entries(b.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  if (b.target) args.push('--target', b.target);
  const env: NodeJS.ProcessEnv = { ...process.env, ...b.env };
  for (const [id, value] of Object.entries(b.secrets ?? {})) {
    const name = `KTS_TEST_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    env[name] = value;
    args.push('--secret', `id=${id},env=${name}`);
  }
  args.push('--insecure', '--insecure-pull', ...(b.extraArgs ?? []));
  try {
    const [cmd, ...pre] = b.command ?? [process.execPath, CLI];
    return await run(cmd!, [...pre, ...args], { env, allowFailure: true });
  } finally {
    await rm(kanikoDir, { recursive: true, force: true });
  }
}
