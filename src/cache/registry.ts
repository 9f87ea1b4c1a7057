// The layer cache in a registry repository, kaniko's layout: one image per cached layer, tagged
// with the step's cache key (`REPO:<64 hex>`). kaniko-ts pushes OCI manifests whose annotations
// carry the layer's diffID and creation time, so a lookup is one manifest GET; an entry without
// them (written by kaniko) costs one more GET of its config. Blobs are never downloaded for a
// lookup: a hit is a layer value that a push mounts from the cache repository.
import type { Readable } from 'node:stream';
import type { Image, Layer } from '../image/image.ts';
import { mutate } from '../image/mutate.ts';
import { pushImage } from '../image/push.ts';
import type { Manifest } from '../image/types.ts';
import { RegistryError } from '../registry/errors.ts';
import type { RegistryOptions } from '../registry/options.ts';
import { makeReference } from '../registry/reference.ts';
import { getManifest, openBlob, type Repo } from '../registry/remote.ts';
import type { Transport } from '../registry/transport.ts';
import type { CacheBackend } from './backend.ts';
import { expired } from './backend.ts';
import { isCacheKey } from './key.ts';

export const DIFF_ID_ANNOTATION = 'dev.kaniko-ts.cache.diff-id';
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
export const STEP_ANNOTATION = 'dev.kaniko-ts.cache.step';

export interface RegistryCacheOptions {
  repo: Repo;
  transport: Transport;
  options: RegistryOptions;
  ttlMs?: number;
  platform: { os: string; architecture: string; variant?: string };
}

export class RegistryCache implements CacheBackend {
  readonly name: string;
  private readonly o: RegistryCacheOptions;

  constructor(o: RegistryCacheOptions) {
    this.o = o;
    this.name = `registry ${o.repo.registry}/${o.repo.repository}`;
  }

  async get(key: string): Promise<Layer | undefined> {
    if (!isCacheKey(key)) return undefined;
    const { transport: t, repo } = this.o;
    let manifest: Manifest;
    try {
      const fetched = await getManifest(t, repo, key, 'push');
      manifest = JSON.parse(fetched.raw.toString('utf8')) as Manifest;
    } catch (e) {
      if (e instanceof RegistryError && (e.kind === 'not-found' || e.status === 404)) return undefined;
      throw e;
    }
    const desc = manifest.layers?.[0];
    if (!desc || manifest.layers.length !== 1) return undefined;
    let diffID = manifest.annotations?.[DIFF_ID_ANNOTATION];
    let created = manifest.annotations?.[CREATED_ANNOTATION];
    if (!diffID) {
      const cfg = await readConfig(t, repo, manifest);
      diffID = cfg.rootfs?.diff_ids?.[0];
      created = cfg.created;
      if (!diffID) return undefined;
    }
    if (expired(created, this.o.ttlMs ?? 0)) return undefined;
    const digest = desc.digest;
    return {
      digest,
      diffID,
      size: desc.size,
      mediaType: desc.mediaType,
      descriptor: { mediaType: desc.mediaType, digest, size: desc.size },
      source: repo,
      async open(): Promise<Readable> {
        return openBlob(t, repo, digest, { size: desc.size, direction: 'push' });
      },
    };
  }

  async put(key: string, layer: Layer, description: string): Promise<void> {
    if (!isCacheKey(key)) return;
    const image = await cacheImage(layer, description, this.o.platform);
    const ref = makeReference(this.o.repo.registry, this.o.repo.repository, key);
    await pushImage(image, [ref], this.o.options, { transport: this.o.transport });
  }
}

async function readConfig(
  t: Transport,
  repo: Repo,
  manifest: Manifest,
): Promise<{ created?: string; rootfs?: { diff_ids?: string[] } }> {
  const chunks: Buffer[] = [];
  const stream = openBlob(t, repo, manifest.config.digest, { size: manifest.config.size, direction: 'push' });
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    created?: string;
    rootfs?: { diff_ids?: string[] };
  };
}

/** The one-layer image a cache entry is: OCI media types, the diffID and time as annotations. */
export async function cacheImage(
  layer: Layer,
  description: string,
  platform: { os: string; architecture: string; variant?: string },
): Promise<Image> {
  const created = new Date().toISOString();
  return mutate('scratch', {
    layers: [layer],
    config: {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      created,
      config: {},
      rootfs: { type: 'layers', diff_ids: [layer.diffID] },
      history: [{ created, created_by: description, comment: 'kaniko-ts layer cache' }],
    },
    format: 'oci',
    annotations: {
      [DIFF_ID_ANNOTATION]: layer.diffID,
      [CREATED_ANNOTATION]: created,
      [STEP_ANNOTATION]: description.slice(0, 256),
    },
  });
}
