// A stage root whose implementation (extraction, snapshots and layer writing: src/fs and
// src/layer) is loaded when a command first needs files. A build served from the cache never
// loads it, and starts that much sooner.
import type { Layer } from '../image/image.ts';
import type { BuildContext } from './build-context.ts';
import type { LayerFile, StageRootfs } from './rootfs.ts';

class LazyRootfs implements StageRootfs {
  readonly dir: string;
  private readonly make: () => Promise<StageRootfs>;
  private loaded: StageRootfs | undefined;
  private loading: Promise<StageRootfs> | undefined;
  /** ignore() before the implementation exists (it is synchronous). */
  private readonly ignored: string[] = [];

  constructor(dir: string, make: () => Promise<StageRootfs>) {
    this.dir = dir;
    this.make = make;
  }

  private real(): Promise<StageRootfs> {
    this.loading ??= this.make().then((r) => {
      if (this.ignored.length > 0) r.ignore(this.ignored);
      this.loaded = r;
      return r;
    });
    return this.loading;
  }

  get materialized(): boolean {
    return this.loaded?.materialized ?? false;
  }

  async materialize(layers: readonly Layer[], signal?: AbortSignal): Promise<void> {
    return (await this.real()).materialize(layers, signal);
  }

  async applyLayers(layers: readonly Layer[], signal?: AbortSignal): Promise<void> {
    return (await this.real()).applyLayers(layers, signal);
  }

  async cloneFrom(other: StageRootfs): Promise<void> {
    return (await this.real()).cloneFrom(other);
  }

  async snapshotAll(createdDirs?: readonly string[]): Promise<LayerFile> {
    return (await this.real()).snapshotAll(createdDirs);
  }

  async snapshotPaths(paths: readonly string[]): Promise<LayerFile> {
    return (await this.real()).snapshotPaths(paths);
  }

  ignore(paths: readonly string[]): void {
    if (this.loaded) this.loaded.ignore(paths);
    else this.ignored.push(...paths);
  }
}

/** createStageRootfs of rootfs-impl.ts, loaded on first use; `shareKey` as there. */
export function lazyStageRootfs(ctx: BuildContext, dir: string, shareKey?: string): StageRootfs {
  return new LazyRootfs(dir, async () =>
    (await import('./rootfs-impl.ts')).createStageRootfs(ctx, dir, shareKey),
  );
}
