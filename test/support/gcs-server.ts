// A local stand-in for the Cloud Storage JSON API, enough for @google-cloud/storage to read
// objects (no official emulator is installable here). Written from Google's API reference:
//   GET {base}/b/BUCKET/o/OBJECT             objects.get: the object resource as JSON
//   GET {base}/b/BUCKET/o/OBJECT?alt=media   objects.get: the bytes, with x-goog-hash
//                                            (crc32c and md5, base64), x-goog-generation,
//                                            x-goog-stored-content-encoding/-length
// where {base} is /storage/v1 or /download/storage/v1 (media), or the root when the client
// is pointed at the server with STORAGE_EMULATOR_HOST. Errors use the JSON API's error body
// ({"error":{"code","message","errors":[{"domain","reason","message"}]}}): 404 notFound for a
// missing bucket or object, 403 forbidden for the buckets marked forbidden.
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';

export interface GcsServer {
  /** http://127.0.0.1:PORT, for STORAGE_EMULATOR_HOST. */
  url: string;
  /** Every request line the server answered ("GET /path?query"), for tests of the protocol. */
  requests: string[];
  put(bucket: string, name: string, data: Buffer, contentType?: string): void;
  stop(): Promise<void>;
}

interface StoredObject {
  data: Buffer;
  contentType: string;
  generation: string;
  created: string;
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as GCS reports it. */
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC32C_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function crc32cBase64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32c(data));
  return b.toString('base64');
}

function sendError(res: ServerResponse, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: { code, message, errors: [{ message, domain: 'global', reason }] } });
  res.writeHead(code, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export async function startGcsServer(
  opts: { forbiddenBuckets?: readonly string[] } = {},
): Promise<GcsServer> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const requests: string[] = [];
  let generation = 1_600_000_000_000_000;
  let base = '';

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${u.pathname}${u.search}`);
    req.resume();
    const m = /^(?:\/download)?(?:\/storage\/v1)?\/b\/([^/]+)\/o\/([^/]+)$/.exec(u.pathname);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendError(
        res,
        400,
        'invalid',
        `This stand-in serves objects.get only, not ${req.method} ${u.pathname}`,
      );
      return;
    }
    const bucketName = decodeURIComponent(m[1]!);
    const objectName = decodeURIComponent(m[2]!);
    if (opts.forbiddenBuckets?.includes(bucketName)) {
      sendError(
        res,
        403,
        'forbidden',
        `anonymous caller does not have storage.objects.get access to the Google Cloud Storage object.`,
      );
      return;
    }
    const bucket = buckets.get(bucketName);
    if (!bucket) {
      sendError(res, 404, 'notFound', 'The specified bucket does not exist.');
      return;
    }
    const obj = bucket.get(objectName);
    if (!obj) {
      sendError(res, 404, 'notFound', `No such object: ${bucketName}/${objectName}`);
      return;
    }
    const md5 = createHash('md5').update(obj.data).digest('base64');
    const crc = crc32cBase64(obj.data);
    if (u.searchParams.get('alt') === 'media') {
      res.writeHead(200, {
        'content-type': obj.contentType,
        'content-length': obj.data.length,
        'x-goog-hash': `crc32c=${crc},md5=${md5}`,
        'x-goog-generation': obj.generation,
        'x-goog-metageneration': '1',
        'x-goog-stored-content-encoding': 'identity',
        'x-goog-stored-content-length': String(obj.data.length),
        'x-goog-storage-class': 'STANDARD',
      });
      res.end(req.method === 'HEAD' ? undefined : obj.data);
      return;
    }
    const id = `${bucketName}/${objectName}/${obj.generation}`;
    const path = `/b/${encodeURIComponent(bucketName)}/o/${encodeURIComponent(objectName)}`;
    const body = JSON.stringify({
      kind: 'storage#object',
      id,
      selfLink: `${base}/storage/v1${path}`,
      mediaLink: `${base}/download/storage/v1${path}?generation=${obj.generation}&alt=media`,
      name: objectName,
      bucket: bucketName,
      generation: obj.generation,
      metageneration: '1',
      contentType: obj.contentType,
      storageClass: 'STANDARD',
      size: String(obj.data.length),
      md5Hash: md5,
      crc32c: crc,
      etag: Buffer.from(obj.generation).toString('base64'),
      timeCreated: obj.created,
      updated: obj.created,
      timeStorageClassUpdated: obj.created,
    });
    res.writeHead(200, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      if (a && typeof a === 'object') resolve(a.port);
      else reject(new Error('no address'));
    });
  });
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    requests,
    put(bucket, name, data, contentType = 'application/octet-stream') {
      let b = buckets.get(bucket);
      if (!b) {
        b = new Map();
        buckets.set(bucket, b);
      }
      generation += 1;
      b.set(name, { data, contentType, generation: String(generation), created: new Date(0).toISOString() });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
