// Build planning as BuildKit's dispatcher sees it before running anything: global ARGs resolved,
// each stage's base (image, earlier stage, scratch), references from COPY --from and RUN --mount
// from=, the target and the stages it needs, the automatic platform ARGs, unused build args.
import { DockerfileError, type DockerfileWarning, ExpansionError } from './errors.ts';
import { expandWord, type Lookup } from './expansion.ts';
import { PROXY_ARGS } from './history.ts';
import {
  type ArgDef,
  type Command,
  type CopyCommand,
  type Instructions,
  type RunCommand,
  toInstructions,
} from './instructions.ts';
import type { ParsedDockerfile } from './parser.ts';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface PlanOptions {
  /** --build-arg values. */
  buildArgs: Record<string, string>;
  /** --target stage name (case-insensitive); default the last stage. */
  target?: string;
  platform: Platform;
  buildPlatform: Platform;
}

export type StageBase =
  | { kind: 'image'; ref: string }
  | { kind: 'stage'; index: number }
  | { kind: 'scratch' };

/** Where a COPY --from or RUN --mount from= reads: a stage of this build or an image. */
export type SourceRef = { kind: 'stage'; index: number } | { kind: 'image'; ref: string };

export interface PlannedStage {
  index: number;
  /** Lowercased `AS` name. */
  name?: string;
  /** Line of the FROM. */
  line: number;
  base: StageBase;
  /** FROM --platform after expansion, when given. */
  platform?: string;
  /** The stage's commands, unexpanded (the executor expands each just before running it). */
  commands: Command[];
  /** COPY --from / RUN --mount from= of each command, resolved, keyed by the command object. */
  sources: Map<Command, SourceRef[]>;
  /** Stage indexes this stage needs first (its base stage and stages it copies or mounts from). */
  dependsOn: number[];
  /** Whether the target needs it. */
  needed: boolean;
}

