// StageRootfs over src/fs (extraction feeding the stat index, one-walk snapshots) and src/layer
// (deterministic layer files with both digests from one pass).
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { copyTree } from '../fs/clone-tree.ts';
import { extractLayer } from '../fs/extract.ts';
import { defaultIgnorePaths, IgnoreList } from '../fs/ignore.ts';
import { type SnapshotResult, Snapshotter } from '../fs/snapshot.ts';
import { FsIndex } from '../fs/stat-index.ts';
import type { Layer } from '../image/image.ts';
import type { LayerEntry } from '../layer/entry.ts';
import { writeLayer } from '../layer/write-layer.ts';
import { ByteProgress, progressStream } from '../log/progress.ts';
import type { BuildContext } from './build-context.ts';
import type { LayerFile, StageRootfs } from './rootfs.ts';

export class DirRootfs implements StageRootfs {
  readonly dir: string;
  protected readonly ctx: BuildContext;
  protected readonly index = new FsIndex();
  protected readonly ignoreList: IgnoreList;
  protected readonly snapshotter: Snapshotter;
  /** Mount targets of the last RUN: left out of the next snapshot only. */
  private transient: string[] = [];
  protected isMaterialized = false;
  protected extractSkipsIgnored = false;
  /** Image paths the base has but extraction left alone (ignored, or devices without rights). */
  protected readonly skippedByExtraction = new Set<string>();

  /** Names the base image for BaseTrees: stages with the same key share one extraction. */
  private readonly shareKey: string | undefined;

  /** `ignorePaths` replaces the defaults (in-place mode adds the builder's own paths). */
  constructor(ctx: BuildContext, dir: string, ignorePaths?: readonly string[], shareKey?: string) {
    this.ctx = ctx;
    this.dir = dir;
    this.shareKey = shareKey;
    // In a sandbox the runtime files are bind-mounted by us, /var/run is the image's own
    // (BuildKit keeps it) unless --ignore-var-run is given explicitly.
    this.ignoreList = new IgnoreList(
      ignorePaths ??
        defaultIgnorePaths({ ignoreVarRun: ctx.opts.ignoreVarRun ?? false, extra: ctx.opts.ignorePaths }),
    );
    this.snapshotter = new Snapshotter({ root: dir, ignore: this.ignoreList, index: this.index });
  }

  get materialized(): boolean {
    return this.isMaterialized;
  }

  protected pending: Promise<void> | undefined;

  materialize(layers: readonly Layer[], signal?: AbortSignal): Promise<void> {
    // Concurrent callers (a RUN of this stage, a COPY --from of another) share one extraction.
    this.pending ??= this.extractBase(layers, signal);
    return this.pending;
  }

  /** Makes `dir` ready to receive the base (in-place mode empties `/` here). */
  protected async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  protected async extractBase(layers: readonly Layer[], signal?: AbortSignal): Promise<void> {
    const step =
      layers.length > 0 ? this.ctx.log.step(`[internal] extract ${layers.length} base layer(s)`) : undefined;
    const shared =
      this.shareKey !== undefined && layers.length > 0
        ? await this.ctx.baseTrees?.take(
            this.shareKey,
            layers.map((l) => l.digest),
            this.dir,
            (dir) => this.extractInto(dir, layers, step, signal),
          )
        : undefined;
    if (shared) {
      for (const p of shared) this.skippedByExtraction.add(p);
      this.snapshotter.init(); // copied, not extracted here: no index was fed
    } else {
      await this.prepare();
      const skipped = await this.extractInto(this.dir, layers, step, signal, this.index);
      for (const p of skipped) this.skippedByExtraction.add(p);
      if (layers.length === 0) this.snapshotter.init();
    }
    step?.done();
    this.isMaterialized = true;
  }

