const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  goMatch,
  hasWildcard
} from "./chunk-5C3BL7RE.js";
import {
  cancelUpload,
  getManifest,
  headBlob,
  header,
  putManifest,
  repositoryScope,
  transportFor,
  uploadBlob
} from "./chunk-VAYJS5MI.js";
import {
  MediaType
} from "./chunk-2NNVGCBN.js";
import {
  DOCKER_HUB,
  RegistryError
} from "./chunk-5PIJZC72.js";
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
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
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/image/push.ts
var import_node_stream = __toESM(require_node_stream(), 1);
function repoKey(repo) {
  return `${repo.registry}/${repo.repository}`;
}
var PresentBlobs = class {
  known = /* @__PURE__ */ new Map();
  t;
  constructor(t) {
    this.t = t;
  }
  /**
   * Starts reading the manifest `ref` names (a tag; nothing for a digest or an index). Not on
   * Docker Hub, which counts a manifest GET (not a HEAD) against the account's pull limit.
   */
  prefetch(ref) {
    const repo = { registry: ref.registry, repository: ref.repository };
    const key = repoKey(repo);
    if (this.known.has(key) || !ref.tag || ref.registry === DOCKER_HUB) return;
    const found = getManifest(this.t, repo, ref.tag, "push").then(
      (m) => {
        const parsed = JSON.parse(m.raw.toString("utf8"));
        const digests = [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)];
        return new Set(digests.filter((d) => typeof d === "string"));
      },
      // Not pushed yet, an index, no pull right: nothing is known, every blob gets its HEAD.
      () => /* @__PURE__ */ new Set()
    );
    this.known.set(key, found);
  }
  lookup = (repo) => this.known.get(repoKey(repo)) ?? Promise.resolve(/* @__PURE__ */ new Set());
};
var UploadSessions = class {
  open = /* @__PURE__ */ new Map();
  /** Keeps `location` for `repo`; a second one for the same repository is cancelled at once. */
  async keep(t, repo, location) {
    const key = repoKey(repo);
    if (this.open.has(key)) return cancelUpload(t, repo, location);
    this.open.set(key, { repo, location });
  }
  /** The session for `repo`, which the caller now owns. */
  take(repo) {
    const key = repoKey(repo);
    const s = this.open.get(key);
    this.open.delete(key);
    return s?.location;
  }
  /** Cancels every session nobody took (best effort, as cancelUpload). */
  async cancelAll(t) {
    const left = [...this.open.values()];
    this.open.clear();
    await Promise.all(left.map((s) => cancelUpload(t, s.repo, s.location)));
  }
};
var HEAD_CONCURRENCY = 16;
function isForeign(l) {
  return (l.descriptor.urls?.length ?? 0) > 0 && (l.mediaType === MediaType.dockerForeignLayer || l.mediaType.includes("nondistributable"));
}
var Lanes = class {
  free;
  waiting = [];
  constructor(size) {
    this.free = Math.max(1, size);
  }
  async run(task) {
    if (this.free > 0) this.free--;
    else await new Promise((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
};
async function eachLimited(items, limit, work) {
  const lanes = new Lanes(limit);
  let failed;
  await Promise.all(
    items.map(
      (item) => lanes.run(async () => {
        if (failed !== void 0) return;
        try {
          await work(item);
        } catch (e) {
          failed ??= e;
        }
      })
    )
  );
  if (failed !== void 0) throw failed;
}
async function pushImage(image, destinations, options = {}, opts = {}) {
  const t = opts.transport ?? transportFor(options);
  const raw = await image.rawManifest();
  const mediaType = await image.mediaType();
  const digest = await image.digest();
  const cfgRaw = await image.rawConfig();
  const manifest = await image.manifest();
  const layers = await image.layers();
  const blobs = /* @__PURE__ */ new Map();
  for (const l of layers) {
    if (isForeign(l) || blobs.has(l.digest)) continue;
    blobs.set(l.digest, {
      digest: l.digest,
      size: l.size,
      open: () => l.open(),
      ...l.source ? { source: l.source } : {}
    });
  }
  const configDigest = manifest.config.digest;
  blobs.set(configDigest, {
    digest: manifest.config.digest,
    size: cfgRaw.length,
    open: async () => import_node_stream.Readable.from([cfgRaw]),
    ...image.source ? { source: image.source } : {}
  });
  const byRegistry = /* @__PURE__ */ new Map();
  for (const d of destinations) {
    const list = byRegistry.get(d.registry) ?? [];
    if (!list.some((r) => r.repository === d.repository))
      list.push({ registry: d.registry, repository: d.repository });
    byRegistry.set(d.registry, list);
  }
  const limit = options.concurrency ?? 3;
  const placeBlobs = async (trustPresent) => {
    let trusted2 = 0;
    await Promise.all(
      [...byRegistry.entries()].map(async ([registry, repos]) => {
        const [first, ...rest] = repos;
        const present = trustPresent && opts.present ? await opts.present(first) : /* @__PURE__ */ new Set();
        const lanes = new Lanes(limit);
        await eachLimited([...blobs.values()], HEAD_CONCURRENCY, async (b) => {
          if (present.has(b.digest)) trusted2++;
          const mountFrom = b.source?.registry === registry ? b.source.repository : void 0;
          const configSession = b.digest === configDigest && !mountFrom && !present.has(b.digest) ? opts.sessions?.take(first) : void 0;
          if (!configSession && (present.has(b.digest) || await headBlob(t, first, b.digest, "push") !== void 0)) {
            opts.onBlob?.({ repo: first, digest: b.digest, size: b.size, result: "exists" });
            return;
          }
          const session = configSession ?? (mountFrom ? void 0 : opts.sessions?.take(first));
          const result = await lanes.run(
            () => uploadBlob(t, first, b, b.open, {
              skipHead: true,
              ...mountFrom ? { mountFrom } : {},
              ...session ? { session } : {},
              ...opts.onBytes ? { onBytes: opts.onBytes } : {}
            })
          );
          opts.onBlob?.({ repo: first, digest: b.digest, size: b.size, result });
        });
        for (const repo of rest) {
          await eachLimited([...blobs.values()], limit, async (b) => {
            const result = await uploadBlob(t, repo, b, b.open, { mountFrom: first.repository });
            opts.onBlob?.({ repo, digest: b.digest, size: b.size, result });
          });
        }
      })
    );
    return trusted2;
  };
  const trusted = await placeBlobs(true);
  const putAll = async () => {
    for (const d of destinations) {
      await putManifest(
        t,
        { registry: d.registry, repository: d.repository },
        d.tag ?? d.digest ?? digest,
        raw,
        mediaType
      );
    }
  };
  try {
    await putAll();
  } catch (e) {
    if (trusted === 0) throw e;
    t.options.debug?.(`manifest PUT failed (${e.message}); checking every blob`);
    await placeBlobs(false);
    await putAll();
  }
  return { digest, size: raw.length, mediaType };
}
async function checkPushPermission(ref, options = {}, transport, sessions) {
  const t = transport ?? transportFor(options);
  const repo = { registry: ref.registry, repository: ref.repository };
  const res = await t.send({
    ...repo,
    direction: "push",
    scopes: [repositoryScope(ref.repository, ["pull", "push"])],
    method: "POST",
    path: `/v2/${ref.repository}/blobs/uploads/`,
    headers: { "content-length": "0" },
    ok: [202]
  });
  await res.body.dump();
  const loc = header(res.headers, "location");
  if (!loc) throw new RegistryError("protocol", repo, "upload session without a Location");
  if (sessions) await sessions.keep(t, repo, loc);
  else await cancelUpload(t, repo, loc);
}

// src/cache/context-hash.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);

// src/cache/tree-list.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_path = __toESM(require_node_path(), 1);
function typeOf(st) {
  if (st.isFile()) return "f";
  if (st.isDirectory()) return "d";
  if (st.isSymbolicLink()) return "l";
  if (st.isFIFO()) return "p";
  return "o";
}
function entryOf(name, host, st) {
  const type = typeOf(st);
  return {
    name,
    type,
    mode: (st.mode & 4095).toString(8),
    size: type === "f" ? st.size : 0,
    link: type === "l" ? (0, import_node_fs.readlinkSync)(host) : "",
    stamp: `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`,
    changedMs: Math.max(st.mtimeMs, st.ctimeMs)
  };
}
var FIELDS = 8;
function findListing(root) {
  const { spawnSync } = process.getBuiltinModule("node:child_process");
  const r = spawnSync(
    "find",
    ["-H", root, "-mindepth", "1", "-printf", "%P\\0%y\\0%m\\0%s\\0%i\\0%T@\\0%C@\\0%l\\0"],
    {
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "ignore"]
    }
  );
  if (r.status !== 0 || r.error || !r.stdout) return void 0;
  return r.stdout;
}
function parseListing(listing) {
  const parts = listing.toString("utf8").split("\0");
  const tree = /* @__PURE__ */ new Map([["", []]]);
  for (let i = 0; i + FIELDS <= parts.length; i += FIELDS) {
    const path = parts[i];
    const y = parts[i + 1];
    const type = y === "f" || y === "d" || y === "l" || y === "p" ? y : "o";
    const slash = path.lastIndexOf("/");
    const dir = slash < 0 ? "" : path.slice(0, slash);
    const mtime = Number(parts[i + 5]) * 1e3;
    const ctime = Number(parts[i + 6]) * 1e3;
    const entry = {
      name: path.slice(slash + 1),
      type,
      mode: Number.parseInt(parts[i + 2], 8).toString(8),
      size: type === "f" ? Number(parts[i + 3]) : 0,
      link: type === "l" ? parts[i + 7] : "",
      stamp: `${parts[i + 4]}:${parts[i + 3]}:${parts[i + 5]}:${parts[i + 6]}`,
      changedMs: Math.max(mtime, ctime)
    };
    let list = tree.get(dir);
    if (!list) {
      list = [];
      tree.set(dir, list);
    }
    list.push(entry);
    if (type === "d" && !tree.has(path)) tree.set(path, []);
  }
  for (const list of tree.values()) list.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return tree;
}
function walkTree(root) {
  const tree = /* @__PURE__ */ new Map();
  const visit = (rel) => {
    const host = rel ? (0, import_node_path.join)(root, rel) : root;
    const list = [];
    tree.set(rel, list);
    for (const name of (0, import_node_fs.readdirSync)(host).sort()) {
      const childHost = (0, import_node_path.join)(host, name);
      const e = entryOf(name, childHost, (0, import_node_fs.lstatSync)(childHost));
      list.push(e);
      if (e.type === "d") visit(rel ? `${rel}/${name}` : name);
    }
  };
  visit("");
  return tree;
}
function listTree(root, useFind = true) {
  const listing = useFind ? findListing(root) : void 0;
  return listing ? parseListing(listing) : walkTree(root);
}

// src/cache/context-hash.ts
var SourceMissing = class extends Error {
};
function lstatOr(p) {
  try {
    return (0, import_node_fs2.lstatSync)(p);
  } catch {
    return void 0;
  }
}
function excluded(patterns, rel) {
  if (patterns.length === 0 || rel === "") return false;
  const parts = rel.split("/");
  for (const raw of patterns) {
    const p = import_node_path2.posix.normalize(raw).replace(/^\/+|\/+$/g, "");
    for (let i = 1; i <= parts.length; i++) if (goMatch(p, parts.slice(0, i).join("/"))) return true;
  }
  return false;
}
function expand(base, given, ignored) {
  const rel = (import_node_path2.posix.normalize(`/${given}`).replace(/\/+$/, "") || "/").slice(1);
  if (!hasWildcard(rel)) {
    if (!lstatOr((0, import_node_path2.join)(base, rel)) || rel !== "" && ignored?.(rel)) throw new SourceMissing(given);
    return [rel];
  }
  let current = [""];
  for (const part of rel.split("/")) {
    const next = [];
    for (const dir of current) {
      if (!hasWildcard(part)) {
        const candidate = dir ? `${dir}/${part}` : part;
        if (lstatOr((0, import_node_path2.join)(base, candidate))) next.push(candidate);
        continue;
      }
      let names;
      try {
        names = (0, import_node_fs2.readdirSync)((0, import_node_path2.join)(base, dir)).sort();
      } catch {
        continue;
      }
      for (const name of names) if (goMatch(part, name)) next.push(dir ? `${dir}/${name}` : name);
    }
    current = next;
  }
  const matches = current.filter((r) => !ignored?.(r));
  if (matches.length === 0) throw new SourceMissing(given);
  return matches;
}
var buf = Buffer.allocUnsafe(1 << 16);
function hashFile(path) {
  const h = (0, import_node_crypto.createHash)("sha256");
  const fd = (0, import_node_fs2.openSync)(path, "r");
  try {
    for (; ; ) {
      const n = (0, import_node_fs2.readSync)(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    (0, import_node_fs2.closeSync)(fd);
  }
  return h.digest("hex");
}
function record(h, host, rel, e, memo) {
  let content = "";
  if (e.type === "f") {
    const known = memo?.lookup(host, e.stamp);
    content = known ?? hashFile(host);
    if (!known) memo?.remember(host, e.stamp, e.changedMs, content);
  }
  h.update(`${rel}\0${e.type}\0${e.mode}\0${e.size}\0${e.link}\0${content}
`);
  return e.changedMs;
}
function walk(h, tree, root, rel, srcRel, opts) {
  const exclude = opts.exclude ?? [];
  let newest = 0;
  for (const e of tree.get(rel) ?? []) {
    const inSource = rel ? `${rel}/${e.name}` : e.name;
    if (exclude.length > 0 && excluded(exclude, inSource)) continue;
    const fromBase = srcRel ? `${srcRel}/${inSource}` : inSource;
    if (!opts.ignored?.(fromBase))
      newest = Math.max(newest, record(h, `${root}/${inSource}`, inSource, e, opts.memo));
    if (e.type === "d") newest = Math.max(newest, walk(h, tree, root, inSource, srcRel, opts));
  }
  return newest;
}
function treeHash(host, srcRel, opts) {
  const listing = opts.useFind ?? true ? findListing(host) : void 0;
  const memo = opts.memo;
  const key = listing && memo ? (0, import_node_crypto.createHash)("sha256").update(
    `${host}\0${srcRel}\0${JSON.stringify(opts.exclude ?? [])}\0${opts.ignored ? opts.ignoreId ?? "?" : ""}\0`
  ).update(listing).digest("hex") : void 0;
  const rememberable = key !== void 0 && (!opts.ignored || opts.ignoreId !== void 0);
  const known = rememberable ? memo?.tree(key) : void 0;
  if (known) return known;
  const tree = listing ? parseListing(listing) : listTree(host, false);
  const sub = (0, import_node_crypto.createHash)("sha256");
  const newest = walk(sub, tree, host.replace(/\/+$/, ""), "", srcRel, opts);
  const hash = sub.digest("hex");
  if (rememberable) memo?.rememberTree(key, newest, hash);
  return hash;
}
function hashSources(opts) {
  const h = (0, import_node_crypto.createHash)("sha256");
  for (const given of opts.paths) {
    h.update(`source\0${given}
`);
    for (const rel of expand(opts.base, given, opts.ignored)) {
      const host = (0, import_node_path2.join)(opts.base, rel);
      let st;
      try {
        st = (0, import_node_fs2.statSync)(host);
      } catch {
        st = (0, import_node_fs2.lstatSync)(host);
      }
      h.update(`match\0${rel}
`);
      const top = entryOf("", host, st);
      record(h, host, "", top, void 0);
      if (top.type === "d") h.update(`tree\0${treeHash(host, rel, opts)}
`);
    }
  }
  return h.digest("hex");
}

export {
  PresentBlobs,
  UploadSessions,
  pushImage,
  checkPushPermission,
  SourceMissing,
  hashSources
};
