// Extended attributes an image records (security.capability, user.*), read and set with the attr
// package's getfattr/setfattr: Node has no xattr API. One process per batch of paths, never one
// per file, and symlinks are never followed (-h). security.selinux, system.* (ACLs) and trusted.*
// describe the host, not the image, and are left out as BuildKit leaves them out.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type Xattrs = Record<string, Buffer>;

/** The attribute names kept: a getfattr -m pattern and the same test in code. */
const KEPT = '^(security\\.capability|user\\..+)$';
const KEPT_RE = new RegExp(KEPT);

export function isKeptXattr(name: string): boolean {
  return KEPT_RE.test(name);
}

/** getfattr's quoting of a path in a dump: backslash, controls and non-ASCII bytes as \ooo. */
function quotePath(path: string): string {
  let out = '';
  for (const b of Buffer.from(path)) {
    if (b <= 0x20 || b >= 0x7f || b === 0x5c) {
      out += b === 0x20 ? ' ' : `\\${b.toString(8).padStart(3, '0')}`;
    } else out += String.fromCharCode(b);
  }
  return out;
}

function unquotePath(quoted: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < quoted.length; i++) {
    if (quoted[i] === '\\' && /^[0-7]{3}$/.test(quoted.slice(i + 1, i + 4))) {
      bytes.push(Number.parseInt(quoted.slice(i + 1, i + 4), 8));
      i += 3;
    } else bytes.push(...Buffer.from(quoted[i]!));
  }
  return Buffer.from(bytes).toString();
}

/** Parses `getfattr -d -e hex --absolute-names` output: host path → attributes. */
export function parseXattrDump(text: string): Map<string, Xattrs> {
  const out = new Map<string, Xattrs>();
  let current: Xattrs | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = {};
      out.set(unquotePath(line.slice(8)), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) continue;
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (!isKeptXattr(name)) continue;
    if (value.startsWith('0x')) current[name] = Buffer.from(value.slice(2), 'hex');
    else if (value.startsWith('"') && value.endsWith('"')) current[name] = Buffer.from(value.slice(1, -1));
  }
  for (const [k, v] of out) if (Object.keys(v).length === 0) out.delete(k);
  return out;
}

/** The dump `setfattr --restore` reads, values in hex so any byte survives. */
export function formatXattrDump(items: Iterable<{ host: string; xattrs: Xattrs }>): string {
  let out = '';
  for (const { host, xattrs } of items) {
    out += `# file: ${quotePath(host)}\n`;
    for (const name of Object.keys(xattrs).sort()) out += `${name}=0x${xattrs[name]!.toString('hex')}\n`;
    out += '\n';
  }
  return out;
}

/** Batches of paths whose argv stays far below ARG_MAX. */
function* batches(paths: readonly string[], maxBytes = 64 * 1024): Generator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    if (batch.length > 0 && bytes + p.length + 1 > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(p);
    bytes += p.length + 1;
  }
  if (batch.length > 0) yield batch;
}

/**
 * The executor image carries its own tools in /kaniko/bin, next to the executable: in place, the
 * base image extracted over / may have none, or broken ones. Elsewhere, the machine's.
 */
function tool(name: 'getfattr' | 'setfattr'): string {
  const own = join(dirname(process.execPath), 'bin', name);
  return existsSync(own) ? own : name;
}

/**
 * The kept attributes of `hosts` (absolute host paths, symlinks not followed); paths without
 * any are absent from the map. Without getfattr the map is empty.
 */
export function readXattrs(hosts: readonly string[]): Map<string, Xattrs> {
  const out = new Map<string, Xattrs>();
  if (hosts.length === 0) return out;
  for (const batch of batches(hosts)) {
    const r = spawnSync(
      tool('getfattr'),
      ['-h', '-d', '-m', KEPT, '-e', 'hex', '--absolute-names', '--', ...batch],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    if (r.error) return out;
    for (const [k, v] of parseXattrDump(r.stdout)) out.set(k, v);
  }
  return out;
}

export interface XattrFailure {
  host: string;
  reason: string;
}

/**
 * Sets attributes on host paths (symlinks not followed) in one setfattr process; returns the
 * paths it could not set them on, with setfattr's reason (all of them when setfattr is missing).
 */
export function applyXattrs(items: ReadonlyArray<{ host: string; xattrs: Xattrs }>): XattrFailure[] {
  if (items.length === 0) return [];
  const r = spawnSync(tool('setfattr'), ['-h', '--restore=-'], {
    input: formatXattrDump(items),
    encoding: 'utf8',
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  if (r.error)
    return items.map(({ host }) => ({ host, reason: 'setfattr not installed (Debian package attr)' }));
  if (r.status === 0) return [];
  // "setfattr: PATH: reason", one line per failed path.
  const failures: XattrFailure[] = [];
  for (const line of r.stderr.split('\n')) {
    const m = /^setfattr: (.*): ([^:]+)$/.exec(line);
    if (m) failures.push({ host: unquotePath(m[1]!), reason: m[2]! });
  }
  if (failures.length === 0) failures.push(...items.map(({ host }) => ({ host, reason: r.stderr.trim() })));
  return failures;
}
