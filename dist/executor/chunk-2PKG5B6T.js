const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  ArchiveFormatError,
  UnsafeEntryError
} from "./chunk-QTTXRMTW.js";
import {
  require_node_child_process
} from "./chunk-Y3A2L6LS.js";
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
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/fs/extract.ts
var import_node_child_process3 = __toESM(require_node_child_process(), 1);
var import_node_fs3 = __toESM(require_node_fs(), 1);

// src/fs/decompress.ts
var import_node_child_process = __toESM(require_node_child_process(), 1);
var import_node_stream = __toESM(require_node_stream(), 1);
var import_node_zlib = __toESM(require_node_zlib(), 1);
function detectCompression(head) {
  if (head[0] === 31 && head[1] === 139) return "gzip";
  if (head.readUInt32LE(0) === 4247762216 && head.length >= 4) return "zstd";
  if (head.subarray(0, 3).toString("latin1") === "BZh") return "bzip2";
  if (head.subarray(0, 6).equals(Buffer.from([253, 55, 122, 88, 90, 0]))) return "xz";
  return "none";
}
function compressionOfMediaType(mediaType) {
  if (!mediaType) return void 0;
  if (/(\+|\.)gzip$/.test(mediaType)) return "gzip";
  if (/(\+|\.)zstd$/.test(mediaType)) return "zstd";
  if (/(\.|\+)?tar$/.test(mediaType)) return "none";
  return void 0;
}
function spawnFilter(cmd, input, where) {
  const child = (0, import_node_child_process.spawn)(cmd, ["-dc"], { stdio: ["pipe", "pipe", "pipe"] });
  const out = new import_node_stream.PassThrough();
  let stderr = "";
  child.stderr.on("data", (b) => {
    if (stderr.length < 500) stderr += b.toString();
  });
  child.on("error", (e) => out.destroy(new ArchiveFormatError(`cannot run ${cmd}: ${e.message}`, where)));
  child.stdout.on("error", (e) => out.destroy(e));
  child.stdin.on("error", () => {
  });
  input.on("error", (e) => {
    child.kill();
    out.destroy(e);
  });
  input.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  let exit;
  let ended = false;
  const finish = () => {
    if (exit === void 0 || !ended) return;
    if (exit === 0) out.end();
    else out.destroy(new ArchiveFormatError(`${cmd} failed: ${stderr.trim().split("\n")[0] ?? exit}`, where));
  };
  child.stdout.on("end", () => {
    ended = true;
    finish();
  });
  child.on("close", (code) => {
    exit = code;
    finish();
  });
  out.on("close", () => child.kill());
  return out;
}
async function openArchive(input, where = "archive") {
  const it = input[Symbol.asyncIterator]();
  const head = [];
  let headLen = 0;
  while (headLen < 6) {
    const n = await it.next();
    if (n.done) break;
    head.push(n.value);
    headLen += n.value.length;
  }
  const first = Buffer.concat(head);
  const compression = detectCompression(first.length >= 6 ? first : Buffer.concat([first, Buffer.alloc(6)]));
  const rest = import_node_stream.Readable.from(
    (async function* () {
      if (first.length) yield first;
      for (; ; ) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    })(),
    { objectMode: false }
  );
  let tar;
  const wrap = (s, name) => {
    const out = new import_node_stream.PassThrough({ highWaterMark: 4 << 20 });
    rest.on("error", (e) => out.destroy(e));
    s.on("error", (e) => out.destroy(new ArchiveFormatError(`${name}: ${e.message}`, where)));
    return rest.pipe(s).pipe(out);
  };
  if (compression === "gzip") tar = wrap(import_node_zlib.default.createGunzip({ chunkSize: 256 << 10 }), "gzip");
  else if (compression === "zstd") tar = wrap(import_node_zlib.default.createZstdDecompress({ chunkSize: 256 << 10 }), "zstd");
  else if (compression === "bzip2") tar = spawnFilter("bzip2", rest, where);
  else if (compression === "xz") tar = spawnFilter("xz", rest, where);
  else tar = rest;
  return { compression, tar };
}

