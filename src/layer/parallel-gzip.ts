// gzip on several cores, as pigz does: the stream is cut into blocks, each block is raw-deflated
// on the libuv threadpool (primed with the previous block's last 32 KiB as dictionary) and ended
// with a sync flush, so the blocks concatenate into one deflate stream; the crc32 and length of
// the whole input make the single gzip member's trailer. A block whose samples do not shrink at
// level 1 is written as stored deflate blocks: that is what zlib itself emits for such data, and
// deciding it from samples skips the futile match search (several times faster, same size).
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

const BLOCK_SIZE = 1 << 20;
const DICT_SIZE = 32 * 1024;
const SAMPLE_SIZE = 8 * 1024;
/** Blocks compressing concurrently; more than the core count keeps the pool busy. */
const IN_FLIGHT = 4;
/** A fixed 10-byte header: no name, no mtime, OS unknown. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** Output buffer size for one block, so zlib returns it in one piece instead of 16 KiB slices. */
const outputSize = (n: number) => n + (n >> 6) + 64 * 1024;

/**
 * Runs one block through a fresh compressor on the threadpool and keeps the output as the pieces
 * zlib made (with a block-sized chunkSize, the block and a few bytes of flush): zlib's one-shot
 * functions would copy them into one more buffer, on the main thread.
 */
function compressParts(engine: Transform, input: Buffer): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    engine.on('data', (b: Buffer) => {
      // zlib's output buffers are block-sized allocations of their own, never Node's shared pool.
      if (b.buffer.byteLength > POOL_SAFE) zlibOutputs.add(b.buffer);
      parts.push(b);
    });
    engine.once('error', reject);
    engine.once('end', () => resolve(parts));
    engine.end(input);
  });
}

/** Larger than any Buffer Node carves from its shared pool. */
const POOL_SAFE = 64 * 1024;
const zlibOutputs = new WeakSet<ArrayBufferLike>();

/**
 * Frees the memory of compressed output at once, for a consumer that has written it and holds no
 * other view of it (every piece sharing that memory must have been consumed). Streamed buffers
 * are otherwise freed only when V8 next collects old garbage: with a layer of hundreds of MB that
 * is about 64 MB of them at any time, and the page faults of fresh memory for every block.
 * Anything not made by these compressors is left alone.
 */
export function releaseOutput(memory: ArrayBufferLike): void {
  if (!zlibOutputs.has(memory) || !(memory instanceof ArrayBuffer) || memory.detached) return;
  try {
    memory.transfer(0);
  } catch {
    // Memory Node manages itself (not detachable) is left to the GC.
  }
}

const deflateRaw = (input: Buffer, opts: zlib.ZlibOptions) =>
  compressParts(zlib.createDeflateRaw(opts), input);

async function deflateBlock(block: Buffer, level: number, dictionary: Buffer | undefined): Promise<Buffer[]> {
  const opts: zlib.ZlibOptions = {
    level,
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
    chunkSize: outputSize(block.length),
  };
  if (level > 0 && (await looksIncompressible(block))) opts.level = 0;
  else if (dictionary) opts.dictionary = dictionary;
  return deflateRaw(block, opts);
}

/**
 * True when samples from the start, middle and end of the block together fail to shrink at
 * level 1. Compressed on the threadpool too, so the main thread only hashes and copies.
 */
export async function looksIncompressible(block: Buffer): Promise<boolean> {
  if (block.length < SAMPLE_SIZE * 8) return false;
  const sample = Buffer.concat(
    [0, (block.length - SAMPLE_SIZE) >> 1, block.length - SAMPLE_SIZE].map((at) =>
      block.subarray(at, at + SAMPLE_SIZE),
    ),
  );
  const out = await deflateRaw(sample, { level: 1 });
  return out.reduce((n, b) => n + b.length, 0) > sample.length * 0.98;
}

