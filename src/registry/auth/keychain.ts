// Credentials for a registry host, found the way docker and kaniko find them: config.json from
// $DOCKER_CONFIG, ~/.docker or /kaniko/.docker, with credHelpers, credsStore and auths entries.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RegistryError } from '../errors.ts';
import { DOCKER_HUB, normaliseRegistry } from '../reference.ts';

export type Credential =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token exchanged at the token endpoint (docker's identitytoken). */
  | { kind: 'identity'; username: string; token: string }
  /** A bearer token sent as is (docker's registrytoken). */
  | { kind: 'registry'; token: string };

export interface Keychain {
  /** Credentials for a registry host (index.docker.io for Docker Hub); undefined = anonymous. */
  resolve(registry: string): Promise<Credential | undefined>;
}

export const anonymous: Keychain = { resolve: async () => undefined };

/** A fixed map host → credential, for callers that already have credentials (adapters, tests). */
export function staticKeychain(entries: Readonly<Record<string, Credential>>): Keychain {
  return {
    async resolve(registry) {
      const h = normaliseRegistry(registry);
      for (const [k, v] of Object.entries(entries)) if (normaliseRegistry(hostOf(k)) === h) return v;
      return undefined;
    },
  };
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

interface DockerConfig {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** `https://index.docker.io/v1/` → index.docker.io, as docker's convertToHostname does. */
function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? key;
}

/** The config.json files looked at, first existing one wins (kaniko's image sets DOCKER_CONFIG). */
export function dockerConfigCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.DOCKER_CONFIG) out.push(join(env.DOCKER_CONFIG, 'config.json'));
  out.push(join(env.HOME ?? homedir(), '.docker', 'config.json'));
  out.push('/kaniko/.docker/config.json');
  return out;
}

/** What a credential helper is asked for: Docker Hub's v1 URL or the bare host. */
function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

export function runCredentialHelper(
  helper: string,
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credential | undefined> {
  const bin = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    // node:child_process is loaded when a helper is asked, not on every start.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn(bin, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new RegistryError(
          'auth',
          { registry },
          e.code === 'ENOENT' ? `credential helper ${bin} not found on PATH` : `${bin}: ${e.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code !== 0) {
        // Helpers print this (on stdout or stderr) when they simply hold nothing for the host.
        const said = `${stdout}\n${Buffer.concat(err).toString('utf8')}`;
        if (/credentials not found/i.test(said)) {
          resolve(undefined);
          return;
        }
        const first = said.trim().split('\n')[0]?.slice(0, 200) ?? '';
        reject(
          new RegistryError('auth', { registry }, `credential helper ${bin} failed (exit ${code}): ${first}`),
        );
        return;
      }
      try {
        const j = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!j.Secret) resolve(undefined);
        else if (j.Username === '<token>')
          resolve({ kind: 'identity', username: '<token>', token: j.Secret });
        else resolve({ kind: 'basic', username: j.Username ?? '', password: j.Secret });
      } catch {
        reject(
          new RegistryError(
            'auth',
            { registry },
            `credential helper ${bin} printed something that is not JSON`,
          ),
        );
      }
    });
    child.stdin.end(helperServerUrl(registry));
  });
}

function fromEntry(e: AuthEntry): Credential | undefined {
  if (e.registrytoken) return { kind: 'registry', token: e.registrytoken };
  let username = e.username;
  let password = e.password;
  if (e.auth) {
    const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (e.identitytoken) return { kind: 'identity', username: username ?? '', token: e.identitytoken };
  if (username !== undefined && password !== undefined && (username !== '' || password !== ''))
    return { kind: 'basic', username, password };
  return undefined;
}

/** Reads config.json once (lazily) and answers per host; helpers are run on each resolve. */
export function dockerConfigKeychain(
  opts: { paths?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): Keychain {
  const env = opts.env ?? process.env;
  let loaded: Promise<DockerConfig> | undefined;
  const load = async (): Promise<DockerConfig> => {
    for (const p of opts.paths ?? dockerConfigCandidates(env)) {
      if (!existsSync(p)) continue;
      try {
        return JSON.parse(await readFile(p, 'utf8')) as DockerConfig;
      } catch (e) {
        throw new RegistryError(
          'auth',
          { registry: p },
          `cannot read docker config: ${(e as Error).message}`,
        );
      }
    }
    return {};
  };
  return {
    async resolve(registry) {
      loaded ??= load();
      const cfg = await loaded;
      const host = normaliseRegistry(registry);
      for (const [k, helper] of Object.entries(cfg.credHelpers ?? {}))
        if (normaliseRegistry(hostOf(k)) === host) return runCredentialHelper(helper, host, env);
      if (cfg.credsStore) {
        const c = await runCredentialHelper(cfg.credsStore, host, env);
        if (c) return c;
      }
      for (const [k, entry] of Object.entries(cfg.auths ?? {}))
        if (normaliseRegistry(hostOf(k)) === host) return fromEntry(entry);
      return undefined;
    },
  };
}

/** Tries each keychain in turn; the first credential found wins. */
export function multiKeychain(...chains: Keychain[]): Keychain {
  return {
    async resolve(registry) {
      for (const c of chains) {
        const cred = await c.resolve(registry);
        if (cred) return cred;
      }
      return undefined;
    },
  };
}