// src/fs/scoped-path.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var MAX_SYMLINKS = 40;
function components(p) {
  return p.split("/").filter((c) => c !== "" && c !== ".");
}
var ScopedRoot = class {
  root;
  /** Unresolved directory image path → resolved image path (both existing directories). */
  #dirs = /* @__PURE__ */ new Map();
  constructor(root) {
    this.root = root;
  }
  host(imagePath) {
    return imagePath === "/" ? this.root : (0, import_node_path.join)(this.root, imagePath);
  }
  /**
   * Resolves a directory path, following every symlink inside the root. Returns the resolved
   * image path, or undefined when a component is missing (and `create` is off).
   */
  resolveDir(imagePath, opts = {}) {
    if (imagePath === "/") return "/";
    const cached = this.#dirs.get(imagePath);
    if (cached !== void 0) return cached;
    const resolved = this.#resolve(imagePath, opts, false);
    if (resolved !== void 0) this.#dirs.set(imagePath, resolved);
    return resolved;
  }
  /**
   * Follows every symlink, the last component included, and returns the resolved image path,
   * which may be a file or missing; undefined when a parent directory is missing.
   */
  resolveAll(imagePath) {
    return this.#resolve(imagePath, {}, true);
  }
  #resolve(imagePath, opts, anyFinal) {
    const todo = components(imagePath);
    const done = [];
    let hops = 0;
    while (todo.length > 0) {
      const c = todo.shift();
      if (c === "..") {
        done.pop();
        continue;
      }
      const last = todo.length === 0;
      const image = `/${[...done, c].join("/")}`;
      const host = (0, import_node_path.join)(this.root, image);
      let st;
      try {
        st = (0, import_node_fs.lstatSync)(host);
      } catch {
        st = void 0;
      }
      if (!st) {
        if (anyFinal && last) return image;
        if (!opts.create) return void 0;
        (0, import_node_fs.mkdirSync)(host, { mode: 493 });
        opts.onCreate?.(image, host);
        done.push(c);
        continue;
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINKS) throw new UnsafeEntryError(imagePath, "too many levels of symbolic links");
        const target = (0, import_node_fs.readlinkSync)(host);
        if (target.startsWith("/")) done.length = 0;
        todo.unshift(...components(target));
        continue;
      }
      if (!st.isDirectory()) {
        if (anyFinal && last) return image;
        throw new UnsafeEntryError(imagePath, `${image} is not a directory`);
      }
      done.push(c);
    }
    return `/${done.join("/")}`;
  }
  /**
   * Host path for `imagePath` with its parent resolved in the root; the last component is never
   * followed. Returns undefined when the parent is missing and `create` is off.
   */
  resolveParent(imagePath, opts = {}) {
    const i = imagePath.lastIndexOf("/");
    const base = imagePath.slice(i + 1);
    const dir = this.resolveDir(i <= 0 ? "/" : imagePath.slice(0, i), opts);
    if (dir === void 0) return void 0;
    const image = dir === "/" ? `/${base}` : `${dir}/${base}`;
    return { image, host: (0, import_node_path.join)(this.root, image) };
  }
  /** Forgets cached resolutions that went through `imagePath` (it was replaced or removed). */
  invalidate(imagePath) {
    const prefix = `${imagePath}/`;
    for (const [k, v] of this.#dirs) {
      if (k === imagePath || k.startsWith(prefix) || v === imagePath || v.startsWith(prefix))
        this.#dirs.delete(k);
    }
  }
};

