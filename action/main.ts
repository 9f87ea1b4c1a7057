// The action's main step: inputs → executor command line → the executor CLI as a child process
// (the same program users run) → outputs, job summary, annotations. No build logic here.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { hostPlatform } from '../src/build/platform.ts';
import { DockerConfigError, mergeLogin } from './docker-config.ts';
import { assertGhaCacheAvailable, GhaCacheError, restoreGhaCache, saveGhaCache } from './gha-cache.ts';
import { ActionInputError, executorPlan, readInputs } from './inputs.ts';
import { type Launch, LaunchError, launchFor } from './launch.ts';
import { actionOutputs, failureSummary, jobSummary, OutputsError, readExecutorFiles } from './outputs.ts';
import { BuildProgress } from './progress.ts';
import { provideBwrap } from './sandbox-tools.ts';

export const STATE_TEMP_DIR = 'kaniko-ts-temp-dir';
/** 'sudo' when the executor ran through sudo, so its files in the temp dir are root's. */
export const STATE_CLEANUP = 'kaniko-ts-cleanup';

export interface RunOptions {
  /** The executor program and its leading arguments, e.g. [node, bundled-cli.js]. */
  executor: string[];
  env?: NodeJS.ProcessEnv;
  /** How to start it; default: chosen from this machine (see launch.ts). */
  launch?: Launch;
}

export class ExecutorFailedError extends Error {
  override name = 'ExecutorFailedError';
}

/** The config.json docker/login-action writes ($DOCKER_CONFIG or ~/.docker), if any. */
async function existingDockerConfig(
  env: NodeJS.ProcessEnv,
): Promise<{ path: string; text: string } | undefined> {
  const candidates = [
    ...(env.DOCKER_CONFIG ? [join(env.DOCKER_CONFIG, 'config.json')] : []),
    join(env.HOME ?? homedir(), '.docker', 'config.json'),
  ];
  for (const path of candidates) if (existsSync(path)) return { path, text: await readFile(path, 'utf8') };
  return undefined;
}

/** `error: FILE:LINE: message`, the executor's one-line error for a Dockerfile problem. */
const DOCKERFILE_ERROR = /^error: (.+?):(\d+): (.+)$/;
/** `WARN: FILE:LINE: message`, a warning of the executor about a Dockerfile line, after an
 * optional --log-timestamp prefix (as progress.ts reads step lines). */
const DOCKERFILE_WARNING = /^(?:\d{4}-\d\d-\d\dT\S+Z )?WARN: (.+?):(\d+): (.+)$/;

export interface DockerfileAnnotation {
  kind: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
}

/** The annotation a line of the executor's stderr asks for, if it names a Dockerfile line. */
export function dockerfileAnnotation(text: string): DockerfileAnnotation | undefined {
  for (const [kind, re] of [
    ['error', DOCKERFILE_ERROR],
    ['warning', DOCKERFILE_WARNING],
  ] as const) {
    const m = re.exec(text);
    if (m) return { kind, message: m[3]!, file: m[1]!, line: Number(m[2]) };
  }
  return undefined;
}

/**
 * Runs the executor, streaming its output; Dockerfile errors and warnings become annotations on
 * their line, and each stderr line goes to `onLine` (the build's progress).
 */
function runExecutor(
  command: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let pending = '';
    const scan = (line: string) => {
      onLine(line);
      const a = dockerfileAnnotation(line);
      if (a) {
        const where = { title: 'kaniko-ts', file: a.file, startLine: a.line };
        if (a.kind === 'error') core.error(a.message, where);
        else core.warning(a.message, where);
      }
    };
    child.stderr.on('data', (b: Buffer) => {
      process.stderr.write(b);
      pending += b.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      // Bounded: a line without an end is not kept beyond 64 KiB.
      if (pending.length > 65536) pending = '';
      for (const l of lines) scan(l);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (pending) scan(pending);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
    });
  });
}

/** Where the executor writes for the user besides the temp dir: docker/OCI outputs, local caches. */
export function executorWrites(args: readonly string[]): string[] {
  const paths: string[] = [];
  for (const a of args) {
    const m =
      /^--(?:tar-path|oci-layout-path)=(.+)$/.exec(a) ?? /^--cache-to=type=local,dest=([^,]+)/.exec(a);
    if (m) paths.push(resolve(m[1]!));
  }
  return paths;
}

/**
 * The part of `path` to give back after the executor ran as root: the path when it is this user's,
 * else its highest missing ancestor (what the executor will create); nothing when someone else owns it.
 */
function reclaimable(path: string, uid: number): string | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st) return st.uid === uid ? path : undefined;
  let top = path;
  while (dirname(top) !== top && !existsSync(dirname(top))) top = dirname(top);
  return top;
}

