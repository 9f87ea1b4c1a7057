// What goes into a layer: one entry per path, independent of where it came from (a snapshot,
// a COPY, a whole tree). Paths are image paths (`/etc/passwd`); file content is read from
// `source` on the host only when the layer is written.

export type LayerEntryType =
  | 'file'
  | 'dir'
  | 'symlink'
  | 'hardlink'
  | 'char'
  | 'block'
  | 'fifo'
  /** `path` was deleted: written as `.wh.<name>`. */
  | 'whiteout'
  /** `path` is a directory whose lower-layer contents are hidden: written as `<path>/.wh..wh..opq`. */
  | 'opaque';

export interface LayerEntry {
  /** Absolute image path, `/`-separated, no trailing slash (`/usr/bin/env`). */
  path: string;
  type: LayerEntryType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode?: number;
  uid?: number;
  gid?: number;
  /** Modification time in whole seconds since the epoch. */
  mtime?: number;
  /** Host path holding the content of a `file` entry (read when the layer is written). */
  source?: string;
  /** Symlink target (verbatim), or the image path a hardlink points at (`/bin/gzip`). */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extended attributes (`security.capability`, `user.*`), values as raw bytes. */
  xattrs?: Record<string, Buffer>;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export const LAYER_MEDIA_TYPES: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

/** Parent image path of `/a/b` is `/a`; of `/a` is `/`. */
export function parentPath(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
