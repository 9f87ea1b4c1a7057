#!/usr/bin/env node
const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  parseCacheSpec
} from "./chunk-Q5DU3ZS5.js";
import {
  DockerignoreError,
  hostPlatform,
  parsePlatform
} from "./chunk-BE4DVIFM.js";
import {
  DockerfileError
} from "./chunk-EOFCRA5Y.js";
import {
  InvalidReferenceError,
  RegistryError,
  normaliseRegistry
} from "./chunk-5PIJZC72.js";
import {
  ImageError
} from "./chunk-77HIO646.js";
import {
  SandboxError
} from "./chunk-SYGD3FLI.js";
import {
  ArchiveFormatError,
  CopyError,
  DownloadError,
  SourceNotFoundError,
  UnsafeEntryError
} from "./chunk-QTTXRMTW.js";
import {
  CancelledError,
  ContextError,
  RunFailedError
} from "./chunk-NLAINIXL.js";
import "./chunk-5UUJECFZ.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/log/logger.ts
var ORDER = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
var Logger = class {
  level;
  format;
  timestamps;
  out;
  nextStep = 1;
  /** Strings that must never be printed (secrets); replaced by *** wherever they appear. */
  masks = /* @__PURE__ */ new Set();
  constructor(opts = {}) {
    this.level = opts.level ?? "info";
    this.format = opts.format ?? "text";
    this.timestamps = opts.timestamps ?? false;
    this.out = opts.out ?? process.stderr;
  }
  /** Output goes to a terminal: byte progress is shown (log/progress.ts). */
  get interactive() {
    return this.format !== "json" && this.out.isTTY === true;
  }
  mask(secret) {
    if (secret.length >= 3) this.masks.add(secret);
  }
  enabled(level) {
    return ORDER[level] >= ORDER[this.level];
  }
  redact(s) {
    let r = s;
    for (const m of this.masks) r = r.split(m).join("***");
    return r;
  }
  write(level, msg) {
    if (!this.enabled(level)) return;
    const text = this.redact(msg);
    if (this.format === "json") {
      this.out.write(`${JSON.stringify({ level, msg: text, time: (/* @__PURE__ */ new Date()).toISOString() })}
`);
      return;
    }
    const ts = this.timestamps ? `${(/* @__PURE__ */ new Date()).toISOString()} ` : "";
    const tag = level === "info" ? "" : `${level.toUpperCase()}: `;
    this.out.write(`${ts}${tag}${text}
`);
  }
  trace(msg) {
    this.write("trace", msg);
  }
  debug(msg) {
    this.write("debug", msg);
  }
  info(msg) {
    this.write("info", msg);
  }
  warn(msg) {
    this.write("warn", msg);
  }
  error(msg) {
    this.write("error", msg);
  }
  /** Starts a numbered step, BuildKit style; returns handles to finish it. */
  step(title) {
    const n = this.nextStep++;
    const started = performance.now();
    this.info(`#${n} ${title}`);
    const elapsed = () => ((performance.now() - started) / 1e3).toFixed(1);
    return {
      n,
      log: (line) => this.info(`#${n} ${line}`),
      done: () => this.info(`#${n} DONE ${elapsed()}s`),
      cached: () => this.info(`#${n} CACHED`),
      fail: (why) => this.info(`#${n} ERROR: ${why}`)
    };
  }
};

// src/version.ts
var VERSION = "0.1.0";

// src/cli/exit-codes.ts
var EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  dockerfile: 3,
  run: 4,
  registry: 5,
  auth: 6,
  context: 7,
  sandbox: 8,
  interrupted: 130,
  terminated: 143
};