// src/fs/byte-reader.ts
var ByteReader = class {
  #source;
  #buf = Buffer.alloc(0);
  #done = false;
  /** Bytes consumed so far. */
  offset = 0;
  constructor(source) {
    this.#source = (async function* () {
      for await (const c of source) yield Buffer.isBuffer(c) ? c : Buffer.from(c);
    })();
  }
  async #fill() {
    if (this.#done) return false;
    const next = await this.#source.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, next.value]) : next.value;
    return true;
  }
  /** Exactly `n` bytes, or null at a clean end of stream (nothing buffered). */
  async read(n) {
    while (this.#buf.length < n) {
      if (!await this.#fill()) {
        if (this.#buf.length === 0) return null;
        throw new ArchiveFormatError(`archive truncated at byte ${this.offset + this.#buf.length}`);
      }
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    this.offset += n;
    return out;
  }
  /** Streams exactly `n` bytes in the chunks they arrive in. */
  async *chunks(n) {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0 && !await this.#fill())
        throw new ArchiveFormatError(`archive truncated at byte ${this.offset}`);
      const take = Math.min(left, this.#buf.length);
      const out = this.#buf.subarray(0, take);
      this.#buf = this.#buf.subarray(take);
      this.offset += take;
      left -= take;
      yield out;
    }
  }
  /** Reads and discards the rest of the stream, so that its errors (bad gzip trailer) surface. */
  async drain() {
    this.#buf = Buffer.alloc(0);
    while (await this.#fill()) this.#buf = Buffer.alloc(0);
  }
  async skip(n) {
    for await (const _ of this.chunks(n)) ;
  }
};

// src/fs/tar-reader.ts
var MAX_META_SIZE = 1 << 20;
var MAX_SPARSE_SEGMENTS = 1 << 16;
function isZero(b) {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
function str(b, off, len) {
  const f = b.subarray(off, off + len);
  const end = f.indexOf(0);
  return (end === -1 ? f : f.subarray(0, end)).toString("utf8");
}
function num(b, off, len) {
  const f = b.subarray(off, off + len);
  if (f[0] & 128) {
    if (f[0] & 64) throw new ArchiveFormatError("negative numeric field in tar header");
    let v = f[0] & 63;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i];
    if (!Number.isSafeInteger(v)) throw new ArchiveFormatError("numeric field out of range in tar header");
    return v;
  }
  const s = f.toString("latin1").replace(/[\0 ]+$/, "").replace(/^[\0 ]+/, "");
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s))
    throw new ArchiveFormatError(`invalid octal field ${JSON.stringify(s)} in tar header`);
  return Number.parseInt(s, 8);
}
function checksumOk(b) {
  const stored = num(b, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const c = i >= 148 && i < 156 ? 32 : b[i];
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}
var SPARSE_OFFSET = "GNU.sparse.offset";
var SPARSE_NUMBYTES = "GNU.sparse.numbytes";
function parsePax(data) {
  const records = /* @__PURE__ */ new Map();
  const sparse00 = [];
  let rest = data;
  while (rest.length > 0) {
    if (rest[0] === 0) break;
    const sp = rest.indexOf(32);
    if (sp <= 0) throw new ArchiveFormatError("malformed PAX record");
    const len = Number.parseInt(rest.subarray(0, sp).toString("latin1"), 10);
    if (!Number.isSafeInteger(len) || len <= sp + 1 || len > rest.length || rest[len - 1] !== 10)
      throw new ArchiveFormatError("malformed PAX record length");
    const rec = rest.subarray(sp + 1, len - 1);
    const eq = rec.indexOf(61);
    if (eq <= 0) throw new ArchiveFormatError("malformed PAX record");
    const key = rec.subarray(0, eq).toString("utf8");
    const value = Buffer.from(rec.subarray(eq + 1));
    if (key === SPARSE_OFFSET || key === SPARSE_NUMBYTES) sparse00.push([key, value.toString("latin1")]);
    else records.set(key, value);
    rest = rest.subarray(len);
  }
  return { records, sparse00 };
}
function paxNumber(v, key) {
  if (v === void 0) return void 0;
  const s = v.toString("latin1");
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new ArchiveFormatError(`invalid PAX ${key} ${JSON.stringify(s)}`);
  const n = Number(s);
  if (key !== "mtime" && (!Number.isSafeInteger(n) || n < 0))
    throw new ArchiveFormatError(`PAX ${key} out of range`);
  return n;
}
var TYPES = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "char",
  "4": "block",
  "5": "dir",
  "6": "fifo",
  S: "file"
};
function parseSparseMapText(values, realSize) {
  if (values.length % 2 !== 0) throw new ArchiveFormatError("sparse map has an offset without a length");
  if (values.length / 2 > MAX_SPARSE_SEGMENTS)
    throw new ArchiveFormatError(`sparse map of more than ${MAX_SPARSE_SEGMENTS} segments refused`);
  const segments = [];
  for (let i = 0; i < values.length; i += 2) segments.push([values[i], values[i + 1]]);
  return checkSparse({ realSize, segments });
}
function checkSparse(m) {
  if (!Number.isSafeInteger(m.realSize) || m.realSize < 0)
    throw new ArchiveFormatError(`sparse real size ${m.realSize} out of range`);
  let end = 0;
  for (const [off, len] of m.segments) {
    if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0)
      throw new ArchiveFormatError(`sparse segment ${off},${len} out of range`);
    if (off < end)
      throw new ArchiveFormatError(`sparse segment at ${off} overlaps or precedes the one before`);
    if (off + len > m.realSize)
      throw new ArchiveFormatError(`sparse segment ${off},${len} ends past the real size ${m.realSize}`);
    end = off + len;
  }
  return m;
}
function sparseInteger(s, what) {
  const n = /^\d+$/.test(s) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new ArchiveFormatError(`invalid ${what} ${JSON.stringify(s.slice(0, 40))}`);
  return n;
}
function sparseRealSize(rec) {
  const key = rec.has("GNU.sparse.size") ? "GNU.sparse.size" : "GNU.sparse.realsize";
  const v = rec.get(key);
  if (v === void 0) throw new ArchiveFormatError("no GNU.sparse.size or GNU.sparse.realsize record");
  return sparseInteger(v.toString("latin1"), key);
}
function checkNumBlocks(rec, segments, required) {
  const v = rec.get("GNU.sparse.numblocks");
  if (v === void 0) {
    if (required) throw new ArchiveFormatError(`${SPARSE_OFFSET} records without GNU.sparse.numblocks`);
    return;
  }
  const declared = sparseInteger(v.toString("latin1"), "GNU.sparse.numblocks");
  if (declared !== segments)
    throw new ArchiveFormatError(`GNU.sparse.numblocks is ${declared} but the map has ${segments} segments`);
}
function sparse00Values(records) {
  if (records.length > MAX_SPARSE_SEGMENTS * 2)
    throw new ArchiveFormatError(`sparse map of more than ${MAX_SPARSE_SEGMENTS} segments refused`);
  return records.map(([key, value], i) => {
    const expected = i % 2 === 0 ? SPARSE_OFFSET : SPARSE_NUMBYTES;
    if (key !== expected) throw new ArchiveFormatError(`${key} record where ${expected} was expected`);
    return sparseInteger(value, key);
  });
}
function sparse01Values(map) {
  if (map === "") return [];
  const parts = map.split(",");
  if (parts.length > MAX_SPARSE_SEGMENTS * 2)
    throw new ArchiveFormatError(`sparse map of more than ${MAX_SPARSE_SEGMENTS} segments refused`);
  return parts.map((p) => sparseInteger(p, "GNU.sparse.map value"));
}
async function readSparseMap(flag, h, r, rec, sparse00, entry) {
  if (flag === "S") return { map: await readOldGnuSparse(h, r), consumed: 0 };
  const is10 = rec.get("GNU.sparse.major")?.toString() === "1" && rec.get("GNU.sparse.minor")?.toString() === "0";
  const is01 = !is10 && rec.has("GNU.sparse.map");
  const is00 = !is10 && !is01 && (sparse00.length > 0 || rec.has("GNU.sparse.numblocks"));
  if (!is10 && !is01 && !is00) return void 0;
  const sparseName = rec.get("GNU.sparse.name");
  if (sparseName) entry.name = sparseName.toString("utf8");
  if (sparse00.length > 0 && !is00)
    throw new ArchiveFormatError(`${SPARSE_OFFSET} records beside another form of sparse map`);
  const realSize = sparseRealSize(rec);
  if (is10) return readSparse10(r, realSize);
  const values = is01 ? sparse01Values(rec.get("GNU.sparse.map").toString("latin1")) : sparse00Values(sparse00);
  const map = parseSparseMapText(values, realSize);
  checkNumBlocks(rec, map.segments.length, is00);
  return { map, consumed: 0 };
}
async function* readTar(source) {
  const r = new ByteReader(source);
  let global = /* @__PURE__ */ new Map();
  let pax;
  let longName;
  let longLink;
  let index = 0;
  for (; ; ) {
    const h = await r.read(512);
    if (!h) throw new ArchiveFormatError("archive ends without an end-of-archive marker");
    if (isZero(h)) {
      await r.drain();
      return;
    }
    if (!checksumOk(h)) throw new ArchiveFormatError(`bad tar header checksum at byte ${r.offset - 512}`);
    index++;
    const flag = String.fromCharCode(h[156]);
    const size = num(h, 124, 12);
    if (flag === "x" || flag === "g" || flag === "L" || flag === "K") {
      if (size > MAX_META_SIZE) throw new ArchiveFormatError(`tar metadata header of ${size} bytes refused`);
      const data = await r.read(size) ?? Buffer.alloc(0);
      if (data.length < size) throw new ArchiveFormatError("archive truncated in a metadata header");
      await r.skip((512 - size % 512) % 512);
      if (flag === "x") pax = parsePax(data);
      else if (flag === "g") {
        const g = parsePax(data);
        if (g.sparse00.length > 0) throw new ArchiveFormatError(`${SPARSE_OFFSET} in a global PAX header`);
        global = new Map([...global, ...g.records]);
        global.delete("path");
        global.delete("linkpath");
      } else {
        const end = data.indexOf(0);
        const s = (end === -1 ? data : data.subarray(0, end)).toString("utf8");
        if (flag === "L") longName = s;
        else longLink = s;
      }
      continue;
    }
    const type = TYPES[flag];
    if (!type) throw new ArchiveFormatError(`unsupported tar entry type ${JSON.stringify(flag)}`);
    const magic = h.subarray(257, 263).toString("latin1");
    const prefix = magic === "ustar\0" ? str(h, 345, 155) : "";
    const rec = new Map([...global, ...pax?.records ?? []]);
    const sparse00 = pax?.sparse00 ?? [];
    let name = longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    const pPath = rec.get("path");
    if (pPath) name = pPath.toString("utf8");
    const pLink = rec.get("linkpath");
    const linkname = pLink ? pLink.toString("utf8") : longLink ?? str(h, 157, 100);
    const entry = {
      name,
      type,
      mode: num(h, 100, 8) & 4095,
      uid: paxNumber(rec.get("uid"), "uid") ?? num(h, 108, 8),
      gid: paxNumber(rec.get("gid"), "gid") ?? num(h, 116, 8),
      size: paxNumber(rec.get("size"), "size") ?? size,
      mtime: paxNumber(rec.get("mtime"), "mtime") ?? num(h, 136, 12),
      linkname,
      devmajor: type === "char" || type === "block" ? num(h, 329, 8) : 0,
      devminor: type === "char" || type === "block" ? num(h, 337, 8) : 0,
      xattrs: {},
      index
    };
    for (const [k, v] of rec) if (k.startsWith("SCHILY.xattr.")) entry.xattrs[k.slice(13)] = v;
    pax = void 0;
    longName = void 0;
    longLink = void 0;
    if (type !== "file") entry.size = 0;
    let dataLeft = entry.size;
    try {
      const sparse = await readSparseMap(flag, h, r, rec, sparse00, entry);
      if (sparse) {
        entry.sparse = sparse.map;
        dataLeft -= sparse.consumed;
        const packed = sparse.map.segments.reduce((a, s) => a + s[1], 0);
        if (packed !== dataLeft)
          throw new ArchiveFormatError(`the map holds ${packed} bytes of data, the entry ${dataLeft}`);
        entry.size = dataLeft;
      }
    } catch (e) {
      if (e instanceof ArchiveFormatError)
        throw new ArchiveFormatError(
          `sparse file ${JSON.stringify(entry.name)} (entry ${index}): ${e.message}`
        );
      throw e;
    }
    let consumed = 0;
    const total = dataLeft;
    const body = async function* () {
      for await (const c of r.chunks(total - consumed)) {
        consumed += c.length;
        yield c;
      }
    };
    yield { entry, body };
    if (consumed < total) await r.skip(total - consumed);
    await r.skip((512 - total % 512) % 512);
  }
}
async function readOldGnuSparse(h, r) {
  const values = [];
  const take = (b, off, count) => {
    for (let i = 0; i < count; i++) {
      const o = num(b, off + i * 24, 12);
      const n = num(b, off + i * 24 + 12, 12);
      if (o === 0 && n === 0 && b[off + i * 24] === 0) break;
      values.push(o, n);
    }
  };
  take(h, 386, 4);
  let extended = h[482] !== 0;
  while (extended) {
    const ext = await r.read(512);
    if (!ext) throw new ArchiveFormatError("archive truncated in a sparse header");
    take(ext, 0, 21);
    extended = ext[504] !== 0;
    if (values.length / 2 > MAX_SPARSE_SEGMENTS)
      throw new ArchiveFormatError(`sparse map of more than ${MAX_SPARSE_SEGMENTS} segments refused`);
  }
  return parseSparseMapText(values, num(h, 483, 12));
}
async function readSparse10(r, realSize) {
  let text = "";
  let consumed = 0;
  const numbers = [];
  let expected = -1;
  while (expected < 0 || numbers.length < expected * 2) {
    const b = await r.read(512);
    if (!b) throw new ArchiveFormatError("archive truncated in a sparse map");
    consumed += 512;
    if (consumed > MAX_META_SIZE) throw new ArchiveFormatError("sparse map too large");
    text += b.toString("latin1");
    const lines = text.split("\n");
    text = lines.pop() ?? "";
    for (const line of lines) {
      if (!/^\d+$/.test(line)) throw new ArchiveFormatError("malformed sparse map");
      if (expected < 0) {
        expected = Number(line);
        if (expected > MAX_SPARSE_SEGMENTS) throw new ArchiveFormatError("sparse map too large");
      } else if (numbers.length < expected * 2) numbers.push(Number(line));
    }
  }
  return { map: parseSparseMapText(numbers, realSize), consumed };
}

