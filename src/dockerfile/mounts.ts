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
  const v = value.toLowerCase();
  if (v === '1' || v === 't' || v === 'true') return true;
  if (v === '0' || v === 'f' || v === 'false') return false;
  throw new MountError(`invalid value for ${key}: ${value}`);
}

function parseUint(key: string, value: string, base: 8 | 10): number {
  const re = base === 8 ? /^(0o?)?[0-7]+$/i : /^[0-9]+$/;
  if (!re.test(value)) throw new MountError(`invalid value for ${key}: ${value}`);
  const n = Number.parseInt(value.replace(/^0o/i, ''), base);
  if (n > 0xffffffff) throw new MountError(`invalid value for ${key}: ${value}`);
  return n;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  p: 1024 ** 5,
  pb: 1024 ** 5,
};

function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?b?)$/i.exec(value);
  if (!m) throw new MountError(`invalid value for size: ${value}`);
  return Math.floor(Number(m[1]) * (SIZE_UNITS[m[2]!.toLowerCase() || 'b'] ?? 1));
}

/**
 * Parses one --mount value. `expand` is applied to every value (BuildKit expands mount options with
 * the stage's environment); without it values are kept as written.
 */
export function parseMount(spec: string, expand: (w: string) => string = (w) => w): RunMount {
  const fields = splitCSV(spec);
  let type: MountType = 'bind';
  for (const f of fields) {
    const eq = f.indexOf('=');
    if (eq >= 0 && f.slice(0, eq).toLowerCase() === 'type') {
      const v = f.slice(eq + 1).toLowerCase();
      if (!(TYPES as readonly string[]).includes(v))
        throw new MountError(`unsupported mount type "${f.slice(eq + 1)}"`);
      type = v as MountType;
    }
  }
  const m: RunMount = {
    type,
    target: '',
    readOnly: type === 'bind' || type === 'secret' || type === 'ssh',
    required: false,
  };
  if (type === 'cache') {
    m.sharing = 'shared';
    m.mode = 0o755;
  }
  if (type === 'secret') m.mode = 0o400;
  if (type === 'ssh') m.mode = 0o600;
  let roSet = false;
  for (const f of fields) {
    const eq = f.indexOf('=');
    const key = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      switch (key) {
        case 'readonly':
        case 'ro':
          m.readOnly = true;
          roSet = true;
          continue;
        case 'readwrite':
        case 'rw':
          m.readOnly = false;
          roSet = true;
          continue;
        case 'required':
          if (type === 'secret' || type === 'ssh') {
            m.required = true;
            continue;
          }
          throw new MountError(`unexpected key 'required' for mount type '${type}'`);
        default:
          throw new MountError(`invalid field '${f}' must be a key=value pair`);
      }
    }
    const value = expand(f.slice(eq + 1));
    switch (key) {
      case 'type':
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.target = value;
        break;
      case 'source':
      case 'src':
        m.source = value;
        break;
      case 'from':
        m.from = value;
        break;
      case 'readonly':
      case 'ro':
        m.readOnly = parseBool(key, value);
        roSet = true;
        break;
      case 'readwrite':
      case 'rw':
        m.readOnly = !parseBool(key, value);
        roSet = true;
        break;
      case 'required':
        if (type !== 'secret' && type !== 'ssh')
          throw new MountError(`unexpected key 'required' for mount type '${type}'`);
        m.required = parseBool(key, value);
        break;
      case 'id':
        m.id = value;
        break;
      case 'sharing':
        if (value !== 'shared' && value !== 'private' && value !== 'locked')
          throw new MountError(`unsupported sharing value "${value}"`);
        m.sharing = value;
        break;
      case 'mode':
        m.mode = parseUint(key, value, 8);
        break;
      case 'uid':
        m.uid = parseUint(key, value, 10);
        break;
      case 'gid':
        m.gid = parseUint(key, value, 10);
        break;
      case 'size':
        if (type !== 'tmpfs') throw new MountError(`unexpected key 'size' for mount type '${type}'`);
        m.size = parseSize(value);
        break;
      case 'env':
        if (type !== 'secret') throw new MountError(`unexpected key 'env' for mount type '${type}'`);
        m.env = value;
        break;
      default:
        throw new MountError(`unexpected key '${key}' in '${f}'`);
    }
  }
  if (type === 'secret') {
    if (m.id === undefined && m.target === '' && m.env === undefined)
      throw new MountError('one of source, target required');
    if (m.id === undefined) m.id = m.source ?? (m.target !== '' ? m.target.split('/').pop() : m.env);
    if (m.target === '' && m.env === undefined) m.target = `/run/secrets/${m.id}`;
  } else if (type === 'ssh') {
    if (m.id === undefined) m.id = 'default';
    if (m.target === '') m.target = `/run/buildkit/ssh_agent.${0}`;
  } else if (m.target === '') {
    throw new MountError(`invalid mount target ""`);
  }
  if (type === 'tmpfs' && roSet && m.readOnly) throw new MountError('tmpfs mounts cannot be read-only');
  if (type === 'cache' && m.id === undefined) m.id = m.target;
  return m;
}
