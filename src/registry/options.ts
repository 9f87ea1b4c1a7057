// What the registry client needs to know about the world: kaniko's registry flags, the keychain,
// and the tuning knobs (retries, chunking, concurrency). One value passed to pull and push.
import type { RegistryFlags } from '../cli/options.ts';
import type { Keychain } from './auth/keychain.ts';
import { normaliseRegistry } from './reference.ts';

export interface RegistryOptions {
  /** --insecure: talk plain HTTP to push destinations. */
  insecure?: boolean;
  /** --insecure-pull: talk plain HTTP to registries pulled from. */
  insecurePull?: boolean;
  /** --insecure-registry: hosts reached over plain HTTP for pull and push. */
  insecureRegistries?: readonly string[];
  /** --skip-tls-verify: do not verify certificates of push destinations. */
  skipTlsVerify?: boolean;
  /** --skip-tls-verify-pull */
  skipTlsVerifyPull?: boolean;
  /** --skip-tls-verify-registry */
  skipTlsVerifyRegistries?: readonly string[];
  /** --registry-certificate host=path: extra CA bundle (PEM) trusted for that host. */
  registryCertificates?: Readonly<Record<string, string>>;
  /** --registry-client-cert host=cert.pem,key.pem: mutual TLS. */
  registryClientCerts?: Readonly<Record<string, string>>;
  /** --registry-mirror: pull-through mirrors of Docker Hub, tried in order (host or host/prefix). */
  registryMirrors?: readonly string[];
  /** --registry-map from=to[;to2]: replacement registries for pulls from `from`, tried in order. */
  registryMap?: Readonly<Record<string, string>>;
  /** --skip-default-registry-fallback: do not fall back to the origin when every mirror fails. */
  skipDefaultRegistryFallback?: boolean;
  /** --push-retry: extra attempts of a failed push request (on top of `retries`). */
  pushRetry?: number;
  /** --image-download-retry: extra attempts of a failed pull request (on top of `retries`). */
  imageDownloadRetry?: number;
  /** Attempts after the first on 5xx, 429, resets; default 3. */
  retries?: number;
  /** First backoff delay; doubles each attempt (default 500 ms, capped at 10 s). */
  retryBaseMs?: number;
  /** Upper bound of an honoured Retry-After (default 60 s). */
  maxRetryAfterMs?: number;
  /** Credentials; anonymous when absent. */
  keychain?: Keychain;
  /** Upload in PATCH chunks of this many bytes instead of one PUT (0 = monolithic). */
  chunkSize?: number;
  /** Blobs transferred at once by push (default 3). */
  concurrency?: number;
  /** Request timeout for headers and between body chunks (default 60 s). */
  timeoutMs?: number;
  userAgent?: string;
  /** Debug lines (never contain credentials). */
  debug?: (line: string) => void;
}

export type Direction = 'pull' | 'push';

function hostIn(list: readonly string[] | undefined, host: string): boolean {
  if (!list) return false;
  const h = normaliseRegistry(host);
  return list.some((x) => normaliseRegistry(x.replace(/^https?:\/\//, '').replace(/\/+$/, '')) === h);
}

/** Loopback and private addresses, where go-containerregistry (so kaniko) also tries plain HTTP. */
export function isLocalHost(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h.endsWith('.localhost')) return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Whether plain HTTP may be used for `host` (after HTTPS failed for a reason other than trust). */
export function allowsHttp(opts: RegistryOptions, host: string, dir: Direction): boolean {
  if (hostIn(opts.insecureRegistries, host) || isLocalHost(host)) return true;
  return dir === 'push' ? opts.insecure === true : opts.insecurePull === true;
}

export function skipsVerify(opts: RegistryOptions, host: string, dir: Direction): boolean {
  if (hostIn(opts.skipTlsVerifyRegistries, host)) return true;
  return dir === 'push' ? opts.skipTlsVerify === true : opts.skipTlsVerifyPull === true;
}

function lookup(map: Readonly<Record<string, string>> | undefined, host: string): string | undefined {
  if (!map) return undefined;
  const h = normaliseRegistry(host);
  for (const [k, v] of Object.entries(map)) if (normaliseRegistry(k) === h) return v;
  return undefined;
}

export function caFileFor(opts: RegistryOptions, host: string): string | undefined {
  return lookup(opts.registryCertificates, host);
}

export function clientCertFor(
  opts: RegistryOptions,
  host: string,
): { cert: string; key: string } | undefined {
  const v = lookup(opts.registryClientCerts, host);
  if (!v) return undefined;
  const [cert, key] = v.split(',');
  return cert && key ? { cert, key } : undefined;
}

/** Where to pull `registry`'s repositories from, in order: mirrors and mapped registries, then itself. */
export function pullSources(
  opts: RegistryOptions,
  registry: string,
): Array<{ host: string; prefix: string }> {
  const out: Array<{ host: string; prefix: string }> = [];
  const add = (s: string) => {
    const clean = s.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    if (!clean) return;
    const slash = clean.indexOf('/');
    out.push(
      slash < 0
        ? { host: normaliseRegistry(clean), prefix: '' }
        : { host: normaliseRegistry(clean.slice(0, slash)), prefix: clean.slice(slash + 1) },
    );
  };
  const reg = normaliseRegistry(registry);
  if (reg === 'index.docker.io') for (const m of opts.registryMirrors ?? []) add(m);
  for (const m of (lookup(opts.registryMap, reg) ?? '').split(';')) add(m);
  const self = out.length === 0 || !opts.skipDefaultRegistryFallback;
  if (self) out.push({ host: reg, prefix: '' });
  return out;
}

/** Maps the CLI's parsed flags onto the client's options. */
export function registryOptionsFromFlags(flags: RegistryFlags, keychain?: Keychain): RegistryOptions {
  return {
    insecure: flags.insecure,
    insecurePull: flags.insecurePull,
    insecureRegistries: flags.insecureRegistries,
    skipTlsVerify: flags.skipTlsVerify,
    skipTlsVerifyPull: flags.skipTlsVerifyPull,
    skipTlsVerifyRegistries: flags.skipTlsVerifyRegistries,
    registryCertificates: flags.registryCertificates,
    registryClientCerts: flags.registryClientCerts,
    registryMirrors: flags.registryMirrors,
    registryMap: flags.registryMap,
    skipDefaultRegistryFallback: flags.skipDefaultRegistryFallback,
    pushRetry: flags.pushRetry,
    imageDownloadRetry: flags.imageDownloadRetry,
    ...(keychain ? { keychain } : {}),
  };
}