// src/fs/xattr.ts
var import_node_child_process2 = __toESM(require_node_child_process(), 1);
var import_node_fs2 = __toESM(require_node_fs(), 1);
var import_node_path2 = __toESM(require_node_path(), 1);
var KEPT = "^(security\\.capability|user\\..+)$";
var KEPT_RE = new RegExp(KEPT);
function isKeptXattr(name) {
  return KEPT_RE.test(name);
}
function quotePath(path) {
  let out = "";
  for (const b of Buffer.from(path)) {
    if (b <= 32 || b >= 127 || b === 92) {
      out += b === 32 ? " " : `\\${b.toString(8).padStart(3, "0")}`;
    } else out += String.fromCharCode(b);
  }
  return out;
}
function unquotePath(quoted) {
  const bytes = [];
  for (let i = 0; i < quoted.length; i++) {
    if (quoted[i] === "\\" && /^[0-7]{3}$/.test(quoted.slice(i + 1, i + 4))) {
      bytes.push(Number.parseInt(quoted.slice(i + 1, i + 4), 8));
      i += 3;
    } else bytes.push(...Buffer.from(quoted[i]));
  }
  return Buffer.from(bytes).toString();
}
function parseXattrDump(text) {
  const out = /* @__PURE__ */ new Map();
  let current;
  for (const line of text.split("\n")) {
    if (line.startsWith("# file: ")) {
      current = {};
      out.set(unquotePath(line.slice(8)), current);
      continue;
    }
    const eq = line.indexOf("=");
    if (!current || eq <= 0) continue;
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (!isKeptXattr(name)) continue;
    if (value.startsWith("0x")) current[name] = Buffer.from(value.slice(2), "hex");
    else if (value.startsWith('"') && value.endsWith('"')) current[name] = Buffer.from(value.slice(1, -1));
  }
  for (const [k, v] of out) if (Object.keys(v).length === 0) out.delete(k);
  return out;
}
function formatXattrDump(items) {
  let out = "";
  for (const { host, xattrs } of items) {
    out += `# file: ${quotePath(host)}
`;
    for (const name of Object.keys(xattrs).sort()) out += `${name}=0x${xattrs[name].toString("hex")}
`;
    out += "\n";
  }
  return out;
}
function* batches(paths, maxBytes = 64 * 1024) {
  let batch = [];
  let bytes = 0;
  for (const p of paths) {
    if (batch.length > 0 && bytes + p.length + 1 > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(p);
    bytes += p.length + 1;
  }
  if (batch.length > 0) yield batch;
}
function tool(name) {
  const own = (0, import_node_path2.join)((0, import_node_path2.dirname)(process.execPath), "bin", name);
  return (0, import_node_fs2.existsSync)(own) ? own : name;
}
function readXattrs(hosts) {
  const out = /* @__PURE__ */ new Map();
  if (hosts.length === 0) return out;
  for (const batch of batches(hosts)) {
    const r = (0, import_node_child_process2.spawnSync)(
      tool("getfattr"),
      ["-h", "-d", "-m", KEPT, "-e", "hex", "--absolute-names", "--", ...batch],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        maxBuffer: 256 * 1024 * 1024
      }
    );
    if (r.error) return out;
    for (const [k, v] of parseXattrDump(r.stdout)) out.set(k, v);
  }
  return out;
}
function applyXattrs(items) {
  if (items.length === 0) return [];
  const r = (0, import_node_child_process2.spawnSync)(tool("setfattr"), ["-h", "--restore=-"], {
    input: formatXattrDump(items),
    encoding: "utf8",
    stdio: ["pipe", "ignore", "pipe"]
  });
  if (r.error)
    return items.map(({ host }) => ({ host, reason: "setfattr not installed (Debian package attr)" }));
  if (r.status === 0) return [];
  const failures = [];
  for (const line of r.stderr.split("\n")) {
    const m = /^setfattr: (.*): ([^:]+)$/.exec(line);
    if (m) failures.push({ host: unquotePath(m[1]), reason: m[2] });
  }
  if (failures.length === 0) failures.push(...items.map(({ host }) => ({ host, reason: r.stderr.trim() })));
  return failures;
}

