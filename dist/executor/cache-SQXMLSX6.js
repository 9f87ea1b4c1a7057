const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  SourceMissing,
  hashSources,
  pushImage
} from "./chunk-DGC2ATKV.js";
import {
  hashKey,
  isCacheKey,
  stageRootKey,
  stepKey
} from "./chunk-F5BQI5MV.js";
import "./chunk-5C3BL7RE.js";
import {
  expired,
  getManifest,
  markCreated,
  openBlob
} from "./chunk-VAYJS5MI.js";
import "./chunk-T6U52VLM.js";
import {
  fileLayer,
  mutate,
  withAnnotations,
  writeFileAtomic
} from "./chunk-2NNVGCBN.js";
import {
  require_promises as require_promises2
} from "./chunk-PGPEOOSP.js";
import "./chunk-KGB5P76T.js";
import {
  CacheSpecError,
  parseCacheSpec
} from "./chunk-Q5DU3ZS5.js";
import {
  RegistryError,
  makeReference,
  parseReference
} from "./chunk-5PIJZC72.js";
import "./chunk-77HIO646.js";
import "./chunk-S2V5PZBG.js";
import "./chunk-QTTXRMTW.js";
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
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

// src/cache/layer-cache.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);

// src/cache/hash-memo.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var RECENT_MS = 2e3;
function parse(text) {
  const entries = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
    const nul = line.indexOf("\0");
    if (nul > 0) entries.set(line.slice(0, nul), line.slice(nul + 1));
  }
  return entries;
}
function serialise(entries) {
  let text = "";
  for (const [k, v] of entries) if (!k.includes("\n")) text += `${k}\0${v}
`;
  return text;
}
var HashMemo = class _HashMemo {
  file;
  trees;
  /** Loaded on first use: an unchanged tree never needs it. */
  files;
  treesChanged = false;
  filesChanged = false;
  recentMs;
  constructor(file, trees, recentMs) {
    this.file = file;
    this.trees = trees;
    this.recentMs = recentMs;
  }
  /** The memo stored at `file` (trees) and `file.files`, or an empty one (absent or unreadable). */
  static async load(file, opts = {}) {
    const text = await (0, import_promises.readFile)(file, "utf8").catch(() => "");
    return new _HashMemo(file, parse(text), opts.recentMs ?? RECENT_MS);
  }
  fileEntries() {
    if (!this.files) {
      let text = "";
      try {
        text = (0, import_node_fs.readFileSync)(`${this.file}.files`, "utf8");
      } catch {
      }
      this.files = parse(text);
    }
    return this.files;
  }
  /** The remembered hash of a whole tree by the digest of its listing. */
  tree(listingKey) {
    return this.trees.get(listingKey);
  }
  rememberTree(listingKey, newestChangeMs, hash, now = Date.now()) {
    if (now - newestChangeMs < this.recentMs) return;
    this.trees.set(listingKey, hash);
    this.treesChanged = true;
  }
  /** The remembered sha256 (hex) of the file at `path` with this stamp, if any. */
  lookup(path, stamp) {
    const v = this.fileEntries().get(path);
    return v?.startsWith(`${stamp}=`) ? v.slice(stamp.length + 1) : void 0;
  }
  /** Remembers a hash, unless the file changed so recently that a same-tick write could hide. */
  remember(path, stamp, changedMs, hash, now = Date.now()) {
    if (now - changedMs < this.recentMs) return;
    this.fileEntries().set(path, `${stamp}=${hash}`);
    this.filesChanged = true;
  }
  /** Writes what changed (temporary file + rename: concurrent builds never see half a file). */
  async save() {
    const writes = [];
    if (this.treesChanged) writes.push([this.file, this.trees]);
    if (this.filesChanged && this.files) writes.push([`${this.file}.files`, this.files]);
    if (writes.length === 0) return;
    await (0, import_promises.mkdir)((0, import_node_path.dirname)(this.file), { recursive: true });
    for (const [path, entries] of writes) {
      await writeFileAtomic(path, serialise(entries));
    }
    this.treesChanged = false;
    this.filesChanged = false;
  }
};

