// What happens to the finished image: pushed to every destination, written as a docker-archive
// tarball and/or an OCI layout, and the digest files kaniko writes (and --metadata-file's JSON).

import type { BuildOptions } from '../cli/options.ts';
import { writeDigestFiles, writeMetadataFile } from '../image/digest-files.ts';
import type { Image } from '../image/image.ts';
import { writeOciLayout } from '../image/layout.ts';
import { type PresentBlobs, pushImage, type UploadSessions } from '../image/push.ts';
import { writeDockerArchive } from '../image/tarball.ts';
import type { Logger } from '../log/logger.ts';
import { ByteProgress } from '../log/progress.ts';
import type { RegistryOptions } from '../registry/options.ts';
import type { Reference } from '../registry/reference.ts';

export interface OutputResult {
  digest: string;
  pushed: boolean;
}

export async function writeOutputs(
  image: Image,
  destinations: readonly Reference[],
  opts: BuildOptions,
  registry: RegistryOptions,
  log: Logger,
  ahead: { sessions?: UploadSessions; present?: PresentBlobs } = {},
): Promise<OutputResult> {
  let digest = await image.digest();
  let pushed = false;
  const local: Promise<unknown>[] = [];
  if (opts.tarPath) {
    const tags = destinations.map((d) => d.toString());
    local.push(writeDockerArchive(image, opts.tarPath, tags.length > 0 ? tags : ['kaniko-ts/image:latest']));
  }
  if (opts.ociLayoutPath) local.push(writeOciLayout(image, opts.ociLayoutPath));
  if (!opts.noPush && destinations.length > 0) {
    const step = log.step(`pushing ${destinations.map((d) => d.toString()).join(', ')}`);
    const progress = log.interactive ? new ByteProgress(step, 'uploaded') : undefined;
    const result = await pushImage(image, destinations, registry, {
      ...(progress ? { onBytes: (n: number) => progress.add(n) } : {}),
      ...(ahead.sessions ? { sessions: ahead.sessions } : {}),
      ...(ahead.present ? { present: ahead.present.lookup } : {}),
    });
    progress?.finish();
    digest = result.digest;
    pushed = true;
    step.log(`digest ${digest}`);
    step.done();
  }
  await Promise.all(local);
  await writeDigestFiles(
    {
      ...(opts.digestFile ? { digestFile: opts.digestFile } : {}),
      ...(opts.imageNameWithDigestFile ? { imageNameWithDigestFile: opts.imageNameWithDigestFile } : {}),
      ...(opts.imageNameTagWithDigestFile
        ? { imageNameTagWithDigestFile: opts.imageNameTagWithDigestFile }
        : {}),
    },
    digest,
    destinations,
  );
  if (opts.metadataFile) await writeMetadataFile(opts.metadataFile, image, digest, destinations);
  return { digest, pushed };
}