/**
 * Cuts the input into fixed-size blocks (so the output depends on the bytes only, never on how
 * they were chunked), compresses up to IN_FLIGHT of them at once and emits the results in order.
 * Blocks are filled by copying into a few reused buffers: fresh 1 MiB allocations per block cost
 * more (page faults, garbage the GC frees late) than the copy.
 */
abstract class BlockCompressor extends Transform {
  readonly #blockSize: number;
  #free: Buffer[] = [];
  #block: Buffer | undefined;
  #fill = 0;
  #queue: Array<Promise<Buffer[]>> = [];

  constructor(blockSize: number) {
    super({ highWaterMark: blockSize });
    this.#blockSize = blockSize;
  }

  /** Compresses one block; the block's memory is reused once the promise settles. */
  protected abstract compress(block: Buffer): Promise<Buffer[]>;
  /** Bytes that end the stream, after every block. */
  protected abstract trailer(): Buffer[];

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    for (let at = 0; at < chunk.length; ) {
      this.#block ??= this.#free.pop() ?? Buffer.allocUnsafe(this.#blockSize);
      const n = chunk.copy(this.#block, this.#fill, at);
      this.#fill += n;
      at += n;
      if (this.#fill === this.#blockSize) this.#submit();
    }
    this.#drain(IN_FLIGHT).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.#fill > 0 || this.#queue.length === 0) this.#submit();
    this.#drain(0).then(() => {
      for (const b of this.trailer()) this.push(b);
      cb();
    }, cb);
  }

  #submit(): void {
    const block = this.#block ?? Buffer.alloc(0);
    const job = this.compress(block.subarray(0, this.#fill));
    this.#block = undefined;
    this.#fill = 0;
    const recycle = () => {
      if (block.length === this.#blockSize) this.#free.push(block);
    };
    job.then(recycle, recycle);
    this.#queue.push(job);
  }

  async #drain(max: number): Promise<void> {
    while (this.#queue.length > max) for (const b of await this.#queue.shift()!) this.push(b);
  }
}

export class ParallelGzip extends BlockCompressor {
  readonly #level: number;
  #crc = 0;
  #isize = 0;
  #dictionary: Buffer | undefined;

  constructor(level = 1) {
    super(BLOCK_SIZE);
    this.#level = level;
    this.push(GZIP_HEADER);
  }

  protected compress(block: Buffer): Promise<Buffer[]> {
    this.#crc = zlib.crc32(block, this.#crc);
    this.#isize = (this.#isize + block.length) % 0x100000000;
    const job = deflateBlock(block, this.#level, this.#dictionary);
    // A copy: the block's memory is refilled once it is compressed.
    this.#dictionary = Buffer.from(block.subarray(Math.max(0, block.length - DICT_SIZE)));
    return job;
  }

  protected trailer(): Buffer[] {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.#crc >>> 0, 0);
    trailer.writeUInt32LE(this.#isize >>> 0, 4);
    // An empty final block (BFINAL set) closes the deflate stream.
    return [zlib.deflateRawSync(Buffer.alloc(0), { level: this.#level }), trailer];
  }
}

/** zstd on several cores: independent frames per block, which concatenate into a valid stream. */
export class ParallelZstd extends BlockCompressor {
  readonly #level: number;

  constructor(level = 3) {
    super(ZSTD_BLOCK);
    this.#level = level;
  }

  protected compress(block: Buffer): Promise<Buffer[]> {
    const params = {
      [zlib.constants.ZSTD_c_compressionLevel]: this.#level,
      [zlib.constants.ZSTD_c_checksumFlag]: 1,
    };
    // The pledged size lets zstd size its window and tables to the block (less memory per frame).
    const opts = { params, pledgedSrcSize: block.length, chunkSize: outputSize(block.length) };
    return compressParts(zlib.createZstdCompress(opts), block);
  }

  protected trailer(): Buffer[] {
    return [];
  }
}

/** As gzip's: larger frames compress a little better but hold more memory in flight. */
const ZSTD_BLOCK = 1 << 20;
