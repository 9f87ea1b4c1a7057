// Builds one stage: the base image's config and layers, then each command in turn against the
// stage's root filesystem, producing appended layers and the final config, as BuildKit would.
import { chmod, lchown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerfileError } from '../dockerfile/errors.ts';
import { expandCommand } from '../dockerfile/expand.ts';
import type { Lookup } from '../dockerfile/expansion.ts';
import { createdBy, normalizeWorkdir } from '../dockerfile/history.ts';
import type { Command } from '../dockerfile/instructions.ts';
import { parseOnBuildTriggers } from '../dockerfile/onbuild.ts';
import { type BuildPlan, type PlannedStage, stageArgValue } from '../dockerfile/stages.ts';
import { fileLayer, type Image, type Layer } from '../image/image.ts';
import { appendLayer } from '../image/mutate.ts';
import type { HistoryEntry, ImageConfig } from '../image/types.ts';
import type { Step } from '../log/logger.ts';
import { resolveInRoot } from '../sandbox/rootfs-path.ts';
import type { BuildContext } from './build-context.ts';
import { copyStep } from './copy-step.ts';
import { applyMetadata, DEFAULT_PATH_ENV, envToMap, type MetadataState } from './image-config.ts';
import type { StageRootfs } from './rootfs.ts';
import { runStep } from './run-step.ts';
import { resolveUser } from './user.ts';

/** What a finished stage hands to later stages and to the outputs. */
export interface StageResult {
  index: number;
  name?: string;
  base: Image | 'scratch';
  /** Layers this stage added on top of `base`. */
  layers: Layer[];
  config: ImageConfig;
  rootfs: StageRootfs;
  /** The stage's root directory, its base extracted first if no command needed it (COPY --from). */
  files(): Promise<string>;
}

export interface StageInput {
  plan: BuildPlan;
  stage: PlannedStage;
  base: Image | 'scratch';
  baseConfig: ImageConfig;
  /** The base's layers, extracted when a command first needs the filesystem. */
  baseLayers: readonly Layer[];
  rootfs: StageRootfs;
}

/** ENV wins over ARG of the same name (Dockerfile reference); then the stage's ARGs. */
function makeLookup(config: ImageConfig, args: ReadonlyArray<[string, string | undefined]>): Lookup {
  const env = envToMap(config.config?.Env);
  const argMap = new Map(args);
  return (name) => (env.has(name) ? env.get(name) : argMap.get(name));
}

export class StageBuilder {
  private readonly ctx: BuildContext;
  private readonly input: StageInput;
  private config: ImageConfig;
  private readonly meta: MetadataState;
  private readonly layers: Layer[] = [];
  /** ARGs declared in this stage so far, in order, with their values. */
  private readonly args: Array<[string, string | undefined]> = [];
  private readonly created: string;

  constructor(ctx: BuildContext, input: StageInput) {
    this.ctx = ctx;
    this.input = input;
    const base = structuredClone(input.baseConfig);
    base.config = base.config ?? {};
    // BuildKit sets a PATH when the base has none (scratch included).
    if (!(base.config.Env ?? []).some((e) => e.startsWith('PATH=')))
      base.config.Env = [DEFAULT_PATH_ENV, ...(base.config.Env ?? [])];
    this.config = base;
    this.meta = { config: base.config, cmdSet: false, ...(base.author ? { author: base.author } : {}) };
    this.created = ctx.created;
  }

  private get file(): string {
    return this.input.plan.file;
  }

  private where(cmd: Command): string {
    return `${this.file}:${cmd.line}`;
  }

  /** Runs the base image's ONBUILD triggers, then the stage's commands. */
  async build(): Promise<StageResult> {
    const { stage } = this.input;
    const triggers = this.onbuildTriggers();
    const commands = [...triggers, ...stage.commands];
    const label = stage.name ? `${stage.name} ` : '';
    let n = 0;
    for (const cmd of commands) {
      n++;
      this.ctx.signal.throwIfAborted();
      const step = this.ctx.log.step(`[${label}${n}/${commands.length}] ${cmd.original}`);
      try {
        await this.execute(cmd, step);
        step.done();
      } catch (e) {
        step.fail(e instanceof Error ? e.message : String(e));
        throw e;
      }
    }
    this.config.config = this.meta.config;
    if (this.meta.author !== undefined) this.config.author = this.meta.author;
    else delete this.config.author;
    return {
      index: stage.index,
      ...(stage.name ? { name: stage.name } : {}),
      base: this.input.base,
      layers: this.layers,
      config: this.config,
      rootfs: this.input.rootfs,
      files: async () => {
        await this.ensureRootfs();
        return this.input.rootfs.dir;
      },
    };
  }