/** Gives what the executor wrote as root (through sudo) back to this user. */
function reclaim(paths: string[]): void {
  const there = paths.filter((p) => existsSync(p));
  if (there.length === 0) return;
  const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const r = spawnSync('sudo', ['--non-interactive', 'chown', '-R', owner, '--', ...there], {
    stdio: 'inherit',
  });
  if (r.status !== 0)
    core.warning(
      `kaniko-ts: could not take back ${there.join(', ')} from root (sudo chown exited ${r.status})`,
    );
}

export async function runAction(opts: RunOptions): Promise<void> {
  const env = opts.env ?? process.env;
  try {
    const inputs = readInputs((n) => core.getInput(n));
    // Mask before anything else can print them.
    if (inputs.password) core.setSecret(inputs.password);
    // Before anything is written: a wrong KANIKO_TS_LAUNCH fails the step here.
    const launch = opts.launch ?? launchFor(env);
    const tempDir = await mkdtemp(join(env.RUNNER_TEMP ?? tmpdir(), 'kaniko-ts-'));
    core.saveState(STATE_TEMP_DIR, tempDir);
    const plan = executorPlan(inputs, {
      platform: hostPlatform(),
      tempDir,
      ghaCacheRoot: env.RUNNER_TEMP ?? tmpdir(),
    });
    for (const s of new Set(plan.secrets)) if (s !== inputs.password) core.setSecret(s);

    const dockerConfig = join(tempDir, 'docker');
    await mkdir(dockerConfig, { mode: 0o700 });
    const existing = await existingDockerConfig(env);
    await writeFile(
      join(dockerConfig, 'config.json'),
      mergeLogin(existing?.text, plan.login, existing?.path),
      {
        mode: 0o600,
      },
    );
    if (plan.login) core.info(`logging in to ${plan.login.registry} as ${plan.login.username}`);

    if (plan.ghaCache) {
      assertGhaCacheAvailable(env);
      await mkdir(plan.ghaCache.dir, { recursive: true });
      if (plan.ghaCache.restore) await restoreGhaCache(plan.ghaCache, env);
    }

    core.info(`kaniko-ts: ${launch.reason}`);
    // RUN steps need bubblewrap; through sudo --preserve-env its path reaches the executor.
    const bwrap = await provideBwrap({ env, workDir: tempDir });
    if (bwrap.missing) core.warning(`kaniko-ts: ${bwrap.message}`);
    else core.info(`kaniko-ts: ${bwrap.message}`);
    if (launch.prefix.length > 0) core.saveState(STATE_CLEANUP, 'sudo');
    const uid = process.getuid?.() ?? 0;
    const giveBack =
      launch.asRoot && uid !== 0
        ? [tempDir, ...executorWrites(plan.args).flatMap((p) => reclaimable(p, uid) ?? [])]
        : [];
    const progress = new BuildProgress();
    const code = await runExecutor(
      [...launch.prefix, ...opts.executor, ...plan.args],
      { ...env, ...plan.env, ...bwrap.env, DOCKER_CONFIG: dockerConfig },
      (line) => progress.line(line),
    );
    // Root's files in the user's places (outputs, caches, the digest files) become the user's
    // again, also after a failed build; the post step still removes the temp dir with sudo.
    reclaim(giveBack);
    if (code !== 0) {
      const failure = new ExecutorFailedError(`the kaniko-ts executor failed (exit code ${code})`);
      if (env.GITHUB_STEP_SUMMARY)
        await core.summary.addRaw(failureSummary(failure.message, progress.steps())).write();
      throw failure;
    }
    // Made as us: through sudo its directory (a --cache-to dest) was reclaimed above.
    if (plan.ghaCache?.save) await saveGhaCache(plan.ghaCache, env);

    const files = readExecutorFiles(
      await readFile(plan.digestFile, 'utf8'),
      plan.imageRefsFile ? await readFile(plan.imageRefsFile, 'utf8').catch(() => '') : undefined,
      await readFile(plan.metadataFile, 'utf8'),
    );
    const result = { ...files, tags: plan.tags, pushed: plan.push, steps: progress.steps() };
    const outputs = actionOutputs(result);
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(jobSummary(result)).write();
  } catch (e) {
    if (
      e instanceof ActionInputError ||
      e instanceof DockerConfigError ||
      e instanceof ExecutorFailedError ||
      e instanceof GhaCacheError ||
      e instanceof LaunchError ||
      e instanceof OutputsError
    )
      core.setFailed(e.message);
    else core.setFailed(`kaniko-ts action: ${e instanceof Error ? e.message : String(e)}`);
  }
}
