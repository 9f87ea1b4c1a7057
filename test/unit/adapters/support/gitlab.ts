// What GitLab does with our YAML before a runner sees it, done the way GitLab documents it:
// component inputs ($[[ inputs.x ]]), `include` (local and project files, merged under the
// including file), `extends` (deep merge of mappings), job variables expanded against the
// predefined ones; then the job's script run with sh, /kaniko/executor replaced by a recorder
// that writes a digest like the executor does (or runs the real one after it).
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load, loadAll } from 'js-yaml';
import { readText } from './schemas.ts';

const run = promisify(execFile);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Mapping = { [k: string]: Json };

export function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface InputSpec {
  default?: Json;
  type?: 'string' | 'boolean' | 'number' | 'array';
  description?: string;
}

/** A component file: header (`spec:`) and the rest, with inputs interpolated as GitLab does. */
export function renderComponent(text: string, given: Record<string, string | boolean>): Mapping {
  const sep = text.indexOf('\n---\n');
  if (sep < 0) throw new Error('component has no header document');
  const header = loadAll(text.slice(0, sep + 1))[0];
  if (!isMapping(header) || !isMapping(header.spec) || !isMapping(header.spec.inputs))
    throw new Error('component header has no spec.inputs');
  const specs = header.spec.inputs as Record<string, InputSpec>;
  for (const name of Object.keys(given))
    if (!(name in specs)) throw new Error(`unknown input "${name}" (GitLab rejects it)`);
  const body = text
    .slice(sep + 5)
    .replace(/\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]/g, (_m, name: string) => {
      const spec = specs[name];
      if (!spec) throw new Error(`template uses undeclared input "${name}"`);
      const value = name in given ? given[name] : spec.default;
      if (value === undefined) throw new Error(`input "${name}" is required`);
      if (spec.type === 'boolean' && typeof value !== 'boolean')
        throw new Error(`input "${name}" must be a boolean`);
      return String(value);
    });
  const doc = loadAll(body)[0];
  if (!isMapping(doc)) throw new Error('component body is not a mapping');
  return doc;
}

/** GitLab's `extends`: mappings merged deeply, everything else (arrays, scalars) replaced. */
export function deepMerge(base: Mapping, over: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMapping(b) && isMapping(v) ? deepMerge(b, v) : v;
  }
  return out;
}

/** The GitLab project gitlab/ is the root of (gitlab/README.md, "Where it lives on GitLab"). */
export const GITLAB_PROJECT = '<group>/kaniko-ts';
export const TEMPLATE_FILE = '/kaniko-ts.gitlab-ci.yml';

/** A user's .gitlab-ci.yml, as gitlab/README.md shows it: the include template, extended. */
export function userPipeline(variables: Record<string, string>): Mapping {
  return {
    include: [{ project: GITLAB_PROJECT, ref: '1.0.0', file: TEMPLATE_FILE }],
    'build-image': { extends: '.kaniko-ts-build', variables },
  };
}

/**
 * GitLab's `include`: each included file's content, deep-merged under the including file. Local
 * files are this repository's; files of GITLAB_PROJECT are gitlab/'s (that project's root).
 */
export function resolveIncludes(pipeline: Mapping): Mapping {
  const { include, ...own } = pipeline;
  const entries = include === undefined ? [] : Array.isArray(include) ? include : [include];
  let merged: Mapping = {};
  for (const entry of entries) {
    if (!isMapping(entry)) throw new Error(`include ${JSON.stringify(entry)} is not a mapping`);
    let path: string;
    if (typeof entry.local === 'string') path = entry.local.replace(/^\//, '');
    else if (entry.project === GITLAB_PROJECT && typeof entry.file === 'string')
      path = `gitlab/${entry.file.replace(/^\//, '')}`;
    else throw new Error(`include ${JSON.stringify(entry)}: only local files and ${GITLAB_PROJECT} here`);
    const doc = load(readText(path));
    if (!isMapping(doc)) throw new Error(`${path} is not a mapping`);
    merged = deepMerge(merged, resolveIncludes(doc));
  }
  return deepMerge(merged, own);
}

export function resolveExtends(pipeline: Mapping, job: string): Mapping {
  const j = pipeline[job];
  if (!isMapping(j)) throw new Error(`no job ${job}`);
  const parents = j.extends === undefined ? [] : Array.isArray(j.extends) ? j.extends : [j.extends];
  let merged: Mapping = {};
  for (const p of parents) merged = deepMerge(merged, resolveExtends(pipeline, String(p)));
  const { extends: _ignored, ...own } = j;
  return deepMerge(merged, own);
}

/** $VAR and ${VAR} in a job variable's value, expanded from the environment GitLab has so far. */
export function expandVariable(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, a?: string, b?: string) => {
      return env[(a ?? b)!] ?? '';
    },
  );
}

