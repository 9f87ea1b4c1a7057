// The executor's build steps, read from its BuildKit-style progress on stderr (`#3 [2/5] RUN …`,
// `#3 DONE 0.4s`, `#3 CACHED`, `#3 ERROR: …`; see src/log/logger.ts), for the job summary. Lines
// of a step's own output (`#3 <output>`) are not kept: memory grows with the steps only.

export type StepStatus = 'done' | 'cached' | 'error' | 'unfinished';

export interface BuildStep {
  n: number;
  /** The step's first line, e.g. `[2/5] RUN make` (at most 200 characters). */
  title: string;
  status: StepStatus;
  /** Wall seconds, for a step that ran. */
  seconds?: number;
}

/** `#N rest`, after an optional --log-timestamp prefix. */
const STEP_LINE = /^(?:\d{4}-\d\d-\d\dT\S+Z )?#(\d+) (.*)$/;
const TITLE_MAX = 200;

export class BuildProgress {
  private readonly byNumber = new Map<number, BuildStep>();

  /** Feeds one line of the executor's stderr. */
  line(text: string): void {
    const m = STEP_LINE.exec(text);
    if (!m) return;
    const n = Number(m[1]);
    const rest = m[2]!;
    const step = this.byNumber.get(n);
    if (!step) {
      const title = rest.length > TITLE_MAX ? `${rest.slice(0, TITLE_MAX - 1)}…` : rest;
      this.byNumber.set(n, { n, title, status: 'unfinished' });
      return;
    }
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    if (done) {
      step.status = 'done';
      step.seconds = Number(done[1]);
    } else if (rest === 'CACHED') step.status = 'cached';
    else if (rest.startsWith('ERROR')) step.status = 'error';
  }

  /** The steps seen, in order. */
  steps(): BuildStep[] {
    return [...this.byNumber.values()].sort((a, b) => a.n - b.n);
  }
}
