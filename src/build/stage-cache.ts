// What the layer cache needs from a stage's commands: the inputs beyond the expanded command
// that decide what a layer step writes (docs/cache.md has the rules).
import { basename } from 'node:path';
import { hashSources, SourceMissing } from '../cache/context-hash.ts';
import type { HashMemo } from '../cache/hash-memo.ts';
import { stepKey } from '../cache/key.ts';
import type { CachedKind } from '../cache/layer-cache.ts';
import type { Lookup } from '../dockerfile/expansion.ts';
import type { Command } from '../dockerfile/instructions.ts';
import type { SourceRef } from '../dockerfile/stages.ts';
import { pullImage } from '../image/remote.ts';
import type { ContainerConfig } from '../image/types.ts';
import { parseReference } from '../registry/reference.ts';
import type { BuildContext } from './build-context.ts';
import { runEnv, shellOf } from './image-config.ts';

export interface CacheHooks {
  ctx: BuildContext;
  /** COPY --from / RUN --mount from= sources of a command (by its unexpanded object). */
  stageSources(raw: Command): SourceRef[];
  /** Remembered file hashes of the context, when a local cache directory keeps them. */
  memo?: Promise<HashMemo> | undefined;
}

export interface LayerStep {
  kind: CachedKind;
  cmd: Command;
  raw: Command;
  config: ContainerConfig;
  args: ReadonlyArray<[string, string | undefined]>;
  lookup: Lookup;
  /** Content hashes by command number: computed once, shared by the keys pass and the real pass. */
  hashes: Map<number, Promise<string | undefined>>;
  commandNo: number;
}

/** The key after `cmd`: the parent, the expanded command (line numbers left out) and its inputs. */
export function commandKey(parent: string, cmd: Command, inputs: unknown): string {
  const { line: _line, endLine: _end, ...rest } = cmd;
  return stepKey(parent, rest, inputs);
}

const digests = new WeakMap<BuildContext, Map<string, Promise<string>>>();

/** The manifest digest of an image named by COPY --from / RUN --mount from= (no layer is fetched). */
function imageDigest(ctx: BuildContext, ref: string): Promise<string> {
  let m = digests.get(ctx);
  if (!m) {
    m = new Map();
    digests.set(ctx, m);
  }
  let p = m.get(ref);
  if (!p) {
    p = pullImage(parseReference(ref), {
      platform: ctx.platform,
      options: ctx.registry,
      transport: ctx.transport,
    }).then((i) => i.digest());
    m.set(ref, p);
  }
  return p;
}

/** What a stage or image source contributes: the stage's last key or the image's digest. */
async function sourceIdentity(ctx: BuildContext, ref: SourceRef | undefined): Promise<string | undefined> {
  if (!ref) return undefined;
  if (ref.kind === 'image') return `image:${await imageDigest(ctx, ref.ref)}`;
  const result = await ctx.stageResults.get(ref.index);
  return result?.cacheKey !== undefined ? `stage:${result.cacheKey}` : undefined;
}

function contentHash(h: LayerStep, compute: () => string): Promise<string | undefined> {
  let p = h.hashes.get(h.commandNo);
  if (!p) {
    p = Promise.resolve().then(() => {
      try {
        return compute();
      } catch (e) {
        if (e instanceof SourceMissing) return undefined;
        throw e;
      }
    });
    h.hashes.set(h.commandNo, p);
  }
  return p;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * The inputs of a layer step beyond its expanded text, or undefined when the step can not be
 * keyed (ADD of a URL, a source that is missing or comes from an uncacheable stage).
 */
export async function layerStepInputs(hooks: CacheHooks, step: LayerStep): Promise<unknown> {
  const { ctx } = hooks;
  const { cmd, config } = step;
  const workdir = config.WorkingDir || '/';
  if (cmd.kind === 'WORKDIR') return { user: config.User ?? '' };
  if (cmd.kind === 'RUN') {
    const sources = hooks.stageSources(step.raw);
    let fromIndex = 0;
    const mounts: unknown[] = [];
    for (const m of cmd.mounts) {
      const ref = m.from !== undefined ? sources[fromIndex++] : undefined;
      if (m.type === 'secret') {
        // Secrets by id and presence only: their values never reach a key.
        const id = m.id ?? basename(m.target);
        mounts.push({ secret: id, present: ctx.secrets.has(id) });
      } else if (m.type === 'bind') {
        if (ref) {
          const id = await sourceIdentity(ctx, ref);
          if (id === undefined) return undefined;
          mounts.push({ bind: id });
        } else {
          const hash = await contentHash(step, () =>
            hashSources({ base: ctx.contextDir, paths: [m.source ?? '.'] }),
          );
          if (hash === undefined) return undefined;
          mounts.push({ bind: `context:${hash}` });
        }
      } else if (m.type === 'ssh') {
        mounts.push({ ssh: process.env.SSH_AUTH_SOCK !== undefined });
      }
    }
    return {
      env: runEnv(config, step.args, ctx.buildArgs),
      user: config.User ?? '',
      workdir,
      shell: shellOf(config),
      mounts,
      platform: ctx.platform,
    };
  }
  if (cmd.kind !== 'COPY' && cmd.kind !== 'ADD') return undefined;
  if (cmd.sources.some(isUrl)) return undefined;
  if (cmd.kind === 'COPY' && cmd.from !== undefined) {
    const id = await sourceIdentity(ctx, hooks.stageSources(step.raw)[0]);
    return id === undefined ? undefined : { workdir, from: id };
  }
  const ignore = ctx.ignore;
  const memo = await hooks.memo;
  const hash =
    cmd.sources.length === 0
      ? ''
      : await contentHash(step, () =>
          hashSources({
            base: ctx.contextDir,
            paths: cmd.sources,
            ...(ignore ? { ignored: (rel: string) => ignore.matches(rel) } : {}),
            exclude: cmd.exclude,
            ...(ignore ? { ignoreId: ignore.patterns.join('\n') } : {}),
            ...(memo ? { memo } : {}),
          }),
        );
  return hash === undefined ? undefined : { workdir, context: hash };
}
