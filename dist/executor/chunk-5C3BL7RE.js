const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  CopyError
} from "./chunk-QTTXRMTW.js";

// src/fs/match.ts
function hasWildcard(pattern) {
  return /[*?[\\]/.test(pattern);
}
function goMatch(pattern, name) {
  return matchAt(pattern, 0, name, 0);
}
function matchAt(p, pi, s, si) {
  while (pi < p.length) {
    const c = p[pi];
    if (c === "*") {
      while (p[pi] === "*") pi++;
      if (pi === p.length) return !s.slice(si).includes("/");
      for (let k = si; k <= s.length; k++) {
        if (matchAt(p, pi, s, k)) return true;
        if (s[k] === "/") break;
      }
      validate(p, pi);
      return false;
    }
    if (si >= s.length) {
      validate(p, pi);
      return false;
    }
    if (c === "?") {
      if (s[si] === "/") return false;
      pi++;
      si++;
      continue;
    }
    if (c === "[") {
      const r = matchClass(p, pi, s[si]);
      if (!r.ok) return false;
      pi = r.next;
      si++;
      continue;
    }
    if (c === "\\") {
      pi++;
      if (pi >= p.length) throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    }
    if (p[pi] !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}
function validate(p, pi) {
  for (let i = pi; i < p.length; i++) {
    if (p[i] === "\\") {
      i++;
      if (i >= p.length) throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    } else if (p[i] === "[") i = matchClass(p, i, "\0").next - 1;
  }
}
function matchClass(p, start, ch) {
  let i = start + 1;
  let negate = false;
  if (p[i] === "^") {
    negate = true;
    i++;
  }
  let matched = false;
  let first = true;
  for (; ; ) {
    if (i >= p.length) throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    if (p[i] === "]" && !first) {
      i++;
      break;
    }
    first = false;
    let lo = p[i];
    if (lo === "\\") lo = p[++i] ?? "";
    if (lo === "" || lo === "/") throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    let hi = lo;
    i++;
    if (p[i] === "-" && p[i + 1] !== "]") {
      hi = p[i + 1] ?? "";
      i += 2;
      if (hi === "\\") hi = p[i++] ?? "";
      if (hi === "") throw new CopyError(`bad pattern ${JSON.stringify(p)}`);
    }
    if (lo <= ch && ch <= hi) matched = true;
  }
  return { ok: ch !== "/" && matched !== negate, next: i };
}

export {
  hasWildcard,
  goMatch
};
