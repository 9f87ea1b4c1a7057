// Byte progress: a line at most every second of a transfer, the last count at its end, nothing
// for a transfer shorter than a second, and only when the log goes to a terminal.
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { Logger } from '../../../src/log/logger.ts';
import { ByteProgress, progressStream } from '../../../src/log/progress.ts';

function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('reports at most once a second, then the final count', () => {
  const lines: string[] = [];
  const clock = fakeClock();
  const p = new ByteProgress({ log: (l) => lines.push(l) }, 'sha256:0123456789ab', 3_000_000, clock.now);
  p.add(500_000);
  clock.advance(400);
  p.add(500_000);
  clock.advance(700);
  p.add(1_000_000); // 1.1 s in: reported
  clock.advance(300);
  p.add(500_000); // 0.3 s after the last report: not yet
  clock.advance(200);
  p.add(500_000);
  p.finish();
  assert.deepEqual(lines, [
    'sha256:0123456789ab 2.0MB / 3.0MB 1.1s',
    'sha256:0123456789ab 3.0MB / 3.0MB 1.6s',
  ]);
});

test('a transfer under a second prints nothing', () => {
  const lines: string[] = [];
  const clock = fakeClock();
  const p = new ByteProgress({ log: (l) => lines.push(l) }, 'uploaded', undefined, clock.now);
  p.add(10);
  clock.advance(999);
  p.add(10);
  p.finish();
  assert.deepEqual(lines, []);
});

test('the pass-through stream keeps every byte and counts them', async () => {
  const lines: string[] = [];
  const clock = fakeClock();
  const p = new ByteProgress({ log: (l) => lines.push(l) }, 'x', 6, clock.now);
  const chunks: Buffer[] = [];
  const source = Readable.from(
    (function* () {
      yield Buffer.from('abc');
      clock.advance(1500);
      yield Buffer.from('def');
    })(),
  );
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  await pipeline(source, progressStream(p), sink);
  assert.equal(Buffer.concat(chunks).toString(), 'abcdef');
  assert.deepEqual(lines, ['x 0.0MB / 0.0MB 1.5s', 'x 0.0MB / 0.0MB 1.5s']);
});

test('only a terminal is interactive, and never with JSON logs', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  assert.equal(new Logger({ out: tty }).interactive, true);
  assert.equal(new Logger({ out: tty, format: 'json' }).interactive, false);
  assert.equal(new Logger({ out: new PassThrough() }).interactive, false);
});
