// A RUN sandbox chosen when the first RUN needs one. With a layer cache, a build whose RUNs all
// come from the cache then never probes (a bubblewrap start, ~30 ms of a 0.5 s warm rebuild), and
// one on a machine with no sandbox at all still succeeds: only a RUN that really runs fails.
import type { RunResult, RunSpec, Sandbox } from './types.ts';

export type RunSandbox = Pick<Sandbox, 'run' | 'release'>;

export class DeferredSandbox implements RunSandbox {
  readonly #choose: () => Promise<Sandbox>;
  #chosen: Promise<Sandbox> | undefined;

  /** `choose` selects the sandbox (and says which); called once, at the first RUN. */
  constructor(choose: () => Promise<Sandbox>) {
    this.#choose = choose;
  }

  async run(spec: RunSpec): Promise<RunResult> {
    this.#chosen ??= this.#choose();
    return (await this.#chosen).run(spec);
  }

  /** Nothing was kept for a root when no RUN ever chose a sandbox. */
  async release(rootfs: string): Promise<void> {
    if (!this.#chosen) return;
    const sandbox = await this.#chosen.catch(() => undefined);
    await sandbox?.release?.(rootfs);
  }
}
