const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  DEFAULT_PATH_ENV,
  PROXY_ARGS,
  PortError,
  applyMetadata,
  chompHeredocContent,
  createdBy,
  envToMap,
  expandWord,
  expandWords,
  formatGoDuration,
  normalizeWorkdir,
  parseDockerfile,
  parseGoDuration,
  parseHeredocWord,
  parsePortSpecs,
  resolveUser,
  runEnv,
  shellOf
} from "./chunk-2QEPDD3D.js";
import {
  choosesInPlace
} from "./chunk-K35RWFTI.js";
import {
  resolveInRoot
} from "./chunk-PET4BCTD.js";
import {
  PresentBlobs,
  SourceMissing,
  UploadSessions,
  checkPushPermission,
  hashSources,
  pushImage
} from "./chunk-DGC2ATKV.js";
import {
  stepKey
} from "./chunk-F5BQI5MV.js";
import "./chunk-5C3BL7RE.js";
import {
  pullImage
} from "./chunk-ZH7GKEJE.js";
import {
  closeTransport,
  createdOf,
  transportFor
} from "./chunk-VAYJS5MI.js";
import {
  registryOptionsFromFlags
} from "./chunk-T6U52VLM.js";
import {
  dockerConfigKeychain
} from "./chunk-XCROZCDL.js";
import {
  appendLayer,
  fileLayer,
  mutate,
  scratchConfig,
  writeFileAtomic
} from "./chunk-2NNVGCBN.js";
import "./chunk-KGB5P76T.js";
import {
  ByteProgress,
  copyTree
} from "./chunk-IUAAVYYJ.js";
import {
  hostPlatform,
  loadDockerignore,
  parsePlatform
} from "./chunk-BE4DVIFM.js";
import {
  DockerfileError,
  ExpansionError,
  suggest
} from "./chunk-EOFCRA5Y.js";
import {
  parseReference
} from "./chunk-5PIJZC72.js";
import "./chunk-77HIO646.js";
import "./chunk-SYGD3FLI.js";
import {
  parseContext,
  parseGitOptions,
  redactContext
} from "./chunk-57CJ4FLA.js";
import "./chunk-S2V5PZBG.js";
import "./chunk-QTTXRMTW.js";
import {
  ContextError
} from "./chunk-NLAINIXL.js";
import "./chunk-QRELBB2W.js";
import {
  require_node_os
} from "./chunk-5UUJECFZ.js";
import "./chunk-77QJEF4W.js";
import {
  require_node_fs
} from "./chunk-LIYV7COB.js";
import {
  require_node_path
} from "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/build/executor.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises5 = __toESM(require_promises(), 1);
var import_node_os2 = __toESM(require_node_os(), 1);
var import_node_path5 = __toESM(require_node_path(), 1);

// src/context/resolve.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_os = __toESM(require_node_os(), 1);
var import_node_path = __toESM(require_node_path(), 1);
async function resolveContext(context, subPath, opts = {}) {
  const env = opts.env ?? process.env;
  const source = redactContext(context);
  const spec = parseContext(context, env);
  let dir;
  if (spec.kind === "dir") {
    dir = (0, import_node_path.resolve)(spec.path);
  } else {
    const gitOptions = parseGitOptions(opts.git);
    dir = (0, import_node_path.join)(opts.workDir ?? await (0, import_promises.mkdtemp)((0, import_node_path.join)((0, import_node_os.tmpdir)(), "kaniko-ts-context-")), "context");
    await fetchInto(
      spec,
      {
        dir,
        where: source,
        env,
        ...opts.log ? { log: opts.log } : {},
        ...opts.signal ? { signal: opts.signal } : {}
      },
      gitOptions,
      opts.stdin
    );
  }
  const st = await (0, import_promises.stat)(dir).catch(() => void 0);
  if (!st) throw new ContextError(`context ${source}: no such directory`);
  if (!st.isDirectory()) throw new ContextError(`context ${source}: not a directory`);
  if (subPath) dir = await applySubPath(dir, subPath, source, spec.kind !== "dir");
  return { dir, source, kind: spec.kind };
}
async function applySubPath(root, subPath, source, contained) {
  const dir = (0, import_node_path.join)(root, subPath);
  const real = await (0, import_promises.realpath)(dir).catch(() => void 0);
  const st = real ? await (0, import_promises.stat)(real).catch(() => void 0) : void 0;
  if (!real || !st?.isDirectory())
    throw new ContextError(`context ${source} (sub path ${subPath}): no such directory`);
  if (contained) {
    const rel = (0, import_node_path.relative)(await (0, import_promises.realpath)(root), real);
    if (rel === ".." || rel.startsWith(`..${import_node_path.sep}`) || (0, import_node_path.isAbsolute)(rel))
      throw new ContextError(`context ${source} (sub path ${subPath}): leads outside the context`);
  }
  return dir;
}
async function fetchInto(spec, f, git, stdin) {
  switch (spec.kind) {
    case "tar": {
      const { createReadStream } = await import("node:fs");
      const { extractContextArchive } = await import("./tarball-YJB4WUF6.js");
      const path = (0, import_node_path.resolve)(spec.path);
      const st = await (0, import_promises.stat)(path).catch(() => void 0);
      if (!st?.isFile()) throw new ContextError(`context ${f.where}: no such file`);
      await extractContextArchive(createReadStream(path), f);
      return;
    }
    case "stdin": {
      const input = stdin ?? process.stdin;
      if ("isTTY" in input && input.isTTY)
        throw new ContextError(
          `context ${f.where}: standard input is a terminal; pipe a tar or tar.gz into it`
        );
      const { extractContextArchive } = await import("./tarball-YJB4WUF6.js");
      await extractContextArchive(input, f);
      return;
    }
    case "git": {
      const { fetchGit } = await import("./git-XNAGSVN4.js");
      await fetchGit(spec, { ...f, git });
      return;
    }
    case "https": {
      const { fetchHttps } = await import("./https-5M4YBB6O.js");
      await fetchHttps(spec.url, f);
      return;
    }
    case "s3": {
      const { fetchS3 } = await import("./s3-3WLZLNPW.js");
      await fetchS3(spec.bucket, spec.key, f);
      return;
    }
    case "gcs": {
      const { fetchGcs } = await import("./gcs-EL7MLKEA.js");
      await fetchGcs(spec.bucket, spec.object, f);
      return;
    }
    case "azure": {
      const { fetchAzure } = await import("./azure-EQVI67TI.js");
      await fetchAzure(spec, f);
      return;
    }
  }
}
async function resolveDockerfile(dockerfile, contextDir) {
  const candidates = (0, import_node_path.isAbsolute)(dockerfile) ? [dockerfile] : [(0, import_node_path.resolve)(dockerfile), (0, import_node_path.join)(contextDir, dockerfile)];
  for (const c of candidates) {
    const st = await (0, import_promises.stat)(c).catch(() => void 0);
    if (st?.isFile()) return c;
  }
  throw new ContextError(`Dockerfile ${dockerfile}: not found (looked in ${candidates.join(" and ")})`);
}

// src/dockerfile/flags.ts
var FlagError = class extends Error {
};
var NONE = Object.freeze({
  strings: /* @__PURE__ */ new Map(),
  lists: /* @__PURE__ */ new Map(),
  bools: /* @__PURE__ */ new Map(),
  used: []
});
function parseFlags(flags, allowed) {
  if (flags.length === 0) return NONE;
  const out = { strings: /* @__PURE__ */ new Map(), lists: /* @__PURE__ */ new Map(), bools: /* @__PURE__ */ new Map(), used: [] };
  for (const arg of flags) {
    if (!arg.startsWith("--")) throw new FlagError(`arg should start with -- : ${arg}`);
    if (arg === "--") break;
    let name = arg.slice(2);
    let value = "";
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const type = Object.hasOwn(allowed, name) ? allowed[name] : void 0;
    if (type === void 0) {
      const hint = suggest(name, Object.keys(allowed));
      throw new FlagError(`unknown flag: ${name}${hint ? ` (did you mean ${hint}?)` : ""}`);
    }
    if (out.used.includes(name) && type !== "strings")
      throw new FlagError(`duplicate flag specified: ${name}`);
    out.used.push(name);
    switch (type) {
      case "bool": {
        if (eq >= 0 && value === "") throw new FlagError(`missing a value on flag: ${name}`);
        const v = value.toLowerCase();
        if (v === "true" || v === "") out.bools.set(name, true);
        else if (v === "false") out.bools.set(name, false);
        else throw new FlagError(`expecting boolean value for flag ${name}, not: ${value}`);
        break;
      }
      case "string":
        if (eq < 0) throw new FlagError(`missing a value on flag: ${name}`);
        out.strings.set(name, value);
        break;
      case "strings": {
        if (eq < 0) throw new FlagError(`missing a value on flag: ${name}`);
        const list = out.lists.get(name) ?? [];
        list.push(value);
        out.lists.set(name, list);
        break;
      }
    }
  }
  return out;
}

