// Every problem found in a Dockerfile is one of these: it names the file and the line, prints as one
// line (`Dockerfile:7: unknown instruction "COPPY" (did you mean COPY?)`) and never as a stack trace.

export class DockerfileError extends Error {
  readonly file: string;
  /** 1-based line of the instruction (or directive) the problem belongs to. */
  readonly line: number;
  /** The problem without the location prefix. */
  readonly detail: string;

  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'DockerfileError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }

  override toString(): string {
    return this.message;
  }
}

/** An error from the shell-word lexer, before it is given a place in a file. */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpansionError';
  }
}

/** A warning the frontend reports (deprecated forms, unused build args); never fatal. */
export interface DockerfileWarning {
  file: string;
  line: number;
  message: string;
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(w.length / 3));
  return bestDist <= limit ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (FORM -> FROM is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
