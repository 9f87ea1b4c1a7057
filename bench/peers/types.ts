// The one interface every benchmarked builder implements, so run.ts treats kaniko-ts and its
// peers alike: get cold (or warm) state ready unmeasured, then time one build + push.

export type BuilderName = 'kaniko-ts' | 'buildkit' | 'buildah';

export interface Scenario {
  /** Folder name, e.g. s1-small-runs. */
  name: string;
  /** Context directory holding the scenario's Dockerfile. */
  dir: string;
  /** Warm scenarios keep the builder's cache between runs instead of starting cold. */
  warm: boolean;
}

export interface RunOutcome {
  /** Whole-process wall time of build + push, seconds. */
  seconds: number;
  /** Peak resident set of the process doing the build, MB (how: see each builder's method). */
  peakRssMb: number;
  /** User + system CPU seconds of the processes doing the build (how: see method). */
  cpuSeconds: number;
  ok: boolean;
  /** First error line of a failed run. */
  error?: string;
}

export interface Builder {
  readonly name: BuilderName;
  /** For RESULTS.md (Markdown): how cold/warm state is made, whose memory and CPU time are measured. */
  readonly method: string;
  version(): Promise<string>;
  /** Remove every local state (caches, images, containers) before a cold run; not measured. */
  prepareCold(registry: string): Promise<void>;
  /** Make the builder's cache warm for a scenario with one unmeasured build; not measured. */
  prepareWarm(scenario: Scenario, registry: string): Promise<void>;
  /** One measured build of the scenario, pushed to `registry` (host:port). Never throws. */
  build(scenario: Scenario, registry: string): Promise<RunOutcome>;
  /** Stop daemons and remove the builder's work state. */
  close(): Promise<void>;
}

export interface PeerOptions {
  /** Directory for this builder's state, removed by close(). */
  workDir: string;
  /** A build still running after this long is killed and counted as failed. */
  timeoutMs: number;
  /** This builder's log file for a scenario and a label (run1, warmup, prepare...). */
  logFile(scenario: string, label: string): string;
}
