const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/registry/errors.ts
var RegistryError = class extends Error {
  kind;
  registry;
  repository;
  digest;
  /** HTTP status when the error came from a response. */
  status;
  constructor(kind, where, detail, status) {
    const place = where.repository ? `${where.registry}/${where.repository}` : where.registry;
    const at = where.digest ? `${place}@${where.digest}` : place;
    super(`${at}: ${detail}`.replace(/\s*\n\s*/g, " "));
    this.name = "RegistryError";
    this.kind = kind;
    this.registry = where.registry;
    this.repository = where.repository;
    this.digest = where.digest;
    this.status = status;
  }
};
var InvalidReferenceError = class extends Error {
  reference;
  constructor(reference, why) {
    super(`invalid reference "${reference}": ${why}`);
    this.name = "InvalidReferenceError";
    this.reference = reference;
  }
};

// src/registry/reference.ts
var DOCKER_HUB = "index.docker.io";
var HUB_ALIASES = /* @__PURE__ */ new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
var COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
var DOMAIN_PART = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
var TAG = /^[\w][\w.-]{0,127}$/;
var DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
function normaliseRegistry(host) {
  const h = host.toLowerCase();
  return HUB_ALIASES.has(h) ? DOCKER_HUB : host;
}
function validateDigest(digest) {
  if (!DIGEST.test(digest)) return "digest must look like sha256:<64 hex digits>";
  const [alg, hex] = digest.split(":");
  const len = alg === "sha256" ? 64 : alg === "sha512" ? 128 : 0;
  if (len === 0) return `unsupported digest algorithm "${alg}"`;
  if (hex.length !== len || !/^[0-9a-f]+$/.test(hex))
    return `${alg} digest must be ${len} lowercase hex digits`;
  return void 0;
}
function validDomain(d) {
  if (d.startsWith("[")) return /^\[[0-9a-fA-F:.]+\](?::\d+)?$/.test(d);
  const [host, port, ...rest] = d.split(":");
  if (rest.length > 0 || host === void 0 || host === "") return false;
  if (port !== void 0 && !/^\d{1,5}$/.test(port)) return false;
  return host.split(".").every((p) => DOMAIN_PART.test(p));
}
function makeReference(registry, repository, tag, digest) {
  const name = `${registry}/${repository}`;
  const t = tag ?? (digest ? void 0 : "latest");
  return {
    registry,
    repository,
    ...t !== void 0 ? { tag: t } : {},
    ...digest !== void 0 ? { digest } : {},
    name,
    identifier: digest ?? t ?? "latest",
    toString: () => `${name}${t !== void 0 ? `:${t}` : ""}${digest ? `@${digest}` : ""}`
  };
}
function parseReference(s, opts = {}) {
  const bad = (why) => {
    throw new InvalidReferenceError(s, why);
  };
  if (s === "") bad("empty");
  if (/\s/.test(s)) bad("contains whitespace");
  let rest = s;
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const why = validateDigest(digest);
    if (why) bad(why);
  }
  let tag;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) bad(`invalid tag "${tag}" (letters, digits, _ . - and at most 128 characters)`);
  }
  if (rest === "") bad("missing repository name");
  const slash = rest.indexOf("/");
  let registry;
  let repository;
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.toLowerCase() !== first)) {
    if (!validDomain(first)) bad(`invalid registry host "${first}"`);
    registry = normaliseRegistry(first);
    repository = rest.slice(slash + 1);
  } else {
    registry = normaliseRegistry(opts.defaultRegistry ?? DOCKER_HUB);
    repository = rest;
  }
  if (repository === "") bad("missing repository name");
  if (registry === DOCKER_HUB && !repository.includes("/")) repository = `library/${repository}`;
  for (const part of repository.split("/")) {
    if (part === "") bad("empty path component in repository");
    if (part.toLowerCase() !== part) bad("repository name must be lowercase");
    if (!COMPONENT.test(part)) bad(`invalid repository path component "${part}"`);
  }
  if (registry.length + 1 + repository.length > 255) bad("name longer than 255 characters");
  return makeReference(registry, repository, tag, digest);
}

export {
  RegistryError,
  InvalidReferenceError,
  DOCKER_HUB,
  normaliseRegistry,
  makeReference,
  parseReference
};
