// kaniko's digest outputs: --digest-file (the digest), --image-name-with-digest-file
// (name@digest per destination) and --image-name-tag-with-digest-file (name:tag@digest); and
// kaniko-ts's --metadata-file, docker buildx build's JSON for the same build.
import { writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { Reference } from '../registry/reference.ts';
import type { Image } from './image.ts';
import type { Descriptor } from './types.ts';

export interface DigestFilePaths {
  digestFile?: string;
  imageNameWithDigestFile?: string;
  imageNameTagWithDigestFile?: string;
}

/** `docker buildx build --metadata-file`'s keys for an image, plus its compressed size. */
export interface ImageMetadata {
  'containerimage.descriptor': Pick<Descriptor, 'mediaType' | 'digest' | 'size'>;
  'containerimage.config.digest': string;
  'containerimage.digest': string;
  /** The destinations, comma-joined; absent without any. */
  'image.name'?: string;
  /** Bytes of the config and every layer as stored in a registry (compressed). */
  'kaniko-ts.image.size': number;
}

export async function imageMetadata(
  image: Image,
  digest: string,
  destinations: readonly Reference[],
): Promise<ImageMetadata> {
  const [manifest, raw, mediaType] = await Promise.all([
    image.manifest(),
    image.rawManifest(),
    image.mediaType(),
  ]);
  const size = manifest.layers.reduce((n, l) => n + l.size, manifest.config.size);
  return {
    'containerimage.descriptor': { mediaType, digest, size: raw.length },
    'containerimage.config.digest': manifest.config.digest,
    'containerimage.digest': digest,
    ...(destinations.length > 0 ? { 'image.name': destinations.map((d) => d.toString()).join(',') } : {}),
    'kaniko-ts.image.size': size,
  };
}

export async function writeDigestFiles(
  paths: DigestFilePaths,
  digest: string,
  destinations: readonly Reference[],
): Promise<void> {
  if (paths.digestFile) await writeFile(paths.digestFile, digest);
  if (paths.imageNameWithDigestFile)
    await writeFile(paths.imageNameWithDigestFile, destinations.map((d) => `${d.name}@${digest}\n`).join(''));
  if (paths.imageNameTagWithDigestFile)
    await writeFile(
      paths.imageNameTagWithDigestFile,
      destinations.map((d) => `${d.name}:${d.tag ?? 'latest'}@${digest}\n`).join(''),
    );
}

/** --metadata-file: the image's metadata as JSON, written whole or not at all. */
export async function writeMetadataFile(
  path: string,
  image: Image,
  digest: string,
  destinations: readonly Reference[],
): Promise<void> {
  const metadata = await imageMetadata(image, digest, destinations);
  await writeFileAtomic(path, `${JSON.stringify(metadata, null, 2)}\n`);
}
