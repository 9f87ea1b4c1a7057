// RUN --mount=type=...,target=...: the CSV syntax, defaults and validation of BuildKit's run mounts.
export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type CacheSharing = 'shared' | 'private' | 'locked';

export interface RunMount {
  type: MountType;
  /** Where it appears in the RUN container (defaulted for secret and ssh). */
  target: string;
  /** Path in the source (context, stage or image); for secret and ssh unused. */
  source?: string;
  /** Stage name, stage index or image the mount reads from (bind, cache). */
  from?: string;
  readOnly: boolean;
  /** Cache, secret and ssh id. */
  id?: string;
  sharing?: CacheSharing;
  /** Octal permission bits of the mount point (cache, secret, ssh). */
  mode?: number;
  uid?: number;
  gid?: number;
  /** secret/ssh: fail when not provided. */
  required: boolean;
  /** tmpfs size in bytes. */
  size?: number;
  /** secret: also (or only) expose it as this environment variable. */
  env?: string;
}

export class MountError extends Error {}

const TYPES: readonly MountType[] = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];

/** Splits one CSV record (Go encoding/csv rules, comma separator, `"` quoting). */
function splitCSV(spec: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (spec[i] === '"') {
      i++;
      for (;;) {
        if (i >= spec.length)
          throw new MountError(
            `invalid mount value ${JSON.stringify(spec)}: extraneous or missing " in quoted-field`,
          );
        const ch = spec[i]!;
        if (ch === '"') {
          if (spec[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
      if (i < spec.length && spec[i] !== ',')
        throw new MountError(
          `invalid mount value ${JSON.stringify(spec)}: extraneous or missing " in quoted-field`,
        );
    } else {
      const comma = spec.indexOf(',', i);
      const end = comma < 0 ? spec.length : comma;
      field = spec.slice(i, end);
      if (field.includes('"'))
        throw new MountError(`invalid mount value ${JSON.stringify(spec)}: bare " in non-quoted-field`);
      i = end;
    }
    out.push(field);
    if (i >= spec.length) return out;
    i++; // the comma
  }
}

function parseBool(key: string, value: string): boolean {
  // Go's strconv.ParseBool
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new MountError(`invalid value for ${key}: ${value}`);
}

function parseUint(key: string, value: string, base: 8 | 10): number {
  const re = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  const n = re.test(value) ? Number.parseInt(value, base) : Number.NaN;
  if (!(n <= 0xffffffff)) throw new MountError(`invalid value ${value} for ${key}`);
  return n;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/** docker/go-units RAMInBytes: `64m`, `1.5g`, `512KiB`, `100`. */
function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (!m) throw new MountError(`invalid value for size: ${value}`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toLowerCase()]!);
}

const FILE_INFO_TYPES: readonly MountType[] = ['secret', 'ssh', 'cache'];

/**
 * Parses one --mount value, fields in order as BuildKit does. `expand` is applied to every value
 * (BuildKit expands mount options with the stage's environment); without it values are kept as
 * written. `from=` never takes variables (BuildKit: "define alias stage instead").
 */
export function parseMount(spec: string, expand?: (w: string) => string): RunMount {
  const fields = splitCSV(spec);
  let type: MountType = 'bind';
  let roAuto = true;
  let readOnly = false;
  let required = false;
  let target = '';
  const m: Partial<RunMount> = {};
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      switch (key) {
        case 'readonly':
        case 'ro':
          readOnly = true;
          roAuto = false;
          continue;
        case 'readwrite':
        case 'rw':
          readOnly = false;
          roAuto = false;
          continue;
        case 'required':
          if (type === 'secret' || type === 'ssh') {
            required = true;
            continue;
          }
          throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        default:
          throw new MountError(`invalid field '${f}' must be a key=value pair`);
      }
    }
    let value = f.slice(eq + 1);
    if (key === 'from' && /\$./.test(value))
      throw new MountError(`'${key}' doesn't support variable expansion, define alias stage instead`);
    if (expand) value = expand(value);
    switch (key) {
      case 'type': {
        const v = value.toLowerCase();
        if (!(TYPES as readonly string[]).includes(v))
          throw new MountError(`unsupported mount type "${value}"`);
        type = v as MountType;
        break;
      }
      case 'from':
        m.from = value;
        break;
      case 'source':
      case 'src':
        m.source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro':
        readOnly = parseBool(key, value);
        roAuto = false;
        break;
      case 'readwrite':
      case 'rw':
        readOnly = !parseBool(key, value);
        roAuto = false;
        break;
      case 'required':
        if (type !== 'secret' && type !== 'ssh')
          throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        required = parseBool(key, value);
        break;
      case 'size':
        if (type !== 'tmpfs') throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        m.size = parseSize(value);
        break;
      case 'id':
        m.id = value;
        break;
      case 'sharing': {
        const v = value.toLowerCase();
        if (v !== 'shared' && v !== 'private' && v !== 'locked')
          throw new MountError(`unsupported sharing value "${value}"`);
        m.sharing = v;
        break;
      }
      case 'mode':
        m.mode = parseUint(key, value, 8);
        break;
      case 'uid':
        m.uid = parseUint(key, value, 10);
        break;
      case 'gid':
        m.gid = parseUint(key, value, 10);
        break;
      case 'env':
        if (type !== 'secret') throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        m.env = value;
        break;
      default:
        throw new MountError(`unexpected key '${key}' in '${f}'`);
    }
  }
  if (!FILE_INFO_TYPES.includes(type)) {
    for (const k of ['mode', 'uid', 'gid'] as const)
      if (m[k] !== undefined) throw new MountError(`${k} not allowed for "${type}" type mounts`);
  }
  if (roAuto) readOnly = !(type === 'cache' || type === 'tmpfs');
  if (type === 'secret') {
    if (m.from !== undefined) throw new MountError('secret mount should not have a from');
    if (m.sharing !== undefined) throw new MountError('secret mount should not define sharing');
    if (m.source === undefined && target === '' && m.id === undefined && m.env === undefined)
      throw new MountError('invalid secret mount. one of source, target required');
    if (m.source !== undefined && m.id !== undefined) throw new MountError("both source and id can't be set");
  }
  if (m.sharing !== undefined && type !== 'cache')
    throw new MountError(`invalid cache sharing set for ${type} mount`);

  // Defaults BuildKit applies when it turns the mount into an LLB mount.
  const out: RunMount = { type, target, readOnly, required, ...m };
  if (type === 'cache') {
    out.sharing ??= 'shared';
    out.mode ??= 0o755;
    out.id ??= target;
  } else if (type === 'secret') {
    out.mode ??= 0o400;
    out.id ??= m.source ?? (target !== '' ? target.split('/').pop() : m.env);
    if (target === '' && m.env === undefined) out.target = `/run/secrets/${out.id}`;
    delete out.source;
  } else if (type === 'ssh') {
    out.mode ??= 0o600;
    out.id ??= 'default';
    if (target === '') out.target = '/run/buildkit/ssh_agent.0';
  }
  if (out.target === '' && type !== 'secret') throw new MountError('invalid mount target ""');
  return out;
}
