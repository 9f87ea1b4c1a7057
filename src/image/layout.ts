// OCI image layouts (--oci-layout-path): blobs/<alg>/<hex>, index.json and oci-layout. Each blob
// is written to a temporary name, verified and renamed, so a failure leaves nothing half-written
// under a digest's name. Also reads a layout back as an Image.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { digestOf, hasherFor, hexOf } from '../registry/digest.ts';
import { ImageError } from './errors.ts';
import type { Image, Layer } from './image.ts';
import { readAll } from './image.ts';
import { toFormat } from './mutate.ts';
import {
  type Descriptor,
  type ImageConfig,
  type Index,
  isIndexMediaType,
  type Manifest,
  MediaType,
} from './types.ts';

export const REF_NAME = 'org.opencontainers.image.ref.name';

function blobPath(dir: string, digest: string): string {
  return join(dir, 'blobs', digest.slice(0, digest.indexOf(':')), hexOf(digest));
}

/** Writes `source` as blob `digest` unless a blob of that size is already there. */
async function writeBlob(
  dir: string,
  digest: string,
  size: number,
  source: () => Promise<Readable>,
): Promise<void> {
  const final = blobPath(dir, digest);
  const existing = await stat(final).catch(() => undefined);
  if (existing?.size === size) return;
  await mkdir(join(final, '..'), { recursive: true });
  const tmp = `${final}.tmp-${randomBytes(6).toString('hex')}`;
  const hash = hasherFor(digest);
  let n = 0;
  try {
    await pipeline(
      await source(),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          n += chunk.length;
          cb(null, chunk);
        },
      }),
      createWriteStream(tmp),
    );
    const got = `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
    if (got !== digest || n !== size)
      throw new ImageError(`blob ${digest}: received ${n} bytes hashing to ${got} (expected ${size} bytes)`);
    await rename(tmp, final);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function readIndex(dir: string): Promise<Index> {
  const p = join(dir, 'index.json');
  if (!existsSync(p)) return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  return JSON.parse(await readFile(p, 'utf8')) as Index;
}

export interface LayoutWriteOptions {
  /**
   * `oci` (default) writes Docker-typed images with OCI media types (same config and layer
   * bytes, another manifest digest), since OCI tools such as skopeo and umoci read only those;
   * `as-is` keeps the manifest byte-exact, as kaniko does.
   */
  mediaTypes?: 'oci' | 'as-is';
}

/**
 * Adds `image` to the OCI layout at `dir` (created if needed), tagged `tag` when given; an entry
 * with the same tag is replaced. Returns the manifest descriptor written to index.json (its digest
 * is the image's unless a Docker-typed image was converted, see LayoutWriteOptions).
 */
export async function writeOciLayout(
  original: Image,
  dir: string,
  tag?: string,
  opts: LayoutWriteOptions = {},
): Promise<Descriptor> {
  const image = opts.mediaTypes === 'as-is' ? original : await toFormat(original, 'oci');
  await mkdir(join(dir, 'blobs'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const layers = await image.layers();
  for (const l of layers) {
    if ((l.descriptor.urls?.length ?? 0) > 0 && l.mediaType.includes('foreign')) continue;
    await writeBlob(dir, l.digest, l.size, () => l.open());
  }
  const cfg = await image.rawConfig();
  const manifest = await image.manifest();
  await writeBlob(dir, manifest.config.digest, cfg.length, async () => Readable.from([cfg]));
  const raw = await image.rawManifest();
  const digest = await image.digest();
  await writeBlob(dir, digest, raw.length, async () => Readable.from([raw]));
  const desc: Descriptor = {
    mediaType: await image.mediaType(),
    digest,
    size: raw.length,
    ...(tag ? { annotations: { [REF_NAME]: tag } } : {}),
  };
  const index = await readIndex(dir);
  const kept = index.manifests.filter((m) =>
    tag ? m.annotations?.[REF_NAME] !== tag : !(m.digest === digest && !m.annotations?.[REF_NAME]),
  );
  const next: Index = {
    ...index,
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [...kept, desc],
  };
  await writeFileAtomic(join(dir, 'index.json'), JSON.stringify(next));
  return desc;
}

class LayoutImage implements Image {
  private readonly dir: string;
  private readonly raw: Buffer;
  private readonly parsed: Manifest;
  private readonly mt: string;
  constructor(dir: string, raw: Buffer, mediaType: string) {
    this.dir = dir;
    this.raw = raw;
    this.parsed = JSON.parse(raw.toString('utf8')) as Manifest;
    this.mt = this.parsed.mediaType ?? mediaType;
  }
  async rawManifest() {
    return this.raw;
  }
  async manifest() {
    return this.parsed;
  }
  async mediaType() {
    return this.mt;
  }
  async digest() {
    return digestOf(this.raw);
  }
  async rawConfig() {
    return readFile(blobPath(this.dir, this.parsed.config.digest));
  }
  async config() {
    return JSON.parse((await this.rawConfig()).toString('utf8')) as ImageConfig;
  }
  async layers(): Promise<Layer[]> {
    const ids = (await this.config()).rootfs?.diff_ids ?? [];
    return this.parsed.layers.map((d, i) => ({
      digest: d.digest,
      diffID: ids[i] ?? '',
      size: d.size,
      mediaType: d.mediaType,
      descriptor: d,
      open: async () => createReadStream(blobPath(this.dir, d.digest), { highWaterMark: 1 << 20 }),
    }));
  }
}

/** Reads the image tagged `tag` (or the only one) from an OCI layout. */
export async function readOciLayout(dir: string, tag?: string): Promise<Image> {
  const index = await readIndex(dir);
  const found = tag ? index.manifests.filter((m) => m.annotations?.[REF_NAME] === tag) : index.manifests;
  const desc = found[0];
  if (!desc || found.length > 1 || isIndexMediaType(desc.mediaType))
    throw new ImageError(
      `${dir}: ${tag ? `no single image tagged "${tag}"` : 'not exactly one image'} in index.json`,
    );
  const raw = await readAll(createReadStream(blobPath(dir, desc.digest)));
  if (digestOf(raw) !== desc.digest)
    throw new ImageError(`${dir}: manifest ${desc.digest} does not match its digest`);
  return new LayoutImage(dir, raw, desc.mediaType);
}
