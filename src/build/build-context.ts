// What every stage of one build shares: options, logger, cancellation, the sandbox, the context
// directory, secrets, work directories, finished stages and images fetched for COPY --from.
import type { BuildOptions } from '../cli/options.ts';
import type { IgnoreMatcher } from '../dockerfile/dockerignore.ts';
import type { Image } from '../image/image.ts';
import type { Logger } from '../log/logger.ts';
import type { RegistryOptions } from '../registry/options.ts';
import type { Transport } from '../registry/transport.ts';
import type { RunSandbox } from '../sandbox/deferred.ts';
import type { BaseTrees } from './base-trees.ts';
import type { Platform } from './platform.ts';
import type { SecretSource } from './secrets.ts';
import type { StageResult } from './stage.ts';

export interface WorkDirs {
  /** Everything temporary of this build; removed at the end. */
  root: string;
  /** Stage root filesystems. */
  stages: string;
  /** Layer files. */
  layers: string;
  /** Private files (secrets, heredoc scripts); mode 0700. */
  private: string;
  /** RUN --mount=type=cache directories, kept between builds when --kaniko-dir is given. */
  cacheMounts: string;
}

export interface BuildContext {
  opts: BuildOptions;
  log: Logger;
  signal: AbortSignal;
  /** Where RUN runs; with a layer cache possibly chosen only when a RUN first needs it. */
  sandbox: RunSandbox;
  /** In-place mode: the stage root is `/` of this container. */
  inPlace: boolean;
  platform: Platform;
  registry: RegistryOptions;
  transport: Transport;
  /** --build-arg values. */
  buildArgs: Record<string, string>;
  contextDir: string;
  ignore: IgnoreMatcher | undefined;
  secrets: Map<string, SecretSource>;
  work: WorkDirs;
  /** History timestamp of this build (RFC 3339). */
  created: string;
  /** Clamp for file times and `created` (SOURCE_DATE_EPOCH, or 0 with --reproducible). */
  sourceDateEpoch?: number;
  /** Finished stages by index (awaitable, since stages run concurrently). */
  stageResults: Map<number, Promise<StageResult>>;
  /** Base images extracted once for the stages that share them. */
  baseTrees?: BaseTrees;
  /** Images for COPY --from=<image> and RUN --mount from=<image>, pulled once. */
  pullImage(ref: string): Promise<{ image: Image; rootfs: string }>;
}
