// COPY and ADD: sources from the context (after .dockerignore), another stage or an image,
// written into the stage's rootfs by src/fs, then only the written paths are snapshotted.
import type { AddCommand, CopyCommand } from '../dockerfile/instructions.ts';
import type { SourceRef } from '../dockerfile/stages.ts';
import type { ContainerConfig } from '../image/types.ts';
import type { Step } from '../log/logger.ts';
import type { BuildContext } from './build-context.ts';
import type { LayerFile, StageRootfs } from './rootfs.ts';

export interface CopyStepInput {
  cmd: CopyCommand | AddCommand;
  config: ContainerConfig;
  rootfs: StageRootfs;
  sources: SourceRef[];
  where: string;
  step: Step;
}

export async function copyStep(_ctx: BuildContext, input: CopyStepInput): Promise<LayerFile> {
  throw new Error(`${input.where}: ${input.cmd.kind} is not wired yet`);
}
