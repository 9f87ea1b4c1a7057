// The action's inputs (named and formatted as docker/build-push-action's) → the executor's
// command line. Pure: no build logic, no files written, no environment read. A value the
// executor cannot honour is an ActionInputError naming the input, never silently dropped.
import { formatPlatform, parsePlatform } from '../src/build/platform.ts';
import { parseFlags, UsageError } from '../src/cli/flags.ts';

export const INPUT_NAMES = [
  'context',
  'file',
  'tags',
  'labels',
  'annotations',
  'build-args',
  'secrets',
  'secret-files',
  'target',
  'push',
  'no-cache',
  'cache-from',
  'cache-to',
  'platforms',
  'provenance',
  'outputs',
  'registry',
  'username',
  'password',
  'insecure-registries',
  'extra-args',
] as const;

export type InputName = (typeof INPUT_NAMES)[number];
/** As the runner gives them: strings, '' when not set. */
export type ActionInputs = Partial<Record<InputName, string>>;

/** Reads every input through a getter such as @actions/core's getInput. */
export function readInputs(get: (name: InputName) => string): ActionInputs {
  const out: ActionInputs = {};
  for (const n of INPUT_NAMES) out[n] = get(n);
  return out;
}

export interface Host {
  /** The runner's platform, e.g. hostPlatform() from src/build/platform.ts. */
  platform: { os: string; architecture: string; variant?: string };
  /** A private directory for files the executor writes for the action (RUNNER_TEMP/…). */
  tempDir: string;
}

export interface RegistryLogin {
  registry: string;
  username: string;
  /** Secret: mask it (core.setSecret) before anything is logged. */
  password: string;
}

export interface ExecutorPlan {
  /** Arguments for /kaniko/executor (the CLI's flags). */
  args: string[];
  /** Environment the executor needs on top of the runner's: build secrets given by value. Secret. */
  env: Record<string, string>;
  /** Values to mask before anything is logged. */
  secrets: string[];
  /** Credentials to write into the executor's docker config.json, when given as inputs. */
  login?: RegistryLogin;
  /** Whether the image is pushed (push: true, or an output of type registry). */
  push: boolean;
  /** The image references (tags input), for the `tags` output. */
  tags: string[];
  /** Where the executor writes the digest (for the `digest` output). */
  digestFile: string;
  /** Where it writes name:tag@digest per tag (when there are tags), for the `metadata` output. */
  imageRefsFile?: string;
}

export class ActionInputError extends Error {
  override name = 'ActionInputError';
  readonly input: InputName;
  constructor(input: InputName, message: string) {
    super(`input ${input}: ${message}`);
    this.input = input;
  }
}

/** BPA's list inputs: one item per line, and also per comma unless the items may hold commas. */
export function inputList(value: string | undefined, splitCommas: boolean): string[] {
  if (!value) return [];
  const items: string[] = [];
  for (const line of value.split(/\r?\n/)) {
    if (!splitCommas) items.push(line);
    else items.push(...csvFields(line));
  }
  return items.map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('#'));
}

/** One CSV line: commas split fields, "double quotes" keep commas (and "" is a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(cur);
      cur = '';
    } else cur += ch;
  }
  fields.push(cur);
  return fields;
}

/** key=value,key=value (BuildKit's export/cache/output specs); a bare word is the `ref`/`type`. */
function attributes(input: InputName, spec: string, bare: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const field of csvFields(spec)) {
    const f = field.trim();
    if (f === '') continue;
    const eq = f.indexOf('=');
    if (eq < 0) {
      if (attrs.size > 0 || spec.includes('='))
        throw new ActionInputError(input, `expected key=value in "${spec}"`);
      attrs.set(bare, f);
    } else attrs.set(f.slice(0, eq).trim().toLowerCase(), f.slice(eq + 1).trim());
  }
  return attrs;
}

function bool(input: InputName, value: string | undefined, dflt: boolean): boolean {
  const v = (value ?? '').trim();
  if (v === '') return dflt;
  // The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput takes them.
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new ActionInputError(input, `"${v}" is not a boolean (true or false)`);
}

function keyValue(input: InputName, item: string): [string, string] {
  const eq = item.indexOf('=');
  // A malformed secret line may be the secret itself: never echo it.
  const shown = input === 'secrets' ? 'a line' : `"${item}"`;
  if (eq <= 0) throw new ActionInputError(input, `expected KEY=VALUE, got ${shown}`);
  return [item.slice(0, eq).trim(), item.slice(eq + 1)];
}

