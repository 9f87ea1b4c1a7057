// src/cache: the layer cache. createLayerCache turns the cache flags into the stores a build
// reads and writes; see docs/cache.md for keys, layouts and flags.
import type { CacheFlags } from '../cli/options.ts';
import type { RegistryOptions } from '../registry/options.ts';
import { parseReference, type Reference } from '../registry/reference.ts';
import type { Transport } from '../registry/transport.ts';
import type { CacheBackend } from './backend.ts';
import { type CacheWriter, LayerCache } from './layer-cache.ts';
import { LocalCache } from './local.ts';
import { RegistryCache } from './registry.ts';
import { parseCacheSpec } from './spec.ts';

export type { CacheBackend } from './backend.ts';
export { hashSources, SourceMissing } from './context-hash.ts';
export { hashKey, type LayerSettings, stageRootKey, stepKey } from './key.ts';
export { type CachedKind, LayerCache } from './layer-cache.ts';
export { LocalCache } from './local.ts';
export { RegistryCache } from './registry.ts';
export { type CacheSpec, CacheSpecError, parseCacheSpec } from './spec.ts';

export interface CacheDeps {
  destinations: readonly Reference[];
  registry: RegistryOptions;
  transport: Transport;
  platform: { os: string; architecture: string; variant?: string };
  warn: (msg: string) => void;
  debug?: (msg: string) => void;
}

/**
 * The layer cache the flags ask for, or undefined when none is:
 * --cache=true reads and writes --cache-repo (default <first destination>/cache) and, when
 * --cache-dir is given, that directory too; --cache-from adds readers, --cache-to writers;
 * --no-cache drops every reader; --no-push-cache drops the registry writer of --cache.
 */
export function createLayerCache(flags: CacheFlags, deps: CacheDeps): LayerCache | undefined {
  const readers: CacheBackend[] = [];
  const writers: CacheWriter[] = [];
  const registryCache = (ref: string): RegistryCache => {
    const r = parseReference(ref);
    return new RegistryCache({
      repo: { registry: r.registry, repository: r.repository },
      transport: deps.transport,
      options: deps.registry,
      ttlMs: flags.ttlMs,
      platform: deps.platform,
    });
  };
  const local = (dir: string) =>
    new LocalCache(dir, {
      ttlMs: flags.ttlMs,
      onCorrupt: (key, why) =>
        deps.warn(`cache dir ${dir}: entry ${key.slice(0, 12)} is corrupt (${why}); rebuilding`),
    });
  if (flags.enabled) {
    if (flags.dirGiven) {
      const l = local(flags.dir);
      readers.push(l);
      writers.push({ backend: l, allStages: true });
    }
    const dest = deps.destinations[0];
    const repo =
      flags.repo ?? (!flags.dirGiven && dest ? `${dest.registry}/${dest.repository}/cache` : undefined);
    if (repo) {
      const r = registryCache(repo);
      readers.push(r);
      if (!flags.noPushCache) writers.push({ backend: r, allStages: true });
    }
  }
  for (const v of flags.from) {
    const s = parseCacheSpec(v, 'from');
    readers.push(s.type === 'registry' ? registryCache(s.ref) : local(s.dir));
  }
  for (const v of flags.to) {
    const s = parseCacheSpec(v, 'to');
    writers.push({
      backend: s.type === 'registry' ? registryCache(s.ref) : local(s.dir),
      allStages: s.mode === 'max',
    });
  }
  if (readers.length === 0 && writers.length === 0) return undefined;
  const buildkitStyle = flags.from.length > 0 || flags.to.length > 0;
  const localDir = readers.concat(writers.map((w) => w.backend)).find((b) => b instanceof LocalCache);
  return new LayerCache({
    readers: flags.noCache ? [] : readers,
    writers,
    copyLayers: flags.copyLayers || buildkitStyle,
    runLayers: flags.runLayers,
    ...(localDir instanceof LocalCache ? { memoDir: localDir.dir } : {}),
    warn: deps.warn,
    ...(deps.debug ? { debug: deps.debug } : {}),
  });
}
