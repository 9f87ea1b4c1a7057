// The build: context → Dockerfile → plan → stages (concurrently where independent) → image →
// outputs. Temporary state lives in one work directory that is removed however the build ends.
import { existsSync } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerCache } from '../cache/layer-cache.ts';
import type { BuildOptions } from '../cli/options.ts';
import { resolveContext, resolveDockerfile } from '../context/resolve.ts';
import { loadDockerignore } from '../dockerfile/dockerignore.ts';
import { parseDockerfile } from '../dockerfile/parser.ts';
import { type BuildPlan, type PlannedStage, planBuild } from '../dockerfile/stages.ts';
import type { Image } from '../image/image.ts';
import { mutate, scratchConfig } from '../image/mutate.ts';
import { checkPushPermission, PresentBlobs, UploadSessions } from '../image/push.ts';
import { pullImage } from '../image/remote.ts';
import type { ImageConfig } from '../image/types.ts';
import type { Logger } from '../log/logger.ts';
import { dockerConfigKeychain, type Keychain } from '../registry/auth/keychain.ts';
import type { RegistryOptions } from '../registry/options.ts';
import { registryOptionsFromFlags } from '../registry/options.ts';
import { parseReference, type Reference } from '../registry/reference.ts';
import { closeTransport, transportFor } from '../registry/shared.ts';
import type { Transport } from '../registry/transport.ts';
import { DeferredSandbox } from '../sandbox/deferred.ts';
import { choosesInPlace } from '../sandbox/in-place-choice.ts';
import { BaseTrees } from './base-trees.ts';
import type { BuildContext, WorkDirs } from './build-context.ts';
import { writeOutputs } from './outputs.ts';
import { hostPlatform, type Platform, parsePlatform } from './platform.ts';
import { lazyStageRootfs } from './rootfs-lazy.ts';
import type { SecretSource } from './secrets.ts';
import { StageBuilder, type StageResult } from './stage.ts';

export interface BuildResult {
  digest: string;
  pushed: boolean;
  destinations: string[];
}

async function makeWorkDirs(opts: BuildOptions): Promise<WorkDirs> {
  let base: string;
  if (
    opts.kanikoDirGiven ||
    (existsSync(opts.kanikoDir) &&
      (await access(opts.kanikoDir, 2).then(
        () => true,
        () => false,
      )))
  ) {
    await mkdir(opts.kanikoDir, { recursive: true });
    base = opts.kanikoDir;
  } else {
    base = tmpdir();
  }
  const root = await mkdtemp(join(base, 'kaniko-ts-build-'));
  const dirs: WorkDirs = {
    root,
    stages: join(root, 'stages'),
    layers: join(root, 'layers'),
    private: join(root, 'private'),
    cacheMounts: opts.kanikoDirGiven ? join(opts.kanikoDir, 'cache-mounts') : join(root, 'cache-mounts'),
  };
  await Promise.all([
    mkdir(dirs.stages),
    mkdir(dirs.layers),
    mkdir(dirs.private, { mode: 0o700 }),
    mkdir(dirs.cacheMounts, { recursive: true }),
  ]);
  return dirs;
}

/** SOURCE_DATE_EPOCH wins; --reproducible alone means the epoch. */
function sourceDateEpoch(opts: BuildOptions): number | undefined {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return opts.reproducible ? 0 : undefined;
}

function finalConfig(
  config: ImageConfig,
  opts: BuildOptions,
  created: string,
  platform: Platform,
): ImageConfig {
  const out: ImageConfig = { ...config, created, architecture: platform.architecture, os: platform.os };
  if (platform.variant) out.variant = platform.variant;
  else delete out.variant;
  if (Object.keys(opts.labels).length > 0) {
    out.config = { ...(out.config ?? {}), Labels: { ...(out.config?.Labels ?? {}), ...opts.labels } };
  }
  return out;
}

export interface BuildHooks {
  /** The keychain to use, given config.json's (a CI platform adds its own credentials). */
  keychain?: (fromConfig: Keychain) => Keychain;
}

