// Bounds the memory of streamed blobs. Each chunk is a small JS object holding a large buffer
// outside V8's heap; V8 collects such objects only when its young generation fills (megabytes of
// small objects) or when external memory grew by about 64 MB, so up to 64 MB of dead chunks pile
// up. A minor GC every few megabytes streamed frees them at once; it costs well under a
// millisecond, as the young generation then holds little else.

type Collect = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/** Collect after this many bytes went through a stream. */
const EVERY_BYTES = 16 * 2 ** 20;

let collect: Collect | null | undefined;
let since = 0;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      // The same gc() that --expose-gc gives, obtained without a command-line flag. node:v8 and
      // node:vm are loaded here, on the first streamed blob, not on every start.
      process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc');
      collect = process.getBuiltinModule('node:vm').runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Records `n` bytes streamed; every EVERY_BYTES runs a minor GC that frees dead chunks. */
export function noteStreamed(n: number): void {
  since += n;
  if (since < EVERY_BYTES) return;
  since = 0;
  collector()?.({ type: 'minor' });
}

/** Passes chunks through, counting them with noteStreamed (and `onBytes`, for progress). */
export async function* countStreamed(
  source: AsyncIterable<Buffer>,
  onBytes?: (n: number) => void,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    noteStreamed(chunk.length);
    onBytes?.(chunk.length);
    yield chunk;
  }
}
