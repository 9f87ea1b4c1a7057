// The executor's flags, declared once: kaniko v1's names, shorthands, defaults and help, plus
// the few kaniko-ts adds. Parsing follows pflag (what kaniko uses): --name=value, --name value,
// -x value, booleans as --name or --name=false, repeatable multi-value flags.
export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'multi' | 'keyvalue';

/** works: implemented; noop: accepted for compatibility with a one-line note; deprecated: alias. */
export type FlagStatus = 'works' | 'noop' | 'deprecated';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  default?: string | boolean | number;
  help: string;
  status: FlagStatus;
  /** For deprecated aliases: the flag it stands for. */
  aliasOf?: string;
  /** Not in kaniko v1's executor. */
  kanikoTs?: boolean;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    name: 'dockerfile',
    short: 'f',
    kind: 'string',
    default: 'Dockerfile',
    help: 'Path to the Dockerfile to build',
    status: 'works',
  },
  {
    name: 'context',
    short: 'c',
    kind: 'string',
    default: '/workspace/',
    help: 'Build context: a directory, tar://, git://, https://, gs://, s3://',
    status: 'works',
  },
  { name: 'context-sub-path', kind: 'string', help: 'Sub path within the given context', status: 'works' },
  {
    name: 'bucket',
    short: 'b',
    kind: 'string',
    help: 'GCS bucket holding the context tarball (prefer --context gs://)',
    status: 'works',
  },
  {
    name: 'destination',
    short: 'd',
    kind: 'multi',
    help: 'Image reference to push to; repeat for several',
    status: 'works',
  },
  {
    name: 'build-arg',
    kind: 'multi',
    help: 'ARG value at build time, NAME=value or NAME (taken from the environment)',
    status: 'works',
  },
  { name: 'target', kind: 'string', help: 'Build stage to build', status: 'works' },
  { name: 'no-push', kind: 'bool', default: false, help: 'Do not push the image', status: 'works' },
  { name: 'no-push-cache', kind: 'bool', default: false, help: 'Do not push cache layers', status: 'works' },
  {
    name: 'tar-path',
    kind: 'string',
    help: 'Write the image as a docker-archive tarball to this path',
    status: 'works',
  },
  {
    name: 'oci-layout-path',
    kind: 'string',
    help: 'Write the image as an OCI image layout to this directory',
    status: 'works',
  },
  { name: 'digest-file', kind: 'string', help: 'Write the image digest to this file', status: 'works' },
  {
    name: 'image-name-with-digest-file',
    kind: 'string',
    help: 'Write name@digest for each destination to this file',
    status: 'works',
  },
  {
    name: 'image-name-tag-with-digest-file',
    kind: 'string',
    help: 'Write name:tag@digest for each destination to this file',
    status: 'works',
  },
  { name: 'label', kind: 'multi', help: 'Image label KEY=VALUE; repeat for several', status: 'works' },
  {
    name: 'insecure',
    kind: 'bool',
    default: false,
    help: 'Push to registries over plain HTTP',
    status: 'works',
  },
  {
    name: 'insecure-pull',
    kind: 'bool',
    default: false,
    help: 'Pull from registries over plain HTTP',
    status: 'works',
  },
  {
    name: 'insecure-registry',
    kind: 'multi',
    help: 'Registry to use over plain HTTP; repeat for several',
    status: 'works',
  },
  {
    name: 'skip-tls-verify',
    kind: 'bool',
    default: false,
    help: 'Push without verifying TLS certificates',
    status: 'works',
  },
  {
    name: 'skip-tls-verify-pull',
    kind: 'bool',
    default: false,
    help: 'Pull without verifying TLS certificates',
    status: 'works',
  },
  {
    name: 'skip-tls-verify-registry',
    kind: 'multi',
    help: 'Registry whose TLS certificate is not verified',
    status: 'works',
  },
  {
    name: 'registry-certificate',
    kind: 'keyvalue',
    help: 'CA certificate for a registry: host=/path/to/ca.crt',
    status: 'works',
  },
  {
    name: 'registry-client-cert',
    kind: 'keyvalue',
    help: 'Client certificate for mTLS: host=/path/cert,/path/key',
    status: 'works',
  },
  {
    name: 'registry-mirror',
    kind: 'multi',
    help: 'Mirror to pull docker.io images through; repeat for several',
    status: 'works',
  },
  {
    name: 'registry-map',
    kind: 'keyvalue',
    help: 'Rewrite a registry: original=replacement[;replacement2]',
    status: 'works',
  },
  {
    name: 'skip-default-registry-fallback',
    kind: 'bool',
    default: false,
    help: 'Fail instead of falling back to docker.io when mirrors fail',
    status: 'works',
  },
  {
    name: 'credential-helpers',
    kind: 'multi',
    help: 'Credential helpers to use (docker config.json helpers are always used)',
    status: 'noop',
  },
  {
    name: 'custom-platform',
    kind: 'string',
    help: 'Platform to build for, e.g. linux/arm64',
    status: 'works',
  },
  {
    name: 'reproducible',
    kind: 'bool',
    default: false,
    help: 'Strip timestamps from the image',
    status: 'works',
  },
  {
    name: 'single-snapshot',
    kind: 'bool',
    default: false,
    help: 'Take one snapshot at the end of the stage',
    status: 'works',
  },
  {
    name: 'snapshot-mode',
    kind: 'string',
    default: 'full',
    help: 'Which file attributes decide a change: full, redo, time',
    status: 'works',
  },
  {
    name: 'compression',
    kind: 'string',
    default: 'gzip',
    help: 'Layer compression: gzip or zstd',
    status: 'works',
  },
  {
    name: 'compression-level',
    kind: 'int',
    default: -1,
    help: 'Compression level (-1: default)',
    status: 'works',
  },
  { name: 'compressed-caching', kind: 'bool', default: true, help: 'Compress cached layers', status: 'noop' },
  {
    name: 'cleanup',
    kind: 'bool',
    default: false,
    help: 'Remove the build filesystem at the end',
    status: 'works',
  },
  {
    name: 'verbosity',
    short: 'v',
    kind: 'string',
    default: 'info',
    help: 'Log level: trace, debug, info, warn, error, fatal, panic',
    status: 'works',
  },
  {
    name: 'log-format',
    kind: 'string',
    default: 'color',
    help: 'Log format: text, color, json',
    status: 'works',
  },
  { name: 'log-timestamp', kind: 'bool', default: false, help: 'Timestamps in log output', status: 'works' },
  { name: 'push-retry', kind: 'int', default: 0, help: 'Retries for each push request', status: 'works' },
  {
    name: 'push-ignore-immutable-tag-errors',
    kind: 'bool',
    default: false,
    help: 'Treat an immutable-tag refusal as success',
    status: 'works',
  },
  {
    name: 'image-download-retry',
    kind: 'int',
    default: 0,
    help: 'Retries for downloading base images',
    status: 'works',
  },
  {
    name: 'image-fs-extract-retry',
    kind: 'int',
    default: 0,
    help: 'Retries for extracting base image layers',
    status: 'works',
  },
  {
    name: 'ignore-path',
    kind: 'multi',
    help: 'Path to leave out of snapshots; repeat for several',
    status: 'works',
  },
  {
    name: 'ignore-var-run',
    kind: 'bool',
    default: true,
    help: 'Leave /var/run out of snapshots',
    status: 'works',
  },
  {
    name: 'force',
    kind: 'bool',
    default: false,
    help: 'Build outside a container (kaniko-ts never needs this)',
    status: 'noop',
  },
  {
    name: 'skip-unused-stages',
    kind: 'bool',
    default: false,
    help: 'Build only the stages the target needs (kaniko-ts always does, as BuildKit)',
    status: 'noop',
  },
  {
    name: 'skip-push-permission-check',
    kind: 'bool',
    default: false,
    help: 'Do not check before building that every destination accepts a push',
    status: 'works',
  },
  {
    name: 'kaniko-dir',
    kind: 'string',
    default: '/kaniko',
    help: "Directory for the builder's own state",
    status: 'works',
  },
  {
    name: 'use-new-run',
    kind: 'bool',
    default: false,
    help: "kaniko's experimental run; kaniko-ts always snapshots in one walk",
    status: 'noop',
  },
  {
    name: 'force-build-metadata',
    kind: 'bool',
    default: false,
    help: 'Force metadata layers',
    status: 'noop',
  },
  {
    name: 'preserve-context',
    kind: 'bool',
    default: false,
    help: 'Keep the context unchanged between stages (kaniko-ts never changes it)',
    status: 'noop',
  },
  {
    name: 'materialize',
    kind: 'bool',
    default: false,
    help: 'Always extract the final filesystem',
    status: 'noop',
  },
  {
    name: 'git',
    kind: 'string',
    help: 'Git context options: branch=…,single-branch=…,recurse-submodules=…,insecure-skip-tls=…',
    status: 'works',
  },
  { name: 'cache', kind: 'bool', default: false, help: 'Use the layer cache', status: 'works' },
  {
    name: 'cache-repo',
    kind: 'string',
    help: 'Repository for cached layers (default: destination/cache)',
    status: 'works',
  },
  {
    name: 'cache-dir',
    kind: 'string',
    default: '/cache',
    help: 'Local directory with base images from the warmer',
    status: 'works',
  },
  {
    name: 'cache-ttl',
    kind: 'duration',
    default: '336h0m0s',
    help: 'How long cached layers stay valid',
    status: 'works',
  },
  { name: 'cache-copy-layers', kind: 'bool', default: false, help: 'Cache COPY layers', status: 'works' },
  { name: 'cache-run-layers', kind: 'bool', default: true, help: 'Cache RUN layers', status: 'works' },
  {
    name: 'cache-from',
    kind: 'multi',
    help: 'BuildKit-style cache source: type=registry,ref=REF or type=local,src=DIR',
    status: 'works',
    kanikoTs: true,
  },
  {
    name: 'cache-to',
    kind: 'multi',
    help: 'BuildKit-style cache export: type=registry,ref=REF or type=local,dest=DIR; mode=min or max',
    status: 'works',
    kanikoTs: true,
  },
  {
    name: 'no-cache',
    kind: 'bool',
    default: false,
    help: 'Do not use cached layers (they are still stored)',
    status: 'works',
    kanikoTs: true,
  },
  // Deprecated kaniko spellings.
  {
    name: 'snapshotMode',
    kind: 'string',
    help: 'Deprecated: use --snapshot-mode',
    status: 'deprecated',
    aliasOf: 'snapshot-mode',
  },
  {
    name: 'customPlatform',
    kind: 'string',
    help: 'Deprecated: use --custom-platform',
    status: 'deprecated',
    aliasOf: 'custom-platform',
  },
  {
    name: 'tarPath',
    kind: 'string',
    help: 'Deprecated: use --tar-path',
    status: 'deprecated',
    aliasOf: 'tar-path',
  },
  {
    name: 'whitelist-var-run',
    kind: 'bool',
    help: 'Deprecated: use --ignore-var-run',
    status: 'deprecated',
    aliasOf: 'ignore-var-run',
  },
  // kaniko-ts additions.
  {
    name: 'secret',
    kind: 'multi',
    help: 'Build secret: id=ID,src=FILE or id=ID,env=VAR',
    status: 'works',
    kanikoTs: true,
  },
  {
    name: 'platform',
    kind: 'string',
    help: 'Same as --custom-platform (BuildKit spelling)',
    status: 'works',
    kanikoTs: true,
    aliasOf: 'custom-platform',
  },
  {
    name: 'sandbox',
    kind: 'string',
    help: 'RUN sandbox: auto, in-place, chroot, userns, proot',
    default: 'auto',
    status: 'works',
    kanikoTs: true,
  },
  {
    name: 'metadata-file',
    kind: 'string',
    help: 'Write the build result as JSON to this file (the keys of docker buildx build --metadata-file)',
    status: 'works',
    kanikoTs: true,
  },
  {
    name: 'allow-insecure-entitlement',
    kind: 'bool',
    default: false,
    help: 'Allow RUN --security=insecure',
    status: 'works',
    kanikoTs: true,
  },
  { name: 'help', short: 'h', kind: 'bool', default: false, help: 'Show this help', status: 'works' },
  {
    name: 'version',
    kind: 'bool',
    default: false,
    help: 'Print the version',
    status: 'works',
    kanikoTs: true,
  },
];

