const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  digestOf
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

// src/image/image.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);
var import_node_stream = __toESM(require_node_stream(), 1);
function fileLayer(f) {
  const descriptor = {
    mediaType: f.mediaType,
    digest: f.digest,
    size: f.size,
    ...f.annotations ? { annotations: f.annotations } : {}
  };
  return {
    digest: f.digest,
    diffID: f.diffID,
    size: f.size,
    mediaType: f.mediaType,
    descriptor,
    async open() {
      const st = await (0, import_promises.stat)(f.path).catch((e) => {
        throw new ImageError(`layer file ${f.path}: ${e.message}`);
      });
      if (st.size !== f.size)
        throw new ImageError(`layer file ${f.path} has ${st.size} bytes, expected ${f.size} (${f.digest})`);
      return (0, import_node_fs.createReadStream)(f.path, { highWaterMark: 1 << 16 });
    }
  };
}
function withDescriptor(layer, descriptor) {
  return {
    digest: layer.digest,
    diffID: layer.diffID,
    size: layer.size,
    mediaType: descriptor.mediaType,
    descriptor,
    open: () => layer.open(),
    ...layer.source ? { source: layer.source } : {}
  };
}
function withMediaType(layer, mediaType) {
  if (layer.mediaType === mediaType) return layer;
  return withDescriptor(layer, { ...layer.descriptor, mediaType });
}
function withAnnotations(layer, annotations) {
  return withDescriptor(layer, { ...layer.descriptor, annotations });
}
async function readAll(stream) {
  const parts = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts);
}

// src/image/types.ts
var MediaType = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociEmpty: "application/vnd.oci.empty.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerForeignLayer: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  dockerSchema1: "application/vnd.docker.distribution.manifest.v1+json",
  dockerSchema1Signed: "application/vnd.docker.distribution.manifest.v1+prettyjws"
};
function isIndexMediaType(mt) {
  return mt === MediaType.ociIndex || mt === MediaType.dockerManifestList;
}
function isSchema1(mt) {
  return mt === MediaType.dockerSchema1 || mt === MediaType.dockerSchema1Signed;
}
function layerMediaTypeFor(mt, format) {
  if (format === "docker") {
    if (mt === MediaType.ociLayerGzip) return MediaType.dockerLayerGzip;
    return mt;
  }
  if (mt === MediaType.dockerLayerGzip) return MediaType.ociLayerGzip;
  if (mt === MediaType.dockerForeignLayer)
    return "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  return mt;
}
function manifestMediaType(format) {
  return format === "docker" ? MediaType.dockerManifest : MediaType.ociManifest;
}
function configMediaType(format) {
  return format === "docker" ? MediaType.dockerConfig : MediaType.ociConfig;
}

// src/image/mutate.ts
function scratchConfig(platform) {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...platform.variant ? { variant: platform.variant } : {},
    config: {},
    rootfs: { type: "layers", diff_ids: [] },
    history: []
  };
}
function appendLayer(config, layer, history) {
  const entry = layer ? { ...history } : { ...history, empty_layer: true };
  if (layer) delete entry.empty_layer;
  return {
    ...config,
    rootfs: {
      type: "layers",
      diff_ids: [...config.rootfs?.diff_ids ?? [], ...layer ? [layer.diffID] : []]
    },
    history: [...config.history ?? [], entry]
  };
}
function checkConsistent(config, layers) {
  const ids = config.rootfs?.diff_ids ?? [];
  if (ids.length !== layers.length)
    throw new ImageError(`config lists ${ids.length} diff_ids for ${layers.length} layers`);
  layers.forEach((l, i) => {
    if (ids[i] !== l.diffID)
      throw new ImageError(`layer ${i} has diffID ${l.diffID} but the config says ${ids[i]}`);
  });
}
var BuiltImage = class {
  raw;
  parsed;
  cfgRaw;
  cfg;
  all;
  mt;
  /** `configBytes` keeps an existing config byte-exact (format conversion). */
  constructor(layers, config, opts, configBytes) {
    const format = opts.format ?? "docker";
    this.all = layers.map((l) => withMediaType(l, layerMediaTypeFor(l.mediaType, format)));
    this.cfg = config;
    this.cfgRaw = configBytes ?? Buffer.from(JSON.stringify(config));
    this.mt = manifestMediaType(format);
    this.parsed = {
      schemaVersion: 2,
      mediaType: this.mt,
      config: { mediaType: configMediaType(format), size: this.cfgRaw.length, digest: digestOf(this.cfgRaw) },
      layers: this.all.map((l) => l.descriptor),
      ...opts.subject ? { subject: opts.subject } : {},
      ...opts.annotations && Object.keys(opts.annotations).length > 0 ? { annotations: opts.annotations } : {}
    };
    this.raw = Buffer.from(JSON.stringify(this.parsed));
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
    return this.cfgRaw;
  }
  async config() {
    return structuredClone(this.cfg);
  }
  async layers() {
    return [...this.all];
  }
};
async function mutate(base, opts) {
  const baseLayers = base === "scratch" ? [] : await base.layers();
  const layers = [...baseLayers, ...opts.layers ?? []];
  checkConsistent(opts.config, layers);
  return new BuiltImage(layers, opts.config, opts);
}
async function toFormat(image, format) {
  if (await image.mediaType() === manifestMediaType(format)) return image;
  const m = await image.manifest();
  const cfgRaw = await image.rawConfig();
  return new BuiltImage(
    await image.layers(),
    JSON.parse(cfgRaw.toString("utf8")),
    {
      config: JSON.parse(cfgRaw.toString("utf8")),
      format,
      ...m.annotations ? { annotations: m.annotations } : {},
      ...m.subject ? { subject: m.subject } : {}
    },
    cfgRaw
  );
}

// src/fs/atomic-write.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
var import_promises2 = __toESM(require_promises(), 1);
var import_node_path = __toESM(require_node_path(), 1);
var STD_STREAM = /^\/(?:dev\/(stdout|stderr)|dev\/fd\/([12])|proc\/self\/fd\/([12]))$/;
async function isSpecial(path) {
  const st = await (0, import_promises2.stat)(path).catch(() => void 0);
  return st !== void 0 && !st.isFile() && !st.isDirectory();
}
async function writeFileAtomic(path, data, opts = {}) {
  if (await isSpecial(path)) {
    const std = STD_STREAM.exec(path);
    if (std) {
      const stream = std.slice(1).some((g) => g === "stderr" || g === "2") ? process.stderr : process.stdout;
      await new Promise((resolve, reject) => stream.write(data, (e) => e ? reject(e) : resolve()));
      return;
    }
    await (0, import_promises2.writeFile)(path, data);
    return;
  }
  const temp = (0, import_node_path.join)(
    opts.tempDir ?? (0, import_node_path.dirname)(path),
    `.${(0, import_node_path.basename)(path)}.${process.pid}-${(0, import_node_crypto.randomBytes)(4).toString("hex")}.tmp`
  );
  try {
    await (0, import_promises2.writeFile)(temp, data);
    await (0, import_promises2.rename)(temp, path);
  } catch (e) {
    await (0, import_promises2.rm)(temp, { force: true });
    throw e;
  }
}

export {
  fileLayer,
  withAnnotations,
  readAll,
  MediaType,
  isIndexMediaType,
  isSchema1,
  scratchConfig,
  appendLayer,
  mutate,
  toFormat,
  writeFileAtomic
};
