const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/dockerfile/errors.ts
var DockerfileError = class extends Error {
  file;
  /** 1-based line of the instruction (or directive) the problem belongs to. */
  line;
  /** The problem without the location prefix. */
  detail;
  constructor(file, line, detail) {
    super(`${file}:${line}: ${detail}`);
    this.name = "DockerfileError";
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
  toString() {
    return this.message;
  }
};
var ExpansionError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ExpansionError";
  }
};
function suggest(word, candidates) {
  const w = word.toLowerCase();
  let best;
  let bestDist = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(w.length / 3));
  return bestDist <= limit ? best : void 0;
}
function editDistance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

export {
  DockerfileError,
  ExpansionError,
  suggest
};
