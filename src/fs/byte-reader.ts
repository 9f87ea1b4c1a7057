// Pulls exact byte counts out of a chunked async stream, for the tar reader.
import { ArchiveFormatError } from './errors.ts';

export class ByteReader {
  readonly #source: AsyncIterator<Buffer>;
  #buf: Buffer = Buffer.alloc(0);
  #done = false;
  /** Bytes consumed so far. */
  offset = 0;

  constructor(source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>) {
    this.#source = (async function* () {
      for await (const c of source) yield Buffer.isBuffer(c) ? c : Buffer.from(c);
    })();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#source.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, next.value]) : next.value;
    return true;
  }

  /** Exactly `n` bytes, or null at a clean end of stream (nothing buffered). */
  async read(n: number): Promise<Buffer | null> {
    while (this.#buf.length < n) {
      if (!(await this.#fill())) {
        if (this.#buf.length === 0) return null;
        throw new ArchiveFormatError(`archive truncated at byte ${this.offset + this.#buf.length}`);
      }
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    this.offset += n;
    return out;
  }

  /** Streams exactly `n` bytes in the chunks they arrive in. */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0 && !(await this.#fill()))
        throw new ArchiveFormatError(`archive truncated at byte ${this.offset}`);
      const take = Math.min(left, this.#buf.length);
      const out = this.#buf.subarray(0, take);
      this.#buf = this.#buf.subarray(take);
      this.offset += take;
      left -= take;
      yield out;
    }
  }

  /** Reads and discards the rest of the stream, so that its errors (bad gzip trailer) surface. */
  async drain(): Promise<void> {
    this.#buf = Buffer.alloc(0);
    while (await this.#fill()) this.#buf = Buffer.alloc(0);
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.chunks(n));
  }
}
