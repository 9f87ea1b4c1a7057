// Builds one stage: the base image's config and layers, then each command in turn against the
// stage's root filesystem, producing appended layers and the final config, as BuildKit would.
import { chmod, lchown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ChainStep, createdOf } from '../cache/backend.ts';
import type { CachedKind, LayerCache } from '../cache/layer-cache.ts';
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
import { applyMetadata, DEFAULT_PATH_ENV, envToMap, type MetadataState } from './image-config.ts';
import type { StageRootfs } from './rootfs.ts';
import { type CacheHooks, commandKey, layerStepInputs } from './stage-cache.ts';
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
  /** The cache key of the stage's last command (with a layer cache; undefined when not computable). */
  cacheKey?: string;
}

export interface StageInput {
  plan: BuildPlan;
  stage: PlannedStage;
  base: Image | 'scratch';
  baseConfig: ImageConfig;
  /** The base's layers, extracted when a command first needs the filesystem. */
  baseLayers: readonly Layer[];
  rootfs: StageRootfs;
  /** The layer cache, with the key this stage starts from. */
  cache?: { layers: LayerCache; rootKey: string; targetStage: boolean };
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
  /** The cache key chain so far; undefined without a cache or once a step is not keyable. */
  private chain: string | undefined;
  /** Only compute the keys (the pass that starts every lookup before any file is touched). */
  private readonly keysOnly: boolean;
  /** Content hashes of COPY/ADD sources by command number, shared by both passes. */
  private readonly hashes: Map<number, Promise<string | undefined>>;
  /** Cached layers used so far; the rootfs is these on top of the base when a step misses. */
  private readonly hits: Layer[] = [];
  private missed = false;
  /** The stage's cacheable steps so far with their layers, for its chain; undefined once one had no key. */
  private chainSteps: ChainStep[] | undefined = [];
  private commandNo = 0;
  private readonly hooks: CacheHooks | undefined;