// src/fs/extract.ts
function imagePathOf(name, where) {
  if (name.includes("\0")) throw new UnsafeEntryError(name, "NUL in name", where);
  const parts = [];
  for (const c of name.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") throw new UnsafeEntryError(name, '".." in path', where);
    parts.push(c);
  }
  return `/${parts.join("/")}`;
}
var WHITEOUT = ".wh.";
var OPAQUE = ".wh..wh..opq";
var FILE_FLAGS = import_node_fs3.constants.O_WRONLY | import_node_fs3.constants.O_CREAT | import_node_fs3.constants.O_EXCL | import_node_fs3.constants.O_NOFOLLOW;
function parentOf(p) {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}
function lstatOrUndefined(host) {
  try {
    return (0, import_node_fs3.lstatSync)(host, { throwIfNoEntry: false });
  } catch {
    return void 0;
  }
}
async function extractLayer(compressed, opts) {
  const where = opts.where;
  const isRoot = process.getuid?.() === 0;
  const doChown = opts.chown ?? isRoot;
  const createDevices = opts.createDevices ?? isRoot;
  const maxSparse = opts.maxSparseSize ?? 64 * 1024 ** 3;
  const scoped = new ScopedRoot(opts.root);
  const prefix = imagePathOf(opts.prefix ?? "/");
  const whiteouts = opts.whiteouts ?? true;
  const index = opts.index;
  const { compression, tar } = await openArchive(compressed, where ?? "layer");
  const declared = compressionOfMediaType(opts.mediaType);
  let mediaTypeMismatch;
  if (declared !== void 0 && declared !== compression) {
    if (compression === "bzip2" || compression === "xz") {
      tar.destroy();
      throw new ArchiveFormatError(
        `media type ${opts.mediaType} announces ${declared} but the bytes are ${compression}, which is no layer compression`,
        where
      );
    }
    mediaTypeMismatch = `media type ${opts.mediaType} announces ${declared} but the bytes are ${compression} (extracted as ${compression})`;
  }
  const skipped = [];
  const dirs = [];
  const written = /* @__PURE__ */ new Set();
  const touchedDirs = /* @__PURE__ */ new Set();
  const linkedInodes = /* @__PURE__ */ new Set();
  const pendingXattrs = /* @__PURE__ */ new Map();
  let count = 0;
  const onCreate = (image) => {
    written.add(image);
    touchedDirs.add(image);
    touchedDirs.add(parentOf(image));
  };
  const removeExisting = (image, host, st) => {
    if (st.isDirectory()) (0, import_node_fs3.rmSync)(host, { recursive: true, force: true });
    else (0, import_node_fs3.unlinkSync)(host);
    if (st.isDirectory() || st.isSymbolicLink()) scoped.invalidate(image);
    index?.deleteTree(image);
  };
  const applyMeta = (host, e, isLink) => {
    if (doChown) (0, import_node_fs3.lchownSync)(host, e.uid, e.gid);
    if (!isLink) (0, import_node_fs3.chmodSync)(host, e.mode);
    (0, import_node_fs3.lutimesSync)(host, e.mtime, e.mtime);
  };
  try {
    for await (const { entry, body } of readTar(tar)) {
      const named = imagePathOf(entry.name, where);
      const requested = prefix === "/" ? named : named === "/" ? prefix : `${prefix}${named}`;
      if (opts.owner) {
        entry.uid = opts.owner.uid;
        entry.gid = opts.owner.gid;
      }
      if (opts.ignore?.has(requested)) {
        skipped.push({ path: requested, reason: "ignored path" });
        continue;
      }
      const base = requested.slice(requested.lastIndexOf("/") + 1);
      count++;
      if (whiteouts && base.startsWith(WHITEOUT)) {
        await applyWhiteout(requested, base);
        continue;
      }
      if (requested === "/") {
        if (entry.type !== "dir")
          throw new UnsafeEntryError(entry.name, "the root must stay a directory", where);
        continue;
      }
      const target = scoped.resolveParent(requested, { create: true, onCreate });
      const { image, host } = target;
      if (opts.ignore?.has(image)) {
        skipped.push({ path: image, reason: "ignored path" });
        continue;
      }
      const existing = lstatOrUndefined(host);
      touchedDirs.add(parentOf(image));
      written.add(image);
      switch (entry.type) {
        case "dir": {
          if (existing && !existing.isDirectory()) removeExisting(image, host, existing);
          if (!existing?.isDirectory()) (0, import_node_fs3.mkdirSync)(host, { mode: 448 });
          dirs.push({ image, host, entry });
          touchedDirs.add(image);
          break;
        }
        case "file": {
          if (existing) removeExisting(image, host, existing);
          const fd = (0, import_node_fs3.openSync)(host, FILE_FLAGS, 384);
          try {
            await writeFile(fd, entry, body, maxSparse);
            if (doChown) (0, import_node_fs3.fchownSync)(fd, entry.uid, entry.gid);
            (0, import_node_fs3.fchmodSync)(fd, entry.mode);
            (0, import_node_fs3.futimesSync)(fd, entry.mtime, entry.mtime);
            index?.recordStat(image, host, (0, import_node_fs3.fstatSync)(fd, { bigint: true }));
          } finally {
            (0, import_node_fs3.closeSync)(fd);
          }
          break;
        }
        case "symlink": {
          if (existing) removeExisting(image, host, existing);
          (0, import_node_fs3.symlinkSync)(entry.linkname, host);
          applyMeta(host, entry, true);
          index?.record(image, host);
          break;
        }
        case "hardlink": {
          const linkImage = imagePathOf(entry.linkname, where);
          const src = scoped.resolveParent(linkImage);
          const srcStat = src ? lstatOrUndefined(src.host) : void 0;
          if (!src || !srcStat)
            throw new UnsafeEntryError(entry.name, `hardlink target ${linkImage} does not exist`, where);
          if (srcStat.isDirectory()) throw new UnsafeEntryError(entry.name, "hardlink to a directory", where);
          if (src.host === host) break;
          if (existing) removeExisting(image, host, existing);
          (0, import_node_fs3.linkSync)(src.host, host);
          linkedInodes.add(srcStat.ino);
          index?.record(image, host);
          break;
        }
        case "char":
        case "block":
        case "fifo": {
          if (entry.type !== "fifo" && !createDevices) {
            skipped.push({
              path: image,
              reason: `${entry.type} device ${entry.devmajor}:${entry.devminor} not created`
            });
            written.delete(image);
            break;
          }
          if (existing) removeExisting(image, host, existing);
          const args = entry.type === "fifo" ? [host, "p"] : [host, entry.type === "char" ? "c" : "b", String(entry.devmajor), String(entry.devminor)];
          const r = (0, import_node_child_process3.spawnSync)("mknod", ["-m", "0600", ...args], { stdio: ["ignore", "ignore", "pipe"] });
          if (r.status !== 0) {
            skipped.push({ path: image, reason: `mknod failed: ${String(r.stderr ?? "").trim()}` });
            written.delete(image);
            break;
          }
          applyMeta(host, entry, false);
          index?.record(image, host);
          break;
        }
      }
      const kept = Object.entries(entry.xattrs).filter(([name]) => isKeptXattr(name));
      if (kept.length > 0 && written.has(image))
        pendingXattrs.set(image, { host, xattrs: Object.fromEntries(kept) });
      else pendingXattrs.delete(image);
    }
  } catch (e) {
    tar.destroy();
    if (e instanceof UnsafeEntryError || e instanceof ArchiveFormatError) throw e;
    const err = e;
    throw new ArchiveFormatError(`extracting layer: ${err.code ?? ""} ${err.message}`.trim(), where);
  }
  const xattrTargets = [];
  for (const [image, p] of pendingXattrs) {
    const now = scoped.resolveParent(image);
    if (now?.host === p.host && lstatOrUndefined(p.host)) xattrTargets.push({ image, ...p });
  }
  const byHost = new Map(xattrTargets.map((t) => [t.host, t.image]));
  for (const f of applyXattrs(xattrTargets))
    skipped.push({ path: byHost.get(f.host) ?? f.host, reason: `xattrs not applied: ${f.reason}` });
  if (index) for (const t of xattrTargets) index.record(t.image, t.host);
  dirs.sort((a, b) => b.image.length - a.image.length);
  for (const d of dirs) applyMeta(d.host, d.entry, false);
  if (index) {
    for (const d of touchedDirs) {
      const resolved = scoped.resolveDir(d);
      if (resolved !== void 0 && resolved !== "/" && !opts.ignore?.has(resolved))
        index.record(resolved, scoped.host(resolved));
    }
    if (linkedInodes.size > 0) {
      for (const [p, e] of index.entries)
        if (linkedInodes.has(Number(e.ino))) index.record(p, scoped.host(p));
    }
  }
  const result = { compression, entries: count, skipped };
  if (mediaTypeMismatch) result.mediaTypeMismatch = `${where ? `${where}: ` : ""}${mediaTypeMismatch}`;
  if (opts.collectPaths) result.paths = [...written].sort();
  return result;
  async function applyWhiteout(requested, base) {
    const dirImage = parentOf(requested);
    const dir = scoped.resolveDir(dirImage);
    if (dir === void 0) return;
    touchedDirs.add(dir);
    if (base === OPAQUE) {
      const hostDir = scoped.host(dir);
      for (const name2 of (0, import_node_fs3.readdirSync)(hostDir)) {
        const image2 = dir === "/" ? `/${name2}` : `${dir}/${name2}`;
        if (written.has(image2) || opts.ignore?.has(image2)) continue;
        const st2 = lstatOrUndefined(scoped.host(image2));
        if (st2) removeExisting(image2, scoped.host(image2), st2);
      }
      return;
    }
    const name = base.slice(WHITEOUT.length);
    if (name === "" || name === "." || name === ".." || name.startsWith(WHITEOUT))
      throw new UnsafeEntryError(requested, "whiteout of an invalid name", where);
    const image = dir === "/" ? `/${name}` : `${dir}/${name}`;
    if (opts.ignore?.has(image)) return;
    const host = scoped.host(image);
    const st = lstatOrUndefined(host);
    if (st) removeExisting(image, host, st);
  }
}
async function writeFile(fd, entry, body, maxSparse) {
  if (!entry.sparse) {
    for await (const chunk of body()) writeAll(fd, chunk, null);
    return;
  }
  if (entry.sparse.realSize > maxSparse)
    throw new UnsafeEntryError(entry.name, `sparse file of ${entry.sparse.realSize} bytes exceeds the limit`);
  const segments = entry.sparse.segments;
  let seg = 0;
  let segLeft = segments[0]?.[1] ?? 0;
  let pos = segments[0]?.[0] ?? 0;
  for await (let chunk of body()) {
    while (chunk.length > 0) {
      while (segLeft === 0 && seg < segments.length - 1) {
        seg++;
        pos = segments[seg][0];
        segLeft = segments[seg][1];
      }
      const n = Math.min(segLeft, chunk.length);
      writeAll(fd, chunk.subarray(0, n), pos);
      pos += n;
      segLeft -= n;
      chunk = chunk.subarray(n);
    }
  }
  (0, import_node_fs3.ftruncateSync)(fd, entry.sparse.realSize);
}
function writeAll(fd, buf, position) {
  let off = 0;
  while (off < buf.length) {
    const n = (0, import_node_fs3.writeSync)(fd, buf, off, buf.length - off, position === null ? null : position + off);
    off += n;
  }
}

export {
  detectCompression,
  ScopedRoot,
  readXattrs,
  extractLayer
};
