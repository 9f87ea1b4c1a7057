// Small images for registry tests, and an image's digest as skopeo (not our client) reads it.
import { gzipSync } from 'node:zlib';
import { bufferLayer, type Image, type Layer } from '../../src/image/image.ts';
import { appendLayer, mutate } from '../../src/image/mutate.ts';
import { MediaType } from '../../src/image/types.ts';
import { digestOf } from '../../src/registry/digest.ts';
import { run } from './exec.ts';

/** A layer of these tar bytes, gzipped, with both digests. */
export function gzipLayer(tarball: Buffer): Layer {
  const gz = gzipSync(tarball);
  return bufferLayer(gz, {
    digest: digestOf(gz),
    diffID: digestOf(tarball),
    mediaType: MediaType.ociLayerGzip,
  });
}

/** `base` with one more layer of these tar bytes, and its history entry. */
export async function withLayer(base: Image, tarball: Buffer, createdBy: string): Promise<Image> {
  const layer = gzipLayer(tarball);
  return mutate(base, {
    layers: [layer],
    config: appendLayer(await base.config(), layer, { created_by: createdBy }),
  });
}

/** The manifest digest skopeo reads for `ref` (plain HTTP allowed). */
export async function skopeoDigest(ref: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
  return digestOf(stdout);
}