/** Words of extra-args, split on whitespace with '…' and "…" quoting. */
export function splitArgs(value: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of value) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new ActionInputError('extra-args', `unterminated ${quote} quote`);
  if (inWord) words.push(cur);
  return words;
}

interface CacheSpec {
  ref: string;
  mode?: string;
}

function cacheSpecs(input: 'cache-from' | 'cache-to', value: string | undefined): CacheSpec[] {
  const specs: CacheSpec[] = [];
  for (const line of inputList(value, false)) {
    const a = attributes(input, line, 'ref');
    const type = a.get('type') ?? 'registry';
    if (type === 'local' || type === 'gha')
      throw new ActionInputError(
        input,
        `type=${type} is not supported yet: the executor caches layers in a registry (type=registry,ref=…)`,
      );
    if (type !== 'registry')
      throw new ActionInputError(input, `type=${type} is not supported (type=registry,ref=…)`);
    const ref = a.get('ref');
    if (!ref) throw new ActionInputError(input, `type=registry needs ref=… in "${line}"`);
    const mode = a.get('mode');
    if (mode !== undefined && mode !== 'min' && mode !== 'max')
      throw new ActionInputError(input, `mode=${mode}: expected min or max`);
    specs.push(mode ? { ref, mode } : { ref });
  }
  return specs;
}

const ENV_NAME = /[^A-Za-z0-9_]/g;

