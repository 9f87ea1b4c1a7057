// Compares two inspected images the way the executor's acceptance tests need: every file's path,
// type, mode, owner, content hash and link, and the config and history fields BuildKit sets.
import type { InspectedImage, TreeEntry } from './inspect.ts';

/** Config keys compared between kaniko-ts and the oracle. */
const CONFIG_KEYS = [
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'Volumes',
  'WorkingDir',
  'Labels',
  'StopSignal',
  'Healthcheck',
  'OnBuild',
  'Shell',
] as const;

/**
 * Where the 2021 oracle (BuildKit 0.8 in dockerd 20.10) and today's BuildKit write history
 * differently, both sides are reduced to what they agree on: EXPOSE (`map[…]` vs `[…]`),
 * HEALTHCHECK (`&{…}` vs `{Test:…}`; the config's Healthcheck is compared exactly) and the
 * COPY/ADD flags today's BuildKit shows. ArgsEscaped is not compared: BuildKit 0.8 set it on every
 * image, today's BuildKit only on Windows.
 */
export function normalizeHistory(line: string): string {
  const expose = /^EXPOSE (?:map)?\[(.*)\]$/.exec(line);
  if (expose) {
    const ports = expose[1]!
      .split(' ')
      .map((p) => p.replace(/:\{\}$/, ''))
      .filter(Boolean)
      .sort();
    return `EXPOSE ${ports.join(' ')}`;
  }
  if (line.startsWith('HEALTHCHECK ')) return 'HEALTHCHECK';
  if (/^(COPY|ADD) /.test(line)) return line.replace(/ --(chown|chmod|link|parents|exclude)(=\S+)?/g, '');
  return line;
}

function describe(e: TreeEntry | undefined): string {
  if (!e) return 'absent';
  const parts = [e.type, `mode=${e.mode.toString(8)}`, `uid=${e.uid}`, `gid=${e.gid}`];
  if (e.type === 'file') parts.push(`size=${e.size}`, `sha256=${e.sha256?.slice(0, 12)}`);
  if (e.link !== undefined) parts.push(`link=${e.link}`);
  if (e.hardlinkTo !== undefined) parts.push(`hardlink=${e.hardlinkTo}`);
  return parts.join(' ');
}

/** The tree without `paths` and everything under them. */
export function withoutPaths(tree: readonly TreeEntry[], paths: readonly string[]): TreeEntry[] {
  return tree.filter((e) => !paths.some((p) => e.path === p || e.path.startsWith(`${p}/`)));
}

/** Differences between two trees, one line each (empty when identical). */
export function diffTrees(expected: readonly TreeEntry[], actual: readonly TreeEntry[]): string[] {
  const a = new Map(expected.map((e) => [e.path, e]));
  const b = new Map(actual.map((e) => [e.path, e]));
  const out: string[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = describe(a.get(path));
    const y = describe(b.get(path));
    if (x !== y) out.push(`${path}: expected ${x}, got ${y}`);
  }
  return out;
}

function canonical(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Differences in config and history (created_by, empty_layer) and the number of layers. */
export function diffConfigs(expected: InspectedImage, actual: InspectedImage): string[] {
  const out: string[] = [];
  const ec = expected.config.config ?? {};
  const ac = actual.config.config ?? {};
  for (const k of CONFIG_KEYS) {
    // An empty list or map and a missing one mean the same to every runtime.
    const norm = (v: unknown) =>
      (Array.isArray(v) && v.length === 0) ||
      (v && typeof v === 'object' && Object.keys(v).length === 0) ||
      v === ''
        ? undefined
        : v;
    const x = canonical(norm(ec[k]));
    const y = canonical(norm(ac[k]));
    if (x !== y) out.push(`config.${k}: expected ${x}, got ${y}`);
  }
  for (const k of ['os', 'architecture', 'author'] as const) {
    if (canonical(expected.config[k]) !== canonical(actual.config[k]))
      out.push(`${k}: expected ${canonical(expected.config[k])}, got ${canonical(actual.config[k])}`);
  }
  const line = (h: Record<string, unknown>) =>
    `${normalizeHistory(String(h.created_by ?? ''))}${h.empty_layer ? ' (empty)' : ''}`;
  const eh = (expected.config.history ?? []).map(line);
  const ah = (actual.config.history ?? []).map(line);
  if (canonical(eh) !== canonical(ah))
    out.push(`history:\n  expected ${eh.join('\n           ')}\n  got      ${ah.join('\n           ')}`);
  if (expected.manifest.layers.length !== actual.manifest.layers.length)
    out.push(`layers: expected ${expected.manifest.layers.length}, got ${actual.manifest.layers.length}`);
  return out;
}
