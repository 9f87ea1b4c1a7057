// Writes a layer blob in one streaming pass: tar → sha256 (diffID) → compressor → sha256
// (digest) → temp file, renamed to its digest when complete. Memory stays bounded by the
// compressor's blocks in flight, whatever the layer size: the tar's read buffer and the
// compressor's blocks are reused, and compressed output is released as soon as it is written.
import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transform } from 'node:stream';
import { type Compression, LAYER_MEDIA_TYPES, type LayerEntry } from './entry.ts';
import { ParallelGzip, ParallelZstd, releaseOutput } from './parallel-gzip.ts';
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
  const blob = createHash('sha256');
  let uncompressedSize = 0;
  let size = 0;
  const comp = compressor(compression, opts.level);
  let out: FileHandle | undefined;
  try {
    out = await open(tmp, 'w');
    const file = out;
    // tarChunks reuses its read buffer: each chunk is hashed, then written (uncompressed) or
    // copied by the compressor (whose write callback comes after its _transform) before the next.
    const feed = async () => {
      for await (const chunk of tarChunks(sorted, opts)) {
        diff.update(chunk);
        uncompressedSize += chunk.length;
        if (!comp) await writeAll(file, chunk);
        else
          await new Promise<void>((resolve, reject) => comp.write(chunk, (e) => (e ? reject(e) : resolve())));
      }
      comp?.end();
    };
    // 'data' events hand over the compressor's own buffers (an async iterator would concatenate
    // whatever is buffered into new ones); each is hashed and written before the next.
    const drain = (c: Transform) =>
      new Promise<void>((resolve, reject) => {
        let held: ArrayBufferLike | undefined;
        c.on('data', (piece: Buffer) => {
          c.pause();
          blob.update(piece);
          size += piece.length;
          writeAll(file, piece).then(
            () => {
              // Pieces of one block share memory: release it once the next piece is elsewhere.
              if (held && held !== piece.buffer) releaseOutput(held);
              held = piece.buffer;
              c.resume();
            },
            (e: Error) => c.destroy(e),
          );
        });
        c.once('end', () => {
          if (held) releaseOutput(held);
          resolve();
        });
        c.once('error', reject);
      });
    if (comp)
      await Promise.all([
        feed().catch((e: unknown) => {
          comp.destroy(e as Error); // ends drain() too
          throw e;
        }),
        drain(comp),
      ]);
    else await feed();
    await out.close();
    out = undefined;
    const diffID = `sha256:${diff.digest('hex')}`;
    const digest = comp ? `sha256:${blob.digest('hex')}` : diffID;
    const path = join(opts.dir, digest.slice('sha256:'.length));
    await rename(tmp, path);
    return {
      path,
      digest,
      diffID,
      size: comp ? size : uncompressedSize,
      uncompressedSize,
      mediaType: LAYER_MEDIA_TYPES[compression],
      entries: sorted.length,
    };
  } catch (e) {
    await out?.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
}

async function writeAll(file: FileHandle, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length; ) {
    const { bytesWritten } = await file.write(data, at, data.length - at);
    at += bytesWritten;
  }
}
