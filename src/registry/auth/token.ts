// Bearer tokens from a registry's token endpoint (docker's token auth spec and its OAuth2 variant),
// cached per registry and scope set until shortly before they expire.
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { RegistryError } from '../errors.ts';
import type { Challenge } from './challenge.ts';
import type { Credential } from './keychain.ts';

interface Cached {
  token: string;
  expiresAt: number;
}

export class TokenCache {
  private readonly tokens = new Map<string, Cached>();
  private key(registry: string, scopes: readonly string[]): string {
    return `${registry}\n${[...scopes].sort().join(' ')}`;
  }
  get(registry: string, scopes: readonly string[], now = Date.now()): string | undefined {
    const c = this.tokens.get(this.key(registry, scopes));
    return c && c.expiresAt > now ? c.token : undefined;
  }
  set(registry: string, scopes: readonly string[], token: string, expiresAt: number): void {
    this.tokens.set(this.key(registry, scopes), { token, expiresAt });
  }
  drop(registry: string, scopes: readonly string[]): void {
    this.tokens.delete(this.key(registry, scopes));
  }
}

export interface TokenRequest {
  registry: string;
  repository?: string;
  challenge: Challenge;
  scopes: readonly string[];
  credential: Credential | undefined;
  dispatcher: Dispatcher;
  userAgent: string;
  timeoutMs: number;
}

/** Asks the realm for a token; returns it with its expiry (epoch ms). */
export async function fetchToken(t: TokenRequest): Promise<{ token: string; expiresAt: number }> {
  const where = { registry: t.registry, ...(t.repository ? { repository: t.repository } : {}) };
  const realm = t.challenge.params.realm;
  if (!realm) throw new RegistryError('auth', where, 'Bearer challenge without a realm');
  const service = t.challenge.params.service;
  const url = new URL(realm);
  const headers: Record<string, string> = { 'user-agent': t.userAgent, accept: 'application/json' };
  let method: 'GET' | 'POST' = 'GET';
  let body: string | undefined;
  const cred = t.credential;
  if (cred?.kind === 'identity') {
    method = 'POST';
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: cred.token,
      client_id: 'kaniko-ts',
      ...(service ? { service } : {}),
    });
    if (t.scopes.length > 0) form.set('scope', t.scopes.join(' '));
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else {
    if (service) url.searchParams.set('service', service);
    for (const s of t.scopes) url.searchParams.append('scope', s);
    if (cred?.kind === 'basic') {
      url.searchParams.set('account', cred.username);
      headers.authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
    }
  }
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      dispatcher: t.dispatcher,
      headersTimeout: t.timeoutMs,
      bodyTimeout: t.timeoutMs,
    });
  } catch (e) {
    throw new RegistryError(
      'network',
      where,
      `token endpoint ${url.origin}${url.pathname}: ${(e as Error).message}`,
    );
  }
  const text = await res.body.text();
  if (res.statusCode === 401 || res.statusCode === 403)
    throw new RegistryError(
      'auth',
      where,
      `authentication failed at token endpoint ${url.origin}${url.pathname} (HTTP ${res.statusCode}${cred ? '' : ', no credentials'})`,
      res.statusCode,
    );
  if (res.statusCode !== 200)
    throw new RegistryError(
      res.statusCode >= 500 ? 'network' : 'auth',
      where,
      `token endpoint ${url.origin}${url.pathname} answered HTTP ${res.statusCode}`,
      res.statusCode,
    );
  let j: { token?: string; access_token?: string; expires_in?: number; issued_at?: string };
  try {
    j = JSON.parse(text) as typeof j;
  } catch {
    throw new RegistryError('auth', where, `token endpoint ${url.origin}${url.pathname} answered non-JSON`);
  }
  const token = j.token ?? j.access_token;
  if (!token)
    throw new RegistryError('auth', where, `token endpoint ${url.origin}${url.pathname} gave no token`);
  // The spec's minimum lifetime is 60 s; renew 10 s early so a token never expires in flight.
  const lifetime = Math.max(60, j.expires_in ?? 60) * 1000;
  const issued = j.issued_at ? Date.parse(j.issued_at) : Number.NaN;
  const start = Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now());
  return { token, expiresAt: start + lifetime - 10_000 };
}