// src/cli/flags.ts
var FLAGS = [
  {
    name: "dockerfile",
    short: "f",
    kind: "string",
    default: "Dockerfile",
    help: "Path to the Dockerfile to build",
    status: "works"
  },
  {
    name: "context",
    short: "c",
    kind: "string",
    default: "/workspace/",
    help: "Build context: a directory, tar://, git://, https://, gs://, s3://",
    status: "works"
  },
  { name: "context-sub-path", kind: "string", help: "Sub path within the given context", status: "works" },
  {
    name: "bucket",
    short: "b",
    kind: "string",
    help: "GCS bucket holding the context tarball (prefer --context gs://)",
    status: "works"
  },
  {
    name: "destination",
    short: "d",
    kind: "multi",
    help: "Image reference to push to; repeat for several",
    status: "works"
  },
  {
    name: "build-arg",
    kind: "multi",
    help: "ARG value at build time, NAME=value or NAME (taken from the environment)",
    status: "works"
  },
  { name: "target", kind: "string", help: "Build stage to build", status: "works" },
  { name: "no-push", kind: "bool", default: false, help: "Do not push the image", status: "works" },
  { name: "no-push-cache", kind: "bool", default: false, help: "Do not push cache layers", status: "works" },
  {
    name: "tar-path",
    kind: "string",
    help: "Write the image as a docker-archive tarball to this path",
    status: "works"
  },
  {
    name: "oci-layout-path",
    kind: "string",
    help: "Write the image as an OCI image layout to this directory",
    status: "works"
  },
  { name: "digest-file", kind: "string", help: "Write the image digest to this file", status: "works" },
  {
    name: "image-name-with-digest-file",
    kind: "string",
    help: "Write name@digest for each destination to this file",
    status: "works"
  },
  {
    name: "image-name-tag-with-digest-file",
    kind: "string",
    help: "Write name:tag@digest for each destination to this file",
    status: "works"
  },
  { name: "label", kind: "multi", help: "Image label KEY=VALUE; repeat for several", status: "works" },
  {
    name: "insecure",
    kind: "bool",
    default: false,
    help: "Push to registries over plain HTTP",
    status: "works"
  },
  {
    name: "insecure-pull",
    kind: "bool",
    default: false,
    help: "Pull from registries over plain HTTP",
    status: "works"
  },
  {
    name: "insecure-registry",
    kind: "multi",
    help: "Registry to use over plain HTTP; repeat for several",
    status: "works"
  },
  {
    name: "skip-tls-verify",
    kind: "bool",
    default: false,
    help: "Push without verifying TLS certificates",
    status: "works"
  },
  {
    name: "skip-tls-verify-pull",
    kind: "bool",
    default: false,
    help: "Pull without verifying TLS certificates",
    status: "works"
  },
  {
    name: "skip-tls-verify-registry",
    kind: "multi",
    help: "Registry whose TLS certificate is not verified",
    status: "works"
  },
  {
    name: "registry-certificate",
    kind: "keyvalue",
    help: "CA certificate for a registry: host=/path/to/ca.crt",
    status: "works"
  },
  {
    name: "registry-client-cert",
    kind: "keyvalue",
    help: "Client certificate for mTLS: host=/path/cert,/path/key",
    status: "works"
  },
  {
    name: "registry-mirror",
    kind: "multi",
    help: "Mirror to pull docker.io images through; repeat for several",
    status: "works"
  },
  {
    name: "registry-map",
    kind: "keyvalue",
    help: "Rewrite a registry: original=replacement[;replacement2]",
    status: "works"
  },
  {
    name: "skip-default-registry-fallback",
    kind: "bool",
    default: false,
    help: "Fail instead of falling back to docker.io when mirrors fail",
    status: "works"
  },
  {
    name: "credential-helpers",
    kind: "multi",
    help: "Credential helpers to use (docker config.json helpers are always used)",
    status: "noop"
  },
  {
    name: "custom-platform",
    kind: "string",
    help: "Platform to build for, e.g. linux/arm64",
    status: "works"
  },
  {
    name: "reproducible",
    kind: "bool",
    default: false,
    help: "Strip timestamps from the image",
    status: "works"
  },
  {
    name: "single-snapshot",
    kind: "bool",
    default: false,
    help: "Take one snapshot at the end of the stage",
    status: "works"
  },
  {
    name: "snapshot-mode",
    kind: "string",
    default: "full",
    help: "Which file attributes decide a change: full, redo, time",
    status: "works"
  },
  {
    name: "compression",
    kind: "string",
    default: "gzip",
    help: "Layer compression: gzip or zstd",
    status: "works"
  },
  {
    name: "compression-level",
    kind: "int",
    default: -1,
    help: "Compression level (-1: default)",
    status: "works"
  },
  { name: "compressed-caching", kind: "bool", default: true, help: "Compress cached layers", status: "noop" },
  {
    name: "cleanup",
    kind: "bool",
    default: false,
    help: "Remove the build filesystem at the end",
    status: "works"
  },
  {
    name: "verbosity",
    short: "v",
    kind: "string",
    default: "info",
    help: "Log level: trace, debug, info, warn, error, fatal, panic",
    status: "works"
  },
  {
    name: "log-format",
    kind: "string",
    default: "color",
    help: "Log format: text, color, json",
    status: "works"
  },
  { name: "log-timestamp", kind: "bool", default: false, help: "Timestamps in log output", status: "works" },
  { name: "push-retry", kind: "int", default: 0, help: "Retries for each push request", status: "works" },
  {
    name: "push-ignore-immutable-tag-errors",
    kind: "bool",
    default: false,
    help: "Treat an immutable-tag refusal as success",
    status: "works"
  },
  {
    name: "image-download-retry",
    kind: "int",
    default: 0,
    help: "Retries for downloading base images",
    status: "works"
  },
  {
    name: "image-fs-extract-retry",
    kind: "int",
    default: 0,
    help: "Retries for extracting base image layers",
    status: "works"
  },
  {
    name: "ignore-path",
    kind: "multi",
    help: "Path to leave out of snapshots; repeat for several",
    status: "works"
  },
  {
    name: "ignore-var-run",
    kind: "bool",
    default: true,
    help: "Leave /var/run out of snapshots",
    status: "works"
  },
  {
    name: "force",
    kind: "bool",
    default: false,
    help: "Build outside a container (kaniko-ts never needs this)",
    status: "noop"
  },
  {
    name: "skip-unused-stages",
    kind: "bool",
    default: false,
    help: "Build only the stages the target needs (kaniko-ts always does, as BuildKit)",
    status: "noop"
  },
  {
    name: "skip-push-permission-check",
    kind: "bool",
    default: false,
    help: "Do not check before building that every destination accepts a push",
    status: "works"
  },
  {
    name: "kaniko-dir",
    kind: "string",
    default: "/kaniko",
    help: "Directory for the builder's own state",
    status: "works"
  },
  {
    name: "use-new-run",
    kind: "bool",
    default: false,
    help: "kaniko's experimental run; kaniko-ts always snapshots in one walk",
    status: "noop"
  },
  {
    name: "force-build-metadata",
    kind: "bool",
    default: false,
    help: "Force metadata layers",
    status: "noop"
  },
  {
    name: "preserve-context",
    kind: "bool",
    default: false,
    help: "Keep the context unchanged between stages (kaniko-ts never changes it)",
    status: "noop"
  },
  {
    name: "materialize",
    kind: "bool",
    default: false,
    help: "Always extract the final filesystem",
    status: "noop"
  },
  {
    name: "git",
    kind: "string",
    help: "Git context options: branch=\u2026,single-branch=\u2026,recurse-submodules=\u2026,insecure-skip-tls=\u2026",
    status: "works"
  },
  { name: "cache", kind: "bool", default: false, help: "Use the layer cache", status: "works" },
  {
    name: "cache-repo",
    kind: "string",
    help: "Repository for cached layers (default: destination/cache)",
    status: "works"
  },
  {
    name: "cache-dir",
    kind: "string",
    default: "/cache",
    help: "Local directory with base images from the warmer",
    status: "works"
  },
  {
    name: "cache-ttl",
    kind: "duration",
    default: "336h0m0s",
    help: "How long cached layers stay valid",
    status: "works"
  },
  { name: "cache-copy-layers", kind: "bool", default: false, help: "Cache COPY layers", status: "works" },
  { name: "cache-run-layers", kind: "bool", default: true, help: "Cache RUN layers", status: "works" },
  {
    name: "cache-from",
    kind: "multi",
    help: "BuildKit-style cache source: type=registry,ref=REF or type=local,src=DIR",
    status: "works",
    kanikoTs: true
  },
  {
    name: "cache-to",
    kind: "multi",
    help: "BuildKit-style cache export: type=registry,ref=REF or type=local,dest=DIR; mode=min or max",
    status: "works",
    kanikoTs: true
  },
  {
    name: "no-cache",
    kind: "bool",
    default: false,
    help: "Do not use cached layers (they are still stored)",
    status: "works",
    kanikoTs: true
  },
  // Deprecated kaniko spellings.
  {
    name: "snapshotMode",
    kind: "string",
    help: "Deprecated: use --snapshot-mode",
    status: "deprecated",
    aliasOf: "snapshot-mode"
  },
  {
    name: "customPlatform",
    kind: "string",
    help: "Deprecated: use --custom-platform",
    status: "deprecated",
    aliasOf: "custom-platform"
  },
  {
    name: "tarPath",
    kind: "string",
    help: "Deprecated: use --tar-path",
    status: "deprecated",
    aliasOf: "tar-path"
  },
  {
    name: "whitelist-var-run",
    kind: "bool",
    help: "Deprecated: use --ignore-var-run",
    status: "deprecated",
    aliasOf: "ignore-var-run"
  },
  // kaniko-ts additions.
  {
    name: "secret",
    kind: "multi",
    help: "Build secret: id=ID,src=FILE or id=ID,env=VAR",
    status: "works",
    kanikoTs: true
  },
  {
    name: "platform",
    kind: "string",
    help: "Same as --custom-platform (BuildKit spelling)",
    status: "works",
    kanikoTs: true,
    aliasOf: "custom-platform"
  },
  {
    name: "sandbox",
    kind: "string",
    help: "RUN sandbox: auto, in-place, chroot, userns, proot",
    default: "auto",
    status: "works",
    kanikoTs: true
  },
  {
    name: "metadata-file",
    kind: "string",
    help: "Write the build result as JSON to this file (the keys of docker buildx build --metadata-file)",
    status: "works",
    kanikoTs: true
  },
  {
    name: "allow-insecure-entitlement",
    kind: "bool",
    default: false,
    help: "Allow RUN --security=insecure",
    status: "works",
    kanikoTs: true
  },
  { name: "help", short: "h", kind: "bool", default: false, help: "Show this help", status: "works" },
  {
    name: "version",
    kind: "bool",
    default: false,
    help: "Print the version",
    status: "works",
    kanikoTs: true
  }
];
var UsageError = class extends Error {
  name = "UsageError";
};
var byName = new Map(FLAGS.map((f) => [f.name, f]));
var byShort = new Map(FLAGS.filter((f) => f.short).map((f) => [f.short, f]));
function parseBool(flag, v) {
  if (/^(1|t|true|TRUE|True)$/.test(v)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(v)) return false;
  throw new UsageError(`invalid boolean "${v}" for --${flag}`);
}
function parseDuration(flag, v) {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const units = { ns: 1e-6, us: 1e-3, \u00B5s: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 36e5 };
  if (v === "0") return 0;
  let total = 0;
  let consumed = 0;
  for (const m of v.matchAll(re)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * units[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== v.length || consumed === 0) throw new UsageError(`invalid duration "${v}" for --${flag}`);
  return total;
}
function defaultOf(spec) {
  if (spec.kind === "multi") return [];
  if (spec.kind === "keyvalue") return {};
  if (spec.kind === "duration") return parseDuration(spec.name, String(spec.default ?? "0"));
  return spec.default;
}
function parseFlags(argv) {
  const values = /* @__PURE__ */ new Map();
  const given = /* @__PURE__ */ new Set();
  const positional = [];
  const notes = [];
  for (const spec of FLAGS) {
    if (spec.aliasOf) continue;
    const d = defaultOf(spec);
    if (d !== void 0) values.set(spec.name, d);
  }
  const set2 = (spec, raw, next) => {
    const target = spec.aliasOf ? byName.get(spec.aliasOf) : spec;
    if (spec.status === "deprecated") notes.push(`flag --${spec.name} is deprecated, use --${target.name}`);
    else if (spec.status === "noop" && !given.has(target.name))
      notes.push(`flag --${spec.name} has no effect in kaniko-ts: ${spec.help}`);
    given.add(target.name);
    switch (target.kind) {
      case "bool":
        values.set(target.name, raw === void 0 ? true : parseBool(spec.name, raw));
        return;
      case "string":
        values.set(target.name, raw ?? next());
        return;
      case "int": {
        const v = raw ?? next();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`invalid number "${v}" for --${spec.name}`);
        values.set(target.name, Number(v));
        return;
      }
      case "duration":
        values.set(target.name, parseDuration(spec.name, raw ?? next()));
        return;
      case "multi": {
        const list = values.get(target.name);
        list.push(raw ?? next());
        return;
      }
      case "keyvalue": {
        const v = raw ?? next();
        const eq = v.indexOf("=");
        if (eq <= 0) throw new UsageError(`--${spec.name} expects KEY=VALUE, got "${v}"`);
        values.get(target.name)[v.slice(0, eq)] = v.slice(eq + 1);
        return;
      }
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      const v = argv[i + 1];
      if (v === void 0) throw new UsageError(`flag needs an argument: ${arg}`);
      i++;
      return v;
    };
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      set2(spec, eq < 0 ? void 0 : arg.slice(eq + 1), next);
    } else if (arg.startsWith("-") && arg.length > 1) {
      const short = arg[1];
      const spec = byShort.get(short);
      if (!spec) throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
      let rest = arg.slice(2);
      if (rest.startsWith("=")) rest = rest.slice(1);
      set2(spec, rest === "" ? void 0 : rest, next);
    } else {
      positional.push(arg);
    }
  }
  return { values, given, positional, notes };
}
function helpText() {
  const lines = [
    "Usage:",
    "  kaniko-ts [flags]",
    "  kaniko-ts warmer [flags]",
    "  kaniko-ts version",
    "",
    "Flags:"
  ];
  for (const f of FLAGS) {
    const names = `${f.short ? `-${f.short}, ` : "    "}--${f.name}${f.kind === "bool" ? "" : ` ${f.kind === "multi" || f.kind === "keyvalue" ? "stringArray" : f.kind}`}`;
    const dflt = f.default !== void 0 && f.default !== false && f.default !== "" ? ` (default ${JSON.stringify(f.default)})` : "";
    lines.push(`  ${names.padEnd(46)} ${f.help}${dflt}`);
  }
  return `${lines.join("\n")}
`;
}

