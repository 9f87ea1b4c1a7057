import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expired } from '../../../src/cache/backend.ts';
import { LocalCache } from '../../../src/cache/local.ts';
import { bufferLayer, readAll } from '../../../src/image/image.ts';
import { digestOf } from '../../../src/registry/digest.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kts-localcache-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = (c: string) => c.repeat(64);
const layerOf = (text: string) => {
  const bytes = Buffer.from(text);
  return bufferLayer(bytes, {
    digest: digestOf(bytes),
    diffID: digestOf(`u${text}`),
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  });
};

describe('LocalCache', () => {
  test('stores and reads back a layer by key', async () => {
    const c = new LocalCache(join(dir, 'a'));
    assert.equal(await c.get(key('a')), undefined);
    const layer = layerOf('hello');
    await c.put(key('a'), layer, 'RUN x');
    const got = await c.get(key('a'));
    assert.ok(got);
    assert.equal(got.digest, layer.digest);
    assert.equal(got.diffID, layer.diffID);
    assert.equal((await readAll(await got.open())).toString(), 'hello');
    assert.deepEqual(await readdir(join(dir, 'a', 'tmp')), []);
  });

  test('a corrupt blob is a miss, reported, and removed', async () => {
    const seen: string[] = [];
    const c = new LocalCache(join(dir, 'b'), { onCorrupt: (k, why) => seen.push(`${k.slice(0, 1)} ${why}`) });
    const layer = layerOf('payload');
    await c.put(key('b'), layer, 'RUN x');
    await writeFile(c.blobPath(layer.digest), 'paylOad');
    assert.equal(await c.get(key('b')), undefined);
    assert.match(seen[0] ?? '', /^b blob hashes to sha256:/);
    // Stored again, it is served again.
    await c.put(key('b'), layer, 'RUN x');
    assert.ok(await c.get(key('b')));
  });

  test('expiry follows --cache-ttl (0 never expires)', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    assert.equal(expired('2026-01-01T00:00:00Z', 3600_000, now), true);
    assert.equal(expired('2026-01-01T23:30:00Z', 3600_000, now), false);
    assert.equal(expired('2020-01-01T00:00:00Z', 0, now), false);
  });

  test('concurrent writers of one entry leave one valid entry', async () => {
    const c1 = new LocalCache(join(dir, 'd'));
    const c2 = new LocalCache(join(dir, 'd'));
    const layer = layerOf('same');
    await Promise.all([
      c1.put(key('d'), layer, 'x'),
      c2.put(key('d'), layer, 'x'),
      c1.put(key('e'), layer, 'y'),
    ]);
    assert.ok(await c1.get(key('d')));
    assert.ok(await c2.get(key('e')));
    assert.deepEqual(await readdir(join(dir, 'd', 'locks')), []);
  });

  test('a key that is not 64 hex characters is never a path', async () => {
    const c = new LocalCache(join(dir, 'f'));
    await c.put('../../escape', layerOf('x'), 'x');
    assert.equal(await c.get('../../escape'), undefined);
  });
});
