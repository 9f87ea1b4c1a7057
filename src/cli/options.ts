// BuildOptions: what a build needs, independent of how it was asked for (CLI flags, the GitHub
// Action's inputs, GitLab's variables). Adapters produce CLI arguments; this maps them here.

import { hostPlatform, type Platform, parsePlatform } from '../build/platform.ts';
import { parseSecretFlag, type SecretSource } from '../build/secrets.ts';
import { parseCacheSpec } from '../cache/spec.ts';
import type { Level } from '../log/logger.ts';
import { type ParsedFlags, UsageError } from './flags.ts';

export type SandboxChoice = 'auto' | 'in-place' | 'chroot' | 'userns' | 'proot';

export interface RegistryFlags {
  insecure: boolean;
  insecurePull: boolean;
  insecureRegistries: string[];
  skipTlsVerify: boolean;
  skipTlsVerifyPull: boolean;
  skipTlsVerifyRegistries: string[];
  registryCertificates: Record<string, string>;
  registryClientCerts: Record<string, string>;
  registryMirrors: string[];
  registryMap: Record<string, string>;
  skipDefaultRegistryFallback: boolean;
  pushRetry: number;
  imageDownloadRetry: number;
  pushIgnoreImmutableTagErrors: boolean;
}

export interface CacheFlags {
  enabled: boolean;
  repo?: string;
  dir: string;
  /** --cache-dir was given (then it also holds the layer cache; see docs/cache.md). */
  dirGiven: boolean;
  ttlMs: number;
  copyLayers: boolean;
  runLayers: boolean;
  noPushCache: boolean;
  /** --no-cache: cached layers are not used (new ones are still stored). */
  noCache: boolean;
  /** --cache-from values, as written (parsed by src/cache/spec.ts). */
  from: string[];
  /** --cache-to values, as written. */
  to: string[];
}

export interface BuildOptions {
  context: string;
  contextSubPath?: string;
  git?: string;
  dockerfile: string;
  destinations: string[];
  buildArgs: Record<string, string>;
  target?: string;
  platform: Platform;
  labels: Record<string, string>;
  noPush: boolean;
  tarPath?: string;
  ociLayoutPath?: string;
  digestFile?: string;
  imageNameWithDigestFile?: string;
  imageNameTagWithDigestFile?: string;
  /** JSON with the keys of `docker buildx build --metadata-file` (kaniko-ts only). */
  metadataFile?: string;
  registry: RegistryFlags;
  cache: CacheFlags;
  reproducible: boolean;
  singleSnapshot: boolean;
  snapshotMode: 'full' | 'redo' | 'time';
  compression: 'gzip' | 'zstd';
  compressionLevel?: number;
  cleanup: boolean;
  ignorePaths: string[];
  /** undefined: kaniko's default where it matters (in-place mode), BuildKit's (keep /var/run) in a sandbox. */
  ignoreVarRun: boolean | undefined;
  skipPushPermissionCheck: boolean;
  kanikoDir: string;
  kanikoDirGiven: boolean;
  secrets: SecretSource[];
  sandbox: SandboxChoice;
  allowInsecureEntitlement: boolean;
  verbosity: Level;
  logFormat: 'text' | 'color' | 'json';
  logTimestamp: boolean;
}

const LEVELS: Record<string, Level> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'error',
  panic: 'error',
};

