// HTTP to registries on undici: one dispatcher per (host, TLS settings) honouring HTTP(S)_PROXY and
// NO_PROXY, scheme discovery by /v2/ ping (https, then http where allowed), Basic/Bearer auth
// with per-repository scopes, retries with backoff on 5xx, 429 (Retry-After) and resets.
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, EnvHttpProxyAgent, request } from 'undici';
import { type Challenge, parseChallenge } from './auth/challenge.ts';
import type { Credential } from './auth/keychain.ts';
import { fetchToken, TokenCache } from './auth/token.ts';
import { RegistryError, type RegistryErrorKind } from './errors.ts';
import {
  allowsHttp,
  caFileFor,
  clientCertFor,
  type Direction,
  type RegistryOptions,
  skipsVerify,
} from './options.ts';
import { DOCKER_HUB } from './reference.ts';

export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RegistryRequest {
  /** Registry host the request is for (auth, TLS settings, errors). */
  registry: string;
  repository?: string;
  digest?: string;
  direction: Direction;
  /** Token scopes, e.g. repository:a/b:pull,push. */
  scopes: readonly string[];
  method: Method;
  /** /v2/… path (with query) or an absolute URL from a Location header. */
  path: string;
  headers?: Record<string, string>;
  /** Made again for each attempt, so a retried request sends its body again. */
  body?: () => Buffer | string | Readable;
  /** Statuses handed back to the caller; anything else becomes a RegistryError. */
  ok: readonly number[];
  /** Retry transient failures (default true). */
  retry?: boolean;
  /** The body factory returns the same stream every time: never send the request twice. */
  oneShotBody?: boolean;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** The URL answered (after redirects). */
  url: URL;
}

interface Endpoint {
  base: URL;
  /** Updated when a later answer challenges where /v2/ did not. */
  challenge: Challenge | undefined;
}

const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

function errCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && c !== 'UND_ERR_SOCKET') return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return (e as { code?: string })?.code ?? '';
}

function errText(e: unknown): string {
  const code = errCode(e);
  if (code.startsWith('ERR_SSL_')) return `TLS handshake failed (${code})`;
  const msg = (e as Error)?.message ?? String(e);
  return code && !msg.includes(code) ? `${msg} (${code})` : msg;
}

export function header(h: RegistryResponse['headers'], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * The wait before retry `attempt` (0 for the first retry): the registry's Retry-After when it
 * sent one, capped at `maxRetryAfterMs`; otherwise `retryBaseMs` doubled per attempt, capped at
 * 10 s, with ±25% jitter so clients that failed together do not retry together.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: number | undefined,
  opts: Pick<RegistryOptions, 'retryBaseMs' | 'maxRetryAfterMs'>,
  random: () => number = Math.random,
): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, opts.maxRetryAfterMs ?? 60_000);
  const base = opts.retryBaseMs ?? 500;
  return Math.min(10_000, base * 2 ** attempt) * (0.75 + random() * 0.5);
}

