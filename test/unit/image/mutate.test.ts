import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { ImageError } from '../../../src/image/errors.ts';
import { bufferLayer } from '../../../src/image/image.ts';
import { appendLayer, historyMatches, mutate, scratchConfig } from '../../../src/image/mutate.ts';
import { MediaType } from '../../../src/image/types.ts';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const layer = (s: string) =>
  bufferLayer(Buffer.from(s), {
    digest: sha(s),
    diffID: sha(`diff-${s}`),
    mediaType: MediaType.ociLayerGzip,
  });

describe('mutate', () => {
  test('scratch + two layers, Docker media types, digest is the manifest bytes', async () => {
    const [a, b] = [layer('a'), layer('b')];
    let cfg = scratchConfig({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    cfg = appendLayer(cfg, a, { created_by: 'COPY a' });
    cfg = appendLayer(cfg, undefined, { created_by: 'ENV X=1' });
    cfg = appendLayer(cfg, b, { created_by: 'RUN b' });
    assert.deepEqual(cfg.rootfs.diff_ids, [a.diffID, b.diffID]);
    assert.equal(cfg.history?.[1]?.empty_layer, true);
    assert.ok(historyMatches(cfg));
    const img = await mutate('scratch', { layers: [a, b], config: cfg });
    const m = await img.manifest();
    assert.equal(m.mediaType, MediaType.dockerManifest);
    assert.equal(m.config.mediaType, MediaType.dockerConfig);
    assert.deepEqual(
      m.layers.map((l) => l.mediaType),
      [MediaType.dockerLayerGzip, MediaType.dockerLayerGzip],
    );
    assert.equal(await img.digest(), sha((await img.rawManifest()).toString()));
    assert.equal(m.config.digest, sha((await img.rawConfig()).toString()));
    assert.equal((await img.config()).variant, 'v8');
  });

  test('OCI format with annotations', async () => {
    const a = layer('a');
    const cfg = appendLayer(scratchConfig({ os: 'linux', architecture: 'amd64' }), a, {});
    const img = await mutate('scratch', { layers: [a], config: cfg, format: 'oci', annotations: { k: 'v' } });
    const m = await img.manifest();
    assert.equal(m.mediaType, MediaType.ociManifest);
    assert.equal(m.layers[0]?.mediaType, MediaType.ociLayerGzip);
    assert.deepEqual(m.annotations, { k: 'v' });
  });

  test('on top of a base: base layers first; inconsistent diff_ids are refused', async () => {
    const a = layer('a');
    const base = await mutate('scratch', {
      layers: [a],
      config: appendLayer(scratchConfig({ os: 'linux', architecture: 'amd64' }), a, {}),
    });
    const b = layer('b');
    const good = appendLayer(await base.config(), b, { created_by: 'RUN' });
    const img = await mutate(base, { layers: [b], config: good });
    assert.deepEqual(
      (await img.layers()).map((l) => l.digest),
      [a.digest, b.digest],
    );
    await assert.rejects(
      mutate(base, { layers: [b], config: await base.config() }),
      (e: unknown) => e instanceof ImageError && /config lists 1 diff_ids for 2 layers/.test(e.message),
    );
  });
});
