// gs://BUCKET/OBJECT with @google-cloud/storage: Application Default Credentials, or
// STORAGE_EMULATOR_HOST for a local server (which the library then calls without credentials).
// The object is read raw (no decompressive transcoding) and streamed into the extractor.
import type { FetchOptions } from './https.ts';
import { extractContextArchive } from './tarball.ts';

interface GcsError extends Error {
  code?: number | string;
}

/** The API's own message: download errors carry the JSON error body as their message. */
function apiMessage(e: GcsError): string {
  try {
    const body = JSON.parse(e.message) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {}
  return e.message.split('\n')[0] ?? '';
}

function reason(e: GcsError, bucket: string, object: string): string {
  const msg = apiMessage(e);
  if (e.code === 404)
    return /bucket/i.test(msg)
      ? `bucket ${bucket} does not exist`
      : `object ${object} not found in bucket ${bucket}`;
  if (e.code === 401 || e.code === 403) return `access denied (HTTP ${e.code}): ${msg}`;
  return msg;
}

export async function fetchGcs(bucket: string, object: string, opts: FetchOptions): Promise<void> {
  const { Storage } = await import('@google-cloud/storage');
  const emulator = opts.env.STORAGE_EMULATOR_HOST;
  const storage = new Storage({
    retryOptions: { autoRetry: true, maxRetries: 2 },
    // A custom endpoint is called without Google credentials, as the library does for emulators.
    ...(emulator ? { apiEndpoint: emulator.replace(/\/+$/, '') } : {}),
  });
  const stream = storage.bucket(bucket).file(object).createReadStream({ decompress: false });
  // Errors of the request (404, 403) arrive as errors of the stream.
  await extractContextArchive(stream, {
    dir: opts.dir,
    where: opts.where,
    describeSourceError: (e) => reason(e as GcsError, bucket, object),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
