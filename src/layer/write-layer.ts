// Writes a layer blob in one streaming pass: tar → sha256 (diffID) → compressor → sha256
// (digest) → temp file, renamed to its digest when complete. Memory stays bounded by the
// compressor's blocks in flight, whatever the layer size.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transform, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { type Compression, LAYER_MEDIA_TYPES, type LayerEntry } from './entry.ts';
import { HashTap } from './hash-tap.ts';
import { ParallelGzip, ParallelZstd } from './parallel-gzip.ts';
import { normaliseEntries, type TarOptions, tarChunks } from './tar-stream.ts';

export interface WriteLayerOptions extends TarOptions {
  /** Default gzip. */
  compression?: Compression;
  /** gzip 1-9 (default 1, multi-core); zstd 1-22 (default 3). */
  level?: number;
  /** Directory the blob is written into (created if missing). */
  dir: string;
}

export interface WrittenLayer {
  /** The blob file, named after its digest's hex. */
  path: string;
  /** sha256 of the compressed blob (`sha256:<hex>`). */
  digest: string;
  /** sha256 of the uncompressed tar. */
  diffID: string;
  /** Compressed size in bytes. */
  size: number;
  /** Uncompressed tar size in bytes. */
  uncompressedSize: number;
  mediaType: string;
  /** Entries written, in order (after sorting and implicit parents). */
  entries: number;
}

function compressor(compression: Compression, level: number | undefined): Transform | undefined {
  if (compression === 'gzip') return new ParallelGzip(level ?? 1);
  if (compression === 'zstd') return new ParallelZstd(level ?? 3);
  return undefined;
}

/** Writes `entries` as a deterministic layer blob into `opts.dir`. */
export async function writeLayer(
  entries: Iterable<LayerEntry>,
  opts: WriteLayerOptions,
): Promise<WrittenLayer> {
  const compression = opts.compression ?? 'gzip';
  const sorted = await normaliseEntries(entries, opts.root);
  await mkdir(opts.dir, { recursive: true });
  const tmp = join(opts.dir, `.layer-${randomBytes(6).toString('hex')}.tmp`);
  const diff = createHash('sha256');
  let uncompressedSize = 0;
  const blob = new HashTap();
  const comp = compressor(compression, opts.level);
  try {
    const out = createWriteStream(tmp, { highWaterMark: 256 << 10 });
    // tarChunks reuses its read buffer: each chunk is hashed and then written (uncompressed) or
    // copied by the compressor (whose write callback comes after its _transform) before the next.
    const feed = async (sink: Writable) => {
      try {
        for await (const chunk of tarChunks(sorted, opts)) {
          diff.update(chunk);
          uncompressedSize += chunk.length;
          await new Promise<void>((resolve, reject) => sink.write(chunk, (e) => (e ? reject(e) : resolve())));
        }
        sink.end();
      } catch (e) {
        sink.destroy(e as Error); // ends the pipeline too, so nothing is left open
        throw e;
      }
    };
    if (comp) await Promise.all([feed(comp), pipeline(comp, blob, out)]);
    else await Promise.all([feed(out), finished(out)]);
    const diffID = `sha256:${diff.digest('hex')}`;
    const digest = comp ? blob.digest() : diffID;
    const path = join(opts.dir, digest.slice('sha256:'.length));
    await rename(tmp, path);
    return {
      path,
      digest,
      diffID,
      size: comp ? blob.size : uncompressedSize,
      uncompressedSize,
      mediaType: LAYER_MEDIA_TYPES[compression],
      entries: sorted.length,
    };
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
