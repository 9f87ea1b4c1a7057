// Building the output image: a base (or scratch) plus appended layers and a new config, with the
// manifest written in Docker schema 2 (kaniko's default) or OCI media types.
import { digestOf } from '../registry/digest.ts';
import { ImageError } from './errors.ts';
import { type Image, type Layer, withMediaType } from './image.ts';
import {
  configMediaType,
  type HistoryEntry,
  type ImageConfig,
  type ImageFormat,
  layerMediaTypeFor,
  type Manifest,
  manifestMediaType,
  type Platform,
} from './types.ts';

export interface MutateOptions {
  /** Layers appended after the base image's layers, in order. */
  layers?: readonly Layer[];
  /** The complete config of the result; its rootfs.diff_ids must list every layer (see appendLayers). */
  config: ImageConfig;
  /** Media types of the result (default docker, as kaniko pushes). */
  format?: ImageFormat;
  /** Manifest annotations. */
  annotations?: Record<string, string>;
  /** Manifest subject (for attestations). */
  subject?: Manifest['subject'];
}

/** A config for an image FROM scratch on `platform`. */
export function scratchConfig(platform: Platform): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {},
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
}

/**
 * The config with one more layer: its diffID in rootfs and a history entry. Pass `layer`
 * undefined for a metadata-only step (an empty_layer history entry, as Docker records ENV etc).
 */
export function appendLayer(
  config: ImageConfig,
  layer: { diffID: string } | undefined,
  history: HistoryEntry,
): ImageConfig {
  const entry: HistoryEntry = layer ? { ...history } : { ...history, empty_layer: true };
  if (layer) delete entry.empty_layer;
  return {
    ...config,
    rootfs: {
      type: 'layers',
      diff_ids: [...(config.rootfs?.diff_ids ?? []), ...(layer ? [layer.diffID] : [])],
    },
    history: [...(config.history ?? []), entry],
  };
}

/** Checks that rootfs.diff_ids lists exactly the layers' diffIDs, in order. */
export function checkConsistent(config: ImageConfig, layers: readonly { diffID: string }[]): void {
  const ids = config.rootfs?.diff_ids ?? [];
  if (ids.length !== layers.length)
    throw new ImageError(`config lists ${ids.length} diff_ids for ${layers.length} layers`);
  layers.forEach((l, i) => {
    if (ids[i] !== l.diffID)
      throw new ImageError(`layer ${i} has diffID ${l.diffID} but the config says ${ids[i]}`);
  });
}

/** Whether the non-empty history entries count the layers (base images made by some tools do not). */
export function historyMatches(config: ImageConfig): boolean {
  const h = config.history ?? [];
  return h.length === 0 || h.filter((e) => !e.empty_layer).length === (config.rootfs?.diff_ids ?? []).length;
}

class BuiltImage implements Image {
  private readonly raw: Buffer;
  private readonly parsed: Manifest;
  private readonly cfgRaw: Buffer;
  private readonly cfg: ImageConfig;
  private readonly all: Layer[];
  private readonly mt: string;

  /** `configBytes` keeps an existing config byte-exact (format conversion). */
  constructor(layers: Layer[], config: ImageConfig, opts: MutateOptions, configBytes?: Buffer) {
    const format = opts.format ?? 'docker';
    this.all = layers.map((l) => withMediaType(l, layerMediaTypeFor(l.mediaType, format)));
    this.cfg = config;
    this.cfgRaw = configBytes ?? Buffer.from(JSON.stringify(config));
    this.mt = manifestMediaType(format);
    this.parsed = {
      schemaVersion: 2,
      mediaType: this.mt,
      config: { mediaType: configMediaType(format), size: this.cfgRaw.length, digest: digestOf(this.cfgRaw) },
      layers: this.all.map((l) => l.descriptor),
      ...(opts.subject ? { subject: opts.subject } : {}),
      ...(opts.annotations && Object.keys(opts.annotations).length > 0
        ? { annotations: opts.annotations }
        : {}),
    };
    this.raw = Buffer.from(JSON.stringify(this.parsed));
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
    return this.cfgRaw;
  }
  async config() {
    return structuredClone(this.cfg);
  }
  async layers() {
    return [...this.all];
  }
}

/**
 * The image made of `base`'s layers (none for scratch) plus `opts.layers`, with `opts.config`.
 * The base's layer bytes are not fetched; pushing mounts or streams them.
 */
export async function mutate(base: Image | 'scratch', opts: MutateOptions): Promise<Image> {
  const baseLayers = base === 'scratch' ? [] : await base.layers();
  const layers = [...baseLayers, ...(opts.layers ?? [])];
  checkConsistent(opts.config, layers);
  return new BuiltImage(layers, opts.config, opts);
}

/**
 * The same image with the other family's media types (same config and layer bytes, so only the
 * manifest digest changes); returned unchanged when it already has them.
 */
export async function toFormat(image: Image, format: ImageFormat): Promise<Image> {
  if ((await image.mediaType()) === manifestMediaType(format)) return image;
  const m = await image.manifest();
  const cfgRaw = await image.rawConfig();
  return new BuiltImage(
    await image.layers(),
    JSON.parse(cfgRaw.toString('utf8')) as ImageConfig,
    {
      config: JSON.parse(cfgRaw.toString('utf8')) as ImageConfig,
      format,
      ...(m.annotations ? { annotations: m.annotations } : {}),
      ...(m.subject ? { subject: m.subject } : {}),
    },
    cfgRaw,
  );
}