// src/dockerfile/mounts.ts
var MountError = class extends Error {
};
var TYPES = ["bind", "cache", "tmpfs", "secret", "ssh"];
function splitCSV(spec) {
  const out = [];
  let i = 0;
  for (; ; ) {
    let field = "";
    if (spec[i] === '"') {
      i++;
      for (; ; ) {
        if (i >= spec.length)
          throw new MountError(
            `invalid mount value ${JSON.stringify(spec)}: extraneous or missing " in quoted-field`
          );
        const ch = spec[i];
        if (ch === '"') {
          if (spec[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += ch;
        i++;
      }
      if (i < spec.length && spec[i] !== ",")
        throw new MountError(
          `invalid mount value ${JSON.stringify(spec)}: extraneous or missing " in quoted-field`
        );
    } else {
      const comma = spec.indexOf(",", i);
      const end = comma < 0 ? spec.length : comma;
      field = spec.slice(i, end);
      if (field.includes('"'))
        throw new MountError(`invalid mount value ${JSON.stringify(spec)}: bare " in non-quoted-field`);
      i = end;
    }
    out.push(field);
    if (i >= spec.length) return out;
    i++;
  }
}
function parseBool(key, value) {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw new MountError(`invalid value for ${key}: ${value}`);
}
function parseUint(key, value, base) {
  const re = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  const n = re.test(value) ? Number.parseInt(value, base) : Number.NaN;
  if (!(n <= 4294967295)) throw new MountError(`invalid value ${value} for ${key}`);
  return n;
}
var SIZE_UNITS = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5
};
function parseSize(value) {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(value);
  if (!m) throw new MountError(`invalid value for size: ${value}`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? "").toLowerCase()]);
}
var FILE_INFO_TYPES = ["secret", "ssh", "cache"];
function parseMount(spec, expand) {
  const fields = splitCSV(spec);
  let type = "bind";
  let roAuto = true;
  let readOnly = false;
  let required = false;
  let target = "";
  const m = {};
  for (const f of fields) {
    const eq = f.indexOf("=");
    const key = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    if (eq < 0) {
      switch (key) {
        case "readonly":
        case "ro":
          readOnly = true;
          roAuto = false;
          continue;
        case "readwrite":
        case "rw":
          readOnly = false;
          roAuto = false;
          continue;
        case "required":
          if (type === "secret" || type === "ssh") {
            required = true;
            continue;
          }
          throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        default:
          throw new MountError(`invalid field '${f}' must be a key=value pair`);
      }
    }
    let value = f.slice(eq + 1);
    if (key === "from" && /\$./.test(value))
      throw new MountError(`'${key}' doesn't support variable expansion, define alias stage instead`);
    if (expand) value = expand(value);
    switch (key) {
      case "type": {
        const v = value.toLowerCase();
        if (!TYPES.includes(v))
          throw new MountError(`unsupported mount type "${value}"`);
        type = v;
        break;
      }
      case "from":
        m.from = value;
        break;
      case "source":
      case "src":
        m.source = value;
        break;
      case "target":
      case "dst":
      case "destination":
        target = value;
        break;
      case "readonly":
      case "ro":
        readOnly = parseBool(key, value);
        roAuto = false;
        break;
      case "readwrite":
      case "rw":
        readOnly = !parseBool(key, value);
        roAuto = false;
        break;
      case "required":
        if (type !== "secret" && type !== "ssh")
          throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        required = parseBool(key, value);
        break;
      case "size":
        if (type !== "tmpfs") throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        m.size = parseSize(value);
        break;
      case "id":
        m.id = value;
        break;
      case "sharing": {
        const v = value.toLowerCase();
        if (v !== "shared" && v !== "private" && v !== "locked")
          throw new MountError(`unsupported sharing value "${value}"`);
        m.sharing = v;
        break;
      }
      case "mode":
        m.mode = parseUint(key, value, 8);
        break;
      case "uid":
        m.uid = parseUint(key, value, 10);
        break;
      case "gid":
        m.gid = parseUint(key, value, 10);
        break;
      case "env":
        if (type !== "secret") throw new MountError(`unexpected key '${key}' for mount type '${type}'`);
        m.env = value;
        break;
      default:
        throw new MountError(`unexpected key '${key}' in '${f}'`);
    }
  }
  if (!FILE_INFO_TYPES.includes(type)) {
    for (const k of ["mode", "uid", "gid"])
      if (m[k] !== void 0) throw new MountError(`${k} not allowed for "${type}" type mounts`);
  }
  if (roAuto) readOnly = !(type === "cache" || type === "tmpfs");
  if (type === "secret") {
    if (m.from !== void 0) throw new MountError("secret mount should not have a from");
    if (m.sharing !== void 0) throw new MountError("secret mount should not define sharing");
    if (m.source === void 0 && target === "" && m.id === void 0 && m.env === void 0)
      throw new MountError("invalid secret mount. one of source, target required");
    if (m.source !== void 0 && m.id !== void 0) throw new MountError("both source and id can't be set");
  }
  if (m.sharing !== void 0 && type !== "cache")
    throw new MountError(`invalid cache sharing set for ${type} mount`);
  const out = { type, target, readOnly, required, ...m };
  if (type === "cache") {
    out.sharing ??= "shared";
    out.mode ??= 493;
    out.id ??= target;
  } else if (type === "secret") {
    out.mode ??= 256;
    out.id ??= m.source ?? (target !== "" ? target.split("/").pop() : m.env);
    if (target === "" && m.env === void 0) out.target = `/run/secrets/${out.id}`;
    delete out.source;
  } else if (type === "ssh") {
    out.mode ??= 384;
    out.id ??= "default";
    if (target === "") out.target = "/run/buildkit/ssh_agent.0";
  }
  if (out.target === "" && type !== "secret") throw new MountError('invalid mount target ""');
  return out;
}