// src/cache/layer-cache.ts
var WRITE_LANES = 2;
var LayerCache = class {
  c;
  lookups = /* @__PURE__ */ new Map();
  queue = [];
  running = 0;
  pending = /* @__PURE__ */ new Set();
  idle;
  counts = { hits: 0, misses: 0, stored: 0, storeFailed: 0, chainsFound: 0, chainsStored: 0 };
  /** By a stage's last key: the chain this build found, and the store it came from. */
  chains = /* @__PURE__ */ new Map();
  /** Whether each store of a key into a writer succeeded, by `writer index` + key. */
  stores = /* @__PURE__ */ new Map();
  memos = /* @__PURE__ */ new Map();
  constructor(c) {
    this.c = c;
  }
  get readable() {
    return this.c.readers.length > 0;
  }
  /** Whether layers of this kind of command are cached at all. */
  cacheable(kind) {
    if (kind === "RUN") return this.c.runLayers;
    if (kind === "COPY" || kind === "ADD") return this.c.copyLayers;
    return true;
  }
  /** The cached layer for `key` from the first store that has it; errors count as misses. */
  lookup(key) {
    let p = this.lookups.get(key);
    if (!p) {
      p = this.find(key);
      this.lookups.set(key, p);
    }
    return p;
  }
  /**
   * Starts the lookups of a stage's cacheable keys, in order: the chain under the last key first;
   * each key it does not hold is then looked up on its own (all at once).
   */
  prefetch(keys) {
    const last = keys.at(-1);
    const fresh = keys.filter((k) => !this.lookups.has(k));
    if (last === void 0 || fresh.length === 0) return;
    const chain = this.findChain(last);
    this.chains.set(last, chain);
    for (const key of fresh) {
      this.lookups.set(
        key,
        chain.then((c) => {
          const layer = c?.layers.get(key);
          if (!layer) return this.find(key);
          this.counts.hits++;
          return layer;
        })
      );
    }
  }
  async findChain(lastKey) {
    const answers = this.c.readers.map(
      (r) => r.getChain ? r.getChain(lastKey).catch((e) => {
        this.c.warn(
          `cache ${r.name}: lookup of chain ${lastKey.slice(0, 12)} failed: ${e.message}`
        );
        return void 0;
      }) : void 0
    );
    for (const [i, a] of answers.entries()) {
      const steps = await a;
      if (steps && steps.length > 0) {
        this.counts.chainsFound++;
        return { from: this.c.readers[i], layers: new Map(steps.map((s) => [s.key, s.layer])) };
      }
    }
    return void 0;
  }
  async find(key) {
    const answers = this.c.readers.map(
      (r) => r.get(key).catch((e) => {
        this.c.warn(`cache ${r.name}: lookup of ${key.slice(0, 12)} failed: ${e.message}`);
        return void 0;
      })
    );
    for (const a of answers) {
      const layer = await a;
      if (layer) {
        this.counts.hits++;
        return layer;
      }
    }
    this.counts.misses++;
    return void 0;
  }
  /** Stores a new layer in every writer that takes this stage's layers; returns at once. */
  store(key, layer, description, targetStage) {
    for (const [i, w] of this.c.writers.entries()) {
      if (!targetStage && !w.allStages) continue;
      this.stores.set(
        `${i} ${key}`,
        this.enqueue(
          () => this.upload(
            w,
            key.slice(0, 12),
            `(${layer.digest})`,
            "stored",
            () => w.backend.put(key, layer, description)
          )
        )
      );
    }
  }
  /**
   * Stores a stage's cached steps as one chain under its last key, in every writer that keeps
   * chains and takes this stage's layers, after the steps' own stores (so their blobs are there);
   * not where the chain this build found came from and held every step already. Returns at once.
   */
  storeChain(steps, targetStage) {
    const last = steps.at(-1)?.key;
    if (last === void 0) return;
    const found = this.chains.get(last);
    for (const [i, w] of this.c.writers.entries()) {
      const putChain = w.backend.putChain?.bind(w.backend);
      if (!putChain || !targetStage && !w.allStages) continue;
      const own = steps.map((s) => this.stores.get(`${i} ${s.key}`)).filter((p) => p !== void 0);
      void this.enqueue(async () => {
        const had = await found;
        if (had?.from === w.backend && steps.every((s) => had.layers.has(s.key))) return false;
        if (!(await Promise.all(own)).every(Boolean)) return false;
        return this.upload(
          w,
          `chain ${last.slice(0, 12)}`,
          `(${steps.length} step(s))`,
          "chainsStored",
          () => putChain(last, steps)
        );
      });
    }
  }
  /** One upload to a writer, counted and reported; never throws (a cache store is best effort). */
  async upload(w, what, detail, counter, put) {
    try {
      await put();
      this.counts[counter]++;
      this.c.debug?.(`cache ${w.backend.name}: stored ${what} ${detail}`);
      return true;
    } catch (e) {
      this.counts.storeFailed++;
      this.c.warn(`cache ${w.backend.name}: storing ${what} failed: ${e.message}`);
      return false;
    }
  }
  /** Queues a background upload; the promise is its outcome (jobs report their own failures). */
  enqueue(job) {
    return new Promise((resolve) => {
      this.queue.push(async () => resolve(await job()));
      this.pump();
    });
  }
  pump() {
    while (this.running < WRITE_LANES && this.queue.length > 0) {
      const job = this.queue.shift();
      this.running++;
      const p = job().finally(() => {
        this.running--;
        this.pending.delete(p);
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.idle?.();
      });
      this.pending.add(p);
    }
  }
  /** The remembered file hashes of the context at `dir` (none without a local cache directory). */
  hashMemo(dir) {
    const memoDir = this.c.memoDir;
    if (!memoDir) return void 0;
    let m = this.memos.get(dir);
    if (!m) {
      const name = (0, import_node_crypto.createHash)("sha256").update(dir).digest("hex");
      m = HashMemo.load((0, import_node_path2.join)(memoDir, "hash-memo", `${name}.v1`));
      this.memos.set(dir, m);
    }
    return m;
  }
  /** Waits for every store started so far (failures were already reported as warnings). */
  async flush() {
    for (const m of this.memos.values())
      await (await m).save().catch((e) => this.c.warn(`cache: file hashes not saved: ${e.message}`));
    if (this.running === 0 && this.queue.length === 0) return;
    await new Promise((resolve) => {
      this.idle = resolve;
    });
  }
};

