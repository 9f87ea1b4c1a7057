// A pass-through that hashes and counts what flows through it.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class HashTap extends Transform {
  readonly #hash: Hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }

  /** `sha256:<hex>`; call once, after the stream ended. */
  digest(): string {
    return `sha256:${this.#hash.digest('hex')}`;
  }
}