/** The registry's own error text from a JSON error body, shortened to one line. */
export async function registryErrorText(body: RegistryResponse['body']): Promise<string> {
  let text = '';
  try {
    text = await body.text();
  } catch {
    return '';
  }
  try {
    const j = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = j.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ').slice(0, 200);
  } catch {
    // not JSON
  }
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

/** A certificate we do not trust: the one HTTPS failure that must never fall back to HTTP. */
class UntrustedCertificateError extends RegistryError {
  constructor(where: { registry: string }, detail: string) {
    super('network', where, detail);
  }
}

export class Transport {
  readonly options: RegistryOptions;
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly endpoints = new Map<string, Promise<Endpoint>>();
  private readonly tokens = new TokenCache();
  /** Token requests in flight, so concurrent requests with the same scopes share one. */
  private readonly pendingTokens = new Map<string, Promise<string>>();
  private readonly credentials = new Map<string, Promise<Credential | undefined>>();
  private readonly userAgent: string;
  private readonly timeoutMs: number;

  constructor(options: RegistryOptions = {}) {
    this.options = options;
    this.userAgent = options.userAgent ?? 'kaniko-ts';
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close()));
  }

  private debug(line: string): void {
    this.options.debug?.(line);
  }

  dispatcher(host: string, direction: Direction): Dispatcher {
    const skip = skipsVerify(this.options, host, direction);
    const caFile = caFileFor(this.options, host);
    const client = clientCertFor(this.options, host);
    const key = `${host}|${skip}|${caFile ?? ''}|${client?.cert ?? ''}`;
    let d = this.dispatchers.get(key);
    if (!d) {
      const tls: Record<string, unknown> = { rejectUnauthorized: !skip };
      if (caFile) {
        // Extra CAs are added to the system ones, as kaniko appends to the system pool.
        // node:tls is loaded here: an HTTP-only build never needs it.
        const { rootCertificates } = process.getBuiltinModule('node:tls');
        tls.ca = [...rootCertificates, readFileSync(caFile, 'utf8')];
      }
      if (client) {
        tls.cert = readFileSync(client.cert);
        tls.key = readFileSync(client.key);
      }
      d = new EnvHttpProxyAgent({
        connect: tls,
        requestTls: tls,
        connections: 16,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      this.dispatchers.set(key, d);
    }
    return d;
  }

  /** Docker Hub's API lives on registry-1.docker.io. */
  private apiHost(registry: string): string {
    return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
  }

  /** Finds the scheme and the auth challenge of a registry with GET /v2/ (cached). */
  endpoint(registry: string, direction: Direction): Promise<Endpoint> {
    // Pull and push ask once when their settings for this registry agree (the usual case).
    const key = `${registry}|${allowsHttp(this.options, registry, direction)}|${skipsVerify(this.options, registry, direction)}`;
    let p = this.endpoints.get(key);
    if (!p) {
      p = this.ping(registry, direction);
      this.endpoints.set(key, p);
      p.catch(() => this.endpoints.delete(key));
    }
    return p;
  }

  /**
   * HTTPS, and where plain HTTP is allowed (insecure flags, local addresses) HTTP at the same
   * time: HTTPS wins whenever it answers, so asking both at once only saves the wait for a
   * failed handshake. A certificate we do not trust is never a reason to fall back to HTTP.
   */
  private async ping(registry: string, direction: Direction): Promise<Endpoint> {
    const secure = this.pingScheme('https', registry, direction);
    if (!allowsHttp(this.options, registry, direction)) return secure;
    const plain = this.pingScheme('http', registry, direction);
    plain.catch(() => undefined);
    try {
      return await secure;
    } catch (e) {
      if (e instanceof UntrustedCertificateError) throw e;
      return plain.catch(() => {
        throw e;
      });
    }
  }

  private async pingScheme(
    scheme: 'https' | 'http',
    registry: string,
    direction: Direction,
  ): Promise<Endpoint> {
    const host = this.apiHost(registry);
    const base = new URL(`${scheme}://${host}/`);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await request(new URL('/v2/', base), {
          method: 'GET',
          headers: { 'user-agent': this.userAgent },
          dispatcher: this.dispatcher(registry, direction),
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        await res.body.dump();
        if (res.statusCode === 200 || res.statusCode === 401 || res.statusCode === 403) {
          const challenge = parseChallenge(header(res.headers, 'www-authenticate'));
          this.debug(`ping ${base.origin}: ${res.statusCode}${challenge ? ` ${challenge.scheme}` : ''}`);
          return { base, challenge };
        }
        if (res.statusCode >= 500 && attempt < this.retries(direction)) {
          await sleep(this.backoff(attempt, undefined));
          continue;
        }
        throw new RegistryError(
          'network',
          { registry },
          `${base.origin}/v2/ answered HTTP ${res.statusCode}; is this a registry?`,
          res.statusCode,
        );
      } catch (e) {
        if (e instanceof RegistryError) throw e;
        const code = errCode(e);
        if (TLS_TRUST_CODES.has(code)) {
          throw new UntrustedCertificateError(
            { registry },
            `TLS certificate of ${host} is not trusted (${code}); add its CA with --registry-certificate ${registry}=ca.crt or use --skip-tls-verify`,
          );
        }
        if (retriableCode(code) && attempt < this.retries(direction)) {
          await sleep(this.backoff(attempt, undefined));
          continue;
        }
        throw new RegistryError('network', { registry }, `cannot reach ${base.origin}: ${errText(e)}`);
      }
    }
  }

  private retries(direction: Direction): number {
    const extra = direction === 'push' ? this.options.pushRetry : this.options.imageDownloadRetry;
    return (this.options.retries ?? 3) + (extra ?? 0);
  }

  private backoff(attempt: number, retryAfter: number | undefined): number {
    return retryDelayMs(attempt, retryAfter, this.options);
  }

  private credential(registry: string): Promise<Credential | undefined> {
    let c = this.credentials.get(registry);
    if (!c) {
      c = this.options.keychain ? this.options.keychain.resolve(registry) : Promise.resolve(undefined);
      this.credentials.set(registry, c);
      c.catch(() => this.credentials.delete(registry));
    }
    return c;
  }

  /** The Authorization header for a request, fetching a token if needed. */
  private async authorization(
    req: RegistryRequest,
    ep: Endpoint,
    fresh: boolean,
  ): Promise<string | undefined> {
    const ch = ep.challenge;
    if (!ch) return undefined;
    const cred = await this.credential(req.registry);
    if (ch.scheme === 'basic') {
      if (cred?.kind === 'basic')
        return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
      if (cred?.kind === 'registry') return `Bearer ${cred.token}`;
      return undefined;
    }
    if (cred?.kind === 'registry') return `Bearer ${cred.token}`;
    if (fresh) this.tokens.drop(req.registry, req.scopes);
    let token = this.tokens.get(req.registry, req.scopes);
    if (!token) {
      const key = `${req.registry}\n${[...req.scopes].sort().join(' ')}`;
      let pending = this.pendingTokens.get(key);
      if (!pending) {
        pending = this.newToken(req, ch, cred);
        this.pendingTokens.set(key, pending);
        pending.then(
          () => this.pendingTokens.delete(key),
          () => this.pendingTokens.delete(key),
        );
      }
      token = await pending;
    }
    return `Bearer ${token}`;
  }

  private async newToken(req: RegistryRequest, ch: Challenge, cred: Credential | undefined): Promise<string> {
    {
      const realmHost = ch.params.realm ? new URL(ch.params.realm).host : req.registry;
      const t = await fetchToken({
        registry: req.registry,
        ...(req.repository ? { repository: req.repository } : {}),
        challenge: ch,
        scopes: req.scopes,
        credential: cred,
        dispatcher: this.dispatcher(realmHost, req.direction),
        userAgent: this.userAgent,
        timeoutMs: this.timeoutMs,
      });
      this.tokens.set(req.registry, req.scopes, t.token, t.expiresAt);
      return t.token;
    }
  }

  /** A token with these scopes could be obtained (used by the push permission check). */
  async canAuthorize(req: RegistryRequest): Promise<void> {
    const ep = await this.endpoint(req.registry, req.direction);
    await this.authorization(req, ep, false);
  }

  private where(req: RegistryRequest) {
    return {
      registry: req.registry,
      ...(req.repository ? { repository: req.repository } : {}),
      ...(req.digest ? { digest: req.digest } : {}),
    };
  }

  private fail(
    req: RegistryRequest,
    kind: RegistryErrorKind,
    detail: string,
    status?: number,
  ): RegistryError {
    return new RegistryError(kind, this.where(req), detail, status);
  }

  /** Sends one request with auth, redirects and retries; returns a response whose status is in `ok`. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    const ep = await this.endpoint(req.registry, req.direction);
    const retries = req.retry === false ? 0 : this.retries(req.direction);
    let reauthed = false;
    let freshToken = false;
    let lastRetryable = '';
    for (let attempt = 0; ; attempt++) {
      const auth = await this.authorization(req, ep, freshToken);
      freshToken = false;
      let url = new URL(req.path, ep.base);
      let res: Dispatcher.ResponseData;
      try {
        for (let hops = 0; ; hops++) {
          const sameHost = url.host === ep.base.host;
          const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers };
          if (auth && sameHost) headers.authorization = auth;
          const body = hops === 0 ? req.body?.() : undefined;
          res = await request(url, {
            method: req.method,
            headers,
            ...(body !== undefined ? { body } : {}),
            // undici closes the connection after every HEAD (for servers that send a body
            // anyway); registries answer HEAD properly, and a warm build is mostly HEADs.
            ...(req.method === 'HEAD' ? { reset: false } : {}),
            dispatcher: this.dispatcher(url.host === ep.base.host ? req.registry : url.host, req.direction),
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
          });
          const loc = header(res.headers, 'location');
          if (
            (req.method === 'GET' || req.method === 'HEAD') &&
            [301, 302, 303, 307, 308].includes(res.statusCode) &&
            loc &&
            hops < 5 &&
            !req.ok.includes(res.statusCode)
          ) {
            await res.body.dump();
            url = new URL(loc, url);
            continue;
          }
          break;
        }
      } catch (e) {
        // A body streamed from elsewhere (another registry's blob) failed: that error is the story.
        const source = sourceError(e);
        if (source) throw source;
        const code = errCode(e);
        if (TLS_TRUST_CODES.has(code))
          throw this.fail(req, 'network', `TLS certificate not trusted (${code})`);
        lastRetryable = errText(e);
        if (attempt < retries) {
          this.debug(`${req.method} ${url.pathname}: ${lastRetryable}; retry ${attempt + 1}/${retries}`);
          await sleep(this.backoff(attempt, undefined));
          continue;
        }
        throw this.fail(req, 'network', `${req.method} ${url.pathname}: ${lastRetryable}`);
      }
      const status = res.statusCode;
      if (req.ok.includes(status)) return { status, headers: res.headers, body: res.body, url };
      // A one-shot streamed body cannot be sent again; its 401 is final.
      if (status === 401 && !reauthed && !req.oneShotBody) {
        // The token may have expired or lacked a scope, or the registry only challenges below
        // /v2/: take the challenge of this answer and fetch fresh credentials, once.
        const challenge = parseChallenge(header(res.headers, 'www-authenticate'));
        if (challenge && (ep.challenge === undefined || challenge.scheme === 'bearer')) {
          await res.body.dump();
          if (ep.challenge === undefined || ep.challenge.scheme !== challenge.scheme)
            ep.challenge = challenge;
          reauthed = true;
          freshToken = true;
          attempt--;
          continue;
        }
      }
      if (status === 429 || status >= 500) {
        const text = await registryErrorText(res.body);
        lastRetryable = `HTTP ${status}${text ? ` ${text}` : ''}`;
        if (attempt < retries) {
          const after = retryAfterMs(header(res.headers, 'retry-after'));
          this.debug(`${req.method} ${url.pathname}: ${lastRetryable}; retry ${attempt + 1}/${retries}`);
          await sleep(this.backoff(attempt, after));
          continue;
        }
        throw this.fail(
          req,
          'network',
          `${req.method} ${url.pathname}: ${lastRetryable} after ${attempt + 1} attempts`,
          status,
        );
      }
      const text = await registryErrorText(res.body);
      const said = text ? `: ${text}` : '';
      if (status === 401)
        throw this.fail(req, 'auth', `authentication required or refused (HTTP 401${said})`, status);
      if (status === 403) throw this.fail(req, 'auth', `access denied (HTTP 403${said})`, status);
      if (status === 404) throw this.fail(req, 'not-found', `not found (HTTP 404${said})`, status);
      throw this.fail(
        req,
        'protocol',
        `${req.method} ${url.pathname} answered HTTP ${status}${said}`,
        status,
      );
    }
  }
}

function sourceError(e: unknown): RegistryError | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    if (cur instanceof RegistryError) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Network failures worth another attempt: not DNS misses, and not a TLS handshake that cannot work. */
function retriableCode(code: string): boolean {
  return code !== 'ENOTFOUND' && !code.startsWith('ERR_SSL_') && !code.startsWith('ERR_TLS_');
}
