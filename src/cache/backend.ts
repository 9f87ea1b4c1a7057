// What every layer-cache store offers: a layer by key, or nothing; and storing one. A store may
// also keep a stage's steps together (a chain), so a whole stage is found with one request.
import type { Layer } from '../image/image.ts';

/** One cached step of a stage, in a chain: its key, its layer and when that layer was cached. */
export interface ChainStep {
  key: string;
  layer: Layer;
  /** When the step's own entry was stored (ISO 8601): --cache-ttl counts from there. */
  created: string;
  description: string;
}

export interface CacheBackend {
  /** For logs: `registry HOST/REPO` or `dir PATH`. */
  readonly name: string;
  /** The layer cached under `key`, verified, or undefined (absent, expired, corrupt). */
  get(key: string): Promise<Layer | undefined>;
  /** Stores `layer` under `key`; `description` says which step made it (for people reading the store). */
  put(key: string, layer: Layer, description: string): Promise<void>;
  /** The steps stored together under a stage's last key (unexpired ones), or undefined. */
  getChain?(lastKey: string): Promise<ChainStep[] | undefined>;
  /** Stores a stage's steps together under its last key; their layers' blobs are already stored. */
  putChain?(lastKey: string, steps: readonly ChainStep[]): Promise<void>;
}

/** When cached layers were stored, for the chains that carry them on (their entries say it). */
const storedAt = new WeakMap<Layer, string>();

/** Records when a layer a store hands out was stored (see createdOf). */
export function markCreated(layer: Layer, created: string | undefined): Layer {
  if (created) storedAt.set(layer, created);
  return layer;
}

/** When a cached layer was stored, if the store said so. */
export function createdOf(layer: Layer): string | undefined {
  return storedAt.get(layer);
}

/** A cache entry's expiry: older than `ttlMs` (0 = never expires) is a miss, as kaniko's --cache-ttl. */
export function expired(created: string | undefined, ttlMs: number, now = Date.now()): boolean {
  if (ttlMs <= 0 || !created) return false;
  const t = Date.parse(created);
  return Number.isFinite(t) && now - t > ttlMs;
}