// src/build/secrets.ts
function parseSecretFlag(value) {
  const fields = /* @__PURE__ */ new Map();
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0)
      throw new UsageError(`--secret: expected key=value in "${part}" (id=ID,src=FILE or id=ID,env=VAR)`);
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const id = fields.get("id");
  const file = fields.get("src") ?? fields.get("source");
  const env = fields.get("env");
  const type = fields.get("type");
  if (type !== void 0 && type !== "file" && type !== "env")
    throw new UsageError(`--secret: unknown type "${type}"`);
  if (!id && !file && !env) throw new UsageError("--secret: needs id= and src= or env=");
  const resolvedId = id ?? (file ? file.split("/").pop() : env);
  if (file && env) throw new UsageError(`--secret ${resolvedId}: give src= or env=, not both`);
  if (type === "env" || env !== void 0 && !file) return { id: resolvedId, env: env ?? resolvedId };
  if (file) return { id: resolvedId, file };
  return { id: resolvedId, env: resolvedId };
}

// src/cli/options.ts
var LEVELS = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  fatal: "error",
  panic: "error"
};
function keyValues(list, flag) {
  const out = {};
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${flag} expects KEY=VALUE, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
function toBuildOptions(flags, env = process.env) {
  const v = flags.values;
  const str = (n) => {
    const x = v.get(n);
    return typeof x === "string" && x !== "" ? x : void 0;
  };
  const bool = (n) => v.get(n) === true;
  const num = (n) => Number(v.get(n) ?? 0);
  const list = (n) => v.get(n) ?? [];
  const map = (n) => v.get(n) ?? {};
  const buildArgs = {};
  for (const a of list("build-arg")) {
    const eq = a.indexOf("=");
    if (eq === 0) throw new UsageError(`--build-arg: missing name in "${a}"`);
    if (eq < 0) buildArgs[a] = env[a] ?? "";
    else buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const level = LEVELS[String(v.get("verbosity"))];
  if (!level) throw new UsageError(`invalid --verbosity "${String(v.get("verbosity"))}"`);
  const format = String(v.get("log-format"));
  if (format !== "text" && format !== "color" && format !== "json")
    throw new UsageError(`invalid --log-format "${format}"`);
  const snapshotMode = String(v.get("snapshot-mode"));
  if (snapshotMode !== "full" && snapshotMode !== "redo" && snapshotMode !== "time")
    throw new UsageError(`invalid --snapshot-mode "${snapshotMode}" (full, redo or time)`);
  const compression = String(v.get("compression"));
  if (compression !== "gzip" && compression !== "zstd")
    throw new UsageError(`invalid --compression "${compression}" (gzip or zstd)`);
  const sandbox = String(v.get("sandbox"));
  if (!["auto", "in-place", "chroot", "userns", "proot"].includes(sandbox))
    throw new UsageError(`invalid --sandbox "${sandbox}" (auto, in-place, chroot, userns or proot)`);
  let platform = hostPlatform();
  const custom = str("custom-platform");
  if (custom) {
    try {
      platform = parsePlatform(custom);
    } catch (e) {
      throw new UsageError(`--custom-platform: ${e.message}`);
    }
  }
  const destinations = list("destination");
  const noPush = bool("no-push");
  if (!noPush && destinations.length === 0)
    throw new UsageError("you must provide --destination, or use --no-push");
  if (destinations.length === 0 && str("image-name-with-digest-file"))
    throw new UsageError("you must provide --destination if setting --image-name-with-digest-file");
  if (destinations.length === 0 && str("image-name-tag-with-digest-file"))
    throw new UsageError("you must provide --destination if setting --image-name-tag-with-digest-file");
  const cacheEnabled = bool("cache");
  if (cacheEnabled && noPush && !str("cache-repo") && !flags.given.has("cache-dir"))
    throw new UsageError("if using cache with --no-push, specify cache repo with --cache-repo");
  for (const [flag, dir] of [
    ["cache-from", "from"],
    ["cache-to", "to"]
  ]) {
    for (const value of list(flag)) {
      try {
        parseCacheSpec(value, dir);
      } catch (e) {
        throw new UsageError(e.message);
      }
    }
  }
  const level2 = num("compression-level");
  const context = str("context") ?? str("bucket") ?? "/workspace/";
  const mirrors = [...list("registry-mirror")];
  if (env.KANIKO_REGISTRY_MIRROR) mirrors.push(...env.KANIKO_REGISTRY_MIRROR.split(";").filter(Boolean));
  return {
    context: str("bucket") && !str("context") && !context.includes("://") ? `gs://${context}` : context,
    ...str("context-sub-path") ? { contextSubPath: str("context-sub-path") } : {},
    ...str("git") ? { git: str("git") } : {},
    dockerfile: str("dockerfile") ?? "Dockerfile",
    destinations,
    buildArgs,
    ...str("target") ? { target: str("target") } : {},
    platform,
    labels: keyValues(list("label"), "label"),
    noPush,
    ...str("tar-path") ? { tarPath: str("tar-path") } : {},
    ...str("oci-layout-path") ? { ociLayoutPath: str("oci-layout-path") } : {},
    ...str("digest-file") ? { digestFile: str("digest-file") } : {},
    ...str("image-name-with-digest-file") ? { imageNameWithDigestFile: str("image-name-with-digest-file") } : {},
    ...str("image-name-tag-with-digest-file") ? { imageNameTagWithDigestFile: str("image-name-tag-with-digest-file") } : {},
    ...str("metadata-file") ? { metadataFile: str("metadata-file") } : {},
    registry: {
      insecure: bool("insecure"),
      insecurePull: bool("insecure-pull"),
      insecureRegistries: list("insecure-registry"),
      skipTlsVerify: bool("skip-tls-verify"),
      skipTlsVerifyPull: bool("skip-tls-verify-pull"),
      skipTlsVerifyRegistries: list("skip-tls-verify-registry"),
      registryCertificates: map("registry-certificate"),
      registryClientCerts: map("registry-client-cert"),
      registryMirrors: mirrors,
      registryMap: map("registry-map"),
      skipDefaultRegistryFallback: bool("skip-default-registry-fallback"),
      pushRetry: num("push-retry"),
      imageDownloadRetry: num("image-download-retry"),
      pushIgnoreImmutableTagErrors: bool("push-ignore-immutable-tag-errors")
    },
    cache: {
      enabled: cacheEnabled,
      ...str("cache-repo") ? { repo: str("cache-repo") } : {},
      dir: str("cache-dir") ?? "/cache",
      ttlMs: num("cache-ttl"),
      copyLayers: bool("cache-copy-layers"),
      runLayers: bool("cache-run-layers"),
      noPushCache: bool("no-push-cache"),
      dirGiven: flags.given.has("cache-dir"),
      noCache: bool("no-cache"),
      from: list("cache-from"),
      to: list("cache-to")
    },
    reproducible: bool("reproducible"),
    singleSnapshot: bool("single-snapshot"),
    snapshotMode,
    compression,
    ...level2 >= 0 ? { compressionLevel: level2 } : {},
    cleanup: bool("cleanup"),
    ignorePaths: list("ignore-path"),
    ignoreVarRun: flags.given.has("ignore-var-run") ? bool("ignore-var-run") : void 0,
    skipPushPermissionCheck: bool("skip-push-permission-check"),
    kanikoDir: str("kaniko-dir") ?? env.KANIKO_DIR ?? "/kaniko",
    kanikoDirGiven: flags.given.has("kaniko-dir") || env.KANIKO_DIR !== void 0,
    secrets: list("secret").map(parseSecretFlag),
    sandbox,
    allowInsecureEntitlement: bool("allow-insecure-entitlement"),
    verbosity: level,
    logFormat: format,
    logTimestamp: bool("log-timestamp")
  };
}

// cloudbuild/builder-output.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var BuilderOutputError = class extends Error {
  name = "BuilderOutputError";
};
function builderOutputLines(images) {
  let out = "";
  for (const { name, digest } of images) {
    if (name === "" || !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/.test(digest))
      throw new BuilderOutputError(`builder output: invalid image "${name}" with digest "${digest}"`);
    out += `${JSON.stringify({ name, digest })}
`;
  }
  return out;
}
async function writeBuilderOutput(images, env = process.env) {
  const dir = env.BUILDER_OUTPUT;
  if (!dir) return void 0;
  const lines = builderOutputLines(images);
  const file = (0, import_node_path.join)(dir, "images");
  try {
    await (0, import_promises.mkdir)(dir, { recursive: true });
    await (0, import_promises.appendFile)(file, lines, { mode: 420 });
  } catch (e) {
    throw new BuilderOutputError(
      `builder output: cannot write ${file}: ${e.code ?? e}`
    );
  }
  return file;
}

// cloudbuild/metadata-auth.ts
var METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
var DEFAULT_METADATA_HOST = "metadata.google.internal";
var GOOGLE_REGISTRY_USER = "oauth2accesstoken";
var MetadataAuthError = class extends Error {
  name = "MetadataAuthError";
  server;
  constructor(server, message) {
    super(`metadata server ${server}: ${message}`);
    this.server = server;
  }
};
function isGoogleRegistry(host) {
  const h = host.toLowerCase().replace(/:\d+$/, "");
  return h === "gcr.io" || h.endsWith(".gcr.io") || /^[a-z0-9-]+-docker\.pkg\.dev$/.test(h);
}
function metadataServer(env = process.env) {
  const h = env.GCE_METADATA_HOST;
  return h && h !== "" ? h : DEFAULT_METADATA_HOST;
}
var MAX_BODY = 64 * 1024;
function requestSignal(opts) {
  const timeout = opts.timeoutMs !== void 0 ? AbortSignal.timeout(opts.timeoutMs) : void 0;
  if (timeout && opts.signal) return AbortSignal.any([timeout, opts.signal]);
  return timeout ?? opts.signal;
}
function fetchMetadataToken(opts = {}) {
  const server = metadataServer(opts.env);
  const now = opts.now ?? Date.now;
  let url;
  try {
    url = new URL(`http://${server}${METADATA_TOKEN_PATH}`);
  } catch {
    return Promise.reject(new MetadataAuthError(server, "GCE_METADATA_HOST is not a host[:port]"));
  }
  return new Promise((resolve, reject) => {
    const { request } = process.getBuiltinModule("node:http");
    const req = request(
      url,
      { method: "GET", headers: { "Metadata-Flavor": "Google" }, agent: false, signal: requestSignal(opts) },
      (res) => {
        const chunks = [];
        let size = 0;
        res.on("data", (c) => {
          size += c.length;
          if (size > MAX_BODY) {
            res.destroy();
            reject(new MetadataAuthError(server, "token response too large"));
          } else chunks.push(c);
        });
        res.on("error", (e) => reject(new MetadataAuthError(server, e.message)));
        res.on("end", () => {
          if (res.statusCode !== 200)
            return reject(new MetadataAuthError(server, `HTTP ${res.statusCode} for the access token`));
          if (res.headers["metadata-flavor"] !== "Google")
            return reject(new MetadataAuthError(server, "answer without Metadata-Flavor: Google"));
          let body;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            return reject(new MetadataAuthError(server, "token response is not JSON"));
          }
          const b = body;
          if (typeof b.access_token !== "string" || b.access_token === "")
            return reject(new MetadataAuthError(server, "token response has no access_token"));
          const ttl = typeof b.expires_in === "number" && b.expires_in > 0 ? b.expires_in : 60;
          resolve({ token: b.access_token, expiresAt: now() + ttl * 1e3 });
        });
      }
    );
    req.on("error", (e) => {
      const why = e.name === "AbortError" ? "request aborted" : e.code ?? e.message;
      reject(new MetadataAuthError(server, `unreachable (${why})`));
    });
    req.end();
  });
}
var MetadataTokenSource = class {
  #opts;
  #current;
  #pending;
  constructor(opts = {}) {
    this.#opts = opts;
  }
  async token() {
    const now = (this.#opts.now ?? Date.now)();
    if (this.#current && this.#current.expiresAt - 6e4 > now) return this.#current;
    this.#pending ??= fetchMetadataToken(this.#opts).finally(() => {
      this.#pending = void 0;
    });
    this.#current = await this.#pending;
    return this.#current;
  }
  /** The credential for a registry host, or undefined when it is not one of Google's. */
  async credentialFor(host) {
    if (!isGoogleRegistry(host)) return void 0;
    return { username: GOOGLE_REGISTRY_USER, password: (await this.token()).token };
  }
};