// src/dockerfile/instructions.ts
var INSTRUCTIONS = [
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR"
];
var InstructionError = class extends Error {
};
var STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
function atLeastOne(name) {
  return new InstructionError(`${name} requires at least one argument`);
}
function exactlyOne(name) {
  return new InstructionError(`${name} requires exactly one argument`);
}
function flagsOf(node, allowed) {
  try {
    return parseFlags(node.flags, allowed);
  } catch (e) {
    if (e instanceof FlagError) throw new InstructionError(e.message);
    throw e;
  }
}
function shellDependent(node, emptyAsNil) {
  const args = node.args;
  let cmdLine;
  if (args.length === 0) cmdLine = [];
  else if (node.json) cmdLine = [...args];
  else cmdLine = [args.join(" ")];
  if (emptyAsNil && cmdLine.length === 0) cmdLine = [];
  return { cmdLine, prependShell: !node.json };
}
function keyValues(node, name) {
  if (node.keyValues.length === 0) throw atLeastOne(name);
  for (const kv of node.keyValues)
    if (kv.key === "") throw new InstructionError(`${name} names can not be blank`);
  return node.keyValues.map((kv) => ({ key: kv.key, value: kv.value, noDelim: kv.noDelim }));
}
function parseDurationFlag(name, value) {
  if (value === void 0 || value === "") return 0;
  const d = parseGoDuration(value);
  if (d === void 0) throw new InstructionError(`time: invalid duration "${value}"`);
  if (d === 0) return 0;
  if (d < 1e6) throw new InstructionError(`Interval "${name}" cannot be less than ${formatGoDuration(1e6)}`);
  return d;
}
function copyLike(node, name) {
  if (node.args.length < 2)
    throw new InstructionError(
      `${name} requires at least two arguments, but only one was provided. Destination could not be determined`
    );
  const dest = node.args[node.args.length - 1];
  if (parseHeredocWordSafe(dest))
    throw new InstructionError(`${name} cannot accept a heredoc as a destination`);
  const sources = [];
  const sourceContents = [];
  const srcs = node.args.slice(0, -1);
  if (node.heredocs.length === 0) sources.push(...srcs);
  else {
    const byName = new Map(node.heredocs.map((h) => [h.name, h]));
    for (const src of srcs) {
      const h = parseHeredocWordSafe(src);
      if (!h) {
        sources.push(src);
        continue;
      }
      const content = byName.get(h.name)?.content ?? "";
      sourceContents.push({
        name: h.name,
        data: h.chomp ? chompHeredocContent(content) : content,
        expand: h.expand,
        chomp: h.chomp
      });
    }
  }
  return { sources, sourceContents, dest, link: false, exclude: [], json: node.json };
}
function parseHeredocWordSafe(word) {
  try {
    return parseHeredocWord(word);
  } catch (e) {
    throw new InstructionError(e.message);
  }
}
function parseHealthcheck(node) {
  if (node.args.length === 0) throw atLeastOne("HEALTHCHECK");
  let typ = node.args[0].toUpperCase();
  const args = node.args.slice(1);
  const empty = {
    test: [],
    interval: 0,
    timeout: 0,
    startPeriod: 0,
    startInterval: 0,
    retries: 0
  };
  if (typ === "NONE") {
    if (args.length !== 0) throw new InstructionError("HEALTHCHECK NONE takes no arguments");
    return { ...empty, test: ["NONE"] };
  }
  const f = flagsOf(node, {
    interval: "string",
    timeout: "string",
    "start-period": "string",
    "start-interval": "string",
    retries: "string"
  });
  if (typ !== "CMD") throw new InstructionError(`Unknown type "${typ}" in HEALTHCHECK (try CMD)`);
  const cmdSlice = args.length === 0 ? [] : node.json ? args : [args.join(" ")];
  if (cmdSlice.length === 0) throw new InstructionError("Missing command after HEALTHCHECK CMD");
  if (!node.json) typ = "CMD-SHELL";
  let retries = 0;
  const r = f.strings.get("retries");
  if (r !== void 0 && r !== "") {
    if (!/^[+-]?\d+$/.test(r) || Math.abs(Number(r)) > 2 ** 31 - 1)
      throw new InstructionError(`strconv.ParseInt: parsing "${r}": invalid syntax`);
    retries = Number(r);
    if (retries < 0) throw new InstructionError(`--retries cannot be negative (${retries})`);
  }
  return {
    test: [typ, ...cmdSlice],
    interval: parseDurationFlag("interval", f.strings.get("interval")),
    timeout: parseDurationFlag("timeout", f.strings.get("timeout")),
    startPeriod: parseDurationFlag("start-period", f.strings.get("start-period")),
    startInterval: parseDurationFlag("start-interval", f.strings.get("start-interval")),
    retries
  };
}
function parseRun(node, base) {
  const f = flagsOf(node, { mount: "strings", network: "string", security: "string" });
  const mountSpecs = f.lists.get("mount") ?? [];
  const mounts = [];
  for (const spec of mountSpecs) {
    try {
      mounts.push(parseMount(spec));
    } catch (e) {
      if (e instanceof MountError) throw new InstructionError(e.message);
      throw e;
    }
  }
  const network = f.strings.get("network");
  if (network !== void 0 && network !== "default" && network !== "none" && network !== "host")
    throw new InstructionError(`unsupported network mode "${network}"`);
  const security = f.strings.get("security");
  if (security !== void 0 && security !== "sandbox" && security !== "insecure")
    throw new InstructionError(`unsupported security mode "${security}"`);
  const sd = shellDependent(node, false);
  const files = node.heredocs.map((h) => ({
    name: h.name,
    data: h.content,
    expand: h.expand,
    chomp: h.chomp
  }));
  const cmd = { kind: "RUN", ...base, ...sd, files, mountSpecs, mounts };
  if (network !== void 0) cmd.network = network;
  if (security !== void 0) cmd.security = security;
  return cmd;
}
function noFlags(node) {
  flagsOf(node, {});
}
function parseNode(node) {
  const base = { line: node.startLine, endLine: node.endLine, original: node.original.trim() };
  switch (node.instruction) {
    case "from": {
      const f = flagsOf(node, { platform: "string" });
      const a = node.args;
      let stageName;
      if (a.length === 3 && a[1].toLowerCase() === "as") {
        stageName = a[2].toLowerCase();
        if (!STAGE_NAME.test(stageName))
          throw new InstructionError(
            `invalid name for build stage: "${a[2]}", name can't start with a number or contain symbols`
          );
      } else if (a.length !== 1) throw new InstructionError("FROM requires either one or three arguments");
      const cmd = { kind: "FROM", ...base, image: a[0] };
      if (stageName !== void 0) cmd.stageName = stageName;
      const p = f.strings.get("platform");
      if (p !== void 0 && p !== "") cmd.platform = p;
      return cmd;
    }
    case "run":
      return parseRun(node, base);
    case "cmd":
      noFlags(node);
      return { kind: "CMD", ...base, ...shellDependent(node, true) };
    case "entrypoint":
      noFlags(node);
      return { kind: "ENTRYPOINT", ...base, ...shellDependent(node, true) };
    case "label":
      noFlags(node);
      return { kind: "LABEL", ...base, labels: keyValues(node, "LABEL") };
    case "env":
      noFlags(node);
      return { kind: "ENV", ...base, env: keyValues(node, "ENV") };
    case "maintainer":
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne("MAINTAINER");
      return { kind: "MAINTAINER", ...base, maintainer: node.args[0] };
    case "expose":
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne("EXPOSE");
      return { kind: "EXPOSE", ...base, ports: [...node.args].sort() };
    case "add": {
      const f = flagsOf(node, {
        chown: "string",
        chmod: "string",
        link: "bool",
        "keep-git-dir": "bool",
        checksum: "string",
        exclude: "strings",
        unpack: "bool"
      });
      const cmd = { kind: "ADD", ...base, ...copyLike(node, "ADD") };
      applyCopyFlags(cmd, f);
      const keep = f.bools.get("keep-git-dir");
      if (keep !== void 0) cmd.keepGitDir = keep;
      const checksum = f.strings.get("checksum");
      if (checksum !== void 0 && checksum !== "") cmd.checksum = checksum;
      const unpack = f.bools.get("unpack");
      if (unpack !== void 0) cmd.unpack = unpack;
      return cmd;
    }
    case "copy": {
      const f = flagsOf(node, {
        from: "string",
        chown: "string",
        chmod: "string",
        link: "bool",
        parents: "bool",
        exclude: "strings"
      });
      const cmd = {
        kind: "COPY",
        ...base,
        ...copyLike(node, "COPY"),
        parents: f.bools.get("parents") ?? false
      };
      applyCopyFlags(cmd, f);
      const from = f.strings.get("from");
      if (from !== void 0 && from !== "") cmd.from = from;
      return cmd;
    }
    case "volume": {
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne("VOLUME");
      const volumes = node.args.map((v) => v.trim());
      if (volumes.some((v) => v === ""))
        throw new InstructionError("VOLUME specified can not be an empty string");
      return { kind: "VOLUME", ...base, volumes };
    }
    case "user":
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne("USER");
      return { kind: "USER", ...base, user: node.args[0] };
    case "workdir":
      noFlags(node);
      if (node.args.length !== 1) throw exactlyOne("WORKDIR");
      return { kind: "WORKDIR", ...base, path: node.args[0] };
    case "arg": {
      noFlags(node);
      if (node.args.length === 0) throw atLeastOne("ARG");
      const args = node.args.map((w) => {
        const eq = w.indexOf("=");
        if (eq < 0) return { key: w };
        if (eq === 0) throw new InstructionError("ARG names can not be blank");
        return { key: w.slice(0, eq), value: w.slice(eq + 1) };
      });
      return { kind: "ARG", ...base, args };
    }
    case "onbuild": {
      noFlags(node);
      if (!node.sub) throw atLeastOne("ONBUILD");
      const trigger = node.sub.keyword.toUpperCase();
      if (trigger === "ONBUILD")
        throw new InstructionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (trigger === "MAINTAINER" || trigger === "FROM")
        throw new InstructionError(`${trigger} isn't allowed as an ONBUILD trigger`);
      let expression = node.original.replace(/^\s*ONBUILD\s*/i, "");
      for (const h of node.sub.heredocs) expression += "\n" + h.content + h.name;
      return { kind: "ONBUILD", ...base, expression };
    }
    case "stopsignal":
      if (node.args.length !== 1) throw exactlyOne("STOPSIGNAL");
      return { kind: "STOPSIGNAL", ...base, signal: node.args[0] };
    case "healthcheck":
      return { kind: "HEALTHCHECK", ...base, health: parseHealthcheck(node) };
    case "shell": {
      noFlags(node);
      const sd = shellDependent(node, false);
      if (sd.cmdLine.length === 0) throw atLeastOne("SHELL");
      if (!node.json) throw new InstructionError("SHELL requires the arguments to be in JSON form");
      return { kind: "SHELL", ...base, shell: sd.cmdLine };
    }
    default: {
      const hint = suggest(node.keyword, INSTRUCTIONS);
      throw new InstructionError(
        `unknown instruction "${node.keyword.toUpperCase()}"${hint ? ` (did you mean ${hint}?)` : ""}`
      );
    }
  }
}
function applyCopyFlags(cmd, f) {
  const chown = f.strings.get("chown");
  if (chown !== void 0 && chown !== "") cmd.chown = chown;
  const chmod2 = f.strings.get("chmod");
  if (chmod2 !== void 0 && chmod2 !== "") cmd.chmod = chmod2;
  cmd.link = f.bools.get("link") ?? false;
  cmd.exclude = f.lists.get("exclude") ?? [];
}
function parseCommand(node, file) {
  try {
    return parseNode(node);
  } catch (e) {
    if (e instanceof InstructionError) throw new DockerfileError(file, node.startLine, e.message);
    throw e;
  }
}
function toInstructions(df) {
  const metaArgs = [];
  const stages = [];
  const warnings = [...df.warnings];
  for (const node of df.nodes) {
    const cmd = parseCommand(node, df.file);
    if (cmd.kind === "MAINTAINER")
      warnings.push({
        file: df.file,
        line: cmd.line,
        message: "Maintainer instruction is deprecated in favor of using label"
      });
    const pairs = cmd.kind === "ENV" ? cmd.env : cmd.kind === "LABEL" ? cmd.labels : [];
    if (pairs.some((kv) => kv.noDelim))
      warnings.push({
        file: df.file,
        line: cmd.line,
        message: `"${cmd.kind} key=value" should be used instead of legacy "${cmd.kind} key value" format`
      });
    if (cmd.kind === "FROM") {
      const stage = { from: cmd, index: stages.length, commands: [] };
      if (cmd.stageName !== void 0) stage.name = cmd.stageName;
      stages.push(stage);
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      if (cmd.kind === "ARG") {
        metaArgs.push(cmd);
        continue;
      }
      throw new DockerfileError(df.file, cmd.line, "no build stage in current context");
    }
    current.commands.push(cmd);
  }
  return { file: df.file, escapeToken: df.escapeToken, metaArgs, stages, warnings };
}

