// One extraction for stages that start from the same base image (FROM debian AS build … FROM
// debian): decompressing and writing a base costs seconds, copying an extracted tree a fraction
// of that, and two extractions at once on a small machine fight over the same CPUs. The tree is
// extracted once into a directory of its own; every stage but the last one planned gets a copy,
// the last one takes the directory itself.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { copyTree } from '../fs/clone-tree.ts';

interface Shared {
  /** Stages planned on this base. */
  expected: number;
  /** Stages that asked so far. */
  taken: number;
  /** Layer digests of the first extraction: a stage wanting other layers extracts its own. */
  layers: string;
  extracted?: Promise<{ dir: string; skipped: ReadonlySet<string> }>;
  /** Copies in progress: the directory moves only after they are done. */
  copies: Promise<void>[];
}

export type ExtractInto = (dir: string) => Promise<ReadonlySet<string>>;

export class BaseTrees {
  private readonly shared = new Map<string, Shared>();
  private made = 0;

  private readonly root: string;

  /** `root` holds the shared extractions (inside the build's work directory). */
  constructor(root: string) {
    this.root = root;
  }

  /** Announces one more stage that will start from the base named `key`. */
  expect(key: string): void {
    const s = this.shared.get(key);
    if (s) s.expected++;
    else this.shared.set(key, { expected: 1, taken: 0, layers: '', copies: [] });
  }

  /**
   * Fills `into` with the base `key` made of `layers` (digests in order), extracting it with
   * `extract` once for every stage that asks. Returns the image paths extraction skipped, or
   * undefined when this stage should extract for itself (no other stage shares the base).
   */
  async take(
    key: string,
    layers: readonly string[],
    into: string,
    extract: ExtractInto,
  ): Promise<ReadonlySet<string> | undefined> {
    const s = this.shared.get(key);
    const chain = layers.join(',');
    if (!s || s.expected < 2 || (s.extracted && s.layers !== chain)) return undefined;
    s.taken++;
    const last = s.taken === s.expected;
    if (!s.extracted) {
      const dir = join(this.root, `base-${this.made++}`);
      s.layers = chain;
      s.extracted = extract(dir).then((skipped) => ({ dir, skipped }));
    }
    const { dir, skipped } = await s.extracted;
    if (!last) {
      // Pushed as soon as this stage resumes: every earlier taker resumes before the last one,
      // which awaited the same extraction later, so the last one sees every copy.
      const copy = rm(into, { recursive: true, force: true }).then(() => copyTree(dir, into));
      s.copies.push(copy);
      await copy;
      return skipped;
    }
    await Promise.allSettled(s.copies);
    await rm(into, { recursive: true, force: true });
    await rename(dir, into);
    return skipped;
  }
}
