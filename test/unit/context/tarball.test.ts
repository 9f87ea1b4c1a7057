// extractContextArchive: a download that breaks mid-way and a stream that is no archive are
// context errors naming the context; progress counts the bytes that arrived.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ContextError } from '../../../src/build/errors.ts';
import { extractContextArchive } from '../../../src/context/tarball.ts';
import { archive, file } from '../fs/craft-tar.ts';

describe('extractContextArchive', () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kts-tarball-'));
  });
  after(() => rm(work, { recursive: true, force: true }));

  test('zstd-free gzip archive: files land, bytes are counted and logged', async () => {
    const gz = gzipSync(archive(file('a.txt', 'A'), file('d/b.txt', 'B')));
    const lines: string[] = [];
    const dir = join(work, 'ok');
    const n = await extractContextArchive(Readable.from([gz]), {
      dir,
      where: 'x',
      log: (l) => lines.push(l),
    });
    assert.equal(n, gz.length);
    assert.equal(await readFile(join(dir, 'd', 'b.txt'), 'utf8'), 'B');
    assert.deepEqual(lines, [`context x: fetched ${gz.length} bytes, 2 entries (gzip)`]);
  });

  test('a source that fails mid-way: its own words, or "download failed"', async () => {
    const broken = () =>
      new Readable({
        read() {
          this.push(archive(file('a.txt', 'A')).subarray(0, 700));
          this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        },
      });
    await assert.rejects(
      extractContextArchive(broken(), { dir: join(work, 'b1'), where: 's3://b/k' }),
      (e: Error) => {
        assert.ok(e instanceof ContextError);
        assert.equal(e.message, 'context s3://b/k: download failed: socket hang up');
        return true;
      },
    );
    await assert.rejects(
      extractContextArchive(broken(), {
        dir: join(work, 'b2'),
        where: 'gs://b/k',
        describeSourceError: (e) => `reset (${(e as NodeJS.ErrnoException).code})`,
      }),
      /^ContextError: context gs:\/\/b\/k: reset \(ECONNRESET\)$/,
    );
  });

  test('an abort before or during the transfer rejects with its reason', async () => {
    const before = new AbortController();
    const p = extractContextArchive(new Readable({ read() {} }), {
      dir: join(work, 'ab1'),
      where: 'x',
      signal: before.signal,
    });
    before.abort(new Error('stop early'));
    await assert.rejects(p, /stop early/);

    // A source that sends the start of an archive and then nothing: the abort must end it.
    const during = new AbortController();
    let sent = false;
    const stalled = new Readable({
      read() {
        if (sent) return;
        sent = true;
        this.push(gzipSync(archive(file('a.txt', 'A'))).subarray(0, 30));
        setImmediate(() => during.abort(new Error('stop midway')));
      },
    });
    await assert.rejects(
      extractContextArchive(stalled, { dir: join(work, 'ab2'), where: 'x', signal: during.signal }),
      /stop midway/,
    );
  });
});