// src/dockerfile/stages.ts
function formatPlatform(p) {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}
function platformArgs(platform, buildPlatform) {
  return {
    TARGETPLATFORM: formatPlatform(platform),
    TARGETOS: platform.os,
    TARGETARCH: platform.architecture,
    TARGETVARIANT: platform.variant ?? "",
    BUILDPLATFORM: formatPlatform(buildPlatform),
    BUILDOS: buildPlatform.os,
    BUILDARCH: buildPlatform.architecture,
    BUILDVARIANT: buildPlatform.variant ?? ""
  };
}
function isBuiltinArg(name) {
  return PROXY_ARGS.includes(name) || name.startsWith("BUILDKIT_") || name === "SOURCE_DATE_EPOCH";
}
function stageArgValue(arg, plan, buildArgs, expandDefault) {
  if (Object.hasOwn(buildArgs, arg.key)) return buildArgs[arg.key];
  if (arg.value !== void 0) return expandDefault(arg.value);
  const g = plan.globalArgs.get(arg.key);
  if (g !== void 0) return g;
  if (Object.hasOwn(plan.platformArgs, arg.key)) return plan.platformArgs[arg.key];
  return void 0;
}
function lookupOf(globals, platform) {
  return (n) => {
    if (globals.has(n)) return globals.get(n);
    return Object.hasOwn(platform, n) ? platform[n] : void 0;
  };
}
function expandOrFail(word, lookup, escapeToken, file, line) {
  try {
    return expandWord(word, lookup, { escapeToken });
  } catch (e) {
    if (e instanceof ExpansionError) throw new DockerfileError(file, line, e.message);
    throw e;
  }
}
function planBuild(dockerfile, opts) {
  const ins = "nodes" in dockerfile ? toInstructions(dockerfile) : dockerfile;
  const { file, escapeToken } = ins;
  if (ins.stages.length === 0) throw new DockerfileError(file, 1, "dockerfile contains no stages to build");
  const pArgs = platformArgs(opts.platform, opts.buildPlatform);
  const globals = /* @__PURE__ */ new Map();
  const lookup = lookupOf(globals, pArgs);
  for (const cmd of ins.metaArgs) {
    for (const a of cmd.args) {
      if (Object.hasOwn(opts.buildArgs, a.key)) globals.set(a.key, opts.buildArgs[a.key]);
      else if (a.value !== void 0)
        globals.set(a.key, expandOrFail(a.value, lookup, escapeToken, file, cmd.line));
      else if (!globals.has(a.key)) globals.set(a.key, void 0);
    }
  }
  const byName = /* @__PURE__ */ new Map();
  const stages = [];
  for (const def of ins.stages) {
    const line = def.from.line;
    const image = expandOrFail(def.from.image, lookup, escapeToken, file, line);
    if (image === "")
      throw new DockerfileError(file, line, `base name (${def.from.image}) should not be blank`);
    let base;
    const earlier = byName.get(image.toLowerCase());
    if (earlier !== void 0) base = { kind: "stage", index: earlier };
    else if (image.toLowerCase() === "scratch") base = { kind: "scratch" };
    else base = { kind: "image", ref: image };
    const stage = {
      index: def.index,
      line,
      base,
      commands: def.commands,
      sources: /* @__PURE__ */ new Map(),
      dependsOn: base.kind === "stage" ? [base.index] : [],
      needed: false
    };
    if (def.from.platform !== void 0) {
      const p = expandOrFail(def.from.platform, lookup, escapeToken, file, line);
      if (p !== "") stage.platform = p;
    }
    if (def.name !== void 0) {
      stage.name = def.name;
      if (byName.has(def.name)) throw new DockerfileError(file, line, `duplicate stage name "${def.name}"`);
      byName.set(def.name, def.index);
    }
    stages.push(stage);
  }
  const resolve2 = (from, cmd) => {
    const v = expandOrFail(from, lookup, escapeToken, file, cmd.line);
    if (/^[+-]?\d+$/.test(v)) {
      const n = Number(v);
      if (n < 0 || n >= stages.length) throw new DockerfileError(file, cmd.line, `invalid stage index ${n}`);
      return { kind: "stage", index: n };
    }
    const named = byName.get(v.toLowerCase());
    if (named !== void 0) return { kind: "stage", index: named };
    if (v === "") throw new DockerfileError(file, cmd.line, "invalid empty source reference");
    return { kind: "image", ref: v };
  };
  for (const stage of stages) {
    for (const cmd of stage.commands) {
      const refs = [];
      if (cmd.kind === "COPY" && cmd.from !== void 0) refs.push(resolve2(cmd.from, cmd));
      if (cmd.kind === "RUN") {
        for (const m of cmd.mounts) if (m.from !== void 0) refs.push(resolve2(m.from, cmd));
      }
      if (refs.length === 0) continue;
      stage.sources.set(cmd, refs);
      for (const r of refs) {
        if (r.kind !== "stage") continue;
        if (r.index >= stage.index) {
          const target2 = stages[r.index];
          const what = target2.name ?? String(target2.index);
          if (r.index === stage.index || dependsOnStage(stages, r.index, stage.index))
            throw new DockerfileError(file, cmd.line, `circular dependency detected on stage: ${what}`);
          throw new DockerfileError(
            file,
            cmd.line,
            `cannot copy from stage "${what}", it needs to be defined before current stage "${stage.name ?? stage.index}"`
          );
        }
        if (!stage.dependsOn.includes(r.index)) stage.dependsOn.push(r.index);
      }
    }
  }
  let target = stages.length - 1;
  if (opts.target !== void 0 && opts.target !== "") {
    const t = byName.get(opts.target.toLowerCase());
    if (t === void 0)
      throw new DockerfileError(file, 1, `target stage "${opts.target}" could not be found`);
    target = t;
  }
  const visit = (i) => {
    const s = stages[i];
    if (s.needed) return;
    s.needed = true;
    for (const d of s.dependsOn) visit(d);
  };
  visit(target);
  const declared = /* @__PURE__ */ new Set();
  for (const cmd of ins.metaArgs) for (const a of cmd.args) declared.add(a.key);
  for (const s of stages) {
    if (!s.needed) continue;
    for (const cmd of s.commands) if (cmd.kind === "ARG") for (const a of cmd.args) declared.add(a.key);
  }
  const unusedBuildArgs = Object.keys(opts.buildArgs).filter((k) => !declared.has(k) && !isBuiltinArg(k)).sort();
  const warnings = [...ins.warnings];
  if (unusedBuildArgs.length > 0)
    warnings.push({
      file,
      line: 1,
      message: `One or more build-args [${unusedBuildArgs.join(" ")}] were not consumed`
    });
  return {
    allStages: stages,
    stages: stages.filter((s) => s.needed),
    target,
    globalArgs: globals,
    platformArgs: pArgs,
    unusedBuildArgs,
    warnings,
    escapeToken,
    file
  };
}
function dependsOnStage(stages, from, on) {
  const seen = /* @__PURE__ */ new Set();
  const stack = [from];
  while (stack.length > 0) {
    const i = stack.pop();
    if (i === on) return true;
    if (seen.has(i)) continue;
    seen.add(i);
    const s = stages[i];
    stack.push(...s.dependsOn);
    for (const refs of s.sources.values()) for (const r of refs) if (r.kind === "stage") stack.push(r.index);
    for (const cmd of s.commands) {
      if (cmd.kind === "COPY" && cmd.from !== void 0) {
        const n = stages.findIndex((x) => x.name === cmd.from.toLowerCase());
        if (n >= 0) stack.push(n);
      }
    }
  }
  return false;
}

