// A stage's root filesystem on the host: base layers extracted lazily (only when a command needs
// files), and the snapshots that turn changes into layers. The one place the executor meets
// src/fs and src/layer.
import type { Layer } from '../image/image.ts';

export interface LayerFile {
  path: string;
  digest: string;
  diffID: string;
  size: number;
  mediaType: string;
}

export interface RootfsOptions {
  /** Host directory for this stage's root. */
  dir: string;
  /** Directory for layer files. */
  layersDir: string;
  compression: 'gzip' | 'zstd';
  compressionLevel?: number;
  /** Clamp file times (SOURCE_DATE_EPOCH / --reproducible), seconds. */
  sourceDateEpoch?: number;
  /** Paths (image paths) never snapshotted. */
  ignorePaths: string[];
}

export interface StageRootfs {
  readonly dir: string;
  /** Extracts `layers` (the base image's, in order) if that has not happened yet. */
  materialize(layers: readonly Layer[], signal?: AbortSignal): Promise<void>;
  readonly materialized: boolean;
  /**
   * Extracts more layers on top of the materialized root, as if a step had written them (cached
   * layers used after an earlier step ran): the next snapshot records only what changes later.
   */
  applyLayers(layers: readonly Layer[], signal?: AbortSignal): Promise<void>;
  /** Starts as a copy of another stage's root (FROM <stage>). */
  cloneFrom(other: StageRootfs): Promise<void>;
  /**
   * A full walk after a RUN: everything that changed since the last snapshot, as a layer file.
   * `createdDirs` are ignored paths (such as /proc) that were created for the RUN and belong in it.
   */
  snapshotAll(createdDirs?: readonly string[]): Promise<LayerFile>;
  /** Only these image paths (and their parents) changed, e.g. after COPY or WORKDIR. */
  snapshotPaths(paths: readonly string[]): Promise<LayerFile>;
  /** Paths a RUN must not leave behind (mount targets the sandbox created). */
  ignore(paths: readonly string[]): void;
}