export async function build(
  opts: BuildOptions,
  log: Logger,
  signal: AbortSignal,
  hooks: BuildHooks = {},
): Promise<BuildResult> {
  const work = await makeWorkDirs(opts);
  const fromConfig = dockerConfigKeychain();
  const registry = registryOptionsFromFlags(opts.registry, hooks.keychain?.(fromConfig) ?? fromConfig);
  if (log.enabled('debug')) registry.debug = (line) => log.debug(line);
  const transport = transportFor(registry);
  let cache: LayerCache | undefined;
  // The permission check's upload sessions, kept for the push (cancelled if it never comes).
  const sessions = new UploadSessions();
  let permission: Promise<void> | undefined;
  let stagesGone: Promise<void> | undefined;
  try {
    const context = await resolveContext(opts.context, opts.contextSubPath, {
      workDir: work.root,
      ...(opts.git ? { git: opts.git } : {}),
      signal,
      log: (l) => log.info(l),
    });
    const dockerfilePath = await resolveDockerfile(opts.dockerfile, context.dir);
    const text = await readFile(dockerfilePath, 'utf8');
    const parsed = parseDockerfile(text, opts.dockerfile);
    const ignore = await loadDockerignore(context.dir, dockerfilePath);
    const build = hostPlatform();
    const plan = planBuild(parsed, {
      buildArgs: opts.buildArgs,
      ...(opts.target ? { target: opts.target } : {}),
      platform: opts.platform,
      buildPlatform: build,
    });
    for (const w of plan.warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);

    const destinations = opts.destinations.map((d) => parseReference(d));
    // kaniko checks before building that every destination takes a push; do it alongside.
    permission =
      opts.noPush || opts.skipPushPermissionCheck
        ? Promise.resolve()
        : Promise.all(destinations.map((d) => checkPushPermission(d, registry, transport, sessions))).then(
            () => undefined,
          );
    permission.catch(() => undefined);
    // What the destinations hold now, read while the build runs: the push then HEADs only the rest.
    const present = opts.noPush ? undefined : new PresentBlobs(transport);
    for (const d of destinations) present?.prefetch(d);
    cache = await loadLayerCache(opts, destinations, registry, transport, log);
    // A cached build's push is mostly HEADs and mounts of small requests: more at once.
    if (cache) registry.concurrency ??= 8;
    // With a cache, base manifests are read while the sandbox is chosen: on a warm build they
    // are most of what the build waits for.
    const bases = new Map<string, Promise<Image>>();
    if (cache) {
      for (const s of plan.stages) {
        if (s.base.kind !== 'image') continue;
        const platform = s.platform ? parsePlatform(s.platform) : opts.platform;
        const key = baseKey(s.base.ref, platform);
        if (bases.has(key)) continue;
        const p = loadBase(opts, log, s.base.ref, platform, registry, transport).then(async (image) => {
          await image.rawConfig();
          return image;
        });
        p.catch(() => undefined);
        bases.set(key, p);
      }
    }

    const selectOptions = {
      ...(opts.sandbox !== 'auto' ? { forced: opts.sandbox } : {}),
      rootfs: work.stages,
      warn: (m: string) => log.warn(m),
    };
    const inPlace = choosesInPlace(selectOptions);
    const choose = async () => {
      // The sandboxes are loaded only when one is chosen: a cached build never needs them.
      const { selectSandbox } = await import('../sandbox/select.ts');
      const chosen = await selectSandbox(selectOptions);
      log.info(`sandbox: ${chosen.name} (${chosen.reason})`);
      return chosen;
    };
    // With a cache and the choice left to us, the first RUN that misses chooses: a build served
    // from the cache probes for nothing, and needs no sandbox at all.
    const sandbox =
      cache?.readable && opts.sandbox === 'auto' && !inPlace ? new DeferredSandbox(choose) : await choose();

    const epoch = sourceDateEpoch(opts);
    const created = new Date(epoch !== undefined ? epoch * 1000 : Date.now())
      .toISOString()
      .replace(/\.000Z$/, 'Z');
    const secrets = new Map<string, SecretSource>(opts.secrets.map((s) => [s.id, s]));
    for (const s of opts.secrets) if (s.env && process.env[s.env]) log.mask(process.env[s.env]!);

    const pulled = new Map<string, Promise<{ image: Image; rootfs: string }>>();
    // In place there is one root, `/`, and nothing to share.
    const baseTrees = inPlace ? undefined : new BaseTrees(work.stages);
    for (const s of plan.stages) {
      if (s.base.kind === 'image')
        baseTrees?.expect(baseKey(s.base.ref, s.platform ? parsePlatform(s.platform) : opts.platform));
    }
    const ctx: BuildContext = {
      opts,
      log,
      signal,
      sandbox,
      inPlace,
      platform: opts.platform,
      registry,
      transport,
      buildArgs: opts.buildArgs,
      contextDir: context.dir,
      ignore: ignore.path ? ignore.matcher : undefined,
      secrets,
      work,
      created,
      ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
      stageResults: new Map(),
      ...(baseTrees ? { baseTrees } : {}),
      pullImage(ref: string) {
        let p = pulled.get(ref);
        if (!p) {
          p = (async () => {
            const image = await pullImage(parseReference(ref), {
              platform: opts.platform,
              options: registry,
              transport,
            });
            const rootfs = lazyStageRootfs(ctx, join(work.stages, `image-${pulled.size}`));
            await rootfs.materialize(await image.layers(), signal);
            return { image, rootfs: rootfs.dir };
          })();
          pulled.set(ref, p);
        }
        return p;
      },
    };

    for (const stage of plan.stages) {
      const result = buildStage(ctx, plan, stage, cache, bases);
      result.catch(() => undefined);
      ctx.stageResults.set(stage.index, result);
    }
    const final = await ctx.stageResults.get(plan.target)!;
    await Promise.all([...ctx.stageResults.values()]);
    await permission;
    signal.throwIfAborted();
    // Every stage is done and the image is layer files: the stage roots go while the push runs.
    stagesGone = rm(work.stages, { recursive: true, force: true }).catch(() => undefined);

    const config = finalConfig(final.config, opts, created, opts.platform);
    const image = await mutate(final.base, { layers: final.layers, config, format: 'docker' });
    const out = await writeOutputs(image, destinations, opts, registry, log, {
      sessions,
      ...(present ? { present } : {}),
    });
    log.info(`image digest ${out.digest}`);
    if (cache) {
      // Cache uploads ran alongside the build; the layer files they read go with the work dir.
      await cache.flush();
      const c = cache.counts;
      log.debug(
        `cache: ${c.hits} hit(s), ${c.misses} miss(es), ${c.stored} stored, ${c.storeFailed} failed; stage chains: ${c.chainsFound} found, ${c.chainsStored} stored`,
      );
    }
    return { digest: out.digest, pushed: out.pushed, destinations: destinations.map((d) => d.toString()) };
  } finally {
    // Layers of the steps that worked are worth keeping even when a later one failed; their
    // uploads read files of the work directory, so they end first (not when interrupted).
    if (cache && !signal.aborted) await cache.flush().catch(() => undefined);
    await permission?.catch(() => undefined);
    await sessions.cancelAll(transport);
    await closeTransport(registry).catch(() => undefined);
    await stagesGone;
    await rm(work.root, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Names a base image with the platform a stage wants of it: stages with the same key share it. */
function baseKey(ref: string, platform: Platform): string {
  return `${ref} ${JSON.stringify(platform)}`;
}

/** The layer cache the flags ask for (src/cache is loaded only then). */
async function loadLayerCache(
  opts: BuildOptions,
  destinations: readonly Reference[],
  registry: RegistryOptions,
  transport: Transport,
  log: Logger,
): Promise<LayerCache | undefined> {
  const c = opts.cache;
  if (!c.enabled && c.from.length === 0 && c.to.length === 0) return undefined;
  const { createLayerCache } = await import('../cache/index.ts');
  return createLayerCache(c, {
    destinations,
    registry,
    transport,
    platform: opts.platform,
    warn: (m) => log.warn(m),
    ...(log.enabled('debug') ? { debug: (m: string) => log.debug(m) } : {}),
  });
}

/**
 * A stage's base image: the copy the warmer stored in --cache-dir when there is one (src/cache
 * is loaded only then), else its manifest from the registry.
 */
async function loadBase(
  opts: BuildOptions,
  log: Logger,
  ref: string,
  platform: Platform,
  registry: RegistryOptions,
  transport: Transport,
): Promise<Image> {
  const dir = opts.cache.dir;
  if (existsSync(join(dir, 'images'))) {
    const { findWarmed } = await import('../cache/warmer.ts');
    const image = await findWarmed(dir, ref, platform, opts.cache.ttlMs).catch((e: Error) => {
      log.warn(`cache dir ${dir}: warmed ${ref} is unreadable (${e.message}); pulling it`);
      return undefined;
    });
    if (image) {
      log.info(`using ${ref} from ${dir} (warmer)`);
      return image;
    }
  }
  return pullImage(parseReference(ref), { platform, options: registry, transport });
}

/** The key a stage's cache chain starts from: base identity, platform and layer settings. */
async function stageRootKey(
  ctx: BuildContext,
  base: { image: Image } | { stage: StageResult } | 'scratch',
  platform: Platform,
): Promise<string | undefined> {
  const { stageRootKey: rootKey } = await import('../cache/key.ts');
  let identity: { image: string } | { stage: string } | 'scratch';
  if (base === 'scratch') identity = 'scratch';
  else if ('image' in base) identity = { image: await base.image.digest() };
  else if (base.stage.cacheKey !== undefined) identity = { stage: base.stage.cacheKey };
  else return undefined;
  const o = ctx.opts;
  return rootKey(identity, platform, {
    compression: o.compression,
    ...(o.compressionLevel !== undefined ? { compressionLevel: o.compressionLevel } : {}),
    ...(ctx.sourceDateEpoch !== undefined ? { sourceDateEpoch: ctx.sourceDateEpoch } : {}),
    reproducible: o.reproducible,
    ignorePaths: o.ignorePaths,
    ...(o.ignoreVarRun !== undefined ? { ignoreVarRun: o.ignoreVarRun } : {}),
  });
}

async function buildStage(
  ctx: BuildContext,
  plan: BuildPlan,
  stage: PlannedStage,
  cache?: LayerCache,
  bases?: Map<string, Promise<Image>>,
): Promise<StageResult> {
  // Sandboxed, a stage starts at once (its base extracts while the stages it copies from still
  // run; COPY --from and RUN --mount from= wait for them). In place, `/` is one stage's at a time,
  // so a stage waits for every stage it needs before it may hold it.
  if (ctx.inPlace) for (const dep of stage.dependsOn) await ctx.stageResults.get(dep);
  const platform = stage.platform ? parsePlatform(stage.platform) : ctx.platform;
  const keepAt = join(ctx.work.stages, String(stage.index));
  let inPlace: import('./rootfs-in-place.ts').InPlaceRootfs | undefined;
  if (ctx.inPlace) {
    const { InPlaceRootfs, inPlaceIgnorePaths } = await import('./rootfs-in-place.ts');
    inPlace = new InPlaceRootfs(ctx, await inPlaceIgnorePaths(ctx));
  }
  const rootfs =
    inPlace ??
    lazyStageRootfs(ctx, keepAt, stage.base.kind === 'image' ? baseKey(stage.base.ref, platform) : undefined);
  let base: Image | 'scratch';
  let baseConfig: ImageConfig;
  let baseLayers: readonly import('../image/image.ts').Layer[] = [];
  let rootKey: Promise<string | undefined> = Promise.resolve(undefined);
  if (stage.base.kind === 'scratch') {
    if (cache) rootKey = stageRootKey(ctx, 'scratch', platform);
    base = 'scratch';
    baseConfig = scratchConfig(platform);
    // BuildKit's empty image has "/" as its working directory.
    baseConfig.config = { WorkingDir: '/' };
  } else if (stage.base.kind === 'stage') {
    const parent = await ctx.stageResults.get(stage.base.index)!;
    base = await mutate(parent.base, { layers: parent.layers, config: parent.config, format: 'docker' });
    baseConfig = parent.config;
    if (cache) rootKey = stageRootKey(ctx, { stage: parent }, platform);
    // A parent that touched its files is copied; one that never did is extracted from layers
    // only if this stage needs files too. With a cache the base is always layers: cached layers
    // of this stage may have to go on top of it before anything runs.
    if (parent.rootfs.materialized && !cache) await rootfs.cloneFrom(parent.rootfs);
    else baseLayers = await base.layers();
  } else {
    const step = ctx.log.step(`[internal] load metadata for ${stage.base.ref}`);
    const image = await (bases?.get(baseKey(stage.base.ref, platform)) ??
      loadBase(ctx.opts, ctx.log, stage.base.ref, platform, ctx.registry, ctx.transport));
    base = image;
    if (cache) rootKey = stageRootKey(ctx, { image }, platform);
    [baseConfig, baseLayers] = await Promise.all([image.config(), image.layers()]);
    step.done();
  }
  const key = await rootKey;
  const stageCache =
    cache && key !== undefined
      ? { layers: cache, rootKey: key, targetStage: stage.index === plan.target }
      : undefined;
  if (!inPlace) {
    try {
      return await new StageBuilder(ctx, {
        plan,
        stage,
        base,
        baseConfig,
        baseLayers,
        rootfs,
        ...(stageCache ? { cache: stageCache } : {}),
      }).build();
    } finally {
      // A sandbox kept for the stage's RUNs ends with it, before others copy its root.
      await ctx.sandbox.release?.(rootfs.dir);
    }
  }
  // In place, `/` is this stage's only while it runs: later stages that need its files get a copy.
  const neededLater = plan.stages.some((s) => s.index > stage.index && s.dependsOn.includes(stage.index));
  let result: StageResult | undefined;
  try {
    result = await new StageBuilder(ctx, {
      plan,
      stage,
      base,
      baseConfig,
      baseLayers,
      rootfs,
      ...(stageCache ? { cache: stageCache } : {}),
    }).build();
  } finally {
    const kept = await inPlace.finish(result && neededLater ? keepAt : undefined);
    if (result && kept) {
      const layers = baseLayers;
      result = {
        ...result,
        rootfs: kept,
        files: async () => {
          await kept.materialize(layers, ctx.signal);
          return kept.dir;
        },
      };
    }
  }
  return result;
}
