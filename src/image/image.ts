// Images and layers as values, like go-containerregistry's v1.Image and v1.Layer: a manifest, a
// config and layers whose bytes are opened only when someone needs them.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Repo } from '../registry/remote.ts';
import { ImageError } from './errors.ts';
import type { Descriptor, ImageConfig, Manifest } from './types.ts';

export interface Layer {
  /** Digest of the compressed bytes (what the manifest names). */
  readonly digest: string;
  /** Digest of the uncompressed tar (what config.rootfs.diff_ids names). */
  readonly diffID: string;
  /** Size of the compressed bytes. */
  readonly size: number;
  readonly mediaType: string;
  /** The manifest entry for this layer (media type, digest, size, annotations, urls). */
  readonly descriptor: Descriptor;
  /** The compressed bytes; from a registry they are verified against `digest` as they stream. */
  open(): Promise<Readable>;
  /** A registry repository that already holds the blob (for cross-repository mounts). */
  readonly source?: Repo;
}

export interface Image {
  /** The manifest bytes exactly as they are pushed or were pulled (their sha256 is the digest). */
  rawManifest(): Promise<Buffer>;
  manifest(): Promise<Manifest>;
  mediaType(): Promise<string>;
  digest(): Promise<string>;
  /** The config blob's bytes exactly. */
  rawConfig(): Promise<Buffer>;
  config(): Promise<ImageConfig>;
  layers(): Promise<Layer[]>;
  /** Where a pulled image came from (blobs can be mounted from there). */
  readonly source?: Repo;
}

/** A layer made from a compressed blob file on disk whose digests the caller already knows. */
export interface LocalLayerFile {
  path: string;
  digest: string;
  diffID: string;
  size: number;
  mediaType: string;
  annotations?: Record<string, string>;
}

/** A Layer over a file written by the layer writer; nothing is hashed again. */
export function fileLayer(f: LocalLayerFile): Layer {
  const descriptor: Descriptor = {
    mediaType: f.mediaType,
    digest: f.digest,
    size: f.size,
    ...(f.annotations ? { annotations: f.annotations } : {}),
  };
  return {
    digest: f.digest,
    diffID: f.diffID,
    size: f.size,
    mediaType: f.mediaType,
    descriptor,
    async open() {
      const st = await stat(f.path).catch((e: Error) => {
        throw new ImageError(`layer file ${f.path}: ${e.message}`);
      });
      if (st.size !== f.size)
        throw new ImageError(`layer file ${f.path} has ${st.size} bytes, expected ${f.size} (${f.digest})`);
      return createReadStream(f.path, { highWaterMark: 1 << 16 });
    },
  };
}

/** A layer whose compressed bytes are in memory (small generated layers, tests). */
export function bufferLayer(
  bytes: Buffer,
  digests: { digest: string; diffID: string; mediaType: string },
): Layer {
  return {
    ...digests,
    size: bytes.length,
    descriptor: { mediaType: digests.mediaType, digest: digests.digest, size: bytes.length },
    async open() {
      return Readable.from([bytes]);
    },
  };
}

/** The same layer (the same bytes) with another manifest descriptor. */
function withDescriptor(layer: Layer, descriptor: Descriptor): Layer {
  return {
    digest: layer.digest,
    diffID: layer.diffID,
    size: layer.size,
    mediaType: descriptor.mediaType,
    descriptor,
    open: () => layer.open(),
    ...(layer.source ? { source: layer.source } : {}),
  };
}

/** The same layer under another media type (OCI ↔ Docker names for identical bytes). */
export function withMediaType(layer: Layer, mediaType: string): Layer {
  if (layer.mediaType === mediaType) return layer;
  return withDescriptor(layer, { ...layer.descriptor, mediaType });
}

/** The same layer with annotations on its manifest descriptor (the bytes are the same). */
export function withAnnotations(layer: Layer, annotations: Record<string, string>): Layer {
  return withDescriptor(layer, { ...layer.descriptor, annotations });
}

/** Collects a stream into a Buffer (for manifests and configs only: small by nature). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}
