// Where the files of a COPY/ADD or RUN --mount source live on the host: the build context,
// another stage's root (extracted on first use) or an image pulled for it.
import type { SourceRef } from '../dockerfile/stages.ts';
import type { BuildContext } from './build-context.ts';

export async function sourceDir(ctx: BuildContext, ref: SourceRef | undefined): Promise<string> {
  if (!ref) return ctx.contextDir;
  if (ref.kind === 'stage') {
    const done = ctx.stageResults.get(ref.index);
    if (!done) throw new Error(`stage ${ref.index} was not built`);
    return (await done).files();
  }
  return (await ctx.pullImage(ref.ref)).rootfs;
}
