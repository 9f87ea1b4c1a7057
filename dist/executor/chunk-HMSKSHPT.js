const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  MediaType,
  isIndexMediaType,
  readAll,
  toFormat,
  writeFileAtomic
} from "./chunk-2NNVGCBN.js";
import {
  require_promises as require_promises2
} from "./chunk-PGPEOOSP.js";
import {
  digestOf,
  hasherFor,
  hexOf
} from "./chunk-KGB5P76T.js";
import {
  ImageError
} from "./chunk-77HIO646.js";
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
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/image/layout.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var import_node_stream = __toESM(require_node_stream(), 1);
var import_promises2 = __toESM(require_promises2(), 1);
var REF_NAME = "org.opencontainers.image.ref.name";
function blobPath(dir, digest) {
  return (0, import_node_path.join)(dir, "blobs", digest.slice(0, digest.indexOf(":")), hexOf(digest));
}
async function writeBlob(dir, digest, size, source) {
  const final = blobPath(dir, digest);
  const existing = await (0, import_promises.stat)(final).catch(() => void 0);
  if (existing?.size === size) return;
  await (0, import_promises.mkdir)((0, import_node_path.join)(final, ".."), { recursive: true });
  const tmp = `${final}.tmp-${(0, import_node_crypto.randomBytes)(6).toString("hex")}`;
  const hash = hasherFor(digest);
  let n = 0;
  try {
    await (0, import_promises2.pipeline)(
      await source(),
      new import_node_stream.Transform({
        transform(chunk, _enc, cb) {
          hash.update(chunk);
          n += chunk.length;
          cb(null, chunk);
        }
      }),
      (0, import_node_fs.createWriteStream)(tmp)
    );
    const got = `${digest.slice(0, digest.indexOf(":"))}:${hash.digest("hex")}`;
    if (got !== digest || n !== size)
      throw new ImageError(`blob ${digest}: received ${n} bytes hashing to ${got} (expected ${size} bytes)`);
    await (0, import_promises.rename)(tmp, final);
  } catch (e) {
    await (0, import_promises.rm)(tmp, { force: true });
    throw e;
  }
}
async function readIndex(dir) {
  const p = (0, import_node_path.join)(dir, "index.json");
  if (!(0, import_node_fs.existsSync)(p)) return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  return JSON.parse(await (0, import_promises.readFile)(p, "utf8"));
}
async function writeOciLayout(original, dir, tag, opts = {}) {
  const image = opts.mediaTypes === "as-is" ? original : await toFormat(original, "oci");
  await (0, import_promises.mkdir)((0, import_node_path.join)(dir, "blobs"), { recursive: true });
  await (0, import_promises.writeFile)((0, import_node_path.join)(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const layers = await image.layers();
  for (const l of layers) {
    if ((l.descriptor.urls?.length ?? 0) > 0 && l.mediaType.includes("foreign")) continue;
    await writeBlob(dir, l.digest, l.size, () => l.open());
  }
  const cfg = await image.rawConfig();
  const manifest = await image.manifest();
  await writeBlob(dir, manifest.config.digest, cfg.length, async () => import_node_stream.Readable.from([cfg]));
  const raw = await image.rawManifest();
  const digest = await image.digest();
  await writeBlob(dir, digest, raw.length, async () => import_node_stream.Readable.from([raw]));
  const desc = {
    mediaType: await image.mediaType(),
    digest,
    size: raw.length,
    ...tag ? { annotations: { [REF_NAME]: tag } } : {}
  };
  const index = await readIndex(dir);
  const kept = index.manifests.filter(
    (m) => tag ? m.annotations?.[REF_NAME] !== tag : !(m.digest === digest && !m.annotations?.[REF_NAME])
  );
  const next = {
    ...index,
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [...kept, desc]
  };
  await writeFileAtomic((0, import_node_path.join)(dir, "index.json"), JSON.stringify(next));
  return desc;
}
var LayoutImage = class {
  dir;
  raw;
  parsed;
  mt;
  constructor(dir, raw, mediaType) {
    this.dir = dir;
    this.raw = raw;
    this.parsed = JSON.parse(raw.toString("utf8"));
    this.mt = this.parsed.mediaType ?? mediaType;
  }
  async rawManifest() {
    return this.raw;
  }
  async manifest() {
    return this.parsed;
  }
  async mediaType() {
    return this.mt;
  }
  async digest() {
    return digestOf(this.raw);
  }
  async rawConfig() {
    return (0, import_promises.readFile)(blobPath(this.dir, this.parsed.config.digest));
  }
  async config() {
    return JSON.parse((await this.rawConfig()).toString("utf8"));
  }
  async layers() {
    const ids = (await this.config()).rootfs?.diff_ids ?? [];
    return this.parsed.layers.map((d, i) => ({
      digest: d.digest,
      diffID: ids[i] ?? "",
      size: d.size,
      mediaType: d.mediaType,
      descriptor: d,
      open: async () => (0, import_node_fs.createReadStream)(blobPath(this.dir, d.digest), { highWaterMark: 1 << 20 })
    }));
  }
};
async function readOciLayout(dir, tag) {
  const index = await readIndex(dir);
  const found = tag ? index.manifests.filter((m) => m.annotations?.[REF_NAME] === tag) : index.manifests;
  const desc = found[0];
  if (!desc || found.length > 1 || isIndexMediaType(desc.mediaType))
    throw new ImageError(
      `${dir}: ${tag ? `no single image tagged "${tag}"` : "not exactly one image"} in index.json`
    );
  const raw = await readAll((0, import_node_fs.createReadStream)(blobPath(dir, desc.digest)));
  if (digestOf(raw) !== desc.digest)
    throw new ImageError(`${dir}: manifest ${desc.digest} does not match its digest`);
  return new LayoutImage(dir, raw, desc.mediaType);
}

export {
  REF_NAME,
  writeOciLayout,
  readOciLayout
};
