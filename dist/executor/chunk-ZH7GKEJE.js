const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  openBlob,
  resolveImageManifest,
  transportFor
} from "./chunk-VAYJS5MI.js";
import {
  pullSources
} from "./chunk-T6U52VLM.js";
import {
  readAll
} from "./chunk-2NNVGCBN.js";
import {
  RegistryError
} from "./chunk-5PIJZC72.js";

// src/image/remote.ts
var PulledImage = class {
  source;
  reference;
  index;
  t;
  fetched;
  parsed;
  configBytes;
  constructor(t, source, reference, fetched) {
    this.t = t;
    this.source = source;
    this.reference = reference;
    this.fetched = fetched;
    if (fetched.index) this.index = fetched.index;
    this.parsed = JSON.parse(fetched.raw.toString("utf8"));
    if (!this.parsed.config || !Array.isArray(this.parsed.layers))
      throw new RegistryError(
        "unsupported",
        { ...source, digest: fetched.digest },
        `manifest of type ${fetched.mediaType} is not an image`
      );
  }
  async rawManifest() {
    return this.fetched.raw;
  }
  async manifest() {
    return this.parsed;
  }
  async mediaType() {
    return this.fetched.mediaType;
  }
  async digest() {
    return this.fetched.digest;
  }
  rawConfig() {
    this.configBytes ??= readAll(
      openBlob(this.t, this.source, this.parsed.config.digest, { size: this.parsed.config.size })
    );
    this.configBytes.catch(() => {
      this.configBytes = void 0;
    });
    return this.configBytes;
  }
  async config() {
    return JSON.parse((await this.rawConfig()).toString("utf8"));
  }
  async layers() {
    const cfg = await this.config();
    const diffIDs = cfg.rootfs?.diff_ids ?? [];
    if (diffIDs.length !== this.parsed.layers.length)
      throw new RegistryError(
        "protocol",
        { ...this.source, digest: this.fetched.digest },
        `config lists ${diffIDs.length} diff_ids for ${this.parsed.layers.length} layers`
      );
    return this.parsed.layers.map((d, i) => remoteLayer(this.t, this.source, d, diffIDs[i]));
  }
};
function remoteLayer(t, source, d, diffID) {
  return {
    digest: d.digest,
    diffID,
    size: d.size,
    mediaType: d.mediaType,
    descriptor: d,
    source,
    async open() {
      return openBlob(t, source, d.digest, { size: d.size });
    }
  };
}
async function pullImage(ref, opts) {
  const options = opts.options ?? {};
  const t = opts.transport ?? transportFor(options);
  const sources = pullSources(options, ref.registry);
  let firstError;
  for (const [i, s] of sources.entries()) {
    const repo = {
      registry: s.host,
      repository: s.prefix ? `${s.prefix}/${ref.repository}` : ref.repository
    };
    try {
      const fetched = await resolveImageManifest(t, repo, ref.identifier, opts.platform);
      return new PulledImage(t, repo, ref, fetched);
    } catch (e) {
      firstError ??= e;
      if (i === sources.length - 1) throw e;
      options.debug?.(`mirror ${repo.registry}/${repo.repository}: ${e.message}; trying the next`);
    }
  }
  throw firstError;
}

export {
  pullImage
};
