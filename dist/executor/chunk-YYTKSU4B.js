const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  ByteProgress,
  copyTree,
  progressStream
} from "./chunk-IUAAVYYJ.js";
import {
  require_node_util
} from "./chunk-L6C7SMFX.js";
import {
  extractLayer,
  readXattrs
} from "./chunk-2PKG5B6T.js";
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
import {
  require_node_zlib
} from "./chunk-XBC7G4DO.js";
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

// src/build/rootfs-impl.ts
var import_promises3 = __toESM(require_promises(), 1);
var import_node_path5 = __toESM(require_node_path(), 1);
var import_node_stream2 = __toESM(require_node_stream(), 1);

// src/fs/ignore.ts
var import_node_path = __toESM(require_node_path(), 1);
function defaultIgnorePaths(opts = {}) {
  const paths = ["/proc", "/sys", "/dev", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/etc/mtab"];
  if (opts.builderDir) paths.push(opts.builderDir);
  if (opts.ignoreVarRun) paths.push("/var/run", "/run");
  paths.push(...opts.extra ?? []);
  return paths;
}
var IgnoreList = class {
  #paths = /* @__PURE__ */ new Set();
  constructor(paths = []) {
    for (const p of paths) this.add(p);
  }
  /** Adds an image path (mount targets, secrets...). */
  add(path) {
    const p = import_node_path.posix.normalize(`/${path}`).replace(/\/+$/, "");
    if (p) this.#paths.add(p);
  }
  delete(path) {
    this.#paths.delete(import_node_path.posix.normalize(`/${path}`).replace(/\/+$/, ""));
  }
  /** True for an ignored path itself (cheap; the walk never descends into ignored dirs). */
  isIgnoredExactly(path) {
    return this.#paths.has(path);
  }
  /** True for an ignored path or anything under it. */
  has(path) {
    if (this.#paths.size === 0) return false;
    for (let p = path; p.length > 0; p = p.slice(0, p.lastIndexOf("/"))) if (this.#paths.has(p)) return true;
    return false;
  }
  get paths() {
    return [...this.#paths].sort();
  }
};

// src/fs/snapshot.ts
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);

// src/fs/stat-index.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_fs = __toESM(require_node_fs(), 1);
function kindOf(st) {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isCharacterDevice()) return "char";
  if (st.isBlockDevice()) return "block";
  if (st.isFIFO()) return "fifo";
  return "socket";
}
function entryFromStat(st, hostPath, seen) {
  const kind = kindOf(st);
  const e = {
    kind,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: Number(st.size),
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    ino: st.ino,
    nlink: Number(st.nlink),
    rdev: Number(st.rdev),
    seen
  };
  if (kind === "symlink") e.link = (0, import_node_fs.readlinkSync)(hostPath);
  return e;
}
var RACY_WINDOW_NS = 50000000n;
function hashFile(hostPath) {
  const h = (0, import_node_crypto.createHash)("sha256");
  const fd = (0, import_node_fs.openSync)(hostPath, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (; ; ) {
      const n = (0, import_node_fs.readSync)(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    (0, import_node_fs.closeSync)(fd);
  }
  return h.digest("hex");
}
var FsIndex = class {
  entries = /* @__PURE__ */ new Map();
  /** Current walk generation. */
  generation = 0;
  get size() {
    return this.entries.size;
  }
  get(path) {
    return this.entries.get(path);
  }
  /** Records `path` from an lstat of `hostPath` (missing → removed from the index). */
  record(path, hostPath) {
    let st;
    try {
      st = (0, import_node_fs.lstatSync)(hostPath, { bigint: true });
    } catch {
      this.entries.delete(path);
      return void 0;
    }
    return this.recordStat(path, hostPath, st);
  }
  recordStat(path, hostPath, st) {
    const e = entryFromStat(st, hostPath, this.generation);
    this.markRacy(e, hostPath);
    this.entries.set(path, e);
    return e;
  }
  /** Hashes a file whose mtime is too recent to be trusted later. */
  markRacy(e, hostPath) {
    if (e.kind !== "file") return;
    const now = BigInt(Date.now()) * 1000000n;
    if (e.mtimeNs >= now - RACY_WINDOW_NS) e.hash = hashFile(hostPath);
  }
  /** Forgets `path` and everything under it. */
  deleteTree(path) {
    this.entries.delete(path);
    const prefix = path === "/" ? "/" : `${path}/`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
};

// src/fs/snapshot.ts
function devMajor(rdev) {
  return rdev >> 8 & 4095 | Math.floor(rdev / 2 ** 32) & ~4095;
}
function devMinor(rdev) {
  return rdev & 255 | rdev >> 12 & ~255;
}
var Snapshotter = class {
  root;
  ignore;
  index;
  constructor(opts) {
    this.root = opts.root;
    this.ignore = opts.ignore ?? new IgnoreList();
    this.index = opts.index ?? new FsIndex();
  }
  #host(path) {
    return (0, import_node_path2.join)(this.root, path);
  }
  /** Records the whole tree as the baseline (only needed when extraction did not feed the index). */
  init() {
    const gen = ++this.index.generation;
    this.#walk((path, host, st) => {
      this.index.recordStat(path, host, st);
      this.index.get(path).seen = gen;
    });
  }
  /** One walk: everything that differs from the index becomes an entry; the index is updated. */
  takeSnapshot() {
    const gen = ++this.index.generation;
    const changed = [];
    const added = [];
    const modified = [];
    this.#walk((path, host, st) => {
      const prev = this.index.get(path);
      if (prev && !this.#differs(prev, st, host)) {
        prev.seen = gen;
        return;
      }
      const entry = this.index.recordStat(path, host, st);
      (prev ? modified : added).push(path);
      changed.push({ path, host, entry });
    });
    const deleted = [];
    for (const [path, e] of this.index.entries) {
      if (e.seen === gen || path === "/" || this.ignore.has(path)) continue;
      const parent = path.slice(0, path.lastIndexOf("/")) || "/";
      const p = parent === "/" ? void 0 : this.index.get(parent);
      if (parent === "/" || p?.seen === gen && p.kind === "dir") deleted.push(path);
    }
    for (const path of deleted) this.index.deleteTree(path);
    for (const [path, e] of this.index.entries)
      if (e.seen !== gen && !this.ignore.has(path)) this.index.entries.delete(path);
    const entries = this.#entries(changed);
    const attrs = readXattrs(
      entries.flatMap((e) => e.type === "file" || e.type === "dir" ? [this.#host(e.path)] : [])
    );
    if (attrs.size > 0)
      for (const e of entries) {
        const x = attrs.get(this.#host(e.path));
        if (x) e.xattrs = x;
      }
    for (const path of deleted) entries.push({ path, type: "whiteout" });
    return { entries, added, modified, deleted };
  }
  /**
   * Records paths a COPY/ADD wrote (image paths, as returned by copyInto) without walking the
   * tree, and returns their entries. Parents' index records are refreshed silently.
   */
  addPaths(paths) {
    const gen = this.index.generation;
    const changed = [];
    const added = [];
    const modified = [];
    const parents = /* @__PURE__ */ new Set();
    for (const path of new Set(paths)) {
      if (this.ignore.has(path)) continue;
      const host = this.#host(path);
      let st;
      try {
        st = (0, import_node_fs2.lstatSync)(host, { bigint: true });
      } catch {
        continue;
      }
      const prev = this.index.get(path);
      const entry = this.index.recordStat(path, host, st);
      entry.seen = gen;
      (prev ? modified : added).push(path);
      changed.push({ path, host, entry });
      for (let p = path.slice(0, path.lastIndexOf("/")); p; p = p.slice(0, p.lastIndexOf("/")))
        parents.add(p);
    }
    for (const p of parents) {
      const prev = this.index.get(p);
      if (prev) {
        this.index.record(p, this.#host(p));
        const now = this.index.get(p);
        if (now) now.seen = prev.seen;
      }
    }
    return { entries: this.#entries(changed), added, modified, deleted: [] };
  }
  #differs(prev, st, host) {
    if (prev.ino !== st.ino || prev.mtimeNs !== st.mtimeNs || prev.ctimeNs !== st.ctimeNs || prev.size !== Number(st.size) || prev.mode !== Number(st.mode & 0o7777n) || prev.uid !== Number(st.uid) || prev.gid !== Number(st.gid) || prev.nlink !== Number(st.nlink))
      return true;
    if (prev.hash !== void 0) return hashFile(host) !== prev.hash;
    return false;
  }
  #walk(visit) {
    const stack = [["", this.root]];
    while (stack.length > 0) {
      const [dir, dirHost] = stack.pop();
      let names;
      try {
        names = (0, import_node_fs2.readdirSync)(dirHost);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = `${dir}/${name}`;
        if (this.ignore.isIgnoredExactly(path)) continue;
        const host = `${dirHost === "/" ? "" : dirHost}/${name}`;
        let st;
        try {
          st = (0, import_node_fs2.lstatSync)(host, { bigint: true });
        } catch {
          continue;
        }
        visit(path, host, st);
        if (st.isDirectory()) stack.push([path, host]);
      }
    }
  }
  /** Observed paths → layer entries; paths sharing an inode become one file plus hardlinks. */
  #entries(changed) {
    const firstOfInode = /* @__PURE__ */ new Map();
    const sorted = [...changed].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    const out = [];
    for (const { path, host, entry: e } of sorted) {
      const base = { path, mode: e.mode, uid: e.uid, gid: e.gid, mtime: Number(e.mtimeNs / 1000000000n) };
      switch (e.kind) {
        case "file": {
          const first = e.nlink > 1 ? firstOfInode.get(e.ino) : void 0;
          if (first !== void 0) out.push({ ...base, type: "hardlink", linkname: first });
          else {
            if (e.nlink > 1) firstOfInode.set(e.ino, path);
            out.push({ ...base, type: "file", source: host });
          }
          break;
        }
        case "dir":
          out.push({ ...base, type: "dir" });
          break;
        case "symlink":
          out.push({ ...base, type: "symlink", linkname: e.link ?? "" });
          break;
        case "char":
        case "block":
          out.push({ ...base, type: e.kind, devmajor: devMajor(e.rdev), devminor: devMinor(e.rdev) });
          break;
        case "fifo":
          out.push({ ...base, type: "fifo" });
          break;
        case "socket":
          break;
      }
    }
    return out;
  }
};

// src/layer/write-layer.ts
var import_node_crypto2 = __toESM(require_node_crypto(), 1);
var import_promises2 = __toESM(require_promises(), 1);
var import_node_path4 = __toESM(require_node_path(), 1);

// src/layer/entry.ts
var LAYER_MEDIA_TYPES = {
  gzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  zstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  none: "application/vnd.oci.image.layer.v1.tar"
};
function parentPath(p) {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

// src/layer/parallel-gzip.ts
var import_node_stream = __toESM(require_node_stream(), 1);
var import_node_zlib = __toESM(require_node_zlib(), 1);
var BLOCK_SIZE = 1 << 20;
var DICT_SIZE = 32 * 1024;
var SAMPLE_SIZE = 8 * 1024;
var IN_FLIGHT = 4;
var GZIP_HEADER = Buffer.from([31, 139, 8, 0, 0, 0, 0, 0, 0, 255]);
var outputSize = (n) => n + (n >> 6) + 64 * 1024;
function compressParts(engine, input) {
  return new Promise((resolve, reject) => {
    const parts = [];
    engine.on("data", (b) => {
      if (b.buffer.byteLength > POOL_SAFE) zlibOutputs.add(b.buffer);
      parts.push(b);
    });
    engine.once("error", reject);
    engine.once("end", () => resolve(parts));
    engine.end(input);
  });
}
var POOL_SAFE = 64 * 1024;
var zlibOutputs = /* @__PURE__ */ new WeakSet();
function releaseOutput(memory) {
  if (!zlibOutputs.has(memory) || !(memory instanceof ArrayBuffer) || memory.detached) return;
  try {
    memory.transfer(0);
  } catch {
  }
}
var deflateRaw = (input, opts) => compressParts(import_node_zlib.default.createDeflateRaw(opts), input);
async function deflateBlock(block, level, dictionary) {
  const opts = {
    level,
    finishFlush: import_node_zlib.default.constants.Z_SYNC_FLUSH,
    chunkSize: outputSize(block.length)
  };
  if (level > 0 && await looksIncompressible(block)) opts.level = 0;
  else if (dictionary) opts.dictionary = dictionary;
  return deflateRaw(block, opts);
}
async function looksIncompressible(block) {
  if (block.length < SAMPLE_SIZE * 8) return false;
  const sample = Buffer.concat(
    [0, block.length - SAMPLE_SIZE >> 1, block.length - SAMPLE_SIZE].map(
      (at) => block.subarray(at, at + SAMPLE_SIZE)
    )
  );
  const out = await deflateRaw(sample, { level: 1 });
  return out.reduce((n, b) => n + b.length, 0) > sample.length * 0.98;
}
var BlockCompressor = class extends import_node_stream.Transform {
  #blockSize;
  #free = [];
  #block;
  #fill = 0;
  #queue = [];
  constructor(blockSize) {
    super({ highWaterMark: blockSize });
    this.#blockSize = blockSize;
  }
  _transform(chunk, _enc, cb) {
    for (let at = 0; at < chunk.length; ) {
      this.#block ??= this.#free.pop() ?? Buffer.allocUnsafe(this.#blockSize);
      const n = chunk.copy(this.#block, this.#fill, at);
      this.#fill += n;
      at += n;
      if (this.#fill === this.#blockSize) this.#submit();
    }
    this.#drain(IN_FLIGHT).then(() => cb(), cb);
  }
  _flush(cb) {
    if (this.#fill > 0 || this.#queue.length === 0) this.#submit();
    this.#drain(0).then(() => {
      for (const b of this.trailer()) this.push(b);
      cb();
    }, cb);
  }
  #submit() {
    const block = this.#block ?? Buffer.alloc(0);
    const job = this.compress(block.subarray(0, this.#fill));
    this.#block = void 0;
    this.#fill = 0;
    const recycle = () => {
      if (block.length === this.#blockSize) this.#free.push(block);
    };
    job.then(recycle, recycle);
    this.#queue.push(job);
  }
  async #drain(max) {
    while (this.#queue.length > max) for (const b of await this.#queue.shift()) this.push(b);
  }
};
var ParallelGzip = class extends BlockCompressor {
  #level;
  #crc = 0;
  #isize = 0;
  #dictionary;
  constructor(level = 1) {
    super(BLOCK_SIZE);
    this.#level = level;
    this.push(GZIP_HEADER);
  }
  compress(block) {
    this.#crc = import_node_zlib.default.crc32(block, this.#crc);
    this.#isize = (this.#isize + block.length) % 4294967296;
    const job = deflateBlock(block, this.#level, this.#dictionary);
    this.#dictionary = Buffer.from(block.subarray(Math.max(0, block.length - DICT_SIZE)));
    return job;
  }
  trailer() {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.#crc >>> 0, 0);
    trailer.writeUInt32LE(this.#isize >>> 0, 4);
    return [import_node_zlib.default.deflateRawSync(Buffer.alloc(0), { level: this.#level }), trailer];
  }
};
var ParallelZstd = class extends BlockCompressor {
  #level;
  constructor(level = 3) {
    super(ZSTD_BLOCK);
    this.#level = level;
  }
  compress(block) {
    const params = {
      [import_node_zlib.default.constants.ZSTD_c_compressionLevel]: this.#level,
      [import_node_zlib.default.constants.ZSTD_c_checksumFlag]: 1
    };
    const opts = { params, pledgedSrcSize: block.length, chunkSize: outputSize(block.length) };
    return compressParts(import_node_zlib.default.createZstdCompress(opts), block);
  }
  trailer() {
    return [];
  }
};
var ZSTD_BLOCK = 1 << 20;

// src/layer/tar-stream.ts
var import_node_fs3 = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path3 = __toESM(require_node_path(), 1);
var import_node_util = __toESM(require_node_util(), 1);

// src/layer/errors.ts
var LayerWriteError = class extends Error {
  name = "LayerWriteError";
  path;
  constructor(path, message) {
    super(`writing layer entry ${path}: ${message}`);
    this.path = path;
  }
};

// src/layer/tar-header.ts
var BLOCK = 512;
var MAX_OCTAL_8 = 2097151;
var MAX_OCTAL_12 = 8589934591;
function isAscii(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 126 || s.charCodeAt(i) < 32) return false;
  return true;
}
function writeOctal(buf, value, offset, width) {
  buf.write(value.toString(8).padStart(width - 1, "0"), offset, width - 1, "ascii");
  buf[offset + width - 1] = 0;
}
function splitUstar(name) {
  if (name.length <= 100) return ["", name];
  for (let i = name.indexOf("/"); i !== -1 && i < name.length - 1; i = name.indexOf("/", i + 1)) {
    if (i > 155) return null;
    if (name.length - i - 1 <= 100) return [name.slice(0, i), name.slice(i + 1)];
  }
  return null;
}
function paxRecord(key, value) {
  const body = Buffer.byteLength(key) + value.length + 3;
  let len = body + String(body).length;
  if (String(len).length !== String(body).length) len = body + String(len).length;
  return Buffer.concat([Buffer.from(`${len} ${key}=`), value, Buffer.from("\n")]);
}
function ustarBlock(h, typeflag, name, prefix, linkname) {
  const buf = Buffer.alloc(BLOCK);
  buf.write(name, 0, 100, "utf8");
  writeOctal(buf, h.mode & 4095, 100, 8);
  writeOctal(buf, h.uid <= MAX_OCTAL_8 ? h.uid : 0, 108, 8);
  writeOctal(buf, h.gid <= MAX_OCTAL_8 ? h.gid : 0, 116, 8);
  writeOctal(buf, h.size <= MAX_OCTAL_12 ? h.size : 0, 124, 12);
  writeOctal(buf, Math.min(Math.max(0, Math.floor(h.mtime)), MAX_OCTAL_12), 136, 12);
  buf.write(typeflag, 156, 1, "ascii");
  buf.write(linkname, 157, 100, "utf8");
  buf.write("ustar\x0000", 257, 8, "ascii");
  writeOctal(buf, h.devmajor ?? 0, 329, 8);
  writeOctal(buf, h.devminor ?? 0, 337, 8);
  buf.write(prefix, 345, 155, "utf8");
  buf.fill(32, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += buf[i];
  buf.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return buf;
}
function encodeHeader(h) {
  const records = [];
  const split = isAscii(h.name) ? splitUstar(h.name) : null;
  const link = h.linkname ?? "";
  if (!split) records.push(["path", Buffer.from(h.name)]);
  if (link.length > 100 || !isAscii(link)) records.push(["linkpath", Buffer.from(link)]);
  if (h.size > MAX_OCTAL_12) records.push(["size", Buffer.from(String(h.size))]);
  if (h.uid > MAX_OCTAL_8) records.push(["uid", Buffer.from(String(h.uid))]);
  if (h.gid > MAX_OCTAL_8) records.push(["gid", Buffer.from(String(h.gid))]);
  for (const [k, v] of Object.entries(h.xattrs ?? {})) records.push([`SCHILY.xattr.${k}`, v]);
  records.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const [prefix, name] = split ?? ["", asciiTruncate(h.name, 100)];
  const main = ustarBlock(h, h.typeflag, name, prefix, records.some((r) => r[0] === "linkpath") ? "" : link);
  if (records.length === 0) return main;
  const data = Buffer.concat(records.map(([k, v]) => paxRecord(k, v)));
  const paxHeader = ustarBlock(
    { name: "", typeflag: "0", mode: 420, uid: 0, gid: 0, size: data.length, mtime: 0 },
    "x",
    "PaxHeader",
    "",
    ""
  );
  return Buffer.concat([paxHeader, data, Buffer.alloc(padding(data.length)), main]);
}
function asciiTruncate(s, max) {
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c >= 32 && c <= 126 ? ch : "_";
    if (out.length >= max) break;
  }
  return out;
}
function padding(size) {
  const r = size % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}
var END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

// src/layer/tar-stream.ts
var TYPEFLAGS = {
  file: "0",
  hardlink: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6"
};
function tarName(e) {
  const rel = e.path.replace(/^\/+/, "");
  if (e.type === "whiteout") {
    const i = rel.lastIndexOf("/");
    return `${rel.slice(0, i + 1)}.wh.${rel.slice(i + 1)}`;
  }
  if (e.type === "opaque") return rel ? `${rel}/.wh..wh..opq` : ".wh..wh..opq";
  return rel;
}
function compareNames(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
async function normaliseEntries(entries, root) {
  const byName = /* @__PURE__ */ new Map();
  for (const e of entries) {
    if (e.path === "/" || e.path === "") continue;
    byName.set(tarName(e), e);
  }
  const dirs = /* @__PURE__ */ new Set();
  for (const e of byName.values()) if (e.type === "dir") dirs.add(e.path);
  const missing = /* @__PURE__ */ new Set();
  for (const e of byName.values()) {
    const start = e.type === "opaque" ? e.path : parentPath(e.path);
    for (let p = start; p !== "/" && !dirs.has(p) && !missing.has(p); p = parentPath(p)) missing.add(p);
  }
  for (const p of missing) byName.set(p.slice(1), await implicitDir(p, root));
  return [...byName.entries()].sort((a, b) => compareNames(a[0], b[0])).map(([, e]) => e);
}
async function implicitDir(path, root) {
  if (root) {
    const st = await (0, import_promises.lstat)((0, import_node_path3.join)(root, path)).catch(() => void 0);
    if (st?.isDirectory())
      return {
        path,
        type: "dir",
        mode: st.mode & 4095,
        uid: st.uid,
        gid: st.gid,
        mtime: st.mtimeMs / 1e3
      };
  }
  return { path, type: "dir", mode: 493, uid: 0, gid: 0, mtime: 0 };
}
function clampMtime(mtime, opts) {
  const t = Math.max(0, Math.floor(mtime ?? 0));
  if (opts.reproducible) return opts.sourceDateEpoch ?? 0;
  return opts.sourceDateEpoch !== void 0 ? Math.min(t, opts.sourceDateEpoch) : t;
}
function header(e, opts, size) {
  const name = tarName(e);
  if (e.type === "whiteout" || e.type === "opaque")
    return { name, typeflag: "0", mode: 0, uid: 0, gid: 0, size: 0, mtime: clampMtime(0, opts) };
  const typeflag = TYPEFLAGS[e.type];
  if (!typeflag) throw new LayerWriteError(e.path, `unknown entry type ${e.type}`);
  const h = {
    name: e.type === "dir" ? `${name}/` : name,
    typeflag,
    mode: e.mode ?? (e.type === "dir" ? 493 : 420),
    uid: e.uid ?? 0,
    gid: e.gid ?? 0,
    size,
    mtime: clampMtime(e.mtime, opts)
  };
  if (e.type === "symlink") h.linkname = e.linkname ?? "";
  if (e.type === "hardlink") h.linkname = (e.linkname ?? "").replace(/^\/+/, "");
  if (e.type === "char" || e.type === "block") {
    h.devmajor = e.devmajor ?? 0;
    h.devminor = e.devminor ?? 0;
  }
  if (e.xattrs && Object.keys(e.xattrs).length) h.xattrs = e.xattrs;
  return h;
}
var READ_CHUNK = 1 << 20;
var readAsync = (0, import_node_util.promisify)(import_node_fs3.read);
function openSource(e) {
  if (!e.source) throw new LayerWriteError(e.path, "file entry without a source");
  try {
    return (0, import_node_fs3.openSync)(e.source, "r");
  } catch (err) {
    const code = err.code;
    throw new LayerWriteError(e.path, `cannot read ${e.source}: ${code ?? err.message}`);
  }
}
async function* tarChunks(entries, opts = {}) {
  let buf;
  for (const e of entries) {
    if (e.type !== "file") {
      yield encodeHeader(header(e, opts, 0));
      continue;
    }
    const fd = openSource(e);
    try {
      const size = (0, import_node_fs3.fstatSync)(fd).size;
      const head = encodeHeader(header(e, opts, size));
      const pad = padding(size);
      buf ??= Buffer.allocUnsafe(READ_CHUNK);
      if (head.length + size + pad <= buf.length) {
        head.copy(buf, 0);
        let got = 0;
        while (got < size) {
          const n = (0, import_node_fs3.readSync)(fd, buf, head.length + got, size - got, null);
          if (n === 0) break;
          got += n;
        }
        buf.fill(0, head.length + got, head.length + size + pad);
        yield buf.subarray(0, head.length + size + pad);
        continue;
      }
      yield head;
      let left = size;
      while (left > 0) {
        const { bytesRead } = await readAsync(fd, buf, 0, Math.min(left, READ_CHUNK), null);
        if (bytesRead === 0) break;
        left -= bytesRead;
        yield buf.subarray(0, bytesRead);
      }
      if (left > 0) yield Buffer.alloc(left);
      if (pad) yield Buffer.alloc(pad);
    } finally {
      (0, import_node_fs3.closeSync)(fd);
    }
  }
  yield END_OF_ARCHIVE;
}

// src/layer/write-layer.ts
function compressor(compression, level) {
  if (compression === "gzip") return new ParallelGzip(level ?? 1);
  if (compression === "zstd") return new ParallelZstd(level ?? 3);
  return void 0;
}
async function writeLayer(entries, opts) {
  const compression = opts.compression ?? "gzip";
  const sorted = await normaliseEntries(entries, opts.root);
  await (0, import_promises2.mkdir)(opts.dir, { recursive: true });
  const tmp = (0, import_node_path4.join)(opts.dir, `.layer-${(0, import_node_crypto2.randomBytes)(6).toString("hex")}.tmp`);
  const diff = (0, import_node_crypto2.createHash)("sha256");
  const blob = (0, import_node_crypto2.createHash)("sha256");
  let uncompressedSize = 0;
  let size = 0;
  const comp = compressor(compression, opts.level);
  let out;
  try {
    out = await (0, import_promises2.open)(tmp, "w");
    const file = out;
    const feed = async () => {
      for await (const chunk of tarChunks(sorted, opts)) {
        diff.update(chunk);
        uncompressedSize += chunk.length;
        if (!comp) await writeAll(file, chunk);
        else
          await new Promise((resolve, reject) => comp.write(chunk, (e) => e ? reject(e) : resolve()));
      }
      comp?.end();
    };
    const drain = (c) => new Promise((resolve, reject) => {
      let held;
      c.on("data", (piece) => {
        c.pause();
        blob.update(piece);
        size += piece.length;
        writeAll(file, piece).then(
          () => {
            if (held && held !== piece.buffer) releaseOutput(held);
            held = piece.buffer;
            c.resume();
          },
          (e) => c.destroy(e)
        );
      });
      c.once("end", () => {
        if (held) releaseOutput(held);
        resolve();
      });
      c.once("error", reject);
    });
    if (comp)
      await Promise.all([
        feed().catch((e) => {
          comp.destroy(e);
          throw e;
        }),
        drain(comp)
      ]);
    else await feed();
    await out.close();
    out = void 0;
    const diffID = `sha256:${diff.digest("hex")}`;
    const digest = comp ? `sha256:${blob.digest("hex")}` : diffID;
    const path = (0, import_node_path4.join)(opts.dir, digest.slice("sha256:".length));
    await (0, import_promises2.rename)(tmp, path);
    return {
      path,
      digest,
      diffID,
      size: comp ? size : uncompressedSize,
      uncompressedSize,
      mediaType: LAYER_MEDIA_TYPES[compression],
      entries: sorted.length
    };
  } catch (e) {
    await out?.close().catch(() => {
    });
    await (0, import_promises2.rm)(tmp, { force: true });
    throw e;
  }
}
async function writeAll(file, data) {
  for (let at = 0; at < data.length; ) {
    const { bytesWritten } = await file.write(data, at, data.length - at);
    at += bytesWritten;
  }
}

// src/build/rootfs-impl.ts
var DirRootfs = class {
  dir;
  ctx;
  index = new FsIndex();
  ignoreList;
  snapshotter;
  /** Mount targets of the last RUN: left out of the next snapshot only. */
  transient = [];
  isMaterialized = false;
  extractSkipsIgnored = false;
  /** Image paths the base has but extraction left alone (ignored, or devices without rights). */
  skippedByExtraction = /* @__PURE__ */ new Set();
  /** Names the base image for BaseTrees: stages with the same key share one extraction. */
  shareKey;
  /** `ignorePaths` replaces the defaults (in-place mode adds the builder's own paths). */
  constructor(ctx, dir, ignorePaths, shareKey) {
    this.ctx = ctx;
    this.dir = dir;
    this.shareKey = shareKey;
    this.ignoreList = new IgnoreList(
      ignorePaths ?? defaultIgnorePaths({ ignoreVarRun: ctx.opts.ignoreVarRun ?? false, extra: ctx.opts.ignorePaths })
    );
    this.snapshotter = new Snapshotter({ root: dir, ignore: this.ignoreList, index: this.index });
  }
  get materialized() {
    return this.isMaterialized;
  }
  pending;
  materialize(layers, signal) {
    this.pending ??= this.extractBase(layers, signal);
    return this.pending;
  }
  /** Makes `dir` ready to receive the base (in-place mode empties `/` here). */
  async prepare() {
    await (0, import_promises3.mkdir)(this.dir, { recursive: true });
  }
  async extractBase(layers, signal) {
    const step = layers.length > 0 ? this.ctx.log.step(`[internal] extract ${layers.length} base layer(s)`) : void 0;
    const shared = this.shareKey !== void 0 && layers.length > 0 ? await this.ctx.baseTrees?.take(
      this.shareKey,
      layers.map((l) => l.digest),
      this.dir,
      (dir) => this.extractInto(dir, layers, step, signal)
    ) : void 0;
    if (shared) {
      for (const p of shared) this.skippedByExtraction.add(p);
      this.snapshotter.init();
    } else {
      await this.prepare();
      const skipped = await this.extractInto(this.dir, layers, step, signal, this.index);
      for (const p of skipped) this.skippedByExtraction.add(p);
      if (layers.length === 0) this.snapshotter.init();
    }
    step?.done();
    this.isMaterialized = true;
  }
  /** Extracts `layers` in order into `dir`; returns the image paths extraction left alone. */
  async extractInto(dir, layers, step, signal, index) {
    const skipped = /* @__PURE__ */ new Set();
    if (dir !== this.dir) await (0, import_promises3.mkdir)(dir, { recursive: true });
    let next = layers[0]?.open();
    next?.catch(() => void 0);
    for (let i = 0; i < layers.length; i++) {
      signal?.throwIfAborted();
      const layer = layers[i];
      let stream = await next;
      if (step && this.ctx.log.interactive) {
        const shown = progressStream(new ByteProgress(step, layer.digest.slice(0, 19), layer.size));
        (0, import_node_stream2.pipeline)(stream, shown, () => void 0);
        stream = shown;
      }
      next = layers[i + 1]?.open();
      next?.catch(() => void 0);
      const extracted = await extractLayer(stream, {
        mediaType: layer.mediaType,
        root: dir,
        ...index ? { index } : {},
        // In place, what the container itself mounts (/proc, /etc/hosts...) must stay untouched.
        ...this.extractSkipsIgnored ? { ignore: this.ignoreList } : {},
        where: layer.digest
      });
      if (extracted.mediaTypeMismatch) this.ctx.log.warn(extracted.mediaTypeMismatch);
      for (const s of extracted.skipped) skipped.add(s.path);
    }
    return skipped;
  }
  async applyLayers(layers, signal) {
    for (const layer of layers) {
      signal?.throwIfAborted();
      const extracted = await extractLayer(await layer.open(), {
        mediaType: layer.mediaType,
        root: this.dir,
        index: this.index,
        ...this.extractSkipsIgnored ? { ignore: this.ignoreList } : {},
        where: layer.digest
      });
      if (extracted.mediaTypeMismatch) this.ctx.log.warn(extracted.mediaTypeMismatch);
      for (const s of extracted.skipped) this.skippedByExtraction.add(s.path);
    }
  }
  async cloneFrom(other) {
    await (0, import_promises3.rm)(this.dir, { recursive: true, force: true });
    await copyTree(other.dir, this.dir);
    this.snapshotter.init();
    this.isMaterialized = true;
    this.pending = Promise.resolve();
  }
  async write(res) {
    const opts = this.ctx.opts;
    const written = await writeLayer(res.entries, {
      dir: this.ctx.work.layers,
      root: this.dir,
      compression: opts.compression,
      ...opts.compressionLevel !== void 0 ? { level: opts.compressionLevel } : {},
      ...this.ctx.sourceDateEpoch !== void 0 ? { sourceDateEpoch: this.ctx.sourceDateEpoch } : {},
      reproducible: opts.reproducible
    });
    return {
      path: written.path,
      digest: written.digest,
      diffID: written.diffID,
      size: written.size,
      mediaType: written.mediaType
    };
  }
  async snapshotAll(createdDirs = []) {
    for (const p of this.transient) this.ignoreList.add(p);
    try {
      const t0 = performance.now();
      const res = this.snapshotter.takeSnapshot();
      const walked = new Set(res.entries.map((e) => e.path));
      for (const e of await this.runtimeEntries(createdDirs)) if (!walked.has(e.path)) res.entries.push(e);
      const t1 = performance.now();
      const layer = await this.write(res);
      this.ctx.log.debug(
        `walk ${(t1 - t0).toFixed(0)} ms (${res.entries.length} changes), layer ${(performance.now() - t1).toFixed(0)} ms`
      );
      return layer;
    } finally {
      for (const p of this.transient) this.ignoreList.delete(p);
      this.transient = [];
    }
  }
  /** Does the image this root holds have `path`, even where extraction left it out? */
  imageHas(path) {
    return this.index.get(path) !== void 0 || this.skippedByExtraction.has(path);
  }
  /** Layer entries for directories the RUN's runtime created (ignored by the walk itself). */
  async runtimeEntries(createdDirs) {
    const entries = [];
    for (const path of createdDirs) {
      const st = await (0, import_promises3.lstat)((0, import_node_path5.join)(this.dir, path));
      entries.push({
        path,
        type: "dir",
        mode: st.mode & 4095,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1e3)
      });
    }
    return entries;
  }
  async snapshotPaths(paths) {
    return this.write(this.snapshotter.addPaths(paths));
  }
  ignore(paths) {
    this.transient.push(...paths);
  }
};
function createStageRootfs(ctx, dir, shareKey) {
  return new DirRootfs(ctx, dir, void 0, shareKey);
}

export {
  DirRootfs,
  createStageRootfs
};
