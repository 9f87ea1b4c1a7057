// Content digests: `sha256:<hex>` of bytes, and the hash to verify a stream against one.
import { createHash, type Hash } from 'node:crypto';

export function digestOf(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A fresh hash for the algorithm of `digest` (sha256 or sha512). */
export function hasherFor(digest: string): Hash {
  const alg = digest.slice(0, digest.indexOf(':'));
  return createHash(alg === 'sha512' ? 'sha512' : 'sha256');
}

export function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}