/** Maps the inputs to the executor's command line; throws ActionInputError for what it cannot honour. */
export function executorPlan(inputs: ActionInputs, host: Host): ExecutorPlan {
  const args: string[] = [];
  const env: Record<string, string> = {};
  const secrets: string[] = [];

  const context = (inputs.context ?? '').trim() || '.';
  args.push(`--context=${context}`);
  // BPA: the Dockerfile defaults to {context}/Dockerfile (a remote context holds its own).
  const file = (inputs.file ?? '').trim();
  const remote = /^[a-z0-9+]+:\/\//i.test(context) && !context.startsWith('dir://');
  args.push(`--dockerfile=${file || (remote ? 'Dockerfile' : `${context.replace(/\/+$/, '')}/Dockerfile`)}`);

  const tags = inputList(inputs.tags, true);
  for (const t of tags) args.push(`--destination=${t}`);

  for (const l of inputList(inputs.labels, false)) {
    const [k, v] = keyValue('labels', l);
    args.push(`--label=${k}=${v}`);
  }
  if (inputList(inputs.annotations, false).length > 0)
    throw new ActionInputError('annotations', 'image annotations are not written by the executor yet');

  for (const b of inputList(inputs['build-args'], false)) {
    const [k, v] = keyValue('build-args', b);
    args.push(`--build-arg=${k}=${v}`);
  }

  // secrets: BPA's ID=VALUE (handed over in the executor's environment, never on its command
  // line), or BuildKit's own id=…,src=…|env=….
  for (const s of inputList(inputs.secrets, false)) {
    if (/^id=[^,]+,(src|source|env)=/.test(s)) {
      args.push(`--secret=${s}`);
      continue;
    }
    const [id, value] = keyValue('secrets', s);
    const name = `KANIKO_TS_SECRET_${id.toUpperCase().replace(ENV_NAME, '_')}`;
    if (name in env) throw new ActionInputError('secrets', `secret ${id} is given twice`);
    env[name] = value;
    if (value !== '') secrets.push(value);
    args.push(`--secret=id=${id},env=${name}`);
  }
  for (const s of inputList(inputs['secret-files'], false)) {
    const [id, path] = keyValue('secret-files', s);
    if (path.trim() === '') throw new ActionInputError('secret-files', `secret ${id} has no file`);
    args.push(`--secret=id=${id},src=${path.trim()}`);
  }

  const target = (inputs.target ?? '').trim();
  if (target) args.push(`--target=${target}`);

  // outputs: registry (push), docker archive, OCI layout directory.
  let push = bool('push', inputs.push, false);
  for (const o of inputList(inputs.outputs, false)) {
    const a = attributes('outputs', o, 'type');
    const type = a.get('type');
    const dest = a.get('dest');
    if (type === 'registry' || (type === 'image' && a.get('push') === 'true')) push = true;
    else if (type === 'docker') {
      if (!dest) throw new ActionInputError('outputs', 'type=docker needs dest=… (a docker-archive tarball)');
      args.push(`--tar-path=${dest}`);
    } else if (type === 'oci') {
      if (!dest) throw new ActionInputError('outputs', 'type=oci needs dest=…');
      if (a.get('tar') !== 'false')
        throw new ActionInputError('outputs', 'type=oci is written as a layout directory: add tar=false');
      args.push(`--oci-layout-path=${dest}`);
    } else if (type === 'image') {
      // type=image without push: the image is built and kept nowhere else.
    } else
      throw new ActionInputError(
        'outputs',
        `type=${type ?? '(none)'} is not supported (registry, docker,dest=…, oci,dest=…,tar=false)`,
      );
  }
  if (push && tags.length === 0) throw new ActionInputError('tags', 'push needs at least one tag');
  if (!push) args.push('--no-push');

  // The executor reads and writes one cache repository.
  const from = cacheSpecs('cache-from', inputs['cache-from']);
  const to = cacheSpecs('cache-to', inputs['cache-to']);
  const noCache = bool('no-cache', inputs['no-cache'], false);
  const refs = [...new Set([...from, ...to].map((c) => c.ref))];
  if (refs.length > 1)
    throw new ActionInputError(
      from.length > 1 ? 'cache-from' : 'cache-to',
      `the executor uses one cache repository; got ${refs.join(', ')}`,
    );
  if (!noCache && refs.length === 1) {
    args.push('--cache=true', `--cache-repo=${refs[0]}`);
    if (to.length === 0) args.push('--no-push-cache');
    if (to[0]?.mode === 'max') args.push('--cache-copy-layers=true');
  }

  // Only the runner's own platform can be built (no emulation).
  const platforms = inputList(inputs.platforms, true);
  if (platforms.length > 0) {
    const runner = formatPlatform(parsePlatform(formatPlatform(host.platform)));
    const wanted = platforms.map((p) => {
      try {
        return formatPlatform(parsePlatform(p));
      } catch {
        throw new ActionInputError('platforms', `"${p}" is not a platform`);
      }
    });
    const others = wanted.filter((p) => p !== runner);
    if (others.length > 0 || wanted.length > 1)
      throw new ActionInputError(
        'platforms',
        `only the runner's platform (${runner}) can be built; use a runner of each platform for ${platforms.join(', ')}`,
      );
  }

  const provenance = (inputs.provenance ?? '').trim();
  if (provenance !== '' && provenance !== 'false')
    throw new ActionInputError(
      'provenance',
      'provenance attestations are not produced by the executor yet; leave it empty or set false',
    );

  for (const r of inputList(inputs['insecure-registries'], true)) args.push(`--insecure-registry=${r}`);

  let login: RegistryLogin | undefined;
  const username = (inputs.username ?? '').trim();
  const password = inputs.password ?? '';
  if (password !== '') secrets.push(password);
  if (username !== '' || password !== '') {
    if (username === '' || password === '')
      throw new ActionInputError(
        username === '' ? 'username' : 'password',
        'username and password go together',
      );
    login = { registry: (inputs.registry ?? '').trim() || 'docker.io', username, password };
  } else if ((inputs.registry ?? '').trim() !== '')
    throw new ActionInputError('registry', 'a registry to log in to needs username and password');

  const digestFile = `${host.tempDir}/digest`;
  args.push(`--digest-file=${digestFile}`);
  const imageRefsFile = tags.length > 0 ? `${host.tempDir}/image-refs` : undefined;
  if (imageRefsFile) args.push(`--image-name-tag-with-digest-file=${imageRefsFile}`);

  const extra = splitArgs(inputs['extra-args'] ?? '');
  try {
    const parsed = parseFlags(extra);
    if (parsed.positional.length > 0) throw new UsageError(`unexpected argument "${parsed.positional[0]}"`);
  } catch (e) {
    if (e instanceof UsageError) throw new ActionInputError('extra-args', e.message);
    throw e;
  }
  args.push(...extra);

  return {
    args,
    env,
    secrets,
    ...(login ? { login } : {}),
    push,
    tags,
    digestFile,
    ...(imageRefsFile ? { imageRefsFile } : {}),
  };
}
