import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { ParallelGzip, ParallelZstd, releaseOutput } from '../../../src/layer/parallel-gzip.ts';

function text(n: number): Buffer {
  const words = ['layer', 'image', 'registry', 'manifest', 'digest', 'kaniko', 'snapshot', '\n'];
  const out: string[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const w = words[(i * 7919) % words.length]!;
    out.push(w, ' ');
    len += w.length + 1;
  }
  return Buffer.from(out.join('')).subarray(0, n);
}

/** Odd-sized chunks so that block boundaries fall mid-chunk. */
function chunked(data: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let i = 0, step = 1; i < data.length; i += step, step = (step * 3 + 17) % 700_000)
    parts.push(data.subarray(i, i + step));
  return Readable.from(parts);
}

describe('ParallelGzip', () => {
  test('multi-block output is one gzip member that gzip(1) and zlib decode to the input', async () => {
    const data = Buffer.concat([text(3_500_000), randomBytes(2_200_000), Buffer.alloc(1_000_000), text(123)]);
    const gz = await buffer(chunked(data).pipe(new ParallelGzip()));
    assert.deepEqual(zlib.gunzipSync(gz), data);
    assert.deepEqual(execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 64 << 20 }), data);
  });

  test('compressible data really compresses at the default level', async () => {
    const data = text(4_000_000);
    const gz = await buffer(chunked(data).pipe(new ParallelGzip()));
    assert.ok(gz.length < data.length / 3, `ratio ${gz.length / data.length}`);
  });

  test('incompressible data stays about its size and decodes', async () => {
    const data = randomBytes(5_000_000);
    const gz = await buffer(chunked(data).pipe(new ParallelGzip()));
    assert.ok(gz.length < data.length * 1.01);
    assert.deepEqual(zlib.gunzipSync(gz), data);
  });

  test('output depends on the bytes only, not on how they were chunked', async () => {
    const data = Buffer.concat([text(1_500_000), randomBytes(2_500_000), text(700_000)]);
    const whole = await buffer(Readable.from([data]).pipe(new ParallelGzip()));
    const pieces = await buffer(chunked(data).pipe(new ParallelGzip()));
    assert.deepEqual(pieces, whole);
    const z1 = await buffer(Readable.from([data]).pipe(new ParallelZstd()));
    const z2 = await buffer(chunked(data).pipe(new ParallelZstd()));
    assert.deepEqual(z2, z1);
  });

  test('a text block between random ones is still compressed', async () => {
    const data = Buffer.concat([randomBytes(1 << 20), text(1 << 20), randomBytes(1 << 20)]);
    const gz = await buffer(chunked(data).pipe(new ParallelGzip()));
    assert.ok(gz.length < data.length - (1 << 20) / 2, `size ${gz.length}`);
    assert.deepEqual(zlib.gunzipSync(gz), data);
  });

  test('empty input is a valid empty gzip', async () => {
    const gz = await buffer(Readable.from([]).pipe(new ParallelGzip()));
    assert.equal(zlib.gunzipSync(gz).length, 0);
  });
});

describe('ParallelZstd', () => {
  test('concatenated frames decode to the input with zstd(1) and zlib', async () => {
    const data = Buffer.concat([text(9_000_000), randomBytes(1_000_000)]);
    const z = await buffer(chunked(data).pipe(new ParallelZstd()));
    assert.ok(z.length < data.length / 2);
    assert.deepEqual(zlib.zstdDecompressSync(z), data);
    assert.deepEqual(execFileSync('zstd', ['-dc'], { input: z, maxBuffer: 64 << 20 }), data);
  });
});

describe('releaseOutput', () => {
  test('frees only memory the compressors made; Node-pool and caller buffers stay intact', async () => {
    const pooled = Buffer.from('abc');
    releaseOutput(pooled.buffer);
    assert.equal(pooled.toString(), 'abc');
    const own = Buffer.alloc(1 << 20, 7);
    releaseOutput(own.buffer);
    assert.equal(own[12345], 7);
    const pieces: Buffer[] = [];
    const gz = new ParallelGzip();
    gz.on('data', (b: Buffer) => pieces.push(Buffer.from(b)));
    const done = new Promise((r) => gz.on('end', r));
    gz.end(randomBytes(3 << 20));
    await done;
    assert.ok(pieces.length > 2);
  });
});
