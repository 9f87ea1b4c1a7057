// Turns a possibly compressed archive stream into plain tar bytes. The format is decided by the
// magic bytes (a media type can lie); gzip and zstd use Node's zlib, bzip2 and xz Debian's
// `bzip2` and `xz` binaries (streamed through a child process).
import { spawn } from 'node:child_process';
import { type Duplex, PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ArchiveFormatError } from './errors.ts';

export type ArchiveCompression = 'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz';

export function detectCompression(head: Buffer): ArchiveCompression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32LE(0) === 0xfd2fb528 && head.length >= 4) return 'zstd';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return 'none';
}

/** The compression a layer media type announces (`...tar+gzip`, `...tar.gzip`, `...tar+zstd`). */
export function compressionOfMediaType(mediaType: string | undefined): ArchiveCompression | undefined {
  if (!mediaType) return undefined;
  if (/(\+|\.)gzip$/.test(mediaType)) return 'gzip';
  if (/(\+|\.)zstd$/.test(mediaType)) return 'zstd';
  if (/(\.|\+)?tar$/.test(mediaType)) return 'none';
  return undefined;
}

function spawnFilter(cmd: string, input: Readable, where: string): Readable {
  const child = spawn(cmd, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = new PassThrough();
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 500) stderr += b.toString();
  });
  child.on('error', (e) => out.destroy(new ArchiveFormatError(`cannot run ${cmd}: ${e.message}`, where)));
  child.stdout.on('error', (e) => out.destroy(e));
  child.stdin.on('error', () => {}); // the exit status reports the failure
  input.on('error', (e) => {
    child.kill();
    out.destroy(e);
  });
  input.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  let exit: number | null | undefined;
  let ended = false;
  const finish = () => {
    if (exit === undefined || !ended) return;
    if (exit === 0) out.end();
    else out.destroy(new ArchiveFormatError(`${cmd} failed: ${stderr.trim().split('\n')[0] ?? exit}`, where));
  };
  child.stdout.on('end', () => {
    ended = true;
    finish();
  });
  child.on('close', (code) => {
    exit = code;
    finish();
  });
  out.on('close', () => child.kill());
  return out;
}

export interface OpenedArchive {
  compression: ArchiveCompression;
  /** Plain tar bytes. */
  tar: Readable;
}

/** Sniffs the first bytes of `input` and returns the decompressed stream. */
export async function openArchive(input: Readable, where = 'archive'): Promise<OpenedArchive> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headLen = 0;
  while (headLen < 6) {
    const n = await it.next();
    if (n.done) break;
    head.push(n.value);
    headLen += n.value.length;
  }
  const first = Buffer.concat(head);
  const compression = detectCompression(first.length >= 6 ? first : Buffer.concat([first, Buffer.alloc(6)]));
  const rest = Readable.from(
    (async function* () {
      if (first.length) yield first;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    })(),
    { objectMode: false },
  );
  let tar: Readable;
  const wrap = (s: Duplex, name: string): Readable => {
    // A deep buffer lets decompression run ahead on the threadpool while files are written.
    const out = new PassThrough({ highWaterMark: 4 << 20 });
    rest.on('error', (e) => out.destroy(e));
    s.on('error', (e) => out.destroy(new ArchiveFormatError(`${name}: ${e.message}`, where)));
    return rest.pipe(s).pipe(out);
  };
  if (compression === 'gzip') tar = wrap(zlib.createGunzip({ chunkSize: 256 << 10 }), 'gzip');
  else if (compression === 'zstd') tar = wrap(zlib.createZstdDecompress({ chunkSize: 256 << 10 }), 'zstd');
  else if (compression === 'bzip2') tar = spawnFilter('bzip2', rest, where);
  else if (compression === 'xz') tar = spawnFilter('xz', rest, where);
  else tar = rest;
  return { compression, tar };
}
