// docker-archive tarballs (--tar-path), the format `docker save` writes and `docker load` reads:
// manifest.json, the config as <hex>.json and each compressed layer as <hex>.tar.gz, streamed.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { hexOf } from '../registry/digest.ts';
import type { Image } from './image.ts';

// Fixed entry metadata so the same image gives the same tarball.
const ENTRY = { mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 };

/** Writes `image` as a docker-archive tar at `path`, tagged with each of `repoTags` (host/repo:tag). */
export async function writeDockerArchive(
  image: Image,
  path: string,
  repoTags: readonly string[],
): Promise<void> {
  const manifest = await image.manifest();
  const cfg = await image.rawConfig();
  const layers = await image.layers();
  const configName = `${hexOf(manifest.config.digest)}.json`;
  const layerNames = layers.map((l) => `${hexOf(l.digest)}.tar.gz`);
  const pack = tar.pack();
  const tmp = `${path}.tmp-${process.pid}`;
  const written = pipeline(pack, createWriteStream(tmp));
  const put = (name: string, data: Buffer) =>
    new Promise<void>((resolve, reject) =>
      pack.entry({ name, size: data.length, ...ENTRY }, data, (e) => (e ? reject(e) : resolve())),
    );
  try {
    await put(configName, cfg);
    const seen = new Set<string>();
    for (const [i, l] of layers.entries()) {
      const name = layerNames[i]!;
      if (seen.has(name)) continue;
      seen.add(name);
      const entry = pack.entry({ name, size: l.size, ...ENTRY });
      await pipeline(await l.open(), entry);
    }
    const dockerManifest = [{ Config: configName, RepoTags: [...repoTags], Layers: layerNames }];
    await put('manifest.json', Buffer.from(JSON.stringify(dockerManifest)));
    pack.finalize();
    await written;
    await rename(tmp, path);
  } catch (e) {
    pack.destroy(e as Error);
    await written.catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
