// Byte progress of a transfer, as BuildKit's plain output shows it (`#4 sha256:1a2b… 12.3MB /
// 29.8MB 1.2s`): a line at most every second, and only on a terminal, so CI logs stay short.
import { Transform, type TransformCallback } from 'node:stream';
import type { Step } from './logger.ts';

const EVERY_MS = 1000;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)}MB`;
}

/** Counts bytes and reports them on `step` while a transfer runs. */
export class ByteProgress {
  private done = 0;
  private last: number;
  private readonly started: number;
  private readonly now: () => number;
  private readonly step: Pick<Step, 'log'>;
  private readonly label: string;
  private readonly total: number | undefined;

  constructor(step: Pick<Step, 'log'>, label: string, total?: number, now = () => performance.now()) {
    this.step = step;
    this.label = label;
    this.total = total;
    this.now = now;
    this.started = now();
    this.last = this.started;
  }

  add(n: number): void {
    this.done += n;
    const now = this.now();
    if (now - this.last < EVERY_MS) return;
    this.last = now;
    this.report(now);
  }

  /** The final count, if anything was reported before (short transfers stay silent). */
  finish(): void {
    if (this.last !== this.started) this.report(this.now());
  }

  private report(now: number): void {
    const of = this.total !== undefined ? ` / ${mb(this.total)}` : '';
    this.step.log(`${this.label} ${mb(this.done)}${of} ${((now - this.started) / 1000).toFixed(1)}s`);
  }
}

/** A pass-through that feeds `progress` (put in a pipeline only when progress is shown). */
export function progressStream(progress: ByteProgress): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      progress.add(chunk.length);
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      progress.finish();
      cb();
    },
  });
}