export type FlagValue = string | boolean | number | string[] | Record<string, string>;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedFlags {
  /** Values by canonical flag name (aliases resolved); defaults filled in. */
  values: Map<string, FlagValue>;
  /** Flags the user actually gave. */
  given: Set<string>;
  /** Positional arguments (kaniko takes none; `version` is a subcommand). */
  positional: string[];
  /** One-line notes for deprecated or no-op flags. */
  notes: string[];
}

const byName = new Map(FLAGS.map((f) => [f.name, f]));
const byShort = new Map(FLAGS.filter((f) => f.short).map((f) => [f.short!, f]));

function parseBool(flag: string, v: string): boolean {
  if (/^(1|t|true|TRUE|True)$/.test(v)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(v)) return false;
  throw new UsageError(`invalid boolean "${v}" for --${flag}`);
}

/** Go duration strings as kaniko's --cache-ttl takes them (e.g. 336h0m0s, 90m, 1.5h) → ms. */
export function parseDuration(flag: string, v: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
  if (v === '0') return 0;
  let total = 0;
  let consumed = 0;
  for (const m of v.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * units[m[2]!]!;
    consumed += m[0].length;
  }
  if (consumed !== v.length || consumed === 0) throw new UsageError(`invalid duration "${v}" for --${flag}`);
  return total;
}

