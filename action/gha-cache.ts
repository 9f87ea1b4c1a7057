// cache-from/cache-to type=gha: the executor caches layers in a local directory (type=local), and
// this restores that directory from the Actions cache before the build and saves it as a new
// entry after a successful one, through @actions/cache (the cache service v2 with the runner's
// ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN). Entries are immutable, so each run saves its
// own key and a run restores the newest entry of its scope by prefix.
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import type { GhaCache } from './inputs.ts';

export class GhaCacheError extends Error {
  override name = 'GhaCacheError';
}

/** Keys of a scope: this run's own, and the prefix that finds the newest earlier one. */
export function ghaCacheKeys(scope: string, env: NodeJS.ProcessEnv): { key: string; restoreKeys: string[] } {
  const prefix = `kaniko-ts/${scope}/`;
  const run = `${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  return { key: `${prefix}${run}`, restoreKeys: [prefix] };
}

/** Whether the runner gave this step the cache service (v2: ACTIONS_RESULTS_URL). */
export function assertGhaCacheAvailable(env: NodeJS.ProcessEnv): void {
  if (!cache.isFeatureAvailable() || !env.ACTIONS_RUNTIME_TOKEN)
    throw new GhaCacheError(
      'input cache-from/cache-to: type=gha needs the Actions cache service (ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN, set by the runner for actions)',
    );
}

/** Restores the newest entry of the scope into c.dir; the key restored, or undefined on a miss. */
export async function restoreGhaCache(c: GhaCache, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { key, restoreKeys } = ghaCacheKeys(c.scope, env);
  // @actions/cache turns service failures into warnings and a miss: the build goes on uncached.
  const hit = await cache.restoreCache([c.dir], key, restoreKeys);
  core.info(
    hit
      ? `kaniko-ts: type=gha cache restored from ${hit}`
      : `kaniko-ts: type=gha cache: no entry yet for ${c.scope}`,
  );
  return hit;
}

/** Saves c.dir as this run's entry of the scope; the entry's key, or undefined if it was not saved. */
export async function saveGhaCache(c: GhaCache, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { key } = ghaCacheKeys(c.scope, env);
  const id = await cache.saveCache([c.dir], key);
  if (id === -1) {
    core.warning(`kaniko-ts: type=gha cache was not saved as ${key} (see above)`);
    return undefined;
  }
  core.info(`kaniko-ts: type=gha cache saved as ${key}`);
  return key;
}
