// The executor's docker config.json on a runner: whatever docker/login-action (or the user) left
// in $DOCKER_CONFIG or ~/.docker, with the action's own login (registry/username/password inputs)
// added on top. Pure: the caller reads the existing file and writes the result to a private
// directory that becomes the executor's DOCKER_CONFIG.
import type { RegistryLogin } from './inputs.ts';

export class DockerConfigError extends Error {
  override name = 'DockerConfigError';
}

/** docker's key for Docker Hub in auths; every other registry is keyed by its host. */
export function authKey(registry: string): string {
  const host = registry
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '');
  return ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(host.toLowerCase())
    ? 'https://index.docker.io/v1/'
    : host;
}

/**
 * Merges a login into a config.json text (undefined or '' when there is none). Everything else
 * (other auths, credHelpers, credsStore, proxies…) is kept; a credHelper for the same registry is
 * dropped, since docker would ask the helper before looking at auths.
 */
export function mergeLogin(
  existing: string | undefined,
  login: RegistryLogin | undefined,
  source = 'config.json',
): string {
  let config: Record<string, unknown> = {};
  if (existing !== undefined && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch {
      throw new DockerConfigError(`${source}: not valid JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new DockerConfigError(`${source}: not a JSON object`);
    config = parsed as Record<string, unknown>;
  }
  if (!login) return `${JSON.stringify(config, null, 2)}\n`;
  const key = authKey(login.registry);
  const auths = { ...((config.auths as Record<string, unknown> | undefined) ?? {}) };
  auths[key] = { auth: Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64') };
  const out: Record<string, unknown> = { ...config, auths };
  const helpers = config.credHelpers as Record<string, string> | undefined;
  if (helpers && (key in helpers || login.registry in helpers)) {
    const { [key]: _a, [login.registry]: _b, ...rest } = helpers;
    out.credHelpers = rest;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}
