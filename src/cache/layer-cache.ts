// The layer cache a build talks to: lookups across every readable store (all at once, the first
// store in order that has the key wins; memoized per key), and stores into every writable one in
// the background, so the build never waits for a cache upload until it has finished. A stage's
// keys are looked up together: first the chain stored under its last key, which answers every
// step it holds in one request, then one by one the keys it does not hold.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Layer } from '../image/image.ts';
import type { CacheBackend, ChainStep } from './backend.ts';
import { HashMemo } from './hash-memo.ts';

export interface CacheWriter {
  backend: CacheBackend;
  /** mode=max: layers of every stage; mode=min: only the target stage's. */
  allStages: boolean;
}

export interface LayerCacheConfig {
  readers: readonly CacheBackend[];
  writers: readonly CacheWriter[];
  /** --cache-copy-layers (always on for --cache-from/--cache-to). */
  copyLayers: boolean;
  /** --cache-run-layers. */
  runLayers: boolean;
  warn: (msg: string) => void;
  debug?: (msg: string) => void;
  /** A local directory where file hashes of build contexts are remembered between builds. */
  memoDir?: string;
}

/** A stage's chain as a build found it: its layers by step key, and the store that had it. */
interface FoundChain {
  from: CacheBackend;
  layers: Map<string, Layer>;
}

export type CachedKind = 'RUN' | 'COPY' | 'ADD' | 'WORKDIR';

/** How many cache uploads run at once. */
const WRITE_LANES = 2;

export class LayerCache {
  private readonly c: LayerCacheConfig;
  private readonly lookups = new Map<string, Promise<Layer | undefined>>();
  private readonly queue: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly pending = new Set<Promise<void>>();
  private idle: (() => void) | undefined;
  readonly counts = { hits: 0, misses: 0, stored: 0, storeFailed: 0, chainsFound: 0, chainsStored: 0 };
  /** By a stage's last key: the chain this build found, and the store it came from. */
  private readonly chains = new Map<string, Promise<FoundChain | undefined>>();
  /** Whether each store of a key into a writer succeeded, by `writer index` + key. */
  private readonly stores = new Map<string, Promise<boolean>>();
  private readonly memos = new Map<string, Promise<HashMemo>>();

  constructor(c: LayerCacheConfig) {
    this.c = c;
  }

  get readable(): boolean {
    return this.c.readers.length > 0;
  }

  /** Whether layers of this kind of command are cached at all. */
  cacheable(kind: CachedKind): boolean {
    if (kind === 'RUN') return this.c.runLayers;
    if (kind === 'COPY' || kind === 'ADD') return this.c.copyLayers;
    return true;
  }

  /** The cached layer for `key` from the first store that has it; errors count as misses. */
  lookup(key: string): Promise<Layer | undefined> {
    let p = this.lookups.get(key);
    if (!p) {
      p = this.find(key);
      this.lookups.set(key, p);
    }
    return p;
  }

  /**
   * Starts the lookups of a stage's cacheable keys, in order: the chain under the last key first;
   * each key it does not hold is then looked up on its own (all at once).
   */
  prefetch(keys: readonly string[]): void {
    const last = keys.at(-1);
    const fresh = keys.filter((k) => !this.lookups.has(k));
    if (last === undefined || fresh.length === 0) return;
    const chain = this.findChain(last);
    this.chains.set(last, chain);
    for (const key of fresh) {
      this.lookups.set(
        key,
        chain.then((c) => {
          const layer = c?.layers.get(key);
          if (!layer) return this.find(key);
          this.counts.hits++;
          return layer;
        }),
      );
    }
  }

  private async findChain(lastKey: string): Promise<FoundChain | undefined> {
    const answers = this.c.readers.map((r) =>
      r.getChain
        ? r.getChain(lastKey).catch((e: unknown) => {
            this.c.warn(
              `cache ${r.name}: lookup of chain ${lastKey.slice(0, 12)} failed: ${(e as Error).message}`,
            );
            return undefined;
          })
        : undefined,
    );
    for (const [i, a] of answers.entries()) {
      const steps = await a;
      if (steps && steps.length > 0) {
        this.counts.chainsFound++;
        return { from: this.c.readers[i]!, layers: new Map(steps.map((s) => [s.key, s.layer])) };
      }
    }
    return undefined;
  }