// src/cache/local.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_promises2 = __toESM(require_promises(), 1);
var import_node_path3 = __toESM(require_node_path(), 1);
var import_promises3 = __toESM(require_promises2(), 1);
var STALE_LOCK_MS = 10 * 6e4;
var CacheDirError = class extends Error {
  constructor(dir, detail) {
    super(`cache directory ${dir}: ${detail}`);
    this.name = "CacheDirError";
  }
};
var LocalCache = class {
  name;
  dir;
  ttlMs;
  onCorrupt;
  constructor(dir, opts = {}) {
    this.dir = dir;
    this.name = `dir ${dir}`;
    this.ttlMs = opts.ttlMs ?? 0;
    this.onCorrupt = opts.onCorrupt;
  }
  recordPath(key) {
    return (0, import_node_path3.join)(this.dir, "layers", `${key}.json`);
  }
  blobPath(digest) {
    const [alg, hex] = digest.split(":");
    return (0, import_node_path3.join)(this.dir, "blobs", alg ?? "sha256", hex ?? "");
  }
  tmpPath() {
    return (0, import_node_path3.join)(this.dir, "tmp", `${process.pid}-${(0, import_node_crypto2.randomBytes)(6).toString("hex")}`);
  }
  async get(key) {
    if (!isCacheKey(key)) return void 0;
    let rec;
    try {
      rec = JSON.parse(await (0, import_promises2.readFile)(this.recordPath(key), "utf8"));
    } catch {
      return void 0;
    }
    if (expired(rec.created, this.ttlMs)) return void 0;
    const path = this.blobPath(rec.digest);
    const why = await verify(path, rec.digest, rec.size);
    if (why) {
      this.onCorrupt?.(key, why);
      await (0, import_promises2.rm)(this.recordPath(key), { force: true });
      await (0, import_promises2.rm)(path, { force: true });
      return void 0;
    }
    const layer = fileLayer({
      path,
      digest: rec.digest,
      diffID: rec.diffID,
      size: rec.size,
      mediaType: rec.mediaType
    });
    return markCreated(layer, rec.created);
  }
  async put(key, layer, description) {
    if (!isCacheKey(key)) return;
    await Promise.all(
      ["layers", "blobs/sha256", "tmp", "locks"].map((d) => (0, import_promises2.mkdir)((0, import_node_path3.join)(this.dir, d), { recursive: true }))
    );
    const unlock = await this.lock(key);
    if (!unlock) return;
    try {
      const path = this.blobPath(layer.digest);
      if (await verify(path, layer.digest, layer.size) !== void 0) {
        const tmp = this.tmpPath();
        try {
          const hash = (0, import_node_crypto2.createHash)("sha256");
          const source = await layer.open();
          source.on("data", (c) => hash.update(c));
          await (0, import_promises3.pipeline)(source, (0, import_node_fs2.createWriteStream)(tmp, { mode: 420 }));
          const got = `sha256:${hash.digest("hex")}`;
          if (got !== layer.digest)
            throw new CacheDirError(this.dir, `layer ${layer.digest} read back as ${got}`);
          await (0, import_promises2.rename)(tmp, path);
        } finally {
          await (0, import_promises2.rm)(tmp, { force: true });
        }
      }
      const rec = {
        digest: layer.digest,
        diffID: layer.diffID,
        size: layer.size,
        mediaType: layer.mediaType,
        created: (/* @__PURE__ */ new Date()).toISOString(),
        description
      };
      await writeFileAtomic(this.recordPath(key), JSON.stringify(rec), { tempDir: (0, import_node_path3.join)(this.dir, "tmp") });
    } finally {
      await unlock();
    }
  }
  /** An exclusive lock file per key; undefined when another live build holds it. */
  async lock(key) {
    const path = (0, import_node_path3.join)(this.dir, "locks", `${key}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fh = await (0, import_promises2.open)(path, "wx");
        await fh.writeFile(String(process.pid));
        await fh.close();
        return () => (0, import_promises2.unlink)(path).catch(() => void 0);
      } catch (e) {
        if (e.code !== "EEXIST") throw e;
        const st = await (0, import_promises2.stat)(path).catch(() => void 0);
        if (st && Date.now() - st.mtimeMs < STALE_LOCK_MS) return void 0;
        await (0, import_promises2.rm)(path, { force: true });
      }
    }
    return void 0;
  }
};
async function verify(path, digest, size) {
  const st = await (0, import_promises2.stat)(path).catch(() => void 0);
  if (!st) return "blob missing";
  if (st.size !== size) return `blob has ${st.size} bytes, expected ${size}`;
  const hash = (0, import_node_crypto2.createHash)(digest.slice(0, digest.indexOf(":")) || "sha256");
  for await (const c of (0, import_node_fs2.createReadStream)(path, { highWaterMark: 1 << 20 }))
    hash.update(c);
  const got = `${digest.slice(0, digest.indexOf(":"))}:${hash.digest("hex")}`;
  return got === digest ? void 0 : `blob hashes to ${got}`;
}

// src/cache/registry.ts
var import_node_crypto3 = __toESM(require_node_crypto(), 1);
var DIFF_ID_ANNOTATION = "dev.kaniko-ts.cache.diff-id";
var CREATED_ANNOTATION = "org.opencontainers.image.created";
var STEP_ANNOTATION = "dev.kaniko-ts.cache.step";
var KEY_ANNOTATION = "dev.kaniko-ts.cache.key";
function chainTag(lastKey) {
  return (0, import_node_crypto3.createHash)("sha256").update(`kaniko-ts chain\0${lastKey}`).digest("hex");
}
var RegistryCache = class {
  name;
  o;
  constructor(o) {
    this.o = o;
    this.name = `registry ${o.repo.registry}/${o.repo.repository}`;
  }
  async get(key) {
    if (!isCacheKey(key)) return void 0;
    const { transport: t, repo } = this.o;
    const manifest = await this.manifest(key);
    const desc = manifest?.layers?.[0];
    if (!manifest || !desc || manifest.layers.length !== 1) return void 0;
    let diffID = manifest.annotations?.[DIFF_ID_ANNOTATION];
    let created = manifest.annotations?.[CREATED_ANNOTATION];
    if (!diffID) {
      const cfg = await readConfig(t, repo, manifest);
      diffID = cfg.rootfs?.diff_ids?.[0];
      created = cfg.created;
      if (!diffID) return void 0;
    }
    if (expired(created, this.o.ttlMs ?? 0)) return void 0;
    return markCreated(this.layer(desc, diffID), created);
  }
  async getChain(lastKey) {
    if (!isCacheKey(lastKey)) return void 0;
    const manifest = await this.manifest(chainTag(lastKey));
    if (!manifest?.layers) return void 0;
    const steps = [];
    for (const desc of manifest.layers) {
      const a = desc.annotations ?? {};
      const key = a[KEY_ANNOTATION];
      const diffID = a[DIFF_ID_ANNOTATION];
      const created = a[CREATED_ANNOTATION];
      if (!key || !diffID || !created || !isCacheKey(key)) return void 0;
      if (expired(created, this.o.ttlMs ?? 0)) continue;
      const layer = markCreated(this.layer(desc, diffID), created);
      steps.push({ key, layer, created, description: a[STEP_ANNOTATION] ?? "" });
    }
    return steps;
  }
  /** The manifest tagged `tag` in the cache repository, or undefined when there is none. */
  async manifest(tag) {
    try {
      const fetched = await getManifest(this.o.transport, this.o.repo, tag, "push");
      return JSON.parse(fetched.raw.toString("utf8"));
    } catch (e) {
      if (e instanceof RegistryError && (e.kind === "not-found" || e.status === 404)) return void 0;
      throw e;
    }
  }
  /** A cached layer: its blob in the cache repository, a plain descriptor (no cache annotations). */
  layer(desc, diffID) {
    const { transport: t, repo } = this.o;
    const { digest, size, mediaType } = desc;
    return {
      digest,
      diffID,
      size,
      mediaType,
      descriptor: { mediaType, digest, size },
      source: repo,
      async open() {
        return openBlob(t, repo, digest, { size, direction: "push" });
      }
    };
  }
  async put(key, layer, description) {
    if (!isCacheKey(key)) return;
    const image = await cacheImage(layer, description, this.o.platform);
    const ref = makeReference(this.o.repo.registry, this.o.repo.repository, key);
    await pushImage(image, [ref], this.o.options, { transport: this.o.transport });
  }
  async putChain(lastKey, steps) {
    if (!isCacheKey(lastKey) || steps.length === 0) return;
    const image = await chainImage(steps, this.o.platform);
    const ref = makeReference(this.o.repo.registry, this.o.repo.repository, chainTag(lastKey));
    await pushImage(image, [ref], this.o.options, { transport: this.o.transport });
  }
};
async function readConfig(t, repo, manifest) {
  const chunks = [];
  const stream = openBlob(t, repo, manifest.config.digest, { size: manifest.config.size, direction: "push" });
  for await (const c of stream) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}
function cacheEntryImage(platform, steps, annotations) {
  return mutate("scratch", {
    layers: steps.map((s) => s.layer),
    config: {
      architecture: platform.architecture,
      os: platform.os,
      ...platform.variant ? { variant: platform.variant } : {},
      created: (/* @__PURE__ */ new Date()).toISOString(),
      config: {},
      rootfs: { type: "layers", diff_ids: steps.map((s) => s.layer.diffID) },
      history: steps.map((s) => ({
        created: s.created,
        created_by: s.description,
        comment: "kaniko-ts layer cache"
      }))
    },
    format: "oci",
    annotations
  });
}
async function cacheImage(layer, description, platform) {
  const created = (/* @__PURE__ */ new Date()).toISOString();
  return cacheEntryImage(platform, [{ layer, created, description }], {
    [DIFF_ID_ANNOTATION]: layer.diffID,
    [CREATED_ANNOTATION]: created,
    [STEP_ANNOTATION]: description.slice(0, 256)
  });
}
async function chainImage(steps, platform) {
  const annotated = steps.map((s) => ({
    ...s,
    layer: withAnnotations(s.layer, {
      [KEY_ANNOTATION]: s.key,
      [DIFF_ID_ANNOTATION]: s.layer.diffID,
      [CREATED_ANNOTATION]: s.created,
      [STEP_ANNOTATION]: s.description.slice(0, 256)
    })
  }));
  return cacheEntryImage(platform, annotated, { [CREATED_ANNOTATION]: (/* @__PURE__ */ new Date()).toISOString() });
}

// src/cache/index.ts
function createLayerCache(flags, deps) {
  const readers = [];
  const writers = [];
  const registryCache = (ref) => {
    const r = parseReference(ref);
    return new RegistryCache({
      repo: { registry: r.registry, repository: r.repository },
      transport: deps.transport,
      options: deps.registry,
      ttlMs: flags.ttlMs,
      platform: deps.platform
    });
  };
  const local = (dir) => new LocalCache(dir, {
    ttlMs: flags.ttlMs,
    onCorrupt: (key, why) => deps.warn(`cache dir ${dir}: entry ${key.slice(0, 12)} is corrupt (${why}); rebuilding`)
  });
  if (flags.enabled) {
    if (flags.dirGiven) {
      const l = local(flags.dir);
      readers.push(l);
      writers.push({ backend: l, allStages: true });
    }
    const dest = deps.destinations[0];
    const repo = flags.repo ?? (!flags.dirGiven && dest ? `${dest.registry}/${dest.repository}/cache` : void 0);
    if (repo) {
      const r = registryCache(repo);
      readers.push(r);
      if (!flags.noPushCache) writers.push({ backend: r, allStages: true });
    }
  }
  for (const v of flags.from) {
    const s = parseCacheSpec(v, "from");
    readers.push(s.type === "registry" ? registryCache(s.ref) : local(s.dir));
  }
  for (const v of flags.to) {
    const s = parseCacheSpec(v, "to");
    writers.push({
      backend: s.type === "registry" ? registryCache(s.ref) : local(s.dir),
      allStages: s.mode === "max"
    });
  }
  if (readers.length === 0 && writers.length === 0) return void 0;
  const buildkitStyle = flags.from.length > 0 || flags.to.length > 0;
  const localDir = readers.concat(writers.map((w) => w.backend)).find((b) => b instanceof LocalCache);
  return new LayerCache({
    readers: flags.noCache ? [] : readers,
    writers,
    copyLayers: flags.copyLayers || buildkitStyle,
    runLayers: flags.runLayers,
    ...localDir instanceof LocalCache ? { memoDir: localDir.dir } : {},
    warn: deps.warn,
    ...deps.debug ? { debug: deps.debug } : {}
  });
}
export {
  CacheSpecError,
  LayerCache,
  LocalCache,
  RegistryCache,
  SourceMissing,
  createLayerCache,
  hashKey,
  hashSources,
  parseCacheSpec,
  stageRootKey,
  stepKey
};
