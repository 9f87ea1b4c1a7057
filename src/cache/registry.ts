// The layer cache in a registry repository, kaniko's layout: one image per cached layer, tagged
// with the step's cache key (`REPO:<64 hex>`). kaniko-ts pushes OCI manifests whose annotations
// carry the layer's diffID and creation time, so a lookup is one manifest GET; an entry without
// them (written by kaniko) costs one more GET of its config. Blobs are never downloaded for a
// lookup: a hit is a layer value that a push mounts from the cache repository.
//
// Beside those, one chain entry per stage, tagged with a hash of the stage's last key: an image
// of every cached layer of the stage, each layer descriptor annotated with its step's key. A
// rebuild asks for the chain first, so an unchanged stage costs one manifest GET, not one per step.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Image, type Layer, withAnnotations } from '../image/image.ts';
import { mutate } from '../image/mutate.ts';
import { pushImage } from '../image/push.ts';
import type { Descriptor, Manifest } from '../image/types.ts';
import { RegistryError } from '../registry/errors.ts';
import type { RegistryOptions } from '../registry/options.ts';
import { makeReference } from '../registry/reference.ts';
import { getManifest, openBlob, type Repo } from '../registry/remote.ts';
import type { Transport } from '../registry/transport.ts';
import type { CacheBackend, ChainStep } from './backend.ts';
import { expired, markCreated } from './backend.ts';
import { isCacheKey } from './key.ts';

export const DIFF_ID_ANNOTATION = 'dev.kaniko-ts.cache.diff-id';
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
export const STEP_ANNOTATION = 'dev.kaniko-ts.cache.step';
/** On a chain entry's layer descriptors: the key of the step that made the layer. */
export const KEY_ANNOTATION = 'dev.kaniko-ts.cache.key';

/** The tag of the chain entry of a stage whose last key is `lastKey` (not itself a step's key). */
export function chainTag(lastKey: string): string {
  return createHash('sha256').update(`kaniko-ts chain\0${lastKey}`).digest('hex');
}

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
    const manifest = await this.manifest(key);
    const desc = manifest?.layers?.[0];
    if (!manifest || !desc || manifest.layers.length !== 1) return undefined;
    let diffID = manifest.annotations?.[DIFF_ID_ANNOTATION];
    let created = manifest.annotations?.[CREATED_ANNOTATION];
    if (!diffID) {
      const cfg = await readConfig(t, repo, manifest);
      diffID = cfg.rootfs?.diff_ids?.[0];
      created = cfg.created;
      if (!diffID) return undefined;
    }
    if (expired(created, this.o.ttlMs ?? 0)) return undefined;
    return markCreated(this.layer(desc, diffID), created);
  }

  async getChain(lastKey: string): Promise<ChainStep[] | undefined> {
    if (!isCacheKey(lastKey)) return undefined;
    const manifest = await this.manifest(chainTag(lastKey));
    if (!manifest?.layers) return undefined;
    const steps: ChainStep[] = [];
    for (const desc of manifest.layers) {
      const a = desc.annotations ?? {};
      const key = a[KEY_ANNOTATION];
      const diffID = a[DIFF_ID_ANNOTATION];
      const created = a[CREATED_ANNOTATION];
      if (!key || !diffID || !created || !isCacheKey(key)) return undefined;
      if (expired(created, this.o.ttlMs ?? 0)) continue;
      const layer = markCreated(this.layer(desc, diffID), created);
      steps.push({ key, layer, created, description: a[STEP_ANNOTATION] ?? '' });
    }
    return steps;
  }

  /** The manifest tagged `tag` in the cache repository, or undefined when there is none. */
  private async manifest(tag: string): Promise<Manifest | undefined> {
    try {
      const fetched = await getManifest(this.o.transport, this.o.repo, tag, 'push');
      return JSON.parse(fetched.raw.toString('utf8')) as Manifest;
    } catch (e) {
      if (e instanceof RegistryError && (e.kind === 'not-found' || e.status === 404)) return undefined;
      throw e;
    }
  }

  /** A cached layer: its blob in the cache repository, a plain descriptor (no cache annotations). */
  private layer(desc: Descriptor, diffID: string): Layer {
    const { transport: t, repo } = this.o;
    const { digest, size, mediaType } = desc;
    return {
      digest,
      diffID,
      size,
      mediaType,
      descriptor: { mediaType, digest, size },
      source: repo,
      async open(): Promise<Readable> {
        return openBlob(t, repo, digest, { size, direction: 'push' });
      },
    };
  }

  async put(key: string, layer: Layer, description: string): Promise<void> {
    if (!isCacheKey(key)) return;
    const image = await cacheImage(layer, description, this.o.platform);
    const ref = makeReference(this.o.repo.registry, this.o.repo.repository, key);
    await pushImage(image, [ref], this.o.options, { transport: this.o.transport });
  }

  async putChain(lastKey: string, steps: readonly ChainStep[]): Promise<void> {
    if (!isCacheKey(lastKey) || steps.length === 0) return;
    const image = await chainImage(steps, this.o.platform);
    const ref = makeReference(this.o.repo.registry, this.o.repo.repository, chainTag(lastKey));
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

type CachePlatform = { os: string; architecture: string; variant?: string };

/** An OCI image of cached layers, one history entry each (when each was stored, which step). */
function cacheEntryImage(
  platform: CachePlatform,
  steps: ReadonlyArray<{ layer: Layer; created: string; description: string }>,
  annotations: Record<string, string>,
): Promise<Image> {
  return mutate('scratch', {
    layers: steps.map((s) => s.layer),
    config: {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      created: new Date().toISOString(),
      config: {},
      rootfs: { type: 'layers', diff_ids: steps.map((s) => s.layer.diffID) },
      history: steps.map((s) => ({
        created: s.created,
        created_by: s.description,
        comment: 'kaniko-ts layer cache',
      })),
    },
    format: 'oci',
    annotations,
  });
}

/** The one-layer image a cache entry is: OCI media types, the diffID and time as annotations. */
export async function cacheImage(layer: Layer, description: string, platform: CachePlatform): Promise<Image> {
  const created = new Date().toISOString();
  return cacheEntryImage(platform, [{ layer, created, description }], {
    [DIFF_ID_ANNOTATION]: layer.diffID,
    [CREATED_ANNOTATION]: created,
    [STEP_ANNOTATION]: description.slice(0, 256),
  });
}

/** A stage's chain entry: every step's layer, each descriptor naming its step's key. */
export async function chainImage(steps: readonly ChainStep[], platform: CachePlatform): Promise<Image> {
  const annotated = steps.map((s) => ({
    ...s,
    layer: withAnnotations(s.layer, {
      [KEY_ANNOTATION]: s.key,
      [DIFF_ID_ANNOTATION]: s.layer.diffID,
      [CREATED_ANNOTATION]: s.created,
      [STEP_ANNOTATION]: s.description.slice(0, 256),
    }),
  }));
  return cacheEntryImage(platform, annotated, { [CREATED_ANNOTATION]: new Date().toISOString() });
}
