// Images read from a registry: pullImage resolves the manifest (through mirrors, choosing the
// platform from an index); the config is fetched when asked, layer bytes when opened.
import type { Readable } from 'node:stream';
import { RegistryError } from '../registry/errors.ts';
import { pullSources, type RegistryOptions } from '../registry/options.ts';
import type { Reference } from '../registry/reference.ts';
import { type FetchedManifest, openBlob, type Repo, resolveImageManifest } from '../registry/remote.ts';
import { transportFor } from '../registry/shared.ts';
import type { Transport } from '../registry/transport.ts';
import type { Image, Layer } from './image.ts';
import { readAll } from './image.ts';
import type { Descriptor, ImageConfig, Manifest, Platform } from './types.ts';

export interface PullOptions {
  platform: Platform;
  options?: RegistryOptions;
  /** Share connections and tokens with other calls (default: one per options object). */
  transport?: Transport;
}

/** A pulled image; `index` is set when the reference named an index (the chosen child is the image). */
export interface RemoteImage extends Image {
  readonly source: Repo;
  readonly reference: Reference;
  /** The index the image was chosen from, when the reference named one. */
  readonly index?: { raw: Buffer; mediaType: string; digest: string };
}

class PulledImage implements RemoteImage {
  readonly source: Repo;
  readonly reference: Reference;
  readonly index?: { raw: Buffer; mediaType: string; digest: string };
  private readonly t: Transport;
  private readonly fetched: FetchedManifest;
  private readonly parsed: Manifest;
  private configBytes?: Promise<Buffer>;

  constructor(
    t: Transport,
    source: Repo,
    reference: Reference,
    fetched: FetchedManifest & { index?: FetchedManifest },
  ) {
    this.t = t;
    this.source = source;
    this.reference = reference;
    this.fetched = fetched;
    if (fetched.index) this.index = fetched.index;
    this.parsed = JSON.parse(fetched.raw.toString('utf8')) as Manifest;
    if (!this.parsed.config || !Array.isArray(this.parsed.layers))
      throw new RegistryError(
        'unsupported',
        { ...source, digest: fetched.digest },
        `manifest of type ${fetched.mediaType} is not an image`,
      );
  }

  async rawManifest() {
    return this.fetched.raw;
  }
  async manifest() {
    return this.parsed;
  }
  async mediaType() {
    return this.fetched.mediaType;
  }
  async digest() {
    return this.fetched.digest;
  }
  rawConfig(): Promise<Buffer> {
    this.configBytes ??= readAll(
      openBlob(this.t, this.source, this.parsed.config.digest, { size: this.parsed.config.size }),
    );
    this.configBytes.catch(() => {
      this.configBytes = undefined;
    });
    return this.configBytes;
  }
  async config(): Promise<ImageConfig> {
    return JSON.parse((await this.rawConfig()).toString('utf8')) as ImageConfig;
  }
  async layers(): Promise<Layer[]> {
    const cfg = await this.config();
    const diffIDs = cfg.rootfs?.diff_ids ?? [];
    if (diffIDs.length !== this.parsed.layers.length)
      throw new RegistryError(
        'protocol',
        { ...this.source, digest: this.fetched.digest },
        `config lists ${diffIDs.length} diff_ids for ${this.parsed.layers.length} layers`,
      );
    return this.parsed.layers.map((d, i) => remoteLayer(this.t, this.source, d, diffIDs[i]!));
  }
}

function remoteLayer(t: Transport, source: Repo, d: Descriptor, diffID: string): Layer {
  return {
    digest: d.digest,
    diffID,
    size: d.size,
    mediaType: d.mediaType,
    descriptor: d,
    source,
    async open(): Promise<Readable> {
      return openBlob(t, source, d.digest, { size: d.size });
    },
  };
}

/**
 * Reads the manifest of `ref` (from mirrors or mapped registries first, then the registry
 * itself) and returns a lazy image. An index is resolved to the manifest for `platform`.
 */
export async function pullImage(ref: Reference, opts: PullOptions): Promise<RemoteImage> {
  const options = opts.options ?? {};
  const t = opts.transport ?? transportFor(options);
  const sources = pullSources(options, ref.registry);
  let firstError: unknown;
  for (const [i, s] of sources.entries()) {
    const repo: Repo = {
      registry: s.host,
      repository: s.prefix ? `${s.prefix}/${ref.repository}` : ref.repository,
    };
    try {
      const fetched = await resolveImageManifest(t, repo, ref.identifier, opts.platform);
      return new PulledImage(t, repo, ref, fetched);
    } catch (e) {
      firstError ??= e;
      // The origin's own error is the one worth reporting when everything failed.
      if (i === sources.length - 1) throw e;
      options.debug?.(`mirror ${repo.registry}/${repo.repository}: ${(e as Error).message}; trying the next`);
    }
  }
  throw firstError;
}