// gitlab/env.ts
function isGitLabCi(env) {
  return env.GITLAB_CI === "true";
}
var TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function set(env, name) {
  const v = env[name];
  return v === void 0 || v === "" ? void 0 : v;
}
function basicAuth(user, password) {
  return { auth: Buffer.from(`${user}:${password}`, "utf8").toString("base64") };
}
function gitlabDefaults(env) {
  const notes = [];
  const destinations = [];
  const image = set(env, "CI_REGISTRY_IMAGE");
  if (image) {
    const slug = set(env, "CI_COMMIT_REF_SLUG");
    if (slug) destinations.push(`${image}:${slug}`);
    const tag = set(env, "CI_COMMIT_TAG");
    if (tag && tag !== slug) {
      if (TAG.test(tag)) destinations.push(`${image}:${tag}`);
      else notes.push(`CI_COMMIT_TAG "${tag}" is not a valid image tag; pushing only :${slug ?? "(none)"}`);
    }
  }
  const auths = {};
  const registry = set(env, "CI_REGISTRY");
  if (registry) {
    const user = set(env, "CI_REGISTRY_USER");
    const password = set(env, "CI_REGISTRY_PASSWORD");
    const jobToken = set(env, "CI_JOB_TOKEN");
    if (user && password) auths[registry] = basicAuth(user, password);
    else if (jobToken) auths[registry] = basicAuth("gitlab-ci-token", jobToken);
    else
      notes.push(
        `no CI_REGISTRY_PASSWORD or CI_JOB_TOKEN: pushing to ${registry} without GitLab credentials`
      );
  }
  const proxy = set(env, "CI_DEPENDENCY_PROXY_SERVER");
  const proxyUser = set(env, "CI_DEPENDENCY_PROXY_USER");
  const proxyPassword = set(env, "CI_DEPENDENCY_PROXY_PASSWORD");
  if (proxy && proxyUser && proxyPassword) {
    auths[proxy] = basicAuth(proxyUser, proxyPassword);
    if (proxy.endsWith(":443")) auths[proxy.slice(0, -4)] ??= basicAuth(proxyUser, proxyPassword);
  }
  const context = set(env, "CI_PROJECT_DIR");
  return {
    destinations,
    ...Object.keys(auths).length > 0 ? { dockerConfigJson: JSON.stringify({ auths }) } : {},
    ...context ? { context } : {},
    notes
  };
}

