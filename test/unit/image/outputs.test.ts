import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeDigestFiles } from '../../../src/image/digest-files.ts';
import { bufferLayer } from '../../../src/image/image.ts';
import { readOciLayout, writeOciLayout } from '../../../src/image/layout.ts';
import { appendLayer, mutate, scratchConfig, toFormat } from '../../../src/image/mutate.ts';
import { MediaType } from '../../../src/image/types.ts';
import { parseReference } from '../../../src/registry/reference.ts';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('outputs', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-outputs-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('digest files as kaniko writes them', async () => {
    const d = `sha256:${'1'.repeat(64)}`;
    const paths = {
      digestFile: join(dir, 'digest'),
      imageNameWithDigestFile: join(dir, 'name'),
      imageNameTagWithDigestFile: join(dir, 'tag'),
    };
    await writeDigestFiles(paths, d, [parseReference('reg.io/a/b:1'), parseReference('reg.io/c:2')]);
    assert.equal(await readFile(paths.digestFile, 'utf8'), d);
    assert.equal(await readFile(paths.imageNameWithDigestFile, 'utf8'), `reg.io/a/b@${d}\nreg.io/c@${d}\n`);
    assert.equal(
      await readFile(paths.imageNameTagWithDigestFile, 'utf8'),
      `reg.io/a/b:1@${d}\nreg.io/c:2@${d}\n`,
    );
  });

  test('OCI layout: Docker-typed images are written with OCI types unless as-is; tags replace', async () => {
    const bytes = Buffer.from('layer-bytes');
    const layer = bufferLayer(bytes, {
      digest: sha(bytes),
      diffID: sha('diff'),
      mediaType: MediaType.dockerLayerGzip,
    });
    const config = appendLayer(scratchConfig({ os: 'linux', architecture: 'amd64' }), layer, {});
    const img = await mutate('scratch', { layers: [layer], config });
    const oci = await toFormat(img, 'oci');
    assert.equal(await oci.mediaType(), MediaType.ociManifest);
    assert.deepEqual(await oci.rawConfig(), await img.rawConfig());
    assert.equal(await toFormat(img, 'docker'), img);

    const layout = join(dir, 'layout');
    const d1 = await writeOciLayout(img, layout, 'v1');
    assert.equal(d1.digest, await oci.digest());
    const d2 = await writeOciLayout(img, layout, 'raw', { mediaTypes: 'as-is' });
    assert.equal(d2.digest, await img.digest());
    await writeOciLayout(img, layout, 'v1');
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(index.manifests.length, 2);
    assert.equal(await (await readOciLayout(layout, 'raw')).digest(), await img.digest());
    const blobs = await readdir(join(layout, 'blobs', 'sha256'));
    assert.ok(
      blobs.every((b) => /^[0-9a-f]{64}$/.test(b)),
      blobs.join(' '),
    );
    assert.equal(blobs.length, 4, 'layer, config, two manifests');
  });
});