function defaultOf(spec: FlagSpec): FlagValue | undefined {
  if (spec.kind === 'multi') return [];
  if (spec.kind === 'keyvalue') return {};
  if (spec.kind === 'duration') return parseDuration(spec.name, String(spec.default ?? '0'));
  return spec.default;
}

export function parseFlags(argv: readonly string[]): ParsedFlags {
  const values = new Map<string, FlagValue>();
  const given = new Set<string>();
  const positional: string[] = [];
  const notes: string[] = [];
  for (const spec of FLAGS) {
    if (spec.aliasOf) continue;
    const d = defaultOf(spec);
    if (d !== undefined) values.set(spec.name, d);
  }
  const set = (spec: FlagSpec, raw: string | undefined, next: () => string) => {
    const target = spec.aliasOf ? byName.get(spec.aliasOf)! : spec;
    if (spec.status === 'deprecated') notes.push(`flag --${spec.name} is deprecated, use --${target.name}`);
    else if (spec.status === 'noop' && !given.has(target.name))
      notes.push(`flag --${spec.name} has no effect in kaniko-ts: ${spec.help}`);
    given.add(target.name);
    switch (target.kind) {
      case 'bool':
        values.set(target.name, raw === undefined ? true : parseBool(spec.name, raw));
        return;
      case 'string':
        values.set(target.name, raw ?? next());
        return;
      case 'int': {
        const v = raw ?? next();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`invalid number "${v}" for --${spec.name}`);
        values.set(target.name, Number(v));
        return;
      }
      case 'duration':
        values.set(target.name, parseDuration(spec.name, raw ?? next()));
        return;
      case 'multi': {
        const list = values.get(target.name) as string[];
        list.push(raw ?? next());
        return;
      }
      case 'keyvalue': {
        const v = raw ?? next();
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--${spec.name} expects KEY=VALUE, got "${v}"`);
        (values.get(target.name) as Record<string, string>)[v.slice(0, eq)] = v.slice(eq + 1);
        return;
      }
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const v = argv[i + 1];
      if (v === undefined) throw new UsageError(`flag needs an argument: ${arg}`);
      i++;
      return v;
    };
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      set(spec, eq < 0 ? undefined : arg.slice(eq + 1), next);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1]!;
      const spec = byShort.get(short);
      if (!spec) throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
      let rest = arg.slice(2);
      if (rest.startsWith('=')) rest = rest.slice(1);
      set(spec, rest === '' ? undefined : rest, next);
    } else {
      positional.push(arg);
    }
  }
  return { values, given, positional, notes };
}

export function helpText(): string {
  const lines = [
    'Usage:',
    '  kaniko-ts [flags]',
    '  kaniko-ts warmer [flags]',
    '  kaniko-ts version',
    '',
    'Flags:',
  ];
  for (const f of FLAGS) {
    const names = `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.kind === 'bool' ? '' : ` ${f.kind === 'multi' || f.kind === 'keyvalue' ? 'stringArray' : f.kind}`}`;
    const dflt =
      f.default !== undefined && f.default !== false && f.default !== ''
        ? ` (default ${JSON.stringify(f.default)})`
        : '';
    lines.push(`  ${names.padEnd(46)} ${f.help}${dflt}`);
  }
  return `${lines.join('\n')}\n`;
}