  private onbuildTriggers(): Command[] {
    const triggers = this.input.baseConfig.config?.OnBuild ?? [];
    this.meta.config.OnBuild = null;
    return parseOnBuildTriggers(triggers, this.file, this.input.stage.line);
  }

  private history(text: string | undefined, layer: Layer | undefined): void {
    const entry: HistoryEntry = {
      created: this.created,
      created_by: text ?? '',
      comment: 'buildkit.dockerfile.v0',
    };
    this.config = appendLayer(this.config, layer, entry);
    // appendLayer copies the config object; keep the live ContainerConfig shared with meta.
    this.config.config = this.meta.config;
    if (layer) this.layers.push(layer);
  }

  async ensureRootfs(): Promise<void> {
    if (!this.input.rootfs.materialized) {
      await this.input.rootfs.materialize(this.input.baseLayers, this.ctx.signal);
    }
  }

  private async execute(raw: Command, step: Step): Promise<void> {
    const lookup = makeLookup({ ...this.config, config: this.meta.config }, this.args);
    const opts = { file: this.file, escapeToken: this.input.plan.escapeToken };
    const cmd = expandCommand(raw, lookup, opts);
    switch (cmd.kind) {
      case 'FROM':
        throw new DockerfileError(this.file, cmd.line, 'FROM is not allowed here');
      case 'ARG': {
        for (const a of cmd.args) {
          const value = stageArgValue(a, this.input.plan, this.ctx.buildArgs, (w) => {
            // expandCommand already expanded defaults with the current environment.
            return w;
          });
          const i = this.args.findIndex(([k]) => k === a.key);
          if (i >= 0) this.args.splice(i, 1);
          this.args.push([a.key, value]);
        }
        // History shows the ARG as written (default expanded), never a --build-arg's value.
        this.history(createdBy(cmd), undefined);
        return;
      }
      case 'WORKDIR': {
        const before = this.meta.config.WorkingDir || '/';
        const wd = normalizeWorkdir(before, cmd.path);
        this.meta.config.WorkingDir = wd;
        const text = createdBy(cmd, { workdir: before });
        if (wd === '/') {
          this.history(text, undefined);
          return;
        }
        await this.ensureRootfs();
        const user = await resolveUser(this.input.rootfs.dir, this.meta.config.User);
        const createdPaths = await mkdirp(this.input.rootfs.dir, wd, user.uid, user.gid);
        const layer = fileLayer(await this.input.rootfs.snapshotPaths(createdPaths));
        this.history(text, layer);
        return;
      }
      case 'RUN': {
        await this.ensureRootfs();
        const buildArgs = this.args.map(([key, value]) => ({ key, value: lookup(key) ?? value ?? '' }));
        const text = createdBy(cmd, { shell: this.meta.config.Shell ?? [], buildArgs });
        const layerFile = await runStep(this.ctx, {
          cmd,
          config: this.meta.config,
          args: this.args,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step,
        });
        this.history(text, fileLayer(layerFile));
        return;
      }
      case 'COPY':
      case 'ADD': {
        await this.ensureRootfs();
        const layerFile = await copyStep(this.ctx, {
          cmd,
          config: this.meta.config,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step,
        });
        this.history(createdBy(cmd, { workdir: this.meta.config.WorkingDir || '/' }), fileLayer(layerFile));
        return;
      }
      default: {
        const shellBefore = this.meta.config.Shell ?? [];
        applyMetadata(this.meta, cmd);
        // BuildKit records no history for ONBUILD (it only extends the config).
        if (cmd.kind === 'ONBUILD') return;
        this.history(
          createdBy(cmd, { shell: cmd.kind === 'SHELL' ? shellBefore : (this.meta.config.Shell ?? []) }),
          undefined,
        );
      }
    }
  }
}

/** mkdir -p inside `root` (symlinks resolved inside it), owning what it creates; returns their image paths. */
async function mkdirp(root: string, imagePath: string, uid: number, gid: number): Promise<string[]> {
  const resolved = await resolveInRoot(root, imagePath);
  const created: string[] = [];
  for (let i = resolved.existing; i < resolved.inside.length; i++) {
    const inside = `/${resolved.inside.slice(0, i + 1).join('/')}`;
    const host = join(root, inside);
    await mkdir(host);
    await chmod(host, 0o755);
    await lchown(host, uid, gid);
    created.push(inside);
  }
  return created;
}