function keyValues(list: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} expects KEY=VALUE, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function toBuildOptions(flags: ParsedFlags, env: NodeJS.ProcessEnv = process.env): BuildOptions {
  const v = flags.values;
  const str = (n: string) => {
    const x = v.get(n);
    return typeof x === 'string' && x !== '' ? x : undefined;
  };
  const bool = (n: string) => v.get(n) === true;
  const num = (n: string) => Number(v.get(n) ?? 0);
  const list = (n: string) => (v.get(n) as string[] | undefined) ?? [];
  const map = (n: string) => (v.get(n) as Record<string, string> | undefined) ?? {};

  // kaniko: --build-arg NAME without a value takes it from the environment.
  const buildArgs: Record<string, string> = {};
  for (const a of list('build-arg')) {
    const eq = a.indexOf('=');
    if (eq === 0) throw new UsageError(`--build-arg: missing name in "${a}"`);
    if (eq < 0) buildArgs[a] = env[a] ?? '';
    else buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const level = LEVELS[String(v.get('verbosity'))];
  if (!level) throw new UsageError(`invalid --verbosity "${String(v.get('verbosity'))}"`);
  const format = String(v.get('log-format'));
  if (format !== 'text' && format !== 'color' && format !== 'json')
    throw new UsageError(`invalid --log-format "${format}"`);
  const snapshotMode = String(v.get('snapshot-mode'));
  if (snapshotMode !== 'full' && snapshotMode !== 'redo' && snapshotMode !== 'time')
    throw new UsageError(`invalid --snapshot-mode "${snapshotMode}" (full, redo or time)`);
  const compression = String(v.get('compression'));
  if (compression !== 'gzip' && compression !== 'zstd')
    throw new UsageError(`invalid --compression "${compression}" (gzip or zstd)`);
  const sandbox = String(v.get('sandbox'));
  if (!['auto', 'in-place', 'chroot', 'userns', 'proot'].includes(sandbox))
    throw new UsageError(`invalid --sandbox "${sandbox}" (auto, in-place, chroot, userns or proot)`);
  let platform = hostPlatform();
  const custom = str('custom-platform');
  if (custom) {
    try {
      platform = parsePlatform(custom);
    } catch (e) {
      throw new UsageError(`--custom-platform: ${(e as Error).message}`);
    }
  }
  const destinations = list('destination');
  const noPush = bool('no-push');
  if (!noPush && destinations.length === 0)
    throw new UsageError('you must provide --destination, or use --no-push');
  if (destinations.length === 0 && str('image-name-with-digest-file'))
    throw new UsageError('you must provide --destination if setting --image-name-with-digest-file');
  if (destinations.length === 0 && str('image-name-tag-with-digest-file'))
    throw new UsageError('you must provide --destination if setting --image-name-tag-with-digest-file');
  const cacheEnabled = bool('cache');
  if (cacheEnabled && noPush && !str('cache-repo') && !flags.given.has('cache-dir'))
    throw new UsageError('if using cache with --no-push, specify cache repo with --cache-repo');
  // --cache-from/--cache-to are checked here so a bad value is a usage error (exit 2).
  for (const [flag, dir] of [
    ['cache-from', 'from'],
    ['cache-to', 'to'],
  ] as const) {
    for (const value of list(flag)) {
      try {
        parseCacheSpec(value, dir);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
  }
  const level2 = num('compression-level');
  const context = str('context') ?? str('bucket') ?? '/workspace/';
  const mirrors = [...list('registry-mirror')];
  if (env.KANIKO_REGISTRY_MIRROR) mirrors.push(...env.KANIKO_REGISTRY_MIRROR.split(';').filter(Boolean));

  return {
    context: str('bucket') && !str('context') && !context.includes('://') ? `gs://${context}` : context,
    ...(str('context-sub-path') ? { contextSubPath: str('context-sub-path')! } : {}),
    ...(str('git') ? { git: str('git')! } : {}),
    dockerfile: str('dockerfile') ?? 'Dockerfile',
    destinations,
    buildArgs,
    ...(str('target') ? { target: str('target')! } : {}),
    platform,
    labels: keyValues(list('label'), 'label'),
    noPush,
    ...(str('tar-path') ? { tarPath: str('tar-path')! } : {}),
    ...(str('oci-layout-path') ? { ociLayoutPath: str('oci-layout-path')! } : {}),
    ...(str('digest-file') ? { digestFile: str('digest-file')! } : {}),
    ...(str('image-name-with-digest-file')
      ? { imageNameWithDigestFile: str('image-name-with-digest-file')! }
      : {}),
    ...(str('image-name-tag-with-digest-file')
      ? { imageNameTagWithDigestFile: str('image-name-tag-with-digest-file')! }
      : {}),
    ...(str('metadata-file') ? { metadataFile: str('metadata-file')! } : {}),
    registry: {
      insecure: bool('insecure'),
      insecurePull: bool('insecure-pull'),
      insecureRegistries: list('insecure-registry'),
      skipTlsVerify: bool('skip-tls-verify'),
      skipTlsVerifyPull: bool('skip-tls-verify-pull'),
      skipTlsVerifyRegistries: list('skip-tls-verify-registry'),
      registryCertificates: map('registry-certificate'),
      registryClientCerts: map('registry-client-cert'),
      registryMirrors: mirrors,
      registryMap: map('registry-map'),
      skipDefaultRegistryFallback: bool('skip-default-registry-fallback'),
      pushRetry: num('push-retry'),
      imageDownloadRetry: num('image-download-retry'),
      pushIgnoreImmutableTagErrors: bool('push-ignore-immutable-tag-errors'),
    },
    cache: {
      enabled: cacheEnabled,
      ...(str('cache-repo') ? { repo: str('cache-repo')! } : {}),
      dir: str('cache-dir') ?? '/cache',
      ttlMs: num('cache-ttl'),
      copyLayers: bool('cache-copy-layers'),
      runLayers: bool('cache-run-layers'),
      noPushCache: bool('no-push-cache'),
      dirGiven: flags.given.has('cache-dir'),
      noCache: bool('no-cache'),
      from: list('cache-from'),
      to: list('cache-to'),
    },
    reproducible: bool('reproducible'),
    singleSnapshot: bool('single-snapshot'),
    snapshotMode,
    compression,
    ...(level2 >= 0 ? { compressionLevel: level2 } : {}),
    cleanup: bool('cleanup'),
    ignorePaths: list('ignore-path'),
    ignoreVarRun: flags.given.has('ignore-var-run') ? bool('ignore-var-run') : undefined,
    skipPushPermissionCheck: bool('skip-push-permission-check'),
    kanikoDir: str('kaniko-dir') ?? env.KANIKO_DIR ?? '/kaniko',
    kanikoDirGiven: flags.given.has('kaniko-dir') || env.KANIKO_DIR !== undefined,
    secrets: list('secret').map(parseSecretFlag),
    sandbox: sandbox as SandboxChoice,
    allowInsecureEntitlement: bool('allow-insecure-entitlement'),
    verbosity: level,
    logFormat: format,
    logTimestamp: bool('log-timestamp'),
  };
}