// src/cli/platform.ts
var has = (argv, ...names) => argv.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));
function authsKeychain(json) {
  const auths = JSON.parse(json).auths;
  const byHost = /* @__PURE__ */ new Map();
  const secrets = [];
  for (const [host, { auth }] of Object.entries(auths)) {
    const plain = Buffer.from(auth, "base64").toString("utf8");
    const colon = plain.indexOf(":");
    const password = plain.slice(colon + 1);
    byHost.set(normaliseRegistry(host), { kind: "basic", username: plain.slice(0, colon), password });
    secrets.push(password, auth);
  }
  return { keychain: { resolve: async (registry) => byHost.get(normaliseRegistry(registry)) }, secrets };
}
function googleKeychain(fromConfig, source, log) {
  let told = false;
  return {
    async resolve(registry) {
      if (isGoogleRegistry(registry)) {
        try {
          const cred = await source.credentialFor(registry);
          if (cred) {
            log.mask(cred.password);
            return { kind: "basic", username: cred.username, password: cred.password };
          }
        } catch (e) {
          if (!(e instanceof MetadataAuthError)) throw e;
          if (!told) log.note(`${e.message}; using config.json for ${registry}`);
          told = true;
        }
      }
      return fromConfig.resolve(registry);
    }
  };
}
function detectPlatform(argv, env, log) {
  const out = [...argv];
  const notes = [];
  const secrets = [];
  let extra;
  if (isGitLabCi(env)) {
    const d = gitlabDefaults(env);
    notes.push(...d.notes);
    if (!has(out, "--destination", "-d") && !has(out, "--no-push")) {
      for (const dest of d.destinations) out.push("--destination", dest);
      if (d.destinations.length > 0) notes.push(`GitLab CI: pushing to ${d.destinations.join(", ")}`);
    }
    if (!has(out, "--context", "-c") && d.context) out.push("--context", d.context);
    if (d.dockerConfigJson) {
      const k = authsKeychain(d.dockerConfigJson);
      extra = k.keychain;
      secrets.push(...k.secrets);
    }
  }
  const metadata = new MetadataTokenSource({ env, timeoutMs: 5e3 });
  return {
    argv: out,
    notes,
    secrets,
    keychain(fromConfig) {
      const withPlatform = extra ? {
        resolve: async (r) => await fromConfig.resolve(r) ?? await extra.resolve(r)
      } : fromConfig;
      return googleKeychain(withPlatform, metadata, log);
    },
    async report(images) {
      await writeBuilderOutput(images, env);
    }
  };
}

