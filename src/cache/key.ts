// Cache keys: a chain of sha256 digests, one per Dockerfile command. Each key hashes its parent
// key, the command as expanded and the inputs that can change what the command writes (see
// docs/cache.md). Keys are hex, so they are valid registry tags and file names as they are.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal inputs always hash alike. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** sha256 (hex) of the canonical JSON of `parts`. */
export function hashKey(parts: unknown): string {
  return createHash('sha256').update(canonical(parts)).digest('hex');
}

/** Builder settings that change the bytes of every layer, whatever the Dockerfile says. */
export interface LayerSettings {
  compression: string;
  compressionLevel?: number;
  sourceDateEpoch?: number;
  reproducible: boolean;
  ignorePaths: readonly string[];
  ignoreVarRun?: boolean;
}

/**
 * The key a stage starts from: its base (an image's manifest digest, another stage's last key,
 * or scratch), the platform and the layer settings.
 */
export function stageRootKey(
  base: { image: string } | { stage: string } | 'scratch',
  platform: { os: string; architecture: string; variant?: string },
  settings: LayerSettings,
): string {
  return hashKey({ v: 1, base, platform, settings });
}

/** The next key of the chain: parent + the expanded command + its inputs. */
export function stepKey(parent: string, command: unknown, inputs: unknown): string {
  return hashKey({ parent, command, inputs });
}

export function isCacheKey(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}