export interface BuildPlan {
  /** Every stage in Dockerfile order. */
  allStages: PlannedStage[];
  /** Needed stages in an order where every dependency comes first. */
  stages: PlannedStage[];
  /** Index of the target stage. */
  target: number;
  /** Global ARGs (before the first FROM) with their resolved values; undefined when declared without one. */
  globalArgs: Map<string, string | undefined>;
  /** TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT. */
  platformArgs: Record<string, string>;
  /** --build-arg names that no ARG in the needed stages (or global scope) declares. */
  unusedBuildArgs: string[];
  warnings: DockerfileWarning[];
  escapeToken: string;
  file: string;
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** The automatic platform ARGs BuildKit defines. */
export function platformArgs(platform: Platform, buildPlatform: Platform): Record<string, string> {
  return {
    TARGETPLATFORM: formatPlatform(platform),
    TARGETOS: platform.os,
    TARGETARCH: platform.architecture,
    TARGETVARIANT: platform.variant ?? '',
    BUILDPLATFORM: formatPlatform(buildPlatform),
    BUILDOS: buildPlatform.os,
    BUILDARCH: buildPlatform.architecture,
    BUILDVARIANT: buildPlatform.variant ?? '',
  };
}

/** Args BuildKit never reports as unused. */
function isBuiltinArg(name: string): boolean {
  return PROXY_ARGS.includes(name) || name.startsWith('BUILDKIT_') || name === 'SOURCE_DATE_EPOCH';
}

/**
 * The value an `ARG` inside a stage takes: a --build-arg wins; else the default (expanded by the
 * caller's `expandDefault`, with the stage's current environment); else, for `ARG NAME` alone, the
 * global ARG or automatic platform ARG of that name. undefined when it has no value.
 */
export function stageArgValue(
  arg: ArgDef,
  plan: Pick<BuildPlan, 'globalArgs' | 'platformArgs'>,
  buildArgs: Record<string, string>,
  expandDefault: (word: string) => string,
): string | undefined {
  if (Object.hasOwn(buildArgs, arg.key)) return buildArgs[arg.key];
  if (arg.value !== undefined) return expandDefault(arg.value);
  const g = plan.globalArgs.get(arg.key);
  if (g !== undefined) return g;
  if (Object.hasOwn(plan.platformArgs, arg.key)) return plan.platformArgs[arg.key];
  return undefined;
}

function lookupOf(globals: Map<string, string | undefined>, platform: Record<string, string>): Lookup {
  return (n) => {
    if (globals.has(n)) return globals.get(n);
    return Object.hasOwn(platform, n) ? platform[n] : undefined;
  };
}

function expandOrFail(word: string, lookup: Lookup, escapeToken: string, file: string, line: number): string {
  try {
    return expandWord(word, lookup, { escapeToken });
  } catch (e) {
    if (e instanceof ExpansionError) throw new DockerfileError(file, line, e.message);
    throw e;
  }
}

/** Plans a build from a parsed Dockerfile (or its instructions). */
export function planBuild(dockerfile: ParsedDockerfile | Instructions, opts: PlanOptions): BuildPlan {
  const ins: Instructions = 'nodes' in dockerfile ? toInstructions(dockerfile) : dockerfile;
  const { file, escapeToken } = ins;
  if (ins.stages.length === 0) throw new DockerfileError(file, 1, 'dockerfile contains no stages to build');
  const pArgs = platformArgs(opts.platform, opts.buildPlatform);
  const globals = new Map<string, string | undefined>();
  const lookup = lookupOf(globals, pArgs);
  for (const cmd of ins.metaArgs) {
    for (const a of cmd.args) {
      if (Object.hasOwn(opts.buildArgs, a.key)) globals.set(a.key, opts.buildArgs[a.key]);
      else if (a.value !== undefined)
        globals.set(a.key, expandOrFail(a.value, lookup, escapeToken, file, cmd.line));
      else if (!globals.has(a.key)) globals.set(a.key, undefined);
    }
  }

  const byName = new Map<string, number>();
  const stages: PlannedStage[] = [];
  for (const def of ins.stages) {
    const line = def.from.line;
    const image = expandOrFail(def.from.image, lookup, escapeToken, file, line);
    if (image === '')
      throw new DockerfileError(file, line, `base name (${def.from.image}) should not be blank`);
    let base: StageBase;
    const earlier = byName.get(image.toLowerCase());
    if (earlier !== undefined) base = { kind: 'stage', index: earlier };
    else if (image.toLowerCase() === 'scratch') base = { kind: 'scratch' };
    else base = { kind: 'image', ref: image };
    const stage: PlannedStage = {
      index: def.index,
      line,
      base,
      commands: def.commands,
      sources: new Map(),
      dependsOn: base.kind === 'stage' ? [base.index] : [],
      needed: false,
    };
    if (def.from.platform !== undefined) {
      const p = expandOrFail(def.from.platform, lookup, escapeToken, file, line);
      if (p !== '') stage.platform = p;
    }
    if (def.name !== undefined) {
      stage.name = def.name;
      if (byName.has(def.name)) throw new DockerfileError(file, line, `duplicate stage name "${def.name}"`);
      byName.set(def.name, def.index);
    }
    stages.push(stage);
  }

  // References may name any stage; only earlier ones can be built first.
  const resolve = (from: string, cmd: Command): SourceRef => {
    const v = expandOrFail(from, lookup, escapeToken, file, cmd.line);
    if (/^[+-]?\d+$/.test(v)) {
      const n = Number(v);
      if (n < 0 || n >= stages.length) throw new DockerfileError(file, cmd.line, `invalid stage index ${n}`);
      return { kind: 'stage', index: n };
    }
    const named = byName.get(v.toLowerCase());
    if (named !== undefined) return { kind: 'stage', index: named };
    if (v === '') throw new DockerfileError(file, cmd.line, 'invalid empty source reference');
    return { kind: 'image', ref: v };
  };
  for (const stage of stages) {
    for (const cmd of stage.commands) {
      const refs: SourceRef[] = [];
      if (cmd.kind === 'COPY' && (cmd as CopyCommand).from !== undefined) refs.push(resolve(cmd.from!, cmd));
      if (cmd.kind === 'RUN')
        for (const m of (cmd as RunCommand).mounts) if (m.from !== undefined) refs.push(resolve(m.from, cmd));
      if (refs.length === 0) continue;
      stage.sources.set(cmd, refs);
      for (const r of refs) {
        if (r.kind !== 'stage') continue;
        if (r.index >= stage.index) {
          const target = stages[r.index]!;
          const what = target.name ?? String(target.index);
          if (r.index === stage.index || dependsOnStage(stages, r.index, stage.index))
            throw new DockerfileError(file, cmd.line, `circular dependency detected on stage: ${what}`);
          throw new DockerfileError(
            file,
            cmd.line,
            `cannot copy from stage "${what}", it needs to be defined before current stage "${stage.name ?? stage.index}"`,
          );
        }
        if (!stage.dependsOn.includes(r.index)) stage.dependsOn.push(r.index);
      }
    }
  }

  let target = stages.length - 1;
  if (opts.target !== undefined && opts.target !== '') {
    const t = byName.get(opts.target.toLowerCase());
    if (t === undefined)
      throw new DockerfileError(file, 1, `target stage "${opts.target}" could not be found`);
    target = t;
  }
  const visit = (i: number): void => {
    const s = stages[i]!;
    if (s.needed) return;
    s.needed = true;
    for (const d of s.dependsOn) visit(d);
  };
  visit(target);

  const declared = new Set<string>();
  for (const cmd of ins.metaArgs) for (const a of cmd.args) declared.add(a.key);
  for (const s of stages) {
    if (!s.needed) continue;
    for (const cmd of s.commands) if (cmd.kind === 'ARG') for (const a of cmd.args) declared.add(a.key);
  }
  const unusedBuildArgs = Object.keys(opts.buildArgs)
    .filter((k) => !declared.has(k) && !isBuiltinArg(k))
    .sort();
  const warnings = [...ins.warnings];
  if (unusedBuildArgs.length > 0)
    warnings.push({
      file,
      line: 1,
      message: `One or more build-args [${unusedBuildArgs.join(' ')}] were not consumed`,
    });

  return {
    allStages: stages,
    stages: stages.filter((s) => s.needed),
    target,
    globalArgs: globals,
    platformArgs: pArgs,
    unusedBuildArgs,
    warnings,
    escapeToken,
    file,
  };
}

/** Whether stage `from` (transitively) depends on stage `on`, by bases and references seen so far. */
function dependsOnStage(stages: PlannedStage[], from: number, on: number): boolean {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (i === on) return true;
    if (seen.has(i)) continue;
    seen.add(i);
    const s = stages[i]!;
    stack.push(...s.dependsOn);
    for (const refs of s.sources.values()) for (const r of refs) if (r.kind === 'stage') stack.push(r.index);
    for (const cmd of s.commands) {
      if (cmd.kind === 'COPY' && cmd.from !== undefined) {
        const n = stages.findIndex((x) => x.name === cmd.from!.toLowerCase());
        if (n >= 0) stack.push(n);
      }
    }
  }
  return false;
}

