// What happens to the finished image: pushed to every destination, written as a docker-archive
// tarball and/or an OCI layout, and the digest files kaniko writes (and --metadata-file's JSON).

import type { BuildOptions } from '../cli/options.ts';
import { writeDigestFiles, writeMetadataFile } from '../image/digest-files.ts';
import type { Image } from '../image/image.ts';
import { type PresentBlobs, pushImage, type UploadSessions } from '../image/push.ts';
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
  // The archive writers (tar-stream among them) are loaded only when an archive is asked for.
  if (opts.tarPath) {
    const tarPath = opts.tarPath;
    const tags = destinations.map((d) => d.toString());
    local.push(
      import('../image/tarball.ts').then(({ writeDockerArchive }) =>
        writeDockerArchive(image, tarPath, tags.length > 0 ? tags : ['kaniko-ts/image:latest']),
      ),
    );
  }
  if (opts.ociLayoutPath) {
    const layoutPath = opts.ociLayoutPath;
    local.push(import('../image/layout.ts').then(({ writeOciLayout }) => writeOciLayout(image, layoutPath)));
  }
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