  private async find(key: string): Promise<Layer | undefined> {
    const answers = this.c.readers.map((r) =>
      r.get(key).catch((e: unknown) => {
        this.c.warn(`cache ${r.name}: lookup of ${key.slice(0, 12)} failed: ${(e as Error).message}`);
        return undefined;
      }),
    );
    for (const a of answers) {
      const layer = await a;
      if (layer) {
        this.counts.hits++;
        return layer;
      }
    }
    this.counts.misses++;
    return undefined;
  }

  /** Stores a new layer in every writer that takes this stage's layers; returns at once. */
  store(key: string, layer: Layer, description: string, targetStage: boolean): void {
    for (const [i, w] of this.c.writers.entries()) {
      if (!targetStage && !w.allStages) continue;
      this.stores.set(
        `${i} ${key}`,
        this.enqueue(() =>
          this.upload(w, key.slice(0, 12), `(${layer.digest})`, 'stored', () =>
            w.backend.put(key, layer, description),
          ),
        ),
      );
    }
  }

  /**
   * Stores a stage's cached steps as one chain under its last key, in every writer that keeps
   * chains and takes this stage's layers, after the steps' own stores (so their blobs are there);
   * not where the chain this build found came from and held every step already. Returns at once.
   */
  storeChain(steps: readonly ChainStep[], targetStage: boolean): void {
    const last = steps.at(-1)?.key;
    if (last === undefined) return;
    const found = this.chains.get(last);
    for (const [i, w] of this.c.writers.entries()) {
      const putChain = w.backend.putChain?.bind(w.backend);
      if (!putChain || (!targetStage && !w.allStages)) continue;
      const own = steps.map((s) => this.stores.get(`${i} ${s.key}`)).filter((p) => p !== undefined);
      void this.enqueue(async () => {
        const had = await found;
        if (had?.from === w.backend && steps.every((s) => had.layers.has(s.key))) return false;
        // A step whose own store failed may have no blob there: no chain rather than a broken one.
        if (!(await Promise.all(own)).every(Boolean)) return false;
        return this.upload(w, `chain ${last.slice(0, 12)}`, `(${steps.length} step(s))`, 'chainsStored', () =>
          putChain(last, steps),
        );
      });
    }
  }

  /** One upload to a writer, counted and reported; never throws (a cache store is best effort). */
  private async upload(
    w: CacheWriter,
    what: string,
    detail: string,
    counter: 'stored' | 'chainsStored',
    put: () => Promise<void>,
  ): Promise<boolean> {
    try {
      await put();
      this.counts[counter]++;
      this.c.debug?.(`cache ${w.backend.name}: stored ${what} ${detail}`);
      return true;
    } catch (e) {
      this.counts.storeFailed++;
      this.c.warn(`cache ${w.backend.name}: storing ${what} failed: ${(e as Error).message}`);
      return false;
    }
  }

  /** Queues a background upload; the promise is its outcome (jobs report their own failures). */
  private enqueue(job: () => Promise<boolean>): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.queue.push(async () => resolve(await job()));
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < WRITE_LANES && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      const p = job().finally(() => {
        this.running--;
        this.pending.delete(p);
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.idle?.();
      });
      this.pending.add(p);
    }
  }

  /** The remembered file hashes of the context at `dir` (none without a local cache directory). */
  hashMemo(dir: string): Promise<HashMemo> | undefined {
    const memoDir = this.c.memoDir;
    if (!memoDir) return undefined;
    let m = this.memos.get(dir);
    if (!m) {
      const name = createHash('sha256').update(dir).digest('hex');
      m = HashMemo.load(join(memoDir, 'hash-memo', `${name}.v1`));
      this.memos.set(dir, m);
    }
    return m;
  }

  /** Waits for every store started so far (failures were already reported as warnings). */
  async flush(): Promise<void> {
    for (const m of this.memos.values())
      await (await m).save().catch((e: Error) => this.c.warn(`cache: file hashes not saved: ${e.message}`));
    if (this.running === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
    });
  }
}
