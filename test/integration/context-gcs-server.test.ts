// The GCS JSON API stand-in (test/support/gcs-server.ts) answers @google-cloud/storage's own
// requests as Cloud Storage does: metadata, media with checksums the library validates, and the
// API's errors. Both ways of pointing the library at it are covered (STORAGE_EMULATOR_HOST's
// root base and apiEndpoint's /storage/v1 base).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { crc32c, type GcsServer, startGcsServer } from '../support/gcs-server.ts';

describe('GCS JSON API stand-in, driven by @google-cloud/storage', () => {
  let gcs: GcsServer;
  let storage: Storage;
  const data = Buffer.from('some object bytes\n'.repeat(1000));

  before(async () => {
    gcs = await startGcsServer({ forbiddenBuckets: ['private'] });
    gcs.put('bucket', 'dir/object.tar.gz', data, 'application/gzip');
    storage = new Storage({ apiEndpoint: gcs.url, retryOptions: { autoRetry: false } });
  });
  after(() => gcs.stop());

  test('CRC-32C of the published check value', () => {
    // RFC 3720 (iSCSI) B.4: 32 bytes of zeros → 0x8A9136AA; "123456789" → 0xE3069283.
    assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
    assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  });

  test('objects.get metadata', async () => {
    const [meta] = await storage.bucket('bucket').file('dir/object.tar.gz').getMetadata();
    assert.equal(meta.name, 'dir/object.tar.gz');
    assert.equal(meta.bucket, 'bucket');
    assert.equal(meta.size, String(data.length));
    assert.equal(meta.contentType, 'application/gzip');
    assert.equal(meta.md5Hash, createHash('md5').update(data).digest('base64'));
    assert.ok(
      gcs.requests.includes('GET /storage/v1/b/bucket/o/dir%2Fobject.tar.gz'),
      gcs.requests.join('\n'),
    );
  });

  test('alt=media download, validated by the library (crc32c and md5)', async () => {
    for (const validation of ['crc32c', 'md5'] as const) {
      const [bytes] = await storage.bucket('bucket').file('dir/object.tar.gz').download({ validation });
      assert.deepEqual(bytes, data);
    }
    assert.ok(
      gcs.requests.some((r) => r.startsWith('GET /storage/v1/b/bucket/o/dir%2Fobject.tar.gz?alt=media')),
    );
  });

  test('exists() and the API errors: 404 bucket, 404 object, 403', async () => {
    assert.deepEqual(await storage.bucket('bucket').file('dir/object.tar.gz').exists(), [true]);
    assert.deepEqual(await storage.bucket('bucket').file('nope').exists(), [false]);
    await assert.rejects(
      storage.bucket('nobucket').file('x').getMetadata(),
      (e: Error & { code?: number }) => {
        assert.equal(e.code, 404);
        assert.match(e.message, /bucket does not exist/);
        return true;
      },
    );
    await assert.rejects(
      storage.bucket('bucket').file('nope').getMetadata(),
      (e: Error & { code?: number }) => {
        assert.equal(e.code, 404);
        assert.match(e.message, /No such object: bucket\/nope/);
        return true;
      },
    );
    await assert.rejects(storage.bucket('private').file('x').download(), (e: Error & { code?: number }) => {
      assert.equal(e.code, 403);
      return true;
    });
  });

  test('STORAGE_EMULATOR_HOST: the library calls the server root as the API base', async () => {
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = gcs.url;
    try {
      const viaEnv = new Storage({ retryOptions: { autoRetry: false } });
      const before = gcs.requests.length;
      const [bytes] = await viaEnv.bucket('bucket').file('dir/object.tar.gz').download();
      assert.deepEqual(bytes, data);
      assert.deepEqual(gcs.requests.slice(before), ['GET /b/bucket/o/dir%2Fobject.tar.gz?alt=media']);
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
    }
  });
});
