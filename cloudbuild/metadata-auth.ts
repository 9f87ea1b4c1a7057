// Registry credentials for Google's registries from the GCE metadata server, as Cloud Build,
// GKE and Compute Engine provide it: the default service account's OAuth access token, used as
// the password of the user `oauth2accesstoken`. Other registries, or no metadata server, fall
// back to config.json (the caller decides; this module only says why it could not help).

export const METADATA_TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';
export const DEFAULT_METADATA_HOST = 'metadata.google.internal';
export const GOOGLE_REGISTRY_USER = 'oauth2accesstoken';

export interface DockerCredential {
  username: string;
  /** Secret: never log it. */
  password: string;
}

export interface AccessToken {
  /** Secret: never log it. */
  token: string;
  /** Epoch milliseconds after which the token must not be used. */
  expiresAt: number;
}

export interface MetadataOptions {
  /** Defaults to process.env; GCE_METADATA_HOST (host[:port]) overrides the server. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborts the request. */
  signal?: AbortSignal;
  /**
   * Gives up on each request after this long (off Google Cloud the name may not resolve quickly).
   * Per request, not per source: a token refreshed late in a long build gets the full time too.
   */
  timeoutMs?: number;
  /** Clock for expiry, in epoch ms. */
  now?: () => number;
}

/** Why the metadata server could not give a token; names the server, never the token. */
export class MetadataAuthError extends Error {
  override name = 'MetadataAuthError';
  readonly server: string;
  constructor(server: string, message: string) {
    super(`metadata server ${server}: ${message}`);
    this.server = server;
  }
}

/** gcr.io, its regional hosts (us.gcr.io, …) and Artifact Registry (REGION-docker.pkg.dev). */
export function isGoogleRegistry(host: string): boolean {
  // Any port is dropped: the real hosts have none, and tests reach an emulation by name and port.
  const h = host.toLowerCase().replace(/:\d+$/, '');
  return h === 'gcr.io' || h.endsWith('.gcr.io') || /^[a-z0-9-]+-docker\.pkg\.dev$/.test(h);
}

export function metadataServer(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const h = env.GCE_METADATA_HOST;
  return h && h !== '' ? h : DEFAULT_METADATA_HOST;
}

const MAX_BODY = 64 * 1024;

function requestSignal(opts: MetadataOptions): AbortSignal | undefined {
  const timeout = opts.timeoutMs !== undefined ? AbortSignal.timeout(opts.timeoutMs) : undefined;
  if (timeout && opts.signal) return AbortSignal.any([timeout, opts.signal]);
  return timeout ?? opts.signal;
}

/** GET the default service account's token; plain HTTP to the link-local server, no proxy. */
export function fetchMetadataToken(opts: MetadataOptions = {}): Promise<AccessToken> {
  const server = metadataServer(opts.env);
  const now = opts.now ?? Date.now;
  let url: URL;
  try {
    url = new URL(`http://${server}${METADATA_TOKEN_PATH}`);
  } catch {
    return Promise.reject(new MetadataAuthError(server, 'GCE_METADATA_HOST is not a host[:port]'));
  }
  return new Promise<AccessToken>((resolve, reject) => {
    // node:http is loaded when a token is asked for, not on every start of the executor.
    const { request } = process.getBuiltinModule('node:http');
    const req = request(
      url,
      { method: 'GET', headers: { 'Metadata-Flavor': 'Google' }, agent: false, signal: requestSignal(opts) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            res.destroy();
            reject(new MetadataAuthError(server, 'token response too large'));
          } else chunks.push(c);
        });
        res.on('error', (e) => reject(new MetadataAuthError(server, e.message)));
        res.on('end', () => {
          if (res.statusCode !== 200)
            return reject(new MetadataAuthError(server, `HTTP ${res.statusCode} for the access token`));
          // The real server always answers with this header; anything else is not it.
          if (res.headers['metadata-flavor'] !== 'Google')
            return reject(new MetadataAuthError(server, 'answer without Metadata-Flavor: Google'));
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new MetadataAuthError(server, 'token response is not JSON'));
          }
          const b = body as { access_token?: unknown; expires_in?: unknown };
          if (typeof b.access_token !== 'string' || b.access_token === '')
            return reject(new MetadataAuthError(server, 'token response has no access_token'));
          const ttl = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 60;
          resolve({ token: b.access_token, expiresAt: now() + ttl * 1000 });
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.name === 'AbortError' ? 'request aborted' : (e.code ?? e.message);
      reject(new MetadataAuthError(server, `unreachable (${why})`));
    });
    req.end();
  });
}

/**
 * One token for every Google registry of a build, fetched once and again only when it is within
 * a minute of expiring. Concurrent callers share the request in flight.
 */
export class MetadataTokenSource {
  #opts: MetadataOptions;
  #current: AccessToken | undefined;
  #pending: Promise<AccessToken> | undefined;

  constructor(opts: MetadataOptions = {}) {
    this.#opts = opts;
  }

  async token(): Promise<AccessToken> {
    const now = (this.#opts.now ?? Date.now)();
    if (this.#current && this.#current.expiresAt - 60_000 > now) return this.#current;
    this.#pending ??= fetchMetadataToken(this.#opts).finally(() => {
      this.#pending = undefined;
    });
    this.#current = await this.#pending;
    return this.#current;
  }

  /** The credential for a registry host, or undefined when it is not one of Google's. */
  async credentialFor(host: string): Promise<DockerCredential | undefined> {
    if (!isGoogleRegistry(host)) return undefined;
    return { username: GOOGLE_REGISTRY_USER, password: (await this.token()).token };
  }
}

/** A docker config.json (`{"auths":{…}}`) for the Google registries among these hosts; secret. */
export function dockerConfigFor(hosts: readonly string[], credential: DockerCredential): string {
  const auths: Record<string, { auth: string }> = {};
  const auth = Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64');
  for (const h of hosts) if (isGoogleRegistry(h)) auths[h] = { auth };
  return JSON.stringify({ auths });
}
