// Go's time.ParseDuration and Duration.String, because HEALTHCHECK options and the history text
// BuildKit writes for them use Go's duration syntax. Values are nanoseconds.

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parses `1m30s`, `1.5h`, `300ms`, `0`; undefined when invalid. */
export function parseGoDuration(s: string): number | undefined {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const re = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(sign * total);
}

function fmtFrac(v: number, prec: number): string {
  // v is an integer count of the smaller unit; print v / 10^prec without trailing zeros
  const whole = Math.floor(v / 10 ** prec);
  let frac = String(v % 10 ** prec)
    .padStart(prec, '0')
    .replace(/0+$/, '');
  if (frac !== '') frac = '.' + frac;
  return `${whole}${frac}`;
}

/** Formats nanoseconds as Go's Duration.String does (`1m30s`, `500ms`, `0s`). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.round(ns));
  let out: string;
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${fmtFrac(u, 3)}µs`;
    else out = `${fmtFrac(u, 6)}ms`;
  } else {
    const secNs = u % 60e9;
    u = Math.floor(u / 60e9);
    out = `${fmtFrac(secNs, 9)}s`;
    if (u > 0) {
      out = `${u % 60}m${out}`;
      u = Math.floor(u / 60);
      if (u > 0) out = `${u}h${out}`;
    }
  }
  return neg ? '-' + out : out;
}
