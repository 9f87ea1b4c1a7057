// A whole directory as one layer (kaniko's --single-snapshot, or an image built from a rootfs).
import { IgnoreList } from '../fs/ignore.ts';
import { Snapshotter } from '../fs/snapshot.ts';
import { type WriteLayerOptions, type WrittenLayer, writeLayer } from './write-layer.ts';

export interface LayerFromTreeOptions extends Omit<WriteLayerOptions, 'root'> {
  /** Image paths left out (and not descended into). */
  ignore?: IgnoreList | readonly string[];
}

/** Writes every path under `root` (except ignored ones) as a layer. */
export async function layerFromTree(root: string, opts: LayerFromTreeOptions): Promise<WrittenLayer> {
  const ignore = opts.ignore instanceof IgnoreList ? opts.ignore : new IgnoreList(opts.ignore ?? []);
  const { entries } = new Snapshotter({ root, ignore }).takeSnapshot();
  return writeLayer(entries, { ...opts, root });
}
