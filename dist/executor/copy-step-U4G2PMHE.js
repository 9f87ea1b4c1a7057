const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  sourceDir
} from "./chunk-XEUDKKCY.js";
import {
  goMatch,
  hasWildcard
} from "./chunk-5C3BL7RE.js";
import {
  require_promises as require_promises2
} from "./chunk-PGPEOOSP.js";
import {
  DockerfileError
} from "./chunk-EOFCRA5Y.js";
import {
  import_agent,
  interceptors,
  request
} from "./chunk-S2V5PZBG.js";
import {
  ScopedRoot,
  detectCompression,
  extractLayer
} from "./chunk-2PKG5B6T.js";
import {
  CopyError,
  DownloadError,
  SourceNotFoundError
} from "./chunk-QTTXRMTW.js";
import {
  require_node_child_process
} from "./chunk-Y3A2L6LS.js";
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
import "./chunk-XBC7G4DO.js";
import {
  require_node_stream
} from "./chunk-77QJEF4W.js";
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

// src/build/copy-step.ts
var import_promises3 = __toESM(require_promises(), 1);
var import_node_path3 = __toESM(require_node_path(), 1);

// src/fs/copy.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_path = __toESM(require_node_path(), 1);

// src/fs/chmod.ts
function parseChmod(spec) {
  if (/^[0-7]{1,4}$/.test(spec)) {
    const m = Number.parseInt(spec, 8);
    return () => m;
  }
  const clauses = spec.split(",").map((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) throw new CopyError(`invalid --chmod ${JSON.stringify(spec)}`);
    return { who: m[1] || "a", op: m[2], perms: m[3] };
  });
  return (mode, isDir) => {
    let out = mode & 4095;
    for (const { who, op, perms } of clauses) {
      let mask = 0;
      if (/[ua]/.test(who)) mask |= 2496;
      if (/[ga]/.test(who)) mask |= 1080;
      if (/[oa]/.test(who)) mask |= 519;
      let bits = 0;
      const execAny = isDir || (mode & 73) !== 0;
      for (const p of perms) {
        if (p === "r") bits |= 292;
        else if (p === "w") bits |= 146;
        else if (p === "x" || p === "X" && execAny) bits |= 73;
        else if (p === "s") bits |= 3072;
        else if (p === "t") bits |= 512;
      }
      bits &= mask;
      if (op === "+") out |= bits;
      else if (op === "-") out &= ~bits;
      else out = out & ~(mask & 4095) | bits;
    }
    return out;
  };
}

// src/fs/owner.ts
var import_node_fs = __toESM(require_node_fs(), 1);
function readDb(root, file) {
  const scoped = new ScopedRoot(root);
  const dir = scoped.resolveDir("/etc");
  if (dir === void 0) return [];
  try {
    const text = (0, import_node_fs.readFileSync)(scoped.host(`${dir}/${file.slice(5)}`), "utf8");
    return text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(":"));
  } catch {
    return [];
  }
}
var isId = (s) => /^\d+$/.test(s);
function resolveOwner(root, spec) {
  const [user = "", group] = spec.split(":", 2);
  if (user === "") throw new CopyError(`invalid --chown ${JSON.stringify(spec)}`);
  let uid;
  if (isId(user)) uid = Number(user);
  else {
    const row = readDb(root, "/etc/passwd").find((r) => r[0] === user);
    if (!row || !isId(row[2] ?? ""))
      throw new CopyError(`--chown: unknown user ${JSON.stringify(user)} in /etc/passwd`);
    uid = Number(row[2]);
  }
  if (group === void 0 || group === "") return { uid, gid: uid };
  if (isId(group)) return { uid, gid: Number(group) };
  const g = readDb(root, "/etc/group").find((r) => r[0] === group);
  if (!g || !isId(g[2] ?? ""))
    throw new CopyError(`--chown: unknown group ${JSON.stringify(group)} in /etc/group`);
  return { uid, gid: Number(g[2]) };
}

