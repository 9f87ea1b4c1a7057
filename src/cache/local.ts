// The layer cache in a local directory (--cache-dir, --cache-to type=local): one small JSON
// record per key and the layer blobs by digest. Everything is written under a temporary name
// and renamed into place, and a per-key lock file keeps two builds from writing one entry, so
// builds sharing the directory at the same time are safe. A blob is hashed whenever it is read:
// a corrupt or truncated entry is removed and reported as a miss, so the step is rebuilt.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { fileLayer, type Layer } from '../image/image.ts';
import type { CacheBackend } from './backend.ts';
import { expired, markCreated } from './backend.ts';
import { isCacheKey } from './key.ts';

interface Record_ {
  digest: string;
  diffID: string;
  size: number;
  mediaType: string;
  created: string;
  description?: string;
}

/** A lock older than this is left over from a killed build and may be taken over. */
const STALE_LOCK_MS = 10 * 60_000;

export class CacheDirError extends Error {
  constructor(dir: string, detail: string) {
    super(`cache directory ${dir}: ${detail}`);
    this.name = 'CacheDirError';
  }
}

export class LocalCache implements CacheBackend {
  readonly name: string;
  readonly dir: string;
  private readonly ttlMs: number;
  private readonly onCorrupt: ((key: string, why: string) => void) | undefined;

  constructor(dir: string, opts: { ttlMs?: number; onCorrupt?: (key: string, why: string) => void } = {}) {
    this.dir = dir;
    this.name = `dir ${dir}`;
    this.ttlMs = opts.ttlMs ?? 0;
    this.onCorrupt = opts.onCorrupt;
  }

  private recordPath(key: string): string {
    return join(this.dir, 'layers', `${key}.json`);
  }

  blobPath(digest: string): string {
    const [alg, hex] = digest.split(':');
    return join(this.dir, 'blobs', alg ?? 'sha256', hex ?? '');
  }

  private tmpPath(): string {
    return join(this.dir, 'tmp', `${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  async get(key: string): Promise<Layer | undefined> {
    if (!isCacheKey(key)) return undefined;
    let rec: Record_;
    try {
      rec = JSON.parse(await readFile(this.recordPath(key), 'utf8')) as Record_;
    } catch {
      return undefined;
    }
    if (expired(rec.created, this.ttlMs)) return undefined;
    const path = this.blobPath(rec.digest);
    const why = await verify(path, rec.digest, rec.size);
    if (why) {
      this.onCorrupt?.(key, why);
      // Removed so that the rebuilt layer takes its place.
      await rm(this.recordPath(key), { force: true });
      await rm(path, { force: true });
      return undefined;
    }
    const layer = fileLayer({
      path,
      digest: rec.digest,
      diffID: rec.diffID,
      size: rec.size,
      mediaType: rec.mediaType,
    });
    return markCreated(layer, rec.created);
  }

  async put(key: string, layer: Layer, description: string): Promise<void> {
    if (!isCacheKey(key)) return;
    await Promise.all(
      ['layers', 'blobs/sha256', 'tmp', 'locks'].map((d) => mkdir(join(this.dir, d), { recursive: true })),
    );
    const unlock = await this.lock(key);
    if (!unlock) return; // another build is writing this very entry
    try {
      const path = this.blobPath(layer.digest);
      if ((await verify(path, layer.digest, layer.size)) !== undefined) {
        const tmp = this.tmpPath();
        try {
          const hash = createHash('sha256');
          const source = await layer.open();
          source.on('data', (c: Buffer) => hash.update(c));
          await pipeline(source, createWriteStream(tmp, { mode: 0o644 }));
          const got = `sha256:${hash.digest('hex')}`;
          if (got !== layer.digest)
            throw new CacheDirError(this.dir, `layer ${layer.digest} read back as ${got}`);
          await rename(tmp, path);
        } finally {
          await rm(tmp, { force: true });
        }
      }
      const rec: Record_ = {
        digest: layer.digest,
        diffID: layer.diffID,
        size: layer.size,
        mediaType: layer.mediaType,
        created: new Date().toISOString(),
        description,
      };
      await writeFileAtomic(this.recordPath(key), JSON.stringify(rec), { tempDir: join(this.dir, 'tmp') });
    } finally {
      await unlock();
    }
  }

  /** An exclusive lock file per key; undefined when another live build holds it. */
  private async lock(key: string): Promise<(() => Promise<void>) | undefined> {
    const path = join(this.dir, 'locks', `${key}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await open(path, 'wx');
        await fh.writeFile(String(process.pid));
        await fh.close();
        return () => unlink(path).catch(() => undefined);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const st = await stat(path).catch(() => undefined);
        if (st && Date.now() - st.mtimeMs < STALE_LOCK_MS) return undefined;
        await rm(path, { force: true });
      }
    }
    return undefined;
  }
}

/** Why the blob at `path` is not `digest` of `size` bytes, or undefined when it is. */
export async function verify(path: string, digest: string, size: number): Promise<string | undefined> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return 'blob missing';
  if (st.size !== size) return `blob has ${st.size} bytes, expected ${size}`;
  const hash = createHash(digest.slice(0, digest.indexOf(':')) || 'sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
    hash.update(c);
  const got = `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
  return got === digest ? undefined : `blob hashes to ${got}`;
}
