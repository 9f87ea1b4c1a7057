// Reads a pushed image back with skopeo + umoci (never with kaniko-ts's own client) into a
// plain tree of entries plus the manifest and config, for assertions and image comparisons.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseXattrDump } from '../../src/fs/xattr.ts';
import { run } from './exec.ts';

export type EntryType = 'file' | 'dir' | 'symlink' | 'fifo' | 'char' | 'block' | 'socket';

export interface TreeEntry {
  path: string;
  type: EntryType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  sha256?: string;
  link?: string;
  /** For hard links: the first path (in sorted order) of the same inode. */
  hardlinkTo?: string;
  /** Extended attributes an image keeps (security.capability, user.*), values in hex. */
  xattrs?: Record<string, string>;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  config?: Record<string, unknown>;
  rootfs?: { type: string; diff_ids: string[] };
  history?: Array<Record<string, unknown>>;
  [k: string]: unknown;
}

export interface InspectedImage {
  digest: string;
  manifest: {
    mediaType?: string;
    config: { digest: string };
    layers: Array<{ mediaType: string; digest: string; size: number }>;
  };
  config: ImageConfig;
  tree: TreeEntry[];
}

export interface InspectOptions {
  /** Directory with ca.crt for a TLS registry; plain http otherwise. */
  certDir?: string;
  creds?: string;
}

function fileSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

function typeOf(st: import('node:fs').Stats): EntryType {
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isSocket()) return 'socket';
  return 'file';
}

/** Walks a directory into sorted entries with paths like `/etc/passwd`. */
export async function readTree(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const inodes = new Map<string, string>();
  async function walk(dir: string, rel: string): Promise<void> {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const full = join(dir, name);
      const path = `${rel}/${name}`;
      const st = await lstat(full);
      const type = typeOf(st);
      const e: TreeEntry = {
        path,
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        size: type === 'file' ? st.size : 0,
      };
      if (type === 'symlink') e.link = await readlink(full);
      if (type === 'file') {
        e.sha256 = await fileSha256(full);
        if (st.nlink > 1) {
          const key = `${st.dev}:${st.ino}`;
          const first = inodes.get(key);
          if (first) e.hardlinkTo = first;
          else inodes.set(key, path);
        }
      }
      entries.push(e);
      if (type === 'dir') await walk(full, path);
    }
  }
  await walk(root, '');
  // Attributes as getfattr (the attr package) reports them, in one run over the whole tree.
  const { stdout } = await run('getfattr', [
    '-R',
    '-h',
    '-P',
    '-d',
    '-m',
    '^(security\\.capability|user\\..+)$',
    '-e',
    'hex',
    '--absolute-names',
    root,
  ]);
  const byPath = new Map(entries.map((e) => [join(root, e.path), e]));
  for (const [host, attrs] of parseXattrDump(stdout)) {
    const e = byPath.get(host);
    if (e) e.xattrs = Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, v.toString('hex')]));
  }
  return entries;
}

/** Pulls `ref` (host/repo:tag) with skopeo into an OCI layout, unpacks it with umoci, and reads it. */
export async function inspectImage(ref: string, opts: InspectOptions = {}): Promise<InspectedImage> {
  const work = await mkdtemp(join(tmpdir(), 'kts-inspect-'));
  try {
    const tls = opts.certDir ? ['--src-cert-dir', opts.certDir] : ['--src-tls-verify=false'];
    const creds = opts.creds ? ['--src-creds', opts.creds] : [];
    const layout = join(work, 'layout');
    await run('skopeo', ['copy', '--quiet', ...tls, ...creds, `docker://${ref}`, `oci:${layout}:img`]);
    const inspectTls = opts.certDir ? ['--cert-dir', opts.certDir] : ['--tls-verify=false'];
    const { stdout: raw } = await run('skopeo', [
      'inspect',
      '--raw',
      ...inspectTls,
      ...creds,
      `docker://${ref}`,
    ]);
    const digest = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    // skopeo converts to OCI media types in the layout; the config blob is byte-identical.
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: Array<{ digest: string }>;
    };
    const blob = (d: string) => join(layout, 'blobs', ...d.split(':'));
    const manifest = JSON.parse(
      await readFile(blob(index.manifests[0]!.digest), 'utf8'),
    ) as InspectedImage['manifest'];
    const config = JSON.parse(await readFile(blob(manifest.config.digest), 'utf8')) as ImageConfig;
    const bundle = join(work, 'bundle');
    const rootless = process.getuid?.() === 0 ? [] : ['--rootless'];
    await run('umoci', ['unpack', ...rootless, '--image', `${layout}:img`, bundle]);
    const tree = await readTree(join(bundle, 'rootfs'));
    return { digest, manifest: JSON.parse(raw) as InspectedImage['manifest'], config, tree };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Entries keyed by path, for lookups in assertions. */
export function byPath(tree: readonly TreeEntry[]): Map<string, TreeEntry> {
  return new Map(tree.map((e) => [e.path, e]));
}

/** Whether any blob of the image (config, manifest, decompressed layers) contains `needle`. */
export async function imageContains(
  ref: string,
  needle: string,
  opts: InspectOptions = {},
): Promise<boolean> {
  const { gunzipSync } = await import('node:zlib');
  const work = await mkdtemp(join(tmpdir(), 'kts-grep-'));
  try {
    const tls = opts.certDir ? ['--src-cert-dir', opts.certDir] : ['--src-tls-verify=false'];
    await run('skopeo', ['copy', '--quiet', ...tls, `docker://${ref}`, `dir:${work}`]);
    const target = Buffer.from(needle);
    for (const name of await readdir(work)) {
      let data = await readFile(join(work, name));
      if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
      if (data.includes(target)) return true;
    }
    return false;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
