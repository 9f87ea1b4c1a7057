// What every layer-cache store offers: a layer by key, or nothing; and storing one.
import type { Layer } from '../image/image.ts';

export interface CacheBackend {
  /** For logs: `registry HOST/REPO` or `dir PATH`. */
  readonly name: string;
  /** The layer cached under `key`, verified, or undefined (absent, expired, corrupt). */
  get(key: string): Promise<Layer | undefined>;
  /** Stores `layer` under `key`; `description` says which step made it (for people reading the store). */
  put(key: string, layer: Layer, description: string): Promise<void>;
}

/** A cache entry's expiry: older than `ttlMs` (0 = never expires) is a miss, as kaniko's --cache-ttl. */
export function expired(created: string | undefined, ttlMs: number, now = Date.now()): boolean {
  if (ttlMs <= 0 || !created) return false;
  const t = Date.parse(created);
  return Number.isFinite(t) && now - t > ttlMs;
}
