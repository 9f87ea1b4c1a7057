// COPY and ADD: sources from the context (after .dockerignore), another stage, an image, a
// heredoc or (ADD) a URL, written into the stage's rootfs by src/fs; then only the written
// paths are snapshotted, so no walk of the whole tree is needed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerfileError } from '../dockerfile/errors.ts';
import type { AddCommand, CopyCommand } from '../dockerfile/instructions.ts';
import type { SourceRef } from '../dockerfile/stages.ts';
import { copyInto } from '../fs/copy.ts';
import { addUrl } from '../fs/download.ts';
import { CopyError, DownloadError, SourceNotFoundError } from '../fs/errors.ts';
import type { ContainerConfig } from '../image/types.ts';
import type { Step } from '../log/logger.ts';
import type { BuildContext } from './build-context.ts';
import type { LayerFile, StageRootfs } from './rootfs.ts';
import { sourceDir } from './source-dir.ts';

export interface CopyStepInput {
  cmd: CopyCommand | AddCommand;
  config: ContainerConfig;
  rootfs: StageRootfs;
  sources: SourceRef[];
  where: string;
  step: Step;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);
const isGit = (s: string) => /^(git@|git:\/\/)|\.git(#.*)?$/.test(s);

/** Prefixes the Dockerfile location to file-engine errors, keeping their class (and exit code). */
function located(e: unknown, where: string): unknown {
  if (e instanceof SourceNotFoundError || e instanceof CopyError || e instanceof DownloadError) {
    e.message = `${where}: ${e.message}`;
  }
  return e;
}

export async function copyStep(ctx: BuildContext, input: CopyStepInput): Promise<LayerFile> {
  const { cmd, rootfs } = input;
  const workdir = input.config.WorkingDir || '/';
  const fromStageOrImage = cmd.kind === 'COPY' && cmd.from !== undefined;
  const base = await sourceDir(ctx, fromStageOrImage ? input.sources[0] : undefined);
  const written = new Set<string>();
  const common = {
    root: rootfs.dir,
    dest: cmd.dest,
    workdir,
    ...(cmd.chown !== undefined ? { chown: cmd.chown } : {}),
    ...(cmd.chmod !== undefined ? { chmod: cmd.chmod } : {}),
  };
  const file = input.where.replace(/:\d+$/, '');
  const urls = cmd.sources.filter(isUrl);
  const locals = cmd.sources.filter((s) => !isUrl(s));
  if (cmd.kind === 'COPY' && urls.length > 0)
    throw new DockerfileError(file, cmd.line, 'source can not be a URL for COPY');
  if (cmd.kind === 'ADD' && !fromStageOrImage && locals.some(isGit))
    throw new DockerfileError(file, cmd.line, 'ADD of a git repository is not supported yet');
  let scratch: string | undefined;
  try {
    if (locals.length > 0) {
      const ignore = fromStageOrImage ? undefined : ctx.ignore;
      const res = await copyInto({
        ...common,
        sources: {
          base,
          paths: locals,
          ...(ignore ? { ignored: (rel: string) => ignore.matches(rel) } : {}),
        },
        ...(cmd.kind === 'COPY' ? { parents: cmd.parents } : {}),
        exclude: cmd.exclude,
        link: cmd.link,
        extractArchives: cmd.kind === 'ADD' && cmd.unpack !== false && !fromStageOrImage,
      });
      for (const p of res.paths) written.add(p);
    }
    if (cmd.sourceContents.length > 0) {
      // Heredoc sources: files named after their delimiters, mode 0644, as BuildKit writes them.
      scratch = await mkdtemp(join(ctx.work.private, 'heredoc-'));
      for (const f of cmd.sourceContents) await writeFile(join(scratch, f.name), f.data, { mode: 0o644 });
      const res = await copyInto({
        ...common,
        sources: { base: scratch, paths: cmd.sourceContents.map((f) => f.name) },
      });
      for (const p of res.paths) written.add(p);
    }
    for (const url of urls) {
      const res = await addUrl({
        ...common,
        url,
        ...(cmd.kind === 'ADD' && cmd.checksum !== undefined ? { checksum: cmd.checksum } : {}),
      });
      for (const p of res.paths) written.add(p);
    }
  } catch (e) {
    throw located(e, input.where);
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
  return rootfs.snapshotPaths([...written]);
}
