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
  /**
   * Where the local cache directories behind type=gha go, one per scope. The same path in every
   * run (the Actions cache versions an entry by its paths): RUNNER_TEMP's. Default: tempDir.
   */
  ghaCacheRoot?: string;
}

/** type=gha: a local cache directory restored from and saved to the Actions cache by the action. */
export interface GhaCache {
  /** The directory the executor reads (--cache-from type=local) and writes (--cache-to type=local). */
  dir: string;
  /** The scope (default: the Dockerfile's path), the cache key's middle part. */
  scope: string;
  /** cache-from has type=gha: restore the newest entry of the scope before the build. */
  restore: boolean;
  /** cache-to has type=gha: save the directory as a new entry after a successful build. */
  save: boolean;
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
  /** Where it writes buildx's metadata JSON (config digest, size), for `imageid` and `metadata`. */
  metadataFile: string;
  /** type=gha cache to restore and save around the executor. */
  ghaCache?: GhaCache;
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

/** The executor's --cache-from/--cache-to values for one input, and the type=gha scope if any. */
interface CacheArgs {
  values: string[];
  ghaScope?: string;
}

/** A gha scope as a cache-key segment: no '/' (it separates the key's parts) or commas. */
function ghaScopeOf(input: 'cache-from' | 'cache-to', scope: string): string {
  const s = scope.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  if (s === '') throw new ActionInputError(input, `type=gha scope "${scope}" has no letters or digits`);
  return s;
}

/** The local directory behind a type=gha scope. */
export function ghaCacheDir(root: string, scope: string): string {
  return `${root.replace(/\/+$/, '')}/kaniko-ts-gha-cache/${scope}`;
}

/**
 * BuildKit's cache specs (as docker/build-push-action passes them) → the executor's, which reads
 * the same syntax for registry and local caches. type=gha becomes a local directory that the
 * action restores from and saves to the Actions cache (see gha-cache.ts).
 */
function cacheArgs(
  input: 'cache-from' | 'cache-to',
  value: string | undefined,
  ghaRoot: string,
  defaultScope: string,
): CacheArgs {
  const out: CacheArgs = { values: [] };
  for (const line of inputList(value, false)) {
    const a = attributes(input, line, 'ref');
    const type = a.get('type') ?? 'registry';
    const mode = a.get('mode');
    if (mode !== undefined && mode !== 'min' && mode !== 'max')
      throw new ActionInputError(input, `mode=${mode}: expected min or max`);
    const withMode = input === 'cache-to' && mode ? `,mode=${mode}` : '';
    const known = new Set(['type', 'mode', ...(type === 'registry' ? ['ref'] : [])]);
    if (type === 'registry') {
      const ref = a.get('ref');
      if (!ref) throw new ActionInputError(input, `type=registry needs ref=… in "${line}"`);
      out.values.push(`type=registry,ref=${ref}${withMode}`);
    } else if (type === 'local') {
      const key = input === 'cache-from' ? 'src' : 'dest';
      known.add(key);
      const dir = a.get(key);
      if (!dir) throw new ActionInputError(input, `type=local needs ${key}=… in "${line}"`);
      out.values.push(`type=local,${key}=${dir}${withMode}`);
    } else if (type === 'gha') {
      known.add('scope');
      const scope = ghaScopeOf(input, a.get('scope') ?? defaultScope);
      if (out.ghaScope !== undefined && out.ghaScope !== scope)
        throw new ActionInputError(input, `one type=gha scope at a time; got ${out.ghaScope} and ${scope}`);
      out.ghaScope = scope;
      const ghaDir = ghaCacheDir(ghaRoot, scope);
      out.values.push(
        input === 'cache-from' ? `type=local,src=${ghaDir}` : `type=local,dest=${ghaDir}${withMode}`,
      );
    } else throw new ActionInputError(input, `type=${type} is not supported (registry, local or gha)`);
    for (const k of a.keys())
      if (!known.has(k)) throw new ActionInputError(input, `type=${type} does not take ${k}= ("${line}")`);
  }
  return out;
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

  // Caches: BuildKit's specs, read (cache-from) and written (cache-to) by the executor itself.
  // no-cache, as in BuildKit: no cached layer is used, the new ones are still exported.
  const ghaDefaultScope = file || `${context.replace(/\/+$/, '')}/Dockerfile`;
  const ghaRoot = host.ghaCacheRoot ?? host.tempDir;
  const from = cacheArgs('cache-from', inputs['cache-from'], ghaRoot, ghaDefaultScope);
  const to = cacheArgs('cache-to', inputs['cache-to'], ghaRoot, ghaDefaultScope);
  if (from.ghaScope !== undefined && to.ghaScope !== undefined && from.ghaScope !== to.ghaScope)
    throw new ActionInputError(
      'cache-to',
      `type=gha scope ${to.ghaScope} differs from cache-from's ${from.ghaScope}`,
    );
  if (bool('no-cache', inputs['no-cache'], false)) args.push('--no-cache');
  for (const v of from.values) args.push(`--cache-from=${v}`);
  for (const v of to.values) args.push(`--cache-to=${v}`);
  const ghaScope = from.ghaScope ?? to.ghaScope;
  const ghaCache: GhaCache | undefined =
    ghaScope === undefined
      ? undefined
      : {
          dir: ghaCacheDir(ghaRoot, ghaScope),
          scope: ghaScope,
          restore: from.ghaScope !== undefined,
          save: to.ghaScope !== undefined,
        };

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
  const metadataFile = `${host.tempDir}/metadata.json`;
  args.push(`--metadata-file=${metadataFile}`);

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
    metadataFile,
    ...(ghaCache ? { ghaCache } : {}),
  };
}
