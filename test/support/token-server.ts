// A token server for distribution's `auth: token` (the Docker token auth spec): checks Basic
// credentials, grants the requested repository actions a user is allowed, and signs an ES256 JWT
// with a key whose certificate the registry trusts (rootcertbundle). The JWT header names the key
// by `kid` as libtrust computes it, which is how docker-registry 2.8 finds the verifying key.

import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32Encode } from './base32.ts';
import { run } from './exec.ts';

export interface TokenUser {
  password: string;
  /** An OAuth2 refresh token (docker's identitytoken) accepted for this user by POST. */
  refreshToken?: string;
  /** Repository name (or prefix ending in `*`) → actions allowed, e.g. { 'team/*': ['pull', 'push'] }. */
  access: Record<string, string[]>;
}

export interface TokenServerOptions {
  users: Record<string, TokenUser>;
  /** Actions anyone gets without credentials. */
  anonymous?: Record<string, string[]>;
  service?: string;
  issuer?: string;
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
}

export interface TokenRequestSeen {
  /** GET (Basic or anonymous) or POST (OAuth2 refresh token). */
  method: string;
  account?: string;
  scopes: string[];
  /** Scopes granted, as repository:name:actions. */
  granted: string[];
  status: number;
}

export interface TokenServer {
  /** What startRegistry({ token }) needs. */
  readonly registryAuth: { realm: string; service: string; issuer: string; rootCertBundle: string };
  readonly requests: TokenRequestSeen[];
  stop(): Promise<void>;
}

/** libtrust's key ID: the first 240 bits of sha256(DER SubjectPublicKeyInfo), base32, in 12 groups of 4. */
export function libtrustKeyId(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  const b32 = base32Encode(createHash('sha256').update(der).digest().subarray(0, 30));
  return b32.match(/.{4}/g)!.join(':');
}

function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString('base64url');
}

function allowed(access: Record<string, string[]> | undefined, repo: string): string[] {
  const out = new Set<string>();
  for (const [pattern, actions] of Object.entries(access ?? {})) {
    const ok = pattern.endsWith('*') ? repo.startsWith(pattern.slice(0, -1)) : pattern === repo;
    if (ok) for (const a of actions) out.add(a);
  }
  return [...out];
}

export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kts-token-'));
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=kaniko-ts token signer',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const privateKey = createPrivateKey(await readFile(keyPath));
  const kid = libtrustKeyId(createPublicKey(privateKey));
  const service = opts.service ?? 'kaniko-ts-registry';
  const issuer = opts.issuer ?? 'kaniko-ts-token-issuer';
  const requests: TokenRequestSeen[] = [];

  function handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'POST') {
      const parts: Buffer[] = [];
      req.on('data', (b: Buffer) => parts.push(b));
      req.on('end', () => respond(req, res, new URLSearchParams(Buffer.concat(parts).toString('utf8'))));
      return;
    }
    respond(req, res, undefined);
  }

  function respond(req: IncomingMessage, res: ServerResponse, form: URLSearchParams | undefined): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const params = form ?? url.searchParams;
    const scopes = params
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    const seen: TokenRequestSeen = { scopes, granted: [], status: 0, method: req.method ?? 'GET' };
    requests.push(seen);
    const reply = (status: number, body: unknown) => {
      seen.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let access = opts.anonymous;
    const auth = req.headers.authorization;
    if (form) {
      const entry = Object.entries(opts.users).find(
        ([, u]) =>
          form.get('grant_type') === 'refresh_token' &&
          u.refreshToken &&
          u.refreshToken === form.get('refresh_token'),
      );
      if (!entry) {
        reply(401, { error: 'invalid_grant' });
        return;
      }
      seen.account = entry[0];
      access = entry[1].access;
    } else if (auth?.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      const u = opts.users[user];
      if (!u || u.password !== password) {
        reply(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
        return;
      }
      seen.account = user;
      access = u.access;
    }
    const claims: Array<{ type: string; name: string; actions: string[] }> = [];
    for (const s of scopes) {
      const [type, ...rest] = s.split(':');
      const actions = (rest.pop() ?? '').split(',');
      const name = rest.join(':');
      if (type !== 'repository') continue;
      const granted = actions.filter((a) => allowed(access, name).includes(a));
      claims.push({ type, name, actions: granted });
      seen.granted.push(`repository:${name}:${granted.join(',')}`);
    }
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = opts.expiresIn ?? 300;
    const header = { typ: 'JWT', alg: 'ES256', kid };
    const payload = {
      iss: issuer,
      sub: seen.account ?? '',
      aud: service,
      exp: now + expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: claims,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const token = `${input}.${b64url(sig)}`;
    reply(200, {
      token,
      access_token: token,
      expires_in: expiresIn,
      issued_at: new Date(now * 1000).toISOString(),
    });
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    registryAuth: { realm: `http://127.0.0.1:${port}/token`, service, issuer, rootCertBundle: certPath },
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