// src/sandbox/deferred.ts
var DeferredSandbox = class {
  #choose;
  #chosen;
  /** `choose` selects the sandbox (and says which); called once, at the first RUN. */
  constructor(choose) {
    this.#choose = choose;
  }
  async run(spec) {
    this.#chosen ??= this.#choose();
    return (await this.#chosen).run(spec);
  }
  /** Nothing was kept for a root when no RUN ever chose a sandbox. */
  async release(rootfs) {
    if (!this.#chosen) return;
    const sandbox = await this.#chosen.catch(() => void 0);
    await sandbox?.release?.(rootfs);
  }
};

// src/build/base-trees.ts
var import_promises2 = __toESM(require_promises(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);
var BaseTrees = class {
  shared = /* @__PURE__ */ new Map();
  made = 0;
  root;
  /** `root` holds the shared extractions (inside the build's work directory). */
  constructor(root) {
    this.root = root;
  }
  /** Announces one more stage that will start from the base named `key`. */
  expect(key) {
    const s = this.shared.get(key);
    if (s) s.expected++;
    else this.shared.set(key, { expected: 1, taken: 0, layers: "", copies: [] });
  }
  /**
   * Fills `into` with the base `key` made of `layers` (digests in order), extracting it with
   * `extract` once for every stage that asks. Returns the image paths extraction skipped, or
   * undefined when this stage should extract for itself (no other stage shares the base).
   */
  async take(key, layers, into, extract) {
    const s = this.shared.get(key);
    const chain = layers.join(",");
    if (!s || s.expected < 2 || s.extracted && s.layers !== chain) return void 0;
    s.taken++;
    const last = s.taken === s.expected;
    if (!s.extracted) {
      const dir2 = (0, import_node_path2.join)(this.root, `base-${this.made++}`);
      s.layers = chain;
      s.extracted = extract(dir2).then((skipped2) => ({ dir: dir2, skipped: skipped2 }));
    }
    const { dir, skipped } = await s.extracted;
    if (!last) {
      const copy = (0, import_promises2.rm)(into, { recursive: true, force: true }).then(() => copyTree(dir, into));
      s.copies.push(copy);
      await copy;
      return skipped;
    }
    await Promise.allSettled(s.copies);
    await (0, import_promises2.rm)(into, { recursive: true, force: true });
    await (0, import_promises2.rename)(dir, into);
    return skipped;
  }
};

// src/image/digest-files.ts
var import_promises3 = __toESM(require_promises(), 1);
async function imageMetadata(image, digest, destinations) {
  const [manifest, raw, mediaType] = await Promise.all([
    image.manifest(),
    image.rawManifest(),
    image.mediaType()
  ]);
  const size = manifest.layers.reduce((n, l) => n + l.size, manifest.config.size);
  return {
    "containerimage.descriptor": { mediaType, digest, size: raw.length },
    "containerimage.config.digest": manifest.config.digest,
    "containerimage.digest": digest,
    ...destinations.length > 0 ? { "image.name": destinations.map((d) => d.toString()).join(",") } : {},
    "kaniko-ts.image.size": size
  };
}
async function writeDigestFiles(paths, digest, destinations) {
  if (paths.digestFile) await (0, import_promises3.writeFile)(paths.digestFile, digest);
  if (paths.imageNameWithDigestFile)
    await (0, import_promises3.writeFile)(paths.imageNameWithDigestFile, destinations.map((d) => `${d.name}@${digest}
`).join(""));
  if (paths.imageNameTagWithDigestFile)
    await (0, import_promises3.writeFile)(
      paths.imageNameTagWithDigestFile,
      destinations.map((d) => `${d.name}:${d.tag ?? "latest"}@${digest}
`).join("")
    );
}
async function writeMetadataFile(path, image, digest, destinations) {
  const metadata = await imageMetadata(image, digest, destinations);
  await writeFileAtomic(path, `${JSON.stringify(metadata, null, 2)}
`);
}

// src/build/outputs.ts
async function writeOutputs(image, destinations, opts, registry, log, ahead = {}) {
  let digest = await image.digest();
  let pushed = false;
  const local = [];
  if (opts.tarPath) {
    const tarPath = opts.tarPath;
    const tags = destinations.map((d) => d.toString());
    local.push(
      import("./tarball-FMXMLL5G.js").then(
        ({ writeDockerArchive }) => writeDockerArchive(image, tarPath, tags.length > 0 ? tags : ["kaniko-ts/image:latest"])
      )
    );
  }
  if (opts.ociLayoutPath) {
    const layoutPath = opts.ociLayoutPath;
    local.push(import("./layout-BBKCXJDC.js").then(({ writeOciLayout }) => writeOciLayout(image, layoutPath)));
  }
  if (!opts.noPush && destinations.length > 0) {
    const step = log.step(`pushing ${destinations.map((d) => d.toString()).join(", ")}`);
    const progress = log.interactive ? new ByteProgress(step, "uploaded") : void 0;
    const result = await pushImage(image, destinations, registry, {
      ...progress ? { onBytes: (n) => progress.add(n) } : {},
      ...ahead.sessions ? { sessions: ahead.sessions } : {},
      ...ahead.present ? { present: ahead.present.lookup } : {}
    });
    progress?.finish();
    digest = result.digest;
    pushed = true;
    step.log(`digest ${digest}`);
    step.done();
  }
  await Promise.all(local);
  await writeDigestFiles(
    {
      ...opts.digestFile ? { digestFile: opts.digestFile } : {},
      ...opts.imageNameWithDigestFile ? { imageNameWithDigestFile: opts.imageNameWithDigestFile } : {},
      ...opts.imageNameTagWithDigestFile ? { imageNameTagWithDigestFile: opts.imageNameTagWithDigestFile } : {}
    },
    digest,
    destinations
  );
  if (opts.metadataFile) await writeMetadataFile(opts.metadataFile, image, digest, destinations);
  return { digest, pushed };
}

// src/build/rootfs-lazy.ts
var LazyRootfs = class {
  dir;
  make;
  loaded;
  loading;
  /** ignore() before the implementation exists (it is synchronous). */
  ignored = [];
  constructor(dir, make) {
    this.dir = dir;
    this.make = make;
  }
  real() {
    this.loading ??= this.make().then((r) => {
      if (this.ignored.length > 0) r.ignore(this.ignored);
      this.loaded = r;
      return r;
    });
    return this.loading;
  }
  get materialized() {
    return this.loaded?.materialized ?? false;
  }
  async materialize(layers, signal) {
    return (await this.real()).materialize(layers, signal);
  }
  async applyLayers(layers, signal) {
    return (await this.real()).applyLayers(layers, signal);
  }
  async cloneFrom(other) {
    return (await this.real()).cloneFrom(other);
  }
  async snapshotAll(createdDirs) {
    return (await this.real()).snapshotAll(createdDirs);
  }
  async snapshotPaths(paths) {
    return (await this.real()).snapshotPaths(paths);
  }
  ignore(paths) {
    if (this.loaded) this.loaded.ignore(paths);
    else this.ignored.push(...paths);
  }
};
function lazyStageRootfs(ctx, dir, shareKey) {
  return new LazyRootfs(
    dir,
    async () => (await import("./rootfs-impl-YQLOBK5C.js")).createStageRootfs(ctx, dir, shareKey)
  );
}

// src/build/stage.ts
var import_promises4 = __toESM(require_promises(), 1);
var import_node_path4 = __toESM(require_node_path(), 1);

// src/dockerfile/expand.ts
var CommandValueError = class extends Error {
};
function validateChmod(value) {
  if (/^[0-9]+$/.test(value)) {
    if (!/^[0-7]+$/.test(value) || Number.parseInt(value, 8) > 4095)
      throw new CommandValueError(
        `invalid chmod parameter: '${value}'. it should be octal string and between 0 and 07777`
      );
    return;
  }
  const clause = "[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+";
  if (!new RegExp(`^${clause}(?:,${clause})*$`).test(value))
    throw new CommandValueError(`invalid chmod parameter: '${value}'`);
}
function expandCommand(cmd, lookup, opts = {}) {
  const file = opts.file ?? "Dockerfile";
  const lex = { escapeToken: opts.escapeToken ?? "\\" };
  const word = (w) => expandWord(w, lookup, lex);
  try {
    return expandInner(cmd, word, lookup, lex);
  } catch (e) {
    if (e instanceof ExpansionError || e instanceof MountError || e instanceof PortError || e instanceof CommandValueError)
      throw new DockerfileError(file, cmd.line, e.message);
    throw e;
  }
}
function kvs(list, word) {
  return list.map((kv) => ({ key: word(kv.key), value: word(kv.value), noDelim: kv.noDelim }));
}
function expandCopyLike(cmd, word, lookup, lex) {
  const out = {
    ...cmd,
    sources: cmd.sources.map(word),
    dest: word(cmd.dest),
    exclude: cmd.exclude.map(word),
    sourceContents: cmd.sourceContents.map(
      (f) => f.expand ? { ...f, data: expandWord(f.data, lookup, { ...lex, escapeToken: "\\", skipProcessQuotes: true }) } : f
    )
  };
  if (cmd.chown !== void 0) out.chown = word(cmd.chown);
  if (cmd.chmod !== void 0) {
    out.chmod = word(cmd.chmod);
    validateChmod(out.chmod);
  }
  if (out.kind === "ADD" && cmd.kind === "ADD" && cmd.checksum !== void 0)
    out.checksum = word(cmd.checksum);
  return out;
}
function expandInner(cmd, word, lookup, lex) {
  const c = cmd;
  switch (c.kind) {
    case "FROM": {
      const out = { ...c, image: word(c.image) };
      if (c.platform !== void 0) out.platform = word(c.platform);
      return out;
    }
    case "ENV":
      return { ...c, env: kvs(c.env, word) };
    case "LABEL":
      return { ...c, labels: kvs(c.labels, word) };
    case "WORKDIR":
      return { ...c, path: word(c.path) };
    case "USER":
      return { ...c, user: word(c.user) };
    case "STOPSIGNAL":
      return { ...c, signal: word(c.signal) };
    case "VOLUME": {
      const volumes = c.volumes.map(word);
      if (volumes.some((v) => v === ""))
        throw new CommandValueError("VOLUME specified can not be an empty string");
      return { ...c, volumes };
    }
    case "EXPOSE": {
      const ports = c.ports.flatMap((p) => expandWords(p, lookup, lex));
      parsePortSpecs(ports);
      return { ...c, ports };
    }
    case "ARG":
      return {
        ...c,
        args: c.args.map((a) => a.value === void 0 ? { ...a } : { key: a.key, value: word(a.value) })
      };
    case "COPY":
    case "ADD":
      return expandCopyLike(c, word, lookup, lex);
    case "RUN": {
      const mounts = c.mountSpecs.map((spec, i) => {
        const m = parseMount(spec, word);
        const before = c.mounts[i];
        if (before?.from !== void 0) m.from = before.from;
        else delete m.from;
        return m;
      });
      return { ...c, mounts };
    }
    default:
      return { ...c };
  }
}

// src/dockerfile/onbuild.ts
function parseOnBuildTriggers(triggers, file, line) {
  return triggers.map((trigger) => {
    try {
      const df = parseDockerfile(trigger, file);
      if (df.nodes.length !== 1)
        throw new DockerfileError(file, line, "onbuild trigger should be a single expression");
      const node = df.nodes[0];
      const kw = node.instruction.toUpperCase();
      if (kw === "ONBUILD" || kw === "FROM" || kw === "MAINTAINER")
        throw new DockerfileError(file, line, `${kw} isn't allowed as an ONBUILD trigger`);
      const cmd = parseCommand({ ...node, startLine: line, endLine: line }, file);
      return cmd;
    } catch (e) {
      if (e instanceof DockerfileError && e.line !== line)
        throw new DockerfileError(file, line, `ONBUILD trigger ${JSON.stringify(trigger)}: ${e.detail}`);
      throw e;
    }
  });
}

// src/build/stage-cache.ts
var import_node_path3 = __toESM(require_node_path(), 1);
function commandKey(parent, cmd, inputs) {
  const { line: _line, endLine: _end, ...rest } = cmd;
  return stepKey(parent, rest, inputs);
}
var digests = /* @__PURE__ */ new WeakMap();
function imageDigest(ctx, ref) {
  let m = digests.get(ctx);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    digests.set(ctx, m);
  }
  let p = m.get(ref);
  if (!p) {
    p = pullImage(parseReference(ref), {
      platform: ctx.platform,
      options: ctx.registry,
      transport: ctx.transport
    }).then((i) => i.digest());
    m.set(ref, p);
  }
  return p;
}
async function sourceIdentity(ctx, ref) {
  if (!ref) return void 0;
  if (ref.kind === "image") return `image:${await imageDigest(ctx, ref.ref)}`;
  const result = await ctx.stageResults.get(ref.index);
  return result?.cacheKey !== void 0 ? `stage:${result.cacheKey}` : void 0;
}
function contentHash(h, compute) {
  let p = h.hashes.get(h.commandNo);
  if (!p) {
    p = Promise.resolve().then(() => {
      try {
        return compute();
      } catch (e) {
        if (e instanceof SourceMissing) return void 0;
        throw e;
      }
    });
    h.hashes.set(h.commandNo, p);
  }
  return p;
}
var isUrl = (s) => /^https?:\/\//i.test(s);
async function layerStepInputs(hooks, step) {
  const { ctx } = hooks;
  const { cmd, config } = step;
  const workdir = config.WorkingDir || "/";
  if (cmd.kind === "WORKDIR") return { user: config.User ?? "" };
  if (cmd.kind === "RUN") {
    const sources = hooks.stageSources(step.raw);
    let fromIndex = 0;
    const mounts = [];
    for (const m of cmd.mounts) {
      const ref = m.from !== void 0 ? sources[fromIndex++] : void 0;
      if (m.type === "secret") {
        const id = m.id ?? (0, import_node_path3.basename)(m.target);
        mounts.push({ secret: id, present: ctx.secrets.has(id) });
      } else if (m.type === "bind") {
        if (ref) {
          const id = await sourceIdentity(ctx, ref);
          if (id === void 0) return void 0;
          mounts.push({ bind: id });
        } else {
          const hash2 = await contentHash(
            step,
            () => hashSources({ base: ctx.contextDir, paths: [m.source ?? "."] })
          );
          if (hash2 === void 0) return void 0;
          mounts.push({ bind: `context:${hash2}` });
        }
      } else if (m.type === "ssh") {
        mounts.push({ ssh: process.env.SSH_AUTH_SOCK !== void 0 });
      }
    }
    return {
      env: runEnv(config, step.args, ctx.buildArgs),
      user: config.User ?? "",
      workdir,
      shell: shellOf(config),
      mounts,
      platform: ctx.platform
    };
  }
  if (cmd.kind !== "COPY" && cmd.kind !== "ADD") return void 0;
  if (cmd.sources.some(isUrl)) return void 0;
  if (cmd.kind === "COPY" && cmd.from !== void 0) {
    const id = await sourceIdentity(ctx, hooks.stageSources(step.raw)[0]);
    return id === void 0 ? void 0 : { workdir, from: id };
  }
  const ignore = ctx.ignore;
  const memo = await hooks.memo;
  const hash = cmd.sources.length === 0 ? "" : await contentHash(
    step,
    () => hashSources({
      base: ctx.contextDir,
      paths: cmd.sources,
      ...ignore ? { ignored: (rel) => ignore.matches(rel) } : {},
      exclude: cmd.exclude,
      ...ignore ? { ignoreId: ignore.patterns.join("\n") } : {},
      ...memo ? { memo } : {}
    })
  );
  return hash === void 0 ? void 0 : { workdir, context: hash };
}

// src/build/stage.ts
function makeLookup(config, args) {
  const env = envToMap(config.config?.Env);
  const argMap = new Map(args);
  return (name) => env.has(name) ? env.get(name) : argMap.get(name);
}
var StageBuilder = class _StageBuilder {
  ctx;
  input;
  config;
  meta;
  layers = [];
  /** ARGs declared in this stage so far, in order, with their values. */
  args = [];
  created;
  /** The cache key chain so far; undefined without a cache or once a step is not keyable. */
  chain;
  /** Only compute the keys (the pass that starts every lookup before any file is touched). */
  keysOnly;
  /** Content hashes of COPY/ADD sources by command number, shared by both passes. */
  hashes;
  /** Cached layers used so far; the rootfs is these on top of the base when a step misses. */
  hits = [];
  missed = false;
  /** The stage's cacheable steps so far with their layers, for its chain; undefined once one had no key. */
  chainSteps = [];
  commandNo = 0;
  hooks;
  constructor(ctx, input, internal = {}) {
    this.ctx = ctx;
    this.input = input;
    const base = structuredClone(input.baseConfig);
    base.config = base.config ?? {};
    if (!(base.config.Env ?? []).some((e) => e.startsWith("PATH=")))
      base.config.Env = [DEFAULT_PATH_ENV, ...base.config.Env ?? []];
    this.config = base;
    this.meta = { config: base.config, cmdSet: false, ...base.author ? { author: base.author } : {} };
    this.created = ctx.created;
    this.chain = input.cache?.rootKey;
    this.keysOnly = internal.keysOnly ?? false;
    this.hashes = internal.hashes ?? /* @__PURE__ */ new Map();
    this.hooks = input.cache ? {
      ctx,
      stageSources: (raw) => input.stage.sources.get(raw) ?? [],
      memo: input.cache.layers.hashMemo(ctx.contextDir)
    } : void 0;
  }
  get file() {
    return this.input.plan.file;
  }
  where(cmd) {
    return `${this.file}:${cmd.line}`;
  }
  /** Runs the base image's ONBUILD triggers, then the stage's commands. */
  async build() {
    const { stage } = this.input;
    const triggers = this.onbuildTriggers();
    const commands = [...triggers, ...stage.commands];
    const label = stage.name ? `${stage.name} ` : "";
    if (this.input.cache?.layers.readable && !this.keysOnly) await this.startLookups();
    let n = 0;
    for (const cmd of commands) {
      n++;
      this.commandNo = n;
      this.ctx.signal.throwIfAborted();
      if (this.keysOnly) {
        await this.execute(cmd, void 0);
        continue;
      }
      const step = this.ctx.log.step(`[${label}${n}/${commands.length}] ${cmd.original}`);
      try {
        if (await this.execute(cmd, step)) step.cached();
        else step.done();
      } catch (e) {
        step.fail(e instanceof Error ? e.message : String(e));
        throw e;
      }
    }
    if (this.input.cache && this.chainSteps && !this.keysOnly)
      this.input.cache.layers.storeChain(this.chainSteps, this.input.cache.targetStage);
    this.config.config = this.meta.config;
    if (this.meta.author !== void 0) this.config.author = this.meta.author;
    else delete this.config.author;
    return {
      index: stage.index,
      ...stage.name ? { name: stage.name } : {},
      base: this.input.base,
      layers: this.layers,
      config: this.config,
      rootfs: this.input.rootfs,
      files: async () => {
        await this.ensureRootfs();
        return this.input.rootfs.dir;
      },
      ...this.chain !== void 0 ? { cacheKey: this.chain } : {}
    };
  }
  /**
   * Computes every step's key first (no file is touched: RUN keys need none, COPY keys only the
   * sources) and starts their lookups (the stage's chain, then what it lacks); the real pass then
   * awaits them in order.
   */
  async startLookups() {
    const dry = new _StageBuilder(this.ctx, this.input, { keysOnly: true, hashes: this.hashes });
    const layers = this.input.cache.layers;
    const keys = [];
    dry.onKey = (kind, key) => {
      if (layers.cacheable(kind)) keys.push(key);
    };
    try {
      await dry.build();
    } catch {
    }
    layers.prefetch(keys);
  }
  /** Called by the keys-only pass for every layer step with a key. */
  onKey;
  /** Advances the key chain past a command; returns the step's key (undefined: not keyable). */
  async advance(cmd, inputs) {
    if (this.chain === void 0 || !this.hooks) return void 0;
    const got = inputs ? await inputs : null;
    if (got === void 0) {
      this.chain = void 0;
      return void 0;
    }
    this.chain = commandKey(this.chain, cmd, got);
    return this.chain;
  }
  /**
   * The cache's part in a layer step: in the keys-only pass, the key (returns 'skip'); in the
   * real pass a hit appends the cached layer and returns 'hit'; otherwise the step runs and
   * `stored` puts its layer in the cache.
   */
  async fromCache(kind, cmd, inputs, history) {
    const cache = this.input.cache;
    const key = cache ? await this.advance(cmd, inputs()) : void 0;
    if (this.keysOnly) {
      if (key) this.onKey?.(kind, key);
      return "skip";
    }
    if (!cache || !key || !cache.layers.cacheable(kind)) {
      this.missed = true;
      if (cache?.layers.cacheable(kind)) this.chainSteps = void 0;
      return { key: void 0 };
    }
    if (cache.layers.readable) {
      const layer = await cache.layers.lookup(key);
      if (layer) {
        if (this.missed) {
          await this.ensureRootfs();
          await this.input.rootfs.applyLayers([layer], this.ctx.signal);
        } else this.hits.push(layer);
        this.history(history, layer);
        this.chainSteps?.push({
          key,
          layer,
          created: createdOf(layer) ?? (/* @__PURE__ */ new Date()).toISOString(),
          description: history ?? ""
        });
        return "hit";
      }
    }
    this.missed = true;
    return { key };
  }
  stored(key, layer, description) {
    const cache = this.input.cache;
    if (!cache || !key) return;
    cache.layers.store(key, layer, description ?? "", cache.targetStage);
    this.chainSteps?.push({ key, layer, created: (/* @__PURE__ */ new Date()).toISOString(), description: description ?? "" });
  }
  onbuildTriggers() {
    const triggers = this.input.baseConfig.config?.OnBuild ?? [];
    this.meta.config.OnBuild = null;
    return parseOnBuildTriggers(triggers, this.file, this.input.stage.line);
  }
  history(text, layer) {
    const entry = {
      created: this.created,
      created_by: text ?? "",
      comment: "buildkit.dockerfile.v0"
    };
    this.config = appendLayer(this.config, layer, entry);
    this.config.config = this.meta.config;
    if (layer) this.layers.push(layer);
  }
  async ensureRootfs() {
    if (!this.input.rootfs.materialized) {
      await this.input.rootfs.materialize([...this.input.baseLayers, ...this.hits], this.ctx.signal);
    }
  }
  /** Runs one command; true when its layer came from the cache. */
  async execute(raw, step) {
    const lookup = makeLookup({ ...this.config, config: this.meta.config }, this.args);
    const opts = { file: this.file, escapeToken: this.input.plan.escapeToken };
    const cmd = expandCommand(raw, lookup, opts);
    await this.executeExpanded(raw, cmd, lookup, step);
    return this.lastWasHit;
  }
  lastWasHit = false;
  async executeExpanded(raw, cmd, lookup, step) {
    this.lastWasHit = false;
    const cacheInputs = (kind) => () => layerStepInputs(this.hooks, {
      kind,
      cmd,
      raw,
      config: this.meta.config,
      args: this.args,
      lookup,
      hashes: this.hashes,
      commandNo: this.commandNo
    });
    switch (cmd.kind) {
      case "FROM":
        throw new DockerfileError(this.file, cmd.line, "FROM is not allowed here");
      case "ARG": {
        for (const a of cmd.args) {
          const value = stageArgValue(a, this.input.plan, this.ctx.buildArgs, (w) => {
            return w;
          });
          const i = this.args.findIndex(([k]) => k === a.key);
          if (i >= 0) this.args.splice(i, 1);
          this.args.push([a.key, value]);
        }
        this.history(createdBy(cmd), void 0);
        await this.advance(cmd, void 0);
        return;
      }
      case "WORKDIR": {
        const before = this.meta.config.WorkingDir || "/";
        const wd = normalizeWorkdir(before, cmd.path);
        this.meta.config.WorkingDir = wd;
        const text = createdBy(cmd, { workdir: before });
        if (wd === "/") {
          this.history(text, void 0);
          await this.advance(cmd, void 0);
          return;
        }
        const cached = await this.fromCache("WORKDIR", cmd, cacheInputs("WORKDIR"), text);
        if (cached === "skip") return;
        if (cached === "hit") {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const user = await resolveUser(this.input.rootfs.dir, this.meta.config.User);
        const createdPaths = await mkdirp(this.input.rootfs.dir, wd, user.uid, user.gid);
        const layer = fileLayer(await this.input.rootfs.snapshotPaths(createdPaths));
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      case "RUN": {
        const buildArgs = this.args.map(([key, value]) => ({ key, value: lookup(key) ?? value ?? "" }));
        const text = createdBy(cmd, { shell: this.meta.config.Shell ?? [], buildArgs });
        const cached = await this.fromCache("RUN", cmd, cacheInputs("RUN"), text);
        if (cached === "skip") return;
        if (cached === "hit") {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const { runStep } = await import("./run-step-GH5T5GZF.js");
        const layerFile = await runStep(this.ctx, {
          cmd,
          config: this.meta.config,
          args: this.args,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step
        });
        const layer = fileLayer(layerFile);
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      case "COPY":
      case "ADD": {
        const text = createdBy(cmd, { workdir: this.meta.config.WorkingDir || "/" });
        const cached = await this.fromCache(cmd.kind, cmd, cacheInputs(cmd.kind), text);
        if (cached === "skip") return;
        if (cached === "hit") {
          this.lastWasHit = true;
          return;
        }
        await this.ensureRootfs();
        const { copyStep } = await import("./copy-step-U4G2PMHE.js");
        const layerFile = await copyStep(this.ctx, {
          cmd,
          config: this.meta.config,
          rootfs: this.input.rootfs,
          sources: this.input.stage.sources.get(raw) ?? [],
          where: this.where(cmd),
          step
        });
        const layer = fileLayer(layerFile);
        this.history(text, layer);
        this.stored(cached.key, layer, text);
        return;
      }
      default: {
        const shellBefore = this.meta.config.Shell ?? [];
        applyMetadata(this.meta, cmd);
        await this.advance(cmd, void 0);
        if (cmd.kind === "ONBUILD") return;
        this.history(
          createdBy(cmd, { shell: cmd.kind === "SHELL" ? shellBefore : this.meta.config.Shell ?? [] }),
          void 0
        );
      }
    }
  }
};
async function mkdirp(root, imagePath, uid, gid) {
  const resolved = await resolveInRoot(root, imagePath);
  const created = [];
  for (let i = resolved.existing; i < resolved.inside.length; i++) {
    const inside = `/${resolved.inside.slice(0, i + 1).join("/")}`;
    const host = (0, import_node_path4.join)(root, inside);
    await (0, import_promises4.mkdir)(host);
    await (0, import_promises4.chmod)(host, 493);
    await (0, import_promises4.lchown)(host, uid, gid);
    created.push(inside);
  }
  return created;
}

// src/build/executor.ts
async function makeWorkDirs(opts) {
  let base;
  if (opts.kanikoDirGiven || (0, import_node_fs.existsSync)(opts.kanikoDir) && await (0, import_promises5.access)(opts.kanikoDir, 2).then(
    () => true,
    () => false
  )) {
    await (0, import_promises5.mkdir)(opts.kanikoDir, { recursive: true });
    base = opts.kanikoDir;
  } else {
    base = (0, import_node_os2.tmpdir)();
  }
  const root = await (0, import_promises5.mkdtemp)((0, import_node_path5.join)(base, "kaniko-ts-build-"));
  const dirs = {
    root,
    stages: (0, import_node_path5.join)(root, "stages"),
    layers: (0, import_node_path5.join)(root, "layers"),
    private: (0, import_node_path5.join)(root, "private"),
    cacheMounts: opts.kanikoDirGiven ? (0, import_node_path5.join)(opts.kanikoDir, "cache-mounts") : (0, import_node_path5.join)(root, "cache-mounts")
  };
  await Promise.all([
    (0, import_promises5.mkdir)(dirs.stages),
    (0, import_promises5.mkdir)(dirs.layers),
    (0, import_promises5.mkdir)(dirs.private, { mode: 448 }),
    (0, import_promises5.mkdir)(dirs.cacheMounts, { recursive: true })
  ]);
  return dirs;
}
function sourceDateEpoch(opts) {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env !== void 0 && /^\d+$/.test(env)) return Number(env);
  return opts.reproducible ? 0 : void 0;
}
function finalConfig(config, opts, created, platform) {
  const out = { ...config, created, architecture: platform.architecture, os: platform.os };
  if (platform.variant) out.variant = platform.variant;
  else delete out.variant;
  if (Object.keys(opts.labels).length > 0) {
    out.config = { ...out.config ?? {}, Labels: { ...out.config?.Labels ?? {}, ...opts.labels } };
  }
  return out;
}
async function build(opts, log, signal, hooks = {}) {
  const work = await makeWorkDirs(opts);
  const fromConfig = dockerConfigKeychain();
  const registry = registryOptionsFromFlags(opts.registry, hooks.keychain?.(fromConfig) ?? fromConfig);
  if (log.enabled("debug")) registry.debug = (line) => log.debug(line);
  const transport = transportFor(registry);
  let cache;
  const sessions = new UploadSessions();
  let permission;
  let stagesGone;
  try {
    const context = await resolveContext(opts.context, opts.contextSubPath, {
      workDir: work.root,
      ...opts.git ? { git: opts.git } : {},
      signal,
      log: (l) => log.info(l)
    });
    const dockerfilePath = await resolveDockerfile(opts.dockerfile, context.dir);
    const text = await (0, import_promises5.readFile)(dockerfilePath, "utf8");
    const parsed = parseDockerfile(text, opts.dockerfile);
    const ignore = await loadDockerignore(context.dir, dockerfilePath);
    const build2 = hostPlatform();
    const plan = planBuild(parsed, {
      buildArgs: opts.buildArgs,
      ...opts.target ? { target: opts.target } : {},
      platform: opts.platform,
      buildPlatform: build2
    });
    for (const w of plan.warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);
    const destinations = opts.destinations.map((d) => parseReference(d));
    permission = opts.noPush || opts.skipPushPermissionCheck ? Promise.resolve() : Promise.all(destinations.map((d) => checkPushPermission(d, registry, transport, sessions))).then(
      () => void 0
    );
    permission.catch(() => void 0);
    const present = opts.noPush ? void 0 : new PresentBlobs(transport);
    for (const d of destinations) present?.prefetch(d);
    cache = await loadLayerCache(opts, destinations, registry, transport, log);
    if (cache) registry.concurrency ??= 8;
    const bases = /* @__PURE__ */ new Map();
    if (cache) {
      for (const s of plan.stages) {
        if (s.base.kind !== "image") continue;
        const platform = s.platform ? parsePlatform(s.platform) : opts.platform;
        const key = baseKey(s.base.ref, platform);
        if (bases.has(key)) continue;
        const p = loadBase(opts, log, s.base.ref, platform, registry, transport).then(async (image2) => {
          await image2.rawConfig();
          return image2;
        });
        p.catch(() => void 0);
        bases.set(key, p);
      }
    }
    const selectOptions = {
      ...opts.sandbox !== "auto" ? { forced: opts.sandbox } : {},
      rootfs: work.stages,
      warn: (m) => log.warn(m)
    };
    const inPlace = choosesInPlace(selectOptions);
    const choose = async () => {
      const { selectSandbox } = await import("./select-WLZX7PMF.js");
      const chosen = await selectSandbox(selectOptions);
      log.info(`sandbox: ${chosen.name} (${chosen.reason})`);
      return chosen;
    };
    const sandbox = cache?.readable && opts.sandbox === "auto" && !inPlace ? new DeferredSandbox(choose) : await choose();
    const epoch = sourceDateEpoch(opts);
    const created = new Date(epoch !== void 0 ? epoch * 1e3 : Date.now()).toISOString().replace(/\.000Z$/, "Z");
    const secrets = new Map(opts.secrets.map((s) => [s.id, s]));
    for (const s of opts.secrets) if (s.env && process.env[s.env]) log.mask(process.env[s.env]);
    const pulled = /* @__PURE__ */ new Map();
    const baseTrees = inPlace ? void 0 : new BaseTrees(work.stages);
    for (const s of plan.stages) {
      if (s.base.kind === "image")
        baseTrees?.expect(baseKey(s.base.ref, s.platform ? parsePlatform(s.platform) : opts.platform));
    }
    const ctx = {
      opts,
      log,
      signal,
      sandbox,
      inPlace,
      platform: opts.platform,
      registry,
      transport,
      buildArgs: opts.buildArgs,
      contextDir: context.dir,
      ignore: ignore.path ? ignore.matcher : void 0,
      secrets,
      work,
      created,
      ...epoch !== void 0 ? { sourceDateEpoch: epoch } : {},
      stageResults: /* @__PURE__ */ new Map(),
      ...baseTrees ? { baseTrees } : {},
      pullImage(ref) {
        let p = pulled.get(ref);
        if (!p) {
          p = (async () => {
            const image2 = await pullImage(parseReference(ref), {
              platform: opts.platform,
              options: registry,
              transport
            });
            const rootfs = lazyStageRootfs(ctx, (0, import_node_path5.join)(work.stages, `image-${pulled.size}`));
            await rootfs.materialize(await image2.layers(), signal);
            return { image: image2, rootfs: rootfs.dir };
          })();
          pulled.set(ref, p);
        }
        return p;
      }
    };
    for (const stage of plan.stages) {
      const result = buildStage(ctx, plan, stage, cache, bases);
      result.catch(() => void 0);
      ctx.stageResults.set(stage.index, result);
    }
    const final = await ctx.stageResults.get(plan.target);
    await Promise.all([...ctx.stageResults.values()]);
    await permission;
    signal.throwIfAborted();
    stagesGone = (0, import_promises5.rm)(work.stages, { recursive: true, force: true }).catch(() => void 0);
    const config = finalConfig(final.config, opts, created, opts.platform);
    const image = await mutate(final.base, { layers: final.layers, config, format: "docker" });
    const out = await writeOutputs(image, destinations, opts, registry, log, {
      sessions,
      ...present ? { present } : {}
    });
    log.info(`image digest ${out.digest}`);
    if (cache) {
      await cache.flush();
      const c = cache.counts;
      log.debug(
        `cache: ${c.hits} hit(s), ${c.misses} miss(es), ${c.stored} stored, ${c.storeFailed} failed; stage chains: ${c.chainsFound} found, ${c.chainsStored} stored`
      );
    }
    return { digest: out.digest, pushed: out.pushed, destinations: destinations.map((d) => d.toString()) };
  } finally {
    if (cache && !signal.aborted) await cache.flush().catch(() => void 0);
    await permission?.catch(() => void 0);
    await sessions.cancelAll(transport);
    await closeTransport(registry).catch(() => void 0);
    await stagesGone;
    await (0, import_promises5.rm)(work.root, { recursive: true, force: true }).catch(() => void 0);
  }
}
function baseKey(ref, platform) {
  return `${ref} ${JSON.stringify(platform)}`;
}
async function loadLayerCache(opts, destinations, registry, transport, log) {
  const c = opts.cache;
  if (!c.enabled && c.from.length === 0 && c.to.length === 0) return void 0;
  const { createLayerCache } = await import("./cache-SQXMLSX6.js");
  return createLayerCache(c, {
    destinations,
    registry,
    transport,
    platform: opts.platform,
    warn: (m) => log.warn(m),
    ...log.enabled("debug") ? { debug: (m) => log.debug(m) } : {}
  });
}
async function loadBase(opts, log, ref, platform, registry, transport) {
  const dir = opts.cache.dir;
  if ((0, import_node_fs.existsSync)((0, import_node_path5.join)(dir, "images"))) {
    const { findWarmed } = await import("./warmer-YRQNPRUP.js");
    const image = await findWarmed(dir, ref, platform, opts.cache.ttlMs).catch((e) => {
      log.warn(`cache dir ${dir}: warmed ${ref} is unreadable (${e.message}); pulling it`);
      return void 0;
    });
    if (image) {
      log.info(`using ${ref} from ${dir} (warmer)`);
      return image;
    }
  }
  return pullImage(parseReference(ref), { platform, options: registry, transport });
}
async function stageRootKey(ctx, base, platform) {
  const { stageRootKey: rootKey } = await import("./key-THPENT6M.js");
  let identity;
  if (base === "scratch") identity = "scratch";
  else if ("image" in base) identity = { image: await base.image.digest() };
  else if (base.stage.cacheKey !== void 0) identity = { stage: base.stage.cacheKey };
  else return void 0;
  const o = ctx.opts;
  return rootKey(identity, platform, {
    compression: o.compression,
    ...o.compressionLevel !== void 0 ? { compressionLevel: o.compressionLevel } : {},
    ...ctx.sourceDateEpoch !== void 0 ? { sourceDateEpoch: ctx.sourceDateEpoch } : {},
    reproducible: o.reproducible,
    ignorePaths: o.ignorePaths,
    ...o.ignoreVarRun !== void 0 ? { ignoreVarRun: o.ignoreVarRun } : {}
  });
}
async function buildStage(ctx, plan, stage, cache, bases) {
  if (ctx.inPlace) for (const dep of stage.dependsOn) await ctx.stageResults.get(dep);
  const platform = stage.platform ? parsePlatform(stage.platform) : ctx.platform;
  const keepAt = (0, import_node_path5.join)(ctx.work.stages, String(stage.index));
  let inPlace;
  if (ctx.inPlace) {
    const { InPlaceRootfs, inPlaceIgnorePaths } = await import("./rootfs-in-place-2ETPYPAU.js");
    inPlace = new InPlaceRootfs(ctx, await inPlaceIgnorePaths(ctx));
  }
  const rootfs = inPlace ?? lazyStageRootfs(ctx, keepAt, stage.base.kind === "image" ? baseKey(stage.base.ref, platform) : void 0);
  let base;
  let baseConfig;
  let baseLayers = [];
  let rootKey = Promise.resolve(void 0);
  if (stage.base.kind === "scratch") {
    if (cache) rootKey = stageRootKey(ctx, "scratch", platform);
    base = "scratch";
    baseConfig = scratchConfig(platform);
    baseConfig.config = { WorkingDir: "/" };
  } else if (stage.base.kind === "stage") {
    const parent = await ctx.stageResults.get(stage.base.index);
    base = await mutate(parent.base, { layers: parent.layers, config: parent.config, format: "docker" });
    baseConfig = parent.config;
    if (cache) rootKey = stageRootKey(ctx, { stage: parent }, platform);
    if (parent.rootfs.materialized && !cache) await rootfs.cloneFrom(parent.rootfs);
    else baseLayers = await base.layers();
  } else {
    const step = ctx.log.step(`[internal] load metadata for ${stage.base.ref}`);
    const image = await (bases?.get(baseKey(stage.base.ref, platform)) ?? loadBase(ctx.opts, ctx.log, stage.base.ref, platform, ctx.registry, ctx.transport));
    base = image;
    if (cache) rootKey = stageRootKey(ctx, { image }, platform);
    [baseConfig, baseLayers] = await Promise.all([image.config(), image.layers()]);
    step.done();
  }
  const key = await rootKey;
  const stageCache = cache && key !== void 0 ? { layers: cache, rootKey: key, targetStage: stage.index === plan.target } : void 0;
  if (!inPlace) {
    try {
      return await new StageBuilder(ctx, {
        plan,
        stage,
        base,
        baseConfig,
        baseLayers,
        rootfs,
        ...stageCache ? { cache: stageCache } : {}
      }).build();
    } finally {
      await ctx.sandbox.release?.(rootfs.dir);
    }
  }
  const neededLater = plan.stages.some((s) => s.index > stage.index && s.dependsOn.includes(stage.index));
  let result;
  try {
    result = await new StageBuilder(ctx, {
      plan,
      stage,
      base,
      baseConfig,
      baseLayers,
      rootfs,
      ...stageCache ? { cache: stageCache } : {}
    }).build();
  } finally {
    const kept = await inPlace.finish(result && neededLater ? keepAt : void 0);
    if (result && kept) {
      const layers = baseLayers;
      result = {
        ...result,
        rootfs: kept,
        files: async () => {
          await kept.materialize(layers, ctx.signal);
          return kept.dir;
        }
      };
    }
  }
  return result;
}
export {
  build
};