export interface JobRun {
  /** The script's exit status. */
  code: number;
  /** What the script left in its $TMPDIR. */
  leftInTmp: string[];
  /** Arguments /kaniko/executor was called with. */
  args: string[];
  stdout: string;
  /** Where the executor logs. */
  stderr: string;
  /** The dotenv report the job left in the project directory ('' when it left none). */
  dotenv: string;
  /** IMAGE_DIGEST of the dotenv report. */
  digest: string;
}

export const FAKE_DIGEST = `sha256:${'ab'.repeat(32)}`;

export interface RunJobOptions {
  /** The real executor to run after recording its arguments (default: write FAKE_DIGEST). */
  executor?: string[];
  /** Files to put in the project directory (CI_PROJECT_DIR) first. */
  files?: Record<string, string>;
  /** The recorder exits with this status instead of writing a digest (a failed build). */
  failWith?: number;
  /** Resolve with the script's exit status instead of throwing when it fails. */
  allowFailure?: boolean;
}

/** Runs a job's script the way a shell runner would, in a fresh project directory. */
export async function runJobScript(
  job: Mapping,
  predefined: Record<string, string>,
  opts: RunJobOptions = {},
): Promise<JobRun> {
  const dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-gitlab-'));
  const project = join(dir, 'project');
  await run('mkdir', ['-p', project]);
  for (const [name, text] of Object.entries(opts.files ?? {})) await writeFile(join(project, name), text);
  const recorder = join(dir, 'executor');
  const log = join(dir, 'args.json');
  const then = opts.executor
    ? `const r = require('node:child_process').spawnSync(${JSON.stringify(opts.executor[0])}, ` +
      `[...${JSON.stringify(opts.executor.slice(1))}, ...args], { stdio: 'inherit' });\n` +
      `process.exit(r.status ?? 1);\n`
    : opts.failWith !== undefined
      ? `process.stderr.write('error: the build failed\\n');\nprocess.exit(${opts.failWith});\n`
      : `const i = args.indexOf('--digest-file');\n` +
        `if (i >= 0) fs.writeFileSync(args[i + 1], ${JSON.stringify(FAKE_DIGEST)});\n`;
  await writeFile(
    recorder,
    `#!${process.execPath}\n` +
      `const fs = require('node:fs');\n` +
      `const args = process.argv.slice(2);\n` +
      `fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify(args));\n` +
      then,
  );
  await chmod(recorder, 0o755);
  // The job's own temp dir: what the script leaves there is reported (it should leave nothing).
  const jobTmp = join(dir, 'tmp');
  await run('mkdir', ['-p', jobTmp]);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    CI_PROJECT_DIR: project,
    TMPDIR: jobTmp,
    ...predefined,
  };
  env.CI_PROJECT_DIR = project;
  const variables = isMapping(job.variables) ? job.variables : {};
  for (const [k, v] of Object.entries(variables)) env[k] = expandVariable(String(v), env);
  const script = (job.script as string[]).join('\n');
  const calls = script.split('/kaniko/executor').length - 1;
  if (calls !== 1) throw new Error(`script calls /kaniko/executor ${calls} times`);
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(
        'sh',
        ['-c', script.replace('/kaniko/executor', recorder)],
        { cwd: project, env, maxBuffer: 16 << 20 },
        (err, out, errOut) => {
          const status = err ? (err as { code?: unknown }).code : 0;
          resolve({ code: typeof status === 'number' ? status : 1, stdout: out, stderr: errOut });
        },
      );
    },
  );
  if (code !== 0 && !opts.allowFailure)
    throw new Error(`the job script exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`);
  const dotenv = await readFile(join(project, 'kaniko-ts.env'), 'utf8').catch(() => '');
  return {
    code,
    leftInTmp: await readdir(jobTmp),
    args: JSON.parse(await readFile(log, 'utf8')) as string[],
    stdout,
    stderr,
    dotenv,
    digest: /^IMAGE_DIGEST=(.*)$/m.exec(dotenv)?.[1] ?? '',
  };
}