/**
 * Resolves a COPY --from / mount from= value the way planBuild does (global ARGs expanded, stage
 * name any case, stage index, else an image); for ONBUILD triggers met while building `stageIndex`.
 */
export function resolveSourceRef(plan: BuildPlan, from: string, line: number, stageIndex: number): SourceRef {
  const v = expandOrFail(
    from,
    lookupOf(plan.globalArgs, plan.platformArgs),
    plan.escapeToken,
    plan.file,
    line,
  );
  let index: number | undefined;
  if (/^[+-]?\d+$/.test(v)) {
    index = Number(v);
    if (index < 0 || index >= plan.allStages.length)
      throw new DockerfileError(plan.file, line, `invalid stage index ${index}`);
  } else {
    index = plan.allStages.find((s) => s.name === v.toLowerCase())?.index;
  }
  if (index === undefined) {
    if (v === '') throw new DockerfileError(plan.file, line, 'invalid empty source reference');
    return { kind: 'image', ref: v };
  }
  if (index >= stageIndex) {
    const s = plan.allStages[index]!;
    throw new DockerfileError(
      plan.file,
      line,
      `cannot copy from stage "${s.name ?? s.index}", it needs to be defined before current stage "${plan.allStages[stageIndex]?.name ?? stageIndex}"`,
    );
  }
  return { kind: 'stage', index };
}