  /** Extracts `layers` in order into `dir`; returns the image paths extraction left alone. */
  private async extractInto(
    dir: string,
    layers: readonly Layer[],
    step: ReturnType<BuildContext['log']['step']> | undefined,
    signal?: AbortSignal,
    index?: FsIndex,
  ): Promise<Set<string>> {
    const skipped = new Set<string>();
    if (dir !== this.dir) await mkdir(dir, { recursive: true });
    // Fetch ahead: the next layer's download overlaps this one's extraction.
    let next = layers[0]?.open();
    next?.catch(() => undefined);
    for (let i = 0; i < layers.length; i++) {
      signal?.throwIfAborted();
      const layer = layers[i]!;
      let stream: Readable = await next!;
      // On a terminal, the download's bytes as it goes (BuildKit shows the same).
      if (step && this.ctx.log.interactive) {
        const shown = progressStream(new ByteProgress(step, layer.digest.slice(0, 19), layer.size));
        pipeline(stream, shown, () => undefined);
        stream = shown;
      }
      next = layers[i + 1]?.open();
      next?.catch(() => undefined);
      const extracted = await extractLayer(stream, {
        mediaType: layer.mediaType,
        root: dir,
        ...(index ? { index } : {}),
        // In place, what the container itself mounts (/proc, /etc/hosts...) must stay untouched.
        ...(this.extractSkipsIgnored ? { ignore: this.ignoreList } : {}),
        where: layer.digest,
      });
      if (extracted.mediaTypeMismatch) this.ctx.log.warn(extracted.mediaTypeMismatch);
      for (const s of extracted.skipped) skipped.add(s.path);
    }
    return skipped;
  }

  async applyLayers(layers: readonly Layer[], signal?: AbortSignal): Promise<void> {
    for (const layer of layers) {
      signal?.throwIfAborted();
      const extracted = await extractLayer(await layer.open(), {
        mediaType: layer.mediaType,
        root: this.dir,
        index: this.index,
        ...(this.extractSkipsIgnored ? { ignore: this.ignoreList } : {}),
        where: layer.digest,
      });
      if (extracted.mediaTypeMismatch) this.ctx.log.warn(extracted.mediaTypeMismatch);
      for (const s of extracted.skipped) this.skippedByExtraction.add(s.path);
    }
  }

  async cloneFrom(other: StageRootfs): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await copyTree(other.dir, this.dir);
    this.snapshotter.init();
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }

  private async write(res: SnapshotResult): Promise<LayerFile> {
    const opts = this.ctx.opts;
    const written = await writeLayer(res.entries, {
      dir: this.ctx.work.layers,
      root: this.dir,
      compression: opts.compression,
      ...(opts.compressionLevel !== undefined ? { level: opts.compressionLevel } : {}),
      ...(this.ctx.sourceDateEpoch !== undefined ? { sourceDateEpoch: this.ctx.sourceDateEpoch } : {}),
      reproducible: opts.reproducible,
    });
    return {
      path: written.path,
      digest: written.digest,
      diffID: written.diffID,
      size: written.size,
      mediaType: written.mediaType,
    };
  }

  async snapshotAll(createdDirs: readonly string[] = []): Promise<LayerFile> {
    for (const p of this.transient) this.ignoreList.add(p);
    try {
      const t0 = performance.now();
      const res = this.snapshotter.takeSnapshot();
      const walked = new Set(res.entries.map((e) => e.path));
      for (const e of await this.runtimeEntries(createdDirs)) if (!walked.has(e.path)) res.entries.push(e);
      const t1 = performance.now();
      const layer = await this.write(res);
      this.ctx.log.debug(
        `walk ${(t1 - t0).toFixed(0)} ms (${res.entries.length} changes), layer ${(performance.now() - t1).toFixed(0)} ms`,
      );
      return layer;
    } finally {
      for (const p of this.transient) this.ignoreList.delete(p);
      this.transient = [];
    }
  }

  /** Does the image this root holds have `path`, even where extraction left it out? */
  imageHas(path: string): boolean {
    return this.index.get(path) !== undefined || this.skippedByExtraction.has(path);
  }

  /** Layer entries for directories the RUN's runtime created (ignored by the walk itself). */
  protected async runtimeEntries(createdDirs: readonly string[]): Promise<LayerEntry[]> {
    const entries: LayerEntry[] = [];
    for (const path of createdDirs) {
      const st = await lstat(join(this.dir, path));
      entries.push({
        path,
        type: 'dir',
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000),
      });
    }
    return entries;
  }

  async snapshotPaths(paths: readonly string[]): Promise<LayerFile> {
    return this.write(this.snapshotter.addPaths(paths));
  }

  ignore(paths: readonly string[]): void {
    this.transient.push(...paths);
  }
}

/** `shareKey` names the stage's base image when it has one (see BaseTrees). */
export function createStageRootfs(ctx: BuildContext, dir: string, shareKey?: string): StageRootfs {
  return new DirRootfs(ctx, dir, undefined, shareKey);
}
