const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  require_node_os
} from "./chunk-5UUJECFZ.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/dockerfile/dockerignore.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var DockerignoreError = class extends Error {
  file;
  line;
  constructor(file, line, detail) {
    super(`${file}:${line}: ${detail}`);
    this.name = "DockerignoreError";
    this.file = file;
    this.line = line;
  }
};
function cleanPath(p) {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return "/" + joined;
  return joined === "" ? "." : joined;
}
function readDockerignore(text) {
  const out = [];
  let lines = text.split("\n");
  if (lines[0]?.startsWith("\uFEFF")) lines = [lines[0].slice(1), ...lines.slice(1)];
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.startsWith("#")) continue;
    let pattern = line.trim();
    if (pattern === "") continue;
    const invert = pattern.startsWith("!");
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith("/")) pattern = pattern.slice(1);
    }
    out.push(invert ? "!" + pattern : pattern);
  }
  return out;
}
var SHOULD_ESCAPE = /* @__PURE__ */ new Set([".", "+", "(", ")", "|", "{", "}", "$"]);
function checkSyntax(p) {
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === "\\") {
      if (i + 1 >= p.length) return false;
      i++;
    } else if (ch === "[") {
      i++;
      if (p[i] === "^") i++;
      let items = 0;
      for (; ; ) {
        if (i >= p.length) return false;
        if (p[i] === "]" && items > 0) break;
        let lo = p[i];
        if (lo === "\\") {
          i++;
          lo = p[i];
          if (lo === void 0) return false;
        }
        i++;
        if (p[i] === "-") {
          i++;
          let hi = p[i];
          if (hi === void 0 || hi === "]") return false;
          if (hi === "\\") {
            i++;
            hi = p[i];
            if (hi === void 0) return false;
          }
          if (hi < lo) return false;
          i++;
        }
        items++;
      }
    } else if (ch === "]") {
    }
  }
  return true;
}
function compile(pattern) {
  let re = "^";
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === "*") {
      if (chars[i + 1] === "*") {
        i++;
        if (chars[i + 1] === "/") i++;
        re += i + 1 >= chars.length ? ".*" : "(.*/)?";
      } else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else if (SHOULD_ESCAPE.has(ch)) re += "\\" + ch;
    else if (ch === "\\") {
      if (i + 1 < chars.length) {
        i++;
        re += "\\" + chars[i];
      } else re += "\\\\";
    } else re += ch;
  }
  return new RegExp(re + "$");
}
var IgnoreMatcher = class {
  patterns;
  compiled;
  hasExclusions;
  /** `patterns` as readDockerignore returns them; throws on malformed patterns. */
  constructor(patterns) {
    this.patterns = patterns;
    this.compiled = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === "") continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p.startsWith("!")) {
        if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
      }
      if (!checkSyntax(p)) throw new Error(`syntax error in pattern: ${JSON.stringify(p)}`);
      let regex;
      try {
        regex = compile(p);
      } catch {
        throw new Error(`syntax error in pattern: ${JSON.stringify(p)}`);
      }
      this.compiled.push({ exclusion, cleaned: p, dirs: p.split("/"), regex });
    }
    this.hasExclusions = this.compiled.some((p) => p.exclusion);
  }
  /** Whether a context-relative path (`a/b/c`, forward slashes) is ignored. */
  matches(file) {
    const f = cleanPath(file.replace(/^\/+/, ""));
    const slash = f.lastIndexOf("/");
    const parent = slash < 0 ? "." : f.slice(0, slash);
    const parentDirs = parent.split("/");
    let matched = false;
    for (const p of this.compiled) {
      if (p.exclusion !== matched) continue;
      let match = p.regex.test(f);
      if (!match && parent !== ".") {
        for (let i = 0; i < parentDirs.length && !match; i++)
          match = p.regex.test(parentDirs.slice(0, i + 1).join("/"));
      }
      if (match) matched = !p.exclusion;
    }
    return matched;
  }
  /**
   * Whether a directory walker may skip `dir` and everything under it: the directory is ignored and
   * no `!` exception could re-include anything below it.
   */
  canSkipDir(dir) {
    if (!this.matches(dir)) return false;
    const parts = cleanPath(dir.replace(/^\/+/, "")).split("/");
    for (const p of this.compiled) {
      if (!p.exclusion) continue;
      if (p.cleaned.includes("**")) return false;
      if (p.dirs.length <= parts.length) continue;
      let prefixMatches = true;
      for (let i = 0; i < parts.length && prefixMatches; i++)
        prefixMatches = compile(p.dirs[i]).test(parts[i]);
      if (prefixMatches) return false;
    }
    return true;
  }
};
async function loadDockerignore(contextDir, dockerfile) {
  const candidates = [];
  if (dockerfile) candidates.push(import_node_path.default.resolve(contextDir, dockerfile) + ".dockerignore");
  candidates.push(import_node_path.default.join(contextDir, ".dockerignore"));
  for (const file of candidates) {
    let text;
    try {
      text = await (0, import_promises.readFile)(file, "utf8");
    } catch (e) {
      if (e.code === "ENOENT" || e.code === "ENOTDIR")
        continue;
      throw e;
    }
    const patterns = readDockerignore(text);
    try {
      return { path: file, patterns, matcher: new IgnoreMatcher(patterns) };
    } catch (e) {
      const idx = findPatternLine(text, e.message);
      throw new DockerignoreError(file, idx, e.message);
    }
  }
  return { patterns: [], matcher: new IgnoreMatcher([]) };
}
function findPatternLine(text, message) {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim().replace(/^!\s*/, "");
    if (t !== "" && !lines[i].startsWith("#") && message.includes(JSON.stringify(cleanPath(t).replace(/^\/(?=.)/, ""))))
      return i + 1;
  }
  return 1;
}

// src/build/platform.ts
var import_node_os = __toESM(require_node_os(), 1);
var NODE_TO_OCI = {
  x64: { os: "linux", architecture: "amd64" },
  arm64: { os: "linux", architecture: "arm64", variant: "v8" },
  arm: { os: "linux", architecture: "arm", variant: "v7" },
  ia32: { os: "linux", architecture: "386" },
  ppc64: { os: "linux", architecture: "ppc64le" },
  s390x: { os: "linux", architecture: "s390x" },
  riscv64: { os: "linux", architecture: "riscv64" }
};
function hostPlatform() {
  return { ...NODE_TO_OCI[(0, import_node_os.arch)()] ?? { os: "linux", architecture: (0, import_node_os.arch)() } };
}
function parsePlatform(s) {
  const parts = s.trim().toLowerCase().split("/");
  if (parts.length > 3 || parts.some((p) => p === "")) throw new Error(`invalid platform "${s}"`);
  let [os, architecture, variant] = parts.length === 1 ? ["linux", parts[0], void 0] : parts;
  if (architecture === "x86_64" || architecture === "x86-64") architecture = "amd64";
  if (architecture === "aarch64") architecture = "arm64";
  if (architecture === "armhf") [architecture, variant] = ["arm", "v7"];
  if (architecture === "armel") [architecture, variant] = ["arm", "v6"];
  if (architecture === "arm64" && variant === void 0) variant = "v8";
  if (architecture === "arm" && variant === void 0) variant = "v7";
  return variant ? { os, architecture, variant } : { os, architecture };
}

export {
  DockerignoreError,
  loadDockerignore,
  hostPlatform,
  parsePlatform
};
