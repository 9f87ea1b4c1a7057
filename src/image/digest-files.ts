// kaniko's digest outputs: --digest-file (the digest), --image-name-with-digest-file
// (name@digest per destination) and --image-name-tag-with-digest-file (name:tag@digest).
import { writeFile } from 'node:fs/promises';
import type { Reference } from '../registry/reference.ts';

export interface DigestFilePaths {
  digestFile?: string;
  imageNameWithDigestFile?: string;
  imageNameTagWithDigestFile?: string;
}

export async function writeDigestFiles(
  paths: DigestFilePaths,
  digest: string,
  destinations: readonly Reference[],
): Promise<void> {
  if (paths.digestFile) await writeFile(paths.digestFile, digest);
  if (paths.imageNameWithDigestFile)
    await writeFile(paths.imageNameWithDigestFile, destinations.map((d) => `${d.name}@${digest}\n`).join(''));
  if (paths.imageNameTagWithDigestFile)
    await writeFile(
      paths.imageNameTagWithDigestFile,
      destinations.map((d) => `${d.name}:${d.tag ?? 'latest'}@${digest}\n`).join(''),
    );
}
