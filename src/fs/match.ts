// Go's path/filepath.Match on '/'-separated names: `*` and `?` never cross a `/`, `[a-z]` and
// `[^...]` classes, `\` escapes. COPY and ADD source wildcards follow these rules in Docker.
import { CopyError } from './errors.ts';

export function hasWildcard(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Whether `name` matches the whole `pattern`. Throws CopyError on a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  return matchAt(pattern, 0, name, 0);
}

function matchAt(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return !s.slice(si).includes('/');
      for (let k = si; k <= s.length; k++) {
        if (matchAt(p, pi, s, k)) return true;
        if (s[k] === '/') break;
      }
      validate(p, pi);
      return false;
    }
    if (si >= s.length) {
      validate(p, pi);
      return false;
    }
    if (c === '?') {
      if (s[si] === '/') return false;
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const r = matchClass(p, pi, s[si]!);
      if (!r.ok) return false;
      pi = r.next;
      si++;
      continue;
    }
    if (c === '\\') {
      pi++;
      if (pi >= p.length) throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    }
    if (p[pi] !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

/** Checks the rest of a pattern is well-formed (Go reports ErrBadPattern even on a mismatch). */
function validate(p: string, pi: number): void {
  for (let i = pi; i < p.length; i++) {
    if (p[i] === '\\') {
      i++;
      if (i >= p.length) throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    } else if (p[i] === '[') i = matchClass(p, i, '\0').next - 1;
  }
}

function matchClass(p: string, start: number, ch: string): { ok: boolean; next: number } {
  let i = start + 1;
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  let matched = false;
  let first = true;
  for (;;) {
    if (i >= p.length) throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    if (p[i] === ']' && !first) {
      i++;
      break;
    }
    first = false;
    let lo = p[i]!;
    if (lo === '\\') lo = p[++i] ?? '';
    if (lo === '' || lo === '/') throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    let hi = lo;
    i++;
    if (p[i] === '-' && p[i + 1] !== ']') {
      hi = p[i + 1] ?? '';
      i += 2;
      if (hi === '\\') hi = p[i++] ?? '';
      if (hi === '') throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    }
    if (lo <= ch && ch <= hi) matched = true;
  }
  return { ok: ch !== '/' && matched !== negate, next: i };
}