// src/cli/main.ts
function exitCodeFor(e) {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof DockerfileError) return EXIT.dockerfile;
  if (e instanceof RunFailedError) return EXIT.run;
  if (e instanceof InvalidReferenceError) return EXIT.usage;
  if (e instanceof RegistryError) return e.kind === "auth" ? EXIT.auth : EXIT.registry;
  if (e instanceof ContextError) return EXIT.context;
  if (e instanceof CancelledError) return e.signal === "SIGINT" ? EXIT.interrupted : EXIT.terminated;
  if (e instanceof SandboxError) return EXIT.sandbox;
  if (e instanceof SourceNotFoundError || e instanceof CopyError || e instanceof DownloadError)
    return EXIT.context;
  if (e instanceof DockerignoreError) return EXIT.context;
  if (e instanceof UnsafeEntryError || e instanceof ArchiveFormatError || e instanceof ImageError)
    return EXIT.registry;
  return EXIT.internal;
}
async function main(argv) {
  const debug = argv.some((a) => /^(-v|--verbosity)[= ]?(debug|trace)$/.test(a)) || argv.includes("debug");
  try {
    if (argv[0] === "version" || argv.includes("--version")) {
      process.stdout.write(`kaniko-ts ${VERSION} (node ${process.version})
`);
      return EXIT.ok;
    }
    if (argv[0] === "warmer") return await warmer(argv.slice(1));
    const early = [];
    let mask = (s) => {
      early.push(s);
    };
    let note = (_line) => {
    };
    const platform = detectPlatform(argv, process.env, { mask: (s) => mask(s), note: (l) => note(l) });
    const flags = parseFlags(platform.argv);
    if (flags.values.get("help") === true) {
      process.stdout.write(helpText());
      return EXIT.ok;
    }
    if (flags.positional.length > 0) throw new UsageError(`unexpected argument "${flags.positional[0]}"`);
    const options = toBuildOptions(flags);
    const log = new Logger({
      level: options.verbosity,
      format: options.logFormat,
      timestamps: options.logTimestamp
    });
    log.debug(`kaniko-ts ${VERSION}, node ${process.version} ${process.execArgv.join(" ")}`.trimEnd());
    for (const note2 of flags.notes) log.warn(note2);
    mask = (s) => log.mask(s);
    note = (l) => log.warn(l);
    for (const s of [...early, ...platform.secrets]) log.mask(s);
    for (const note2 of platform.notes) log.info(note2);
    if (process.getuid?.() !== 0 && options.sandbox !== "proot" && options.sandbox !== "in-place") {
      const { enterUserNamespace } = await import("./userns-O4MMISPK.js");
      const sea = await import("node:sea").then(
        (m) => m.isSea(),
        () => false
      );
      const self = sea ? [process.execPath] : [process.execPath, ...process.execArgv, process.argv[1]];
      const code = await enterUserNamespace([...self, ...argv], {
        warn: (m) => log.warn(m)
      });
      if (code !== void 0) return code;
    }
    const controller = new AbortController();
    const onSignal = (sig) => controller.abort(new CancelledError(sig));
    process.once("SIGINT", () => onSignal("SIGINT"));
    process.once("SIGTERM", () => onSignal("SIGTERM"));
    const { build } = await import("./executor-CMY3H33S.js");
    const result = await build(options, log, controller.signal, {
      keychain: (fromConfig) => platform.keychain(fromConfig)
    });
    if (result.pushed) {
      await platform.report(result.destinations.map((name) => ({ name, digest: result.digest })));
    }
    return EXIT.ok;
  } catch (e) {
    const code = exitCodeFor(e);
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${message.split("\n")[0]}
`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}
`);
    return code;
  }
}
async function warmer(argv) {
  const images = [];
  let force = false;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = /^(--image|-i)=(.*)$/.exec(a);
    if (eq) images.push(eq[2]);
    else if (a === "--image" || a === "-i") {
      const v = argv[++i];
      if (v === void 0) throw new UsageError(`${a} needs a value`);
      images.push(v);
    } else if (a === "--force" || a === "--force=true") force = true;
    else rest.push(a);
  }
  if (images.length === 0) throw new UsageError("warmer: give at least one --image");
  const flags = parseFlags([...rest, "--no-push"]);
  const options = toBuildOptions(flags);
  const log = new Logger({
    level: options.verbosity,
    format: options.logFormat,
    timestamps: options.logTimestamp
  });
  const { warmImage } = await import("./warmer-YRQNPRUP.js");
  const { registryOptionsFromFlags } = await import("./options-7S6NS43J.js");
  const { dockerConfigKeychain } = await import("./keychain-RQTVAGJA.js");
  const registry = registryOptionsFromFlags(options.registry, dockerConfigKeychain());
  for (const image of images) {
    const r = await warmImage(image, {
      cacheDir: options.cache.dir,
      platform: options.platform,
      registry,
      force,
      ttlMs: options.cache.ttlMs
    });
    log.info(`${image}: ${r.fetched ? "stored" : "already stored"} (${r.digest}) in ${options.cache.dir}`);
  }
  return EXIT.ok;
}
process.exitCode = await main(process.argv.slice(2));