// src/fs/copy.ts
var isRoot = process.getuid?.() === 0;
function joinImage(dir, name) {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}
function excludedBy(patterns, rel) {
  if (patterns.length === 0) return false;
  const parts = rel.split("/");
  for (const raw of patterns) {
    const p = import_node_path.posix.normalize(raw).replace(/^\/+|\/+$/g, "");
    for (let i = 1; i <= parts.length; i++) if (goMatch(p, parts.slice(0, i).join("/"))) return true;
  }
  return false;
}
function expand(scopedSrc, given, ignored) {
  const clean = import_node_path.posix.normalize(`/${given}`).replace(/\/+$/, "") || "/";
  const rel = clean.slice(1);
  if (!hasWildcard(rel)) {
    const resolved = scopedSrc.resolveAll(clean);
    const exists = resolved !== void 0 && lstatOrUndefined(scopedSrc.host(resolved)) !== void 0;
    if (!exists || rel !== "" && ignored?.(rel)) throw new SourceNotFoundError(given);
    return [{ rel, given }];
  }
  const parts = rel.split("/");
  let current = [""];
  for (const part of parts) {
    const next = [];
    for (const dir of current) {
      if (!hasWildcard(part)) {
        const candidate = dir ? `${dir}/${part}` : part;
        if (lstatOrUndefined(scopedSrc.host(`/${candidate}`))) next.push(candidate);
        continue;
      }
      let resolvedDir;
      try {
        resolvedDir = scopedSrc.resolveDir(`/${dir}`);
      } catch {
        resolvedDir = void 0;
      }
      if (resolvedDir === void 0) continue;
      let names;
      try {
        names = (0, import_node_fs2.readdirSync)(scopedSrc.host(resolvedDir)).sort();
      } catch {
        continue;
      }
      for (const name of names) if (goMatch(part, name)) next.push(dir ? `${dir}/${name}` : name);
    }
    current = next;
  }
  const matches = current.filter((r) => !ignored?.(r));
  if (matches.length === 0) throw new SourceNotFoundError(given, "no files match the pattern");
  return matches.map((r) => ({ rel: r, given }));
}
function lstatOrUndefined(p) {
  try {
    return (0, import_node_fs2.lstatSync)(p);
  } catch {
    return void 0;
  }
}
function isArchive(host) {
  const head = Buffer.alloc(512);
  const fd = (0, import_node_fs2.openSync)(host, "r");
  let n = 0;
  try {
    n = (0, import_node_fs2.readSync)(fd, head, 0, 512, 0);
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
  if (n >= 6 && detectCompression(head) !== "none") return true;
  return n === 512 && head.subarray(257, 262).toString("latin1") === "ustar";
}
async function copyInto(opts) {
  const target = new ScopedRoot(opts.root);
  const source = new ScopedRoot(opts.sources.base);
  const owner = opts.chown ? resolveOwner(opts.root, opts.chown) : { uid: 0, gid: 0 };
  const modeChange = opts.chmod ? parseChmod(opts.chmod) : void 0;
  const exclude = opts.exclude ?? [];
  const ignored = opts.sources.ignored;
  const written = /* @__PURE__ */ new Set();
  const dirMeta = [];
  const inodes = /* @__PURE__ */ new Map();
  const trailingEarly = /\/$|(^|\/)\.$/.test(opts.dest);
  if (opts.sources.paths.length > 1 && !trailingEarly)
    throw new CopyError(
      `with more than one source, the destination ${opts.dest} must be a directory ending in /`
    );
  const sources = opts.sources.paths.flatMap((p) => expand(source, p, ignored));
  if (sources.length === 0) throw new CopyError("COPY/ADD without sources");
  const workdir = opts.workdir ?? "/";
  const destRaw = opts.dest.startsWith("/") ? opts.dest : `${workdir}/${opts.dest}`;
  const destImage = import_node_path.posix.normalize(destRaw).replace(/\/+$/, "") || "/";
  const multiple = sources.length > 1 || opts.sources.paths.some((p) => hasWildcard(p));
  const trailing = /\/$|(^|\/)\.$/.test(opts.dest) || opts.dest === "";
  const onCreate = (image, host) => {
    written.add(image);
    chownSafe(host, owner);
  };
  const chownSafe = (host, o) => {
    if (!isRoot) return;
    (0, import_node_fs2.lchownSync)(host, o.uid, o.gid);
  };
  const ensureDir = (image) => {
    const resolved = target.resolveDir(image, { create: true, onCreate });
    if (resolved === void 0) throw new CopyError(`cannot create ${image}`);
    return resolved;
  };
  const removeExisting = (image, host, st) => {
    if (st.isDirectory()) (0, import_node_fs2.rmSync)(host, { recursive: true, force: true });
    else (0, import_node_fs2.unlinkSync)(host);
    target.invalidate(image);
  };
  const applyMeta = (host, st) => {
    const isLink = st.isSymbolicLink();
    chownSafe(host, owner);
    if (!isLink)
      (0, import_node_fs2.chmodSync)(host, modeChange ? modeChange(st.mode & 4095, st.isDirectory()) : st.mode & 4095);
    (0, import_node_fs2.lutimesSync)(host, st.atime, st.mtime);
  };
  const copyEntry = (srcHost, st, dest, rel, inSource) => {
    const parent = target.resolveParent(dest, { create: true, onCreate });
    if (!parent) throw new CopyError(`cannot create the parent of ${dest}`);
    const { image, host } = parent;
    const existing = lstatOrUndefined(host);
    written.add(image);
    if (st.isDirectory()) {
      if (existing && !existing.isDirectory()) removeExisting(image, host, existing);
      if (!existing?.isDirectory()) (0, import_node_fs2.mkdirSync)(host, { mode: 448 });
      copyChildren(srcHost, image, rel, inSource);
      dirMeta.push({ host, st });
      return;
    }
    if (existing) removeExisting(image, host, existing);
    if (st.isFile()) {
      const first = st.nlink > 1 ? inodes.get(st.ino) : void 0;
      if (first !== void 0) {
        (0, import_node_fs2.linkSync)(target.host(first), host);
        return;
      }
      if (st.nlink > 1) inodes.set(st.ino, image);
      (0, import_node_fs2.copyFileSync)(srcHost, host, import_node_fs2.constants.COPYFILE_EXCL);
    } else if (st.isSymbolicLink()) {
      (0, import_node_fs2.symlinkSync)((0, import_node_fs2.readlinkSync)(srcHost), host);
    } else if (st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice()) {
      const kind = st.isFIFO() ? ["p"] : [st.isCharacterDevice() ? "c" : "b", String(st.rdev >> 8), String(st.rdev & 255)];
      const r = (0, import_node_child_process.spawnSync)("mknod", [host, ...kind], { stdio: "ignore" });
      if (r.status !== 0) {
        written.delete(image);
        return;
      }
    } else {
      written.delete(image);
      return;
    }
    applyMeta(host, st);
  };
  const copyChildren = (srcDirHost, destDir, rel, fromSource) => {
    for (const name of (0, import_node_fs2.readdirSync)(srcDirHost).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      const inSource = fromSource ? `${fromSource}/${name}` : name;
      if (ignored?.(childRel) || excludedBy(exclude, inSource)) continue;
      const childHost = `${srcDirHost}/${name}`;
      copyEntry(childHost, (0, import_node_fs2.lstatSync)(childHost), joinImage(destDir, name), childRel, inSource);
    }
  };
  for (const src of sources) {
    if (hasWildcard(src.given) && excludedBy(exclude, import_node_path.posix.basename(`/${src.rel}`))) continue;
    const resolved = source.resolveAll(`/${src.rel}`);
    const srcHost = resolved === void 0 ? void 0 : source.host(resolved);
    const st = srcHost ? lstatOrUndefined(srcHost) : void 0;
    if (!srcHost || !st) throw new SourceNotFoundError(src.given);
    const name = import_node_path.posix.basename(`/${src.rel}`);
    const parentsDir = opts.parents ? import_node_path.posix.dirname(`/${src.rel}`) : "/";
    if (st.isDirectory()) {
      const into = ensureDir(opts.parents ? import_node_path.posix.join(destImage, src.rel) : destImage);
      copyChildren(srcHost, into, src.rel, "");
      continue;
    }
    if (opts.extractArchives && st.isFile() && isArchive(srcHost)) {
      const into = ensureDir(destImage);
      const r = await extractLayer((0, import_node_fs2.createReadStream)(srcHost), {
        root: opts.root,
        prefix: into,
        whiteouts: false,
        owner: opts.chown ? owner : void 0,
        collectPaths: true,
        where: `ADD ${src.given}`
      });
      for (const p of r.paths ?? []) written.add(p);
      continue;
    }
    let dest;
    if (multiple || trailing || opts.parents) {
      dest = joinImage(ensureDir(import_node_path.posix.join(destImage, parentsDir)), name);
    } else {
      const resolvedDest = target.resolveAll(destImage);
      const destStat = resolvedDest ? lstatOrUndefined(target.host(resolvedDest)) : void 0;
      dest = destStat?.isDirectory() ? joinImage(resolvedDest, name) : resolvedDest ?? destImage;
    }
    copyEntry(srcHost, st, dest, src.rel, "");
  }
  for (const { host, st } of dirMeta.reverse()) applyMeta(host, st);
  return { paths: [...written].sort() };
}

// src/fs/download.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_fs3 = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);
var import_node_stream = __toESM(require_node_stream(), 1);
var import_promises2 = __toESM(require_promises2(), 1);
function fileNameOf(url) {
  const base = import_node_path2.posix.basename(decodeURIComponent(url.pathname));
  return base && base !== "/" && base !== "." && base !== ".." ? base : "__unnamed__";
}
async function addUrl(opts) {
  let url;
  try {
    url = new URL(opts.url);
  } catch {
    throw new DownloadError(opts.url, "not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new DownloadError(opts.url, "only http and https URLs are supported");
  let expected;
  if (opts.checksum) {
    const m = /^(sha256|sha384|sha512):([0-9a-f]+)$/.exec(opts.checksum);
    if (!m) throw new CopyError(`invalid --checksum ${JSON.stringify(opts.checksum)}`);
    expected = { algo: m[1], hex: m[2] };
  }
  const owner = opts.chown ? resolveOwner(opts.root, opts.chown) : { uid: 0, gid: 0 };
  const mode = opts.chmod ? parseChmod(opts.chmod)(384, false) : 384;
  const target = new ScopedRoot(opts.root);
  const written = [];
  const workdir = opts.workdir ?? "/";
  const destImage = import_node_path2.posix.normalize(opts.dest.startsWith("/") ? opts.dest : `${workdir}/${opts.dest}`);
  const intoDir = opts.dest.endsWith("/");
  const onCreate = (image) => written.push(image);
  let finalImage;
  if (intoDir) {
    const dir = target.resolveDir(destImage, { create: true, onCreate });
    finalImage = import_node_path2.posix.join(dir ?? destImage, fileNameOf(url));
  } else {
    const parent = target.resolveParent(destImage.replace(/\/+$/, ""), { create: true, onCreate });
    if (!parent) throw new CopyError(`cannot create the parent of ${destImage}`);
    const st = await (0, import_promises.lstat)(parent.host).catch(() => void 0);
    finalImage = st?.isDirectory() ? import_node_path2.posix.join(parent.image, fileNameOf(url)) : parent.image;
  }
  const finalHost = target.host(finalImage);
  const tmp = `${finalHost}.kts-download`;
  const agent = opts.dispatcher ? void 0 : new import_agent.default();
  const dispatcher = opts.dispatcher ?? agent.compose(interceptors.redirect({ maxRedirections: 10 }));
  try {
    const res = await request(url, { method: "GET", headers: opts.headers, dispatcher }).catch((e) => {
      throw new DownloadError(opts.url, e.message);
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new DownloadError(opts.url, `HTTP ${res.statusCode}`);
    }
    const hash = (0, import_node_crypto.createHash)(expected?.algo ?? "sha256");
    const tap = new import_node_stream.Transform({
      transform(chunk, _enc, cb) {
        hash.update(chunk);
        cb(null, chunk);
      }
    });
    await (0, import_promises2.pipeline)(res.body, tap, (0, import_node_fs3.createWriteStream)(tmp, { mode: 384 }));
    const got = hash.digest("hex");
    if (expected && got !== expected.hex)
      throw new DownloadError(
        opts.url,
        `checksum mismatch: expected ${expected.algo}:${expected.hex}, got ${expected.algo}:${got}`
      );
    const existing = await (0, import_promises.lstat)(finalHost).catch(() => void 0);
    if (existing?.isDirectory()) throw new CopyError(`ADD destination ${finalImage} is a directory`);
    await (0, import_promises.rename)(tmp, finalHost);
    if (process.getuid?.() === 0) await (0, import_promises.lchown)(finalHost, owner.uid, owner.gid);
    await (0, import_promises.chmod)(finalHost, mode);
    const lastModified = res.headers["last-modified"];
    const mtime = typeof lastModified === "string" ? Date.parse(lastModified) : Number.NaN;
    if (!Number.isNaN(mtime)) await (0, import_promises.utimes)(finalHost, mtime / 1e3, mtime / 1e3);
    written.push(finalImage);
    return { paths: written.sort() };
  } finally {
    await (0, import_promises.rm)(tmp, { force: true });
    await agent?.close();
  }
}

// src/build/copy-step.ts
var isUrl = (s) => /^https?:\/\//i.test(s);
var isGit = (s) => /^(git@|git:\/\/)|\.git(#.*)?$/.test(s);
function located(e, where) {
  if (e instanceof SourceNotFoundError || e instanceof CopyError || e instanceof DownloadError) {
    e.message = `${where}: ${e.message}`;
  }
  return e;
}
async function copyStep(ctx, input) {
  const { cmd, rootfs } = input;
  const workdir = input.config.WorkingDir || "/";
  const fromStageOrImage = cmd.kind === "COPY" && cmd.from !== void 0;
  const base = await sourceDir(ctx, fromStageOrImage ? input.sources[0] : void 0);
  const written = /* @__PURE__ */ new Set();
  const common = {
    root: rootfs.dir,
    dest: cmd.dest,
    workdir,
    ...cmd.chown !== void 0 ? { chown: cmd.chown } : {},
    ...cmd.chmod !== void 0 ? { chmod: cmd.chmod } : {}
  };
  const file = input.where.replace(/:\d+$/, "");
  const urls = cmd.sources.filter(isUrl);
  const locals = cmd.sources.filter((s) => !isUrl(s));
  if (cmd.kind === "COPY" && urls.length > 0)
    throw new DockerfileError(file, cmd.line, "source can not be a URL for COPY");
  if (cmd.kind === "ADD" && !fromStageOrImage && locals.some(isGit))
    throw new DockerfileError(file, cmd.line, "ADD of a git repository is not supported yet");
  let scratch;
  try {
    if (locals.length > 0) {
      const ignore = fromStageOrImage ? void 0 : ctx.ignore;
      const res = await copyInto({
        ...common,
        sources: {
          base,
          paths: locals,
          ...ignore ? { ignored: (rel) => ignore.matches(rel) } : {}
        },
        ...cmd.kind === "COPY" ? { parents: cmd.parents } : {},
        exclude: cmd.exclude,
        link: cmd.link,
        extractArchives: cmd.kind === "ADD" && cmd.unpack !== false && !fromStageOrImage
      });
      for (const p of res.paths) written.add(p);
    }
    if (cmd.sourceContents.length > 0) {
      scratch = await (0, import_promises3.mkdtemp)((0, import_node_path3.join)(ctx.work.private, "heredoc-"));
      for (const f of cmd.sourceContents) await (0, import_promises3.writeFile)((0, import_node_path3.join)(scratch, f.name), f.data, { mode: 420 });
      const res = await copyInto({
        ...common,
        sources: { base: scratch, paths: cmd.sourceContents.map((f) => f.name) }
      });
      for (const p of res.paths) written.add(p);
    }
    for (const url of urls) {
      const res = await addUrl({
        ...common,
        url,
        ...cmd.kind === "ADD" && cmd.checksum !== void 0 ? { checksum: cmd.checksum } : {}
      });
      for (const p of res.paths) written.add(p);
    }
  } catch (e) {
    throw located(e, input.where);
  } finally {
    if (scratch) await (0, import_promises3.rm)(scratch, { recursive: true, force: true });
  }
  return rootfs.snapshotPaths([...written]);
}
export {
  copyStep
};
