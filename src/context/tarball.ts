// A context archive (gzip, zstd or plain tar, told apart by magic bytes) streamed into a
// directory with the layer extractor's hostile-tar rules. `.wh.` names are ordinary files here,
// owners and device nodes are not applied: a context is a source tree, not a filesystem.
import { mkdir } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { ContextError } from '../build/errors.ts';
import { ArchiveFormatError, UnsafeEntryError } from '../fs/errors.ts';
import { extractLayer } from '../fs/extract.ts';

const PROGRESS_EVERY = 16 * 1024 * 1024;

export interface ExtractContextOptions {
  /** Directory to create and fill. */
  dir: string;
  /** The context as the user wrote it (credentials removed), for messages. */
  where: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Words for an error of the archive stream itself (a failed download); default its message. */
  describeSourceError?: (e: Error) => string;
}

function mib(n: number): string {
  return n < 1024 * 1024 ? `${n} bytes` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Counts bytes as they pass and reports every 16 MiB. */
export function progressCounter(where: string, log?: (line: string) => void): Transform & { bytes: number } {
  let next = PROGRESS_EVERY;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.bytes += chunk.length;
      if (log && counter.bytes >= next) {
        log(`context ${where}: fetched ${mib(counter.bytes)}`);
        next += PROGRESS_EVERY;
      }
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

function contextMessage(e: Error, where: string): string {
  const prefix = `context ${where}: `;
  const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return e instanceof ArchiveFormatError ? `${prefix}not a tar archive (${detail})` : `${prefix}${detail}`;
}

/** Extracts `archive` into `opts.dir`; returns the number of bytes read. */
export async function extractContextArchive(archive: Readable, opts: ExtractContextOptions): Promise<number> {
  await mkdir(opts.dir, { recursive: true });
  opts.signal?.throwIfAborted();
  const counter = progressCounter(opts.where, opts.log);
  let sourceError: Error | undefined;
  archive.on('error', (e) => {
    sourceError ??= e;
    counter.destroy(e);
  });
  const onAbort = () =>
    counter.destroy(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  archive.pipe(counter);
  try {
    const r = await extractLayer(counter, {
      root: opts.dir,
      whiteouts: false,
      chown: false,
      createDevices: false,
      where: `context ${opts.where}`,
    });
    if (r.entries === 0) throw new ContextError(`context ${opts.where}: the archive holds no files`);
    opts.log?.(
      `context ${opts.where}: fetched ${mib(counter.bytes)}, ${r.entries} entries (${r.compression})`,
    );
    return counter.bytes;
  } catch (e) {
    archive.destroy();
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (e instanceof ContextError) throw e;
    if (sourceError) {
      const why = opts.describeSourceError?.(sourceError) ?? `download failed: ${sourceError.message}`;
      throw new ContextError(`context ${opts.where}: ${why}`);
    }
    // The extractor's errors already name `context …`; as context errors they exit 7, not 5.
    if (e instanceof ArchiveFormatError || e instanceof UnsafeEntryError)
      throw new ContextError(contextMessage(e, opts.where));
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
