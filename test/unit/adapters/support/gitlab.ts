// What GitLab does with our YAML before a runner sees it, done the way GitLab documents it:
// component inputs ($[[ inputs.x ]]), `extends` (deep merge of mappings), job variables
// expanded against the predefined ones; then the job's script run with sh, /kaniko/executor
// replaced by a recorder that writes a digest like the executor does.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadAll } from 'js-yaml';

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
  /** Arguments /kaniko/executor was called with. */
  args: string[];
  stdout: string;
  /** The dotenv report the job left in the project directory. */
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
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    CI_PROJECT_DIR: project,
    ...predefined,
  };
  env.CI_PROJECT_DIR = project;
  const variables = isMapping(job.variables) ? job.variables : {};
  for (const [k, v] of Object.entries(variables)) env[k] = expandVariable(String(v), env);
  const script = (job.script as string[]).join('\n');
  const calls = script.split('/kaniko/executor').length - 1;
  if (calls !== 1) throw new Error(`script calls /kaniko/executor ${calls} times`);
  const { stdout } = await run('sh', ['-c', script.replace('/kaniko/executor', recorder)], {
    cwd: project,
    env,
  });
  const dotenv = await readFile(join(project, 'kaniko-ts.env'), 'utf8');
  return {
    args: JSON.parse(await readFile(log, 'utf8')) as string[],
    stdout,
    dotenv,
    digest: /^IMAGE_DIGEST=(.*)$/m.exec(dotenv)?.[1] ?? '',
  };
}