  constructor(
    ctx: BuildContext,
    input: StageInput,
    internal: { keysOnly?: boolean; hashes?: Map<number, Promise<string | undefined>> } = {},
  ) {
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
    this.chain = input.cache?.rootKey;
    this.keysOnly = internal.keysOnly ?? false;
    this.hashes = internal.hashes ?? new Map();
    this.hooks = input.cache
      ? {
          ctx,
          stageSources: (raw) => input.stage.sources.get(raw) ?? [],
          memo: input.cache.layers.hashMemo(ctx.contextDir),
        }
      : undefined;
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
    if (this.input.cache?.layers.readable && !this.keysOnly) await this.startLookups();
    let n = 0;
    for (const cmd of commands) {
      n++;
      this.commandNo = n;
      this.ctx.signal.throwIfAborted();
      if (this.keysOnly) {
        await this.execute(cmd, undefined);
        continue;
      }
      const step = this.ctx.log.step(`[${label}${n}/${commands.length}] ${cmd.original}`);
      try {
        if (await this.execute(cmd, step)) step.cached();
        else step.done();
      } catch (e) {
        step.fail(e instanceof Error ? e.message : String(e));
        throw e;
      }
    }
    if (this.input.cache && this.chainSteps && !this.keysOnly)
      this.input.cache.layers.storeChain(this.chainSteps, this.input.cache.targetStage);
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
      ...(this.chain !== undefined ? { cacheKey: this.chain } : {}),
    };
  }

  /**
   * Computes every step's key first (no file is touched: RUN keys need none, COPY keys only the
   * sources) and starts their lookups (the stage's chain, then what it lacks); the real pass then
   * awaits them in order.
   */
  private async startLookups(): Promise<void> {
    const dry = new StageBuilder(this.ctx, this.input, { keysOnly: true, hashes: this.hashes });
    const layers = this.input.cache!.layers;
    const keys: string[] = [];
    dry.onKey = (kind, key) => {
      if (layers.cacheable(kind)) keys.push(key);
    };
    try {
      await dry.build();
    } catch {
      // The real pass reports the error where the step is.
    }
    layers.prefetch(keys);
  }

  /** Called by the keys-only pass for every layer step with a key. */
  private onKey: ((kind: CachedKind, key: string) => void) | undefined;

  /** Advances the key chain past a command; returns the step's key (undefined: not keyable). */
  private async advance(cmd: Command, inputs: Promise<unknown> | undefined): Promise<string | undefined> {
    if (this.chain === undefined || !this.hooks) return undefined;
    const got = inputs ? await inputs : null;
    if (got === undefined) {
      this.chain = undefined;
      return undefined;
    }
    this.chain = commandKey(this.chain, cmd, got);
    return this.chain;
  }

  /**
   * The cache's part in a layer step: in the keys-only pass, the key (returns 'skip'); in the
   * real pass a hit appends the cached layer and returns 'hit'; otherwise the step runs and
   * `stored` puts its layer in the cache.
   */
  private async fromCache(
    kind: CachedKind,
    cmd: Command,
    inputs: () => Promise<unknown>,
    history: string | undefined,
  ): Promise<'skip' | 'hit' | { key: string | undefined }> {
    const cache = this.input.cache;
    const key = cache ? await this.advance(cmd, inputs()) : undefined;
    if (this.keysOnly) {
      if (key) this.onKey?.(kind, key);
      return 'skip';
    }
    if (!cache || !key || !cache.layers.cacheable(kind)) {
      // The step runs: later hits can no longer be stacked on the base without extraction.
      this.missed = true;
      if (cache?.layers.cacheable(kind)) this.chainSteps = undefined;
      return { key: undefined };
    }
    if (cache.layers.readable) {
      const layer = await cache.layers.lookup(key);
      if (layer) {
        // Before any step ran, hits only stack up (nothing is extracted until a step needs
        // files); after one ran, the cached layer is extracted onto the root as the step would
        // have written it.
        if (this.missed) {
          await this.ensureRootfs();
          await this.input.rootfs.applyLayers([layer], this.ctx.signal);
        } else this.hits.push(layer);
        this.history(history, layer);
        this.chainSteps?.push({
          key,
          layer,
          created: createdOf(layer) ?? new Date().toISOString(),
          description: history ?? '',
        });
        return 'hit';
      }
    }
    this.missed = true;
    return { key };
  }

  private stored(key: string | undefined, layer: Layer, description: string | undefined): void {
    const cache = this.input.cache;
    if (!cache || !key) return;
    cache.layers.store(key, layer, description ?? '', cache.targetStage);
    this.chainSteps?.push({ key, layer, created: new Date().toISOString(), description: description ?? '' });
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
      // Cached layers used before the first miss go on top of the base.
      await this.input.rootfs.materialize([...this.input.baseLayers, ...this.hits], this.ctx.signal);
    }
  }

  /** Runs one command; true when its layer came from the cache. */
  private async execute(raw: Command, step: Step | undefined): Promise<boolean> {
    const lookup = makeLookup({ ...this.config, config: this.meta.config }, this.args);
    const opts = { file: this.file, escapeToken: this.input.plan.escapeToken };
    const cmd = expandCommand(raw, lookup, opts);
    await this.executeExpanded(raw, cmd, lookup, step);
    return this.lastWasHit;
  }

  private lastWasHit = false;

  private async executeExpanded(
    raw: Command,
    cmd: Command,
    lookup: Lookup,
    step: Step | undefined,
  ): Promise<void> {
    this.lastWasHit = false;
    const cacheInputs = (kind: CachedKind) => () =>
      layerStepInputs(this.hooks!, {
        kind,
        cmd,
        raw,
        config: this.meta.config,
        args: this.args,
        lookup,
        hashes: this.hashes,
        commandNo: this.commandNo,
      });
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
        await this.advance(cmd, undefined);
        return;
      }
      case 'WORKDIR': {
        const before = this.meta.config.WorkingDir || '/';
        const wd = normalizeWorkdir(before, cmd.path);
        this.meta.config.WorkingDir = wd;
        const text = createdBy(cmd, { workdir: before });
        if (wd === '/') {
          this.history(text, undefined);
          await this.advance(cmd, undefined);
          return;
        }
        const cached = await this.fromCache('WORKDIR', cmd, cacheInputs('WORKDIR'), text);
        if (cached === 'skip') return;
        if (cached === 'hit') {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const user = await resolveUser(this.input.rootfs.dir, this.meta.config.User);
        const createdPaths = await mkdirp(this.input.rootfs.dir, wd, user.uid, user.gid);
        const layer = fileLayer(await this.input.rootfs.snapshotPaths(createdPaths));
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      case 'RUN': {
        const buildArgs = this.args.map(([key, value]) => ({ key, value: lookup(key) ?? value ?? '' }));
        const text = createdBy(cmd, { shell: this.meta.config.Shell ?? [], buildArgs });
        const cached = await this.fromCache('RUN', cmd, cacheInputs('RUN'), text);
        if (cached === 'skip') return;
        if (cached === 'hit') {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        // Loaded on first use: a build served from the cache never needs the sandbox side.
        const { runStep } = await import('./run-step.ts');
        const layerFile = await runStep(this.ctx, {
          cmd,
          config: this.meta.config,
          args: this.args,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step: step!,
        });
        const layer = fileLayer(layerFile);
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      case 'COPY':
      case 'ADD': {
        const text = createdBy(cmd, { workdir: this.meta.config.WorkingDir || '/' });
        const cached = await this.fromCache(cmd.kind, cmd, cacheInputs(cmd.kind), text);
        if (cached === 'skip') return;
        if (cached === 'hit') {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const { copyStep } = await import('./copy-step.ts');
        const layerFile = await copyStep(this.ctx, {
          cmd,
          config: this.meta.config,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step: step!,
        });
        const layer = fileLayer(layerFile);
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      default: {
        const shellBefore = this.meta.config.Shell ?? [];
        applyMetadata(this.meta, cmd);
        await this.advance(cmd, undefined);
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
