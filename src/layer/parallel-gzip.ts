// gzip on several cores, as pigz does: the stream is cut into blocks, each block is raw-deflated
// on the libuv threadpool (primed with the previous block's last 32 KiB as dictionary) and ended
// with a sync flush, so the blocks concatenate into one deflate stream; the crc32 and length of
// the whole input make the single gzip member's trailer. Blocks that look incompressible (a
// sample of them does not shrink) are Huffman-coded only, which is several times faster and
// loses nothing on such data.
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

const BLOCK_SIZE = 1 << 20;
const DICT_SIZE = 32 * 1024;
const SAMPLE_SIZE = 16 * 1024;
/** Blocks compressing concurrently; more than the core count keeps the pool busy. */
const IN_FLIGHT = 4;
/** A fixed 10-byte header: no name, no mtime, OS unknown. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

function deflateBlock(block: Buffer, level: number, dictionary: Buffer | undefined): Promise<Buffer> {
  const opts: zlib.ZlibOptions = { level, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (looksIncompressible(block)) opts.strategy = zlib.constants.Z_HUFFMAN_ONLY;
  else if (dictionary) opts.dictionary = dictionary;
  return new Promise((resolve, reject) => {
    zlib.deflateRaw(block, opts, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

function looksIncompressible(block: Buffer): boolean {
  if (block.length < SAMPLE_SIZE * 4) return false;
  const mid = Math.floor(block.length / 2);
  const sample = block.subarray(mid, mid + SAMPLE_SIZE);
  return zlib.deflateRawSync(sample, { level: 1 }).length > sample.length * 0.97;
}

export class ParallelGzip extends Transform {
  readonly #level: number;
  #parts: Buffer[] = [];
  #partsLength = 0;
  #queue: Array<Promise<Buffer>> = [];
  #crc = 0;
  #isize = 0;
  #dictionary: Buffer | undefined;

  constructor(level = 1) {
    super({ highWaterMark: BLOCK_SIZE });
    this.#level = level;
    this.push(GZIP_HEADER);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#parts.push(chunk);
    this.#partsLength += chunk.length;
    while (this.#partsLength >= BLOCK_SIZE) this.#submit(this.#take(BLOCK_SIZE));
    this.#drain(IN_FLIGHT).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.#partsLength > 0) this.#submit(this.#take(this.#partsLength));
    this.#drain(0).then(() => {
      // An empty final block (BFINAL set) closes the deflate stream.
      this.push(zlib.deflateRawSync(Buffer.alloc(0), { level: this.#level }));
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(this.#crc >>> 0, 0);
      trailer.writeUInt32LE(this.#isize >>> 0, 4);
      this.push(trailer);
      cb();
    }, cb);
  }

  #take(n: number): Buffer {
    const all = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#partsLength);
    const block = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#parts = rest.length ? [rest] : [];
    this.#partsLength = rest.length;
    return block;
  }

  #submit(block: Buffer): void {
    this.#crc = zlib.crc32(block, this.#crc);
    this.#isize = (this.#isize + block.length) % 0x100000000;
    const job = deflateBlock(block, this.#level, this.#dictionary);
    // Keep a copy: `block` may share memory with the caller's next chunk.
    this.#dictionary = Buffer.from(block.subarray(Math.max(0, block.length - DICT_SIZE)));
    job.catch(() => {}); // surfaced by #drain
    this.#queue.push(job);
  }

  async #drain(max: number): Promise<void> {
    while (this.#queue.length > max) this.push(await this.#queue.shift()!);
  }
}

/** zstd on several cores: independent frames per block, which concatenate into a valid stream. */
export class ParallelZstd extends Transform {
  readonly #level: number;
  #parts: Buffer[] = [];
  #partsLength = 0;
  #queue: Array<Promise<Buffer>> = [];

  constructor(level = 3) {
    super({ highWaterMark: BLOCK_SIZE });
    this.#level = level;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#parts.push(chunk);
    this.#partsLength += chunk.length;
    while (this.#partsLength >= ZSTD_BLOCK) this.#submit(this.#take(ZSTD_BLOCK));
    this.#drain(IN_FLIGHT).then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.#partsLength > 0 || this.#queue.length === 0) this.#submit(this.#take(this.#partsLength));
    this.#drain(0).then(() => cb(), cb);
  }

  #take(n: number): Buffer {
    const all = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#partsLength);
    const block = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#parts = rest.length ? [rest] : [];
    this.#partsLength = rest.length;
    return block;
  }

  #submit(block: Buffer): void {
    const params = {
      [zlib.constants.ZSTD_c_compressionLevel]: this.#level,
      [zlib.constants.ZSTD_c_checksumFlag]: 1,
    };
    const job = new Promise<Buffer>((resolve, reject) => {
      zlib.zstdCompress(block, { params }, (err, out) => (err ? reject(err) : resolve(out)));
    });
    job.catch(() => {});
    this.#queue.push(job);
  }

  async #drain(max: number): Promise<void> {
    while (this.#queue.length > max) this.push(await this.#queue.shift()!);
  }
}

const ZSTD_BLOCK = 4 << 20;
