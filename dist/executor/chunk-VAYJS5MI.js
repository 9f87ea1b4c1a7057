const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  allowsHttp,
  caFileFor,
  clientCertFor,
  skipsVerify
} from "./chunk-T6U52VLM.js";
import {
  MediaType,
  isIndexMediaType,
  isSchema1
} from "./chunk-2NNVGCBN.js";
import {
  digestOf,
  hasherFor
} from "./chunk-KGB5P76T.js";
import {
  DOCKER_HUB,
  RegistryError
} from "./chunk-5PIJZC72.js";
import {
  import_env_http_proxy_agent,
  request
} from "./chunk-S2V5PZBG.js";
import {
  require_node_stream
} from "./chunk-77QJEF4W.js";
import {
  require_node_fs
} from "./chunk-LIYV7COB.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:timers/promises
var require_promises = __commonJS({
  "kaniko-ts-builtin:node:timers/promises"(exports, module) {
    module.exports = __require("node:timers/promises");
  }
});

// src/registry/transport.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var import_promises = __toESM(require_promises(), 1);

// src/registry/auth/challenge.ts
function parseChallenge(header2) {
  if (!header2) return void 0;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header2);
  if (!m) return void 0;
  const scheme = m[1].toLowerCase();
  if (scheme !== "basic" && scheme !== "bearer") return void 0;
  const params = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/g;
  for (const p of m[2].matchAll(re)) {
    params[p[1].toLowerCase()] = p[2] !== void 0 ? p[2].replace(/\\(.)/g, "$1") : p[3] ?? "";
  }
  return { scheme, params };
}
function repositoryScope(repository, actions) {
  return `repository:${repository}:${actions.join(",")}`;
}

// src/registry/auth/token.ts
var TokenCache = class {
  tokens = /* @__PURE__ */ new Map();
  key(registry, scopes) {
    return `${registry}
${[...scopes].sort().join(" ")}`;
  }
  get(registry, scopes, now = Date.now()) {
    const c = this.tokens.get(this.key(registry, scopes));
    return c && c.expiresAt > now ? c.token : void 0;
  }
  set(registry, scopes, token, expiresAt) {
    this.tokens.set(this.key(registry, scopes), { token, expiresAt });
  }
  drop(registry, scopes) {
    this.tokens.delete(this.key(registry, scopes));
  }
};
async function fetchToken(t) {
  const where = { registry: t.registry, ...t.repository ? { repository: t.repository } : {} };
  const realm = t.challenge.params.realm;
  if (!realm) throw new RegistryError("auth", where, "Bearer challenge without a realm");
  const service = t.challenge.params.service;
  const url = new URL(realm);
  const headers = { "user-agent": t.userAgent, accept: "application/json" };
  let method = "GET";
  let body;
  const cred = t.credential;
  if (cred?.kind === "identity") {
    method = "POST";
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: cred.token,
      client_id: "kaniko-ts",
      ...service ? { service } : {}
    });
    if (t.scopes.length > 0) form.set("scope", t.scopes.join(" "));
    body = form.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else {
    if (service) url.searchParams.set("service", service);
    for (const s of t.scopes) url.searchParams.append("scope", s);
    if (cred?.kind === "basic") {
      url.searchParams.set("account", cred.username);
      headers.authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString("base64")}`;
    }
  }
  let res;
  try {
    res = await request(url, {
      method,
      headers,
      ...body !== void 0 ? { body } : {},
      dispatcher: t.dispatcher,
      headersTimeout: t.timeoutMs,
      bodyTimeout: t.timeoutMs
    });
  } catch (e) {
    throw new RegistryError(
      "network",
      where,
      `token endpoint ${url.origin}${url.pathname}: ${e.message}`
    );
  }
  const text = await res.body.text();
  if (res.statusCode === 401 || res.statusCode === 403)
    throw new RegistryError(
      "auth",
      where,
      `authentication failed at token endpoint ${url.origin}${url.pathname} (HTTP ${res.statusCode}${cred ? "" : ", no credentials"})`,
      res.statusCode
    );
  if (res.statusCode !== 200)
    throw new RegistryError(
      res.statusCode >= 500 ? "network" : "auth",
      where,
      `token endpoint ${url.origin}${url.pathname} answered HTTP ${res.statusCode}`,
      res.statusCode
    );
  let j;
  try {
    j = JSON.parse(text);
  } catch {
    throw new RegistryError("auth", where, `token endpoint ${url.origin}${url.pathname} answered non-JSON`);
  }
  const token = j.token ?? j.access_token;
  if (!token)
    throw new RegistryError("auth", where, `token endpoint ${url.origin}${url.pathname} gave no token`);
  const lifetime = Math.max(60, j.expires_in ?? 60) * 1e3;
  const issued = j.issued_at ? Date.parse(j.issued_at) : Number.NaN;
  const start = Number.isNaN(issued) ? Date.now() : Math.min(issued, Date.now());
  return { token, expiresAt: start + lifetime - 1e4 };
}

// src/registry/transport.ts
var TLS_TRUST_CODES = /* @__PURE__ */ new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_UNTRUSTED"
]);
function errCode(e) {
  let cur = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const c = cur.code;
    if (typeof c === "string" && c !== "UND_ERR_SOCKET") return c;
    cur = cur.cause;
  }
  return e?.code ?? "";
}
function errText(e) {
  const code = errCode(e);
  if (code.startsWith("ERR_SSL_")) return `TLS handshake failed (${code})`;
  const msg = e?.message ?? String(e);
  return code && !msg.includes(code) ? `${msg} (${code})` : msg;
}
function header(h, name) {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
function retryAfterMs(value, now = Date.now()) {
  if (!value) return void 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1e3;
  const t = Date.parse(value);
  return Number.isNaN(t) ? void 0 : Math.max(0, t - now);
}
function retryDelayMs(attempt, retryAfter, opts, random = Math.random) {
  if (retryAfter !== void 0) return Math.min(retryAfter, opts.maxRetryAfterMs ?? 6e4);
  const base2 = opts.retryBaseMs ?? 500;
  return Math.min(1e4, base2 * 2 ** attempt) * (0.75 + random() * 0.5);
}
async function registryErrorText(body) {
  let text = "";
  try {
    text = await body.text();
  } catch {
    return "";
  }
  try {
    const j = JSON.parse(text);
    const first = j.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(": ").slice(0, 200);
  } catch {
  }
  return text.trim().split("\n")[0]?.slice(0, 200) ?? "";
}
var UntrustedCertificateError = class extends RegistryError {
  constructor(where, detail) {
    super("network", where, detail);
  }
};
var Transport = class {
  options;
  dispatchers = /* @__PURE__ */ new Map();
  endpoints = /* @__PURE__ */ new Map();
  tokens = new TokenCache();
  /** Token requests in flight, so concurrent requests with the same scopes share one. */
  pendingTokens = /* @__PURE__ */ new Map();
  credentials = /* @__PURE__ */ new Map();
  userAgent;
  timeoutMs;
  constructor(options = {}) {
    this.options = options;
    this.userAgent = options.userAgent ?? "kaniko-ts";
    this.timeoutMs = options.timeoutMs ?? 6e4;
  }
  /** Closes every connection. */
  async close() {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close()));
  }
  debug(line) {
    this.options.debug?.(line);
  }
  dispatcher(host, direction) {
    const skip = skipsVerify(this.options, host, direction);
    const caFile = caFileFor(this.options, host);
    const client = clientCertFor(this.options, host);
    const key = `${host}|${skip}|${caFile ?? ""}|${client?.cert ?? ""}`;
    let d = this.dispatchers.get(key);
    if (!d) {
      const tls = { rejectUnauthorized: !skip };
      if (caFile) {
        const { rootCertificates } = process.getBuiltinModule("node:tls");
        tls.ca = [...rootCertificates, (0, import_node_fs.readFileSync)(caFile, "utf8")];
      }
      if (client) {
        tls.cert = (0, import_node_fs.readFileSync)(client.cert);
        tls.key = (0, import_node_fs.readFileSync)(client.key);
      }
      d = new import_env_http_proxy_agent.default({
        connect: tls,
        requestTls: tls,
        connections: 16,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs
      });
      this.dispatchers.set(key, d);
    }
    return d;
  }
  /** Docker Hub's API lives on registry-1.docker.io. */
  apiHost(registry) {
    return registry === DOCKER_HUB ? "registry-1.docker.io" : registry;
  }
  /** Finds the scheme and the auth challenge of a registry with GET /v2/ (cached). */
  endpoint(registry, direction) {
    const key = `${registry}|${allowsHttp(this.options, registry, direction)}|${skipsVerify(this.options, registry, direction)}`;
    let p = this.endpoints.get(key);
    if (!p) {
      p = this.ping(registry, direction);
      this.endpoints.set(key, p);
      p.catch(() => this.endpoints.delete(key));
    }
    return p;
  }
  /**
   * HTTPS, and where plain HTTP is allowed (insecure flags, local addresses) HTTP at the same
   * time: HTTPS wins whenever it answers, so asking both at once only saves the wait for a
   * failed handshake. A certificate we do not trust is never a reason to fall back to HTTP.
   */
  async ping(registry, direction) {
    const secure = this.pingScheme("https", registry, direction);
    if (!allowsHttp(this.options, registry, direction)) return secure;
    const plain = this.pingScheme("http", registry, direction);
    plain.catch(() => void 0);
    try {
      return await secure;
    } catch (e) {
      if (e instanceof UntrustedCertificateError) throw e;
      return plain.catch(() => {
        throw e;
      });
    }
  }
  async pingScheme(scheme, registry, direction) {
    const host = this.apiHost(registry);
    const base2 = new URL(`${scheme}://${host}/`);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await request(new URL("/v2/", base2), {
          method: "GET",
          headers: { "user-agent": this.userAgent },
          dispatcher: this.dispatcher(registry, direction),
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs
        });
        await res.body.dump();
        if (res.statusCode === 200 || res.statusCode === 401 || res.statusCode === 403) {
          const challenge = parseChallenge(header(res.headers, "www-authenticate"));
          this.debug(`ping ${base2.origin}: ${res.statusCode}${challenge ? ` ${challenge.scheme}` : ""}`);
          return { base: base2, challenge };
        }
        if (res.statusCode >= 500 && attempt < this.retries(direction)) {
          await (0, import_promises.setTimeout)(this.backoff(attempt, void 0));
          continue;
        }
        throw new RegistryError(
          "network",
          { registry },
          `${base2.origin}/v2/ answered HTTP ${res.statusCode}; is this a registry?`,
          res.statusCode
        );
      } catch (e) {
        if (e instanceof RegistryError) throw e;
        const code = errCode(e);
        if (TLS_TRUST_CODES.has(code)) {
          throw new UntrustedCertificateError(
            { registry },
            `TLS certificate of ${host} is not trusted (${code}); add its CA with --registry-certificate ${registry}=ca.crt or use --skip-tls-verify`
          );
        }
        if (retriableCode(code) && attempt < this.retries(direction)) {
          await (0, import_promises.setTimeout)(this.backoff(attempt, void 0));
          continue;
        }
        throw new RegistryError("network", { registry }, `cannot reach ${base2.origin}: ${errText(e)}`);
      }
    }
  }
  retries(direction) {
    const extra = direction === "push" ? this.options.pushRetry : this.options.imageDownloadRetry;
    return (this.options.retries ?? 3) + (extra ?? 0);
  }
  backoff(attempt, retryAfter) {
    return retryDelayMs(attempt, retryAfter, this.options);
  }
  credential(registry) {
    let c = this.credentials.get(registry);
    if (!c) {
      c = this.options.keychain ? this.options.keychain.resolve(registry) : Promise.resolve(void 0);
      this.credentials.set(registry, c);
      c.catch(() => this.credentials.delete(registry));
    }
    return c;
  }
  /** The Authorization header for a request, fetching a token if needed. */
  async authorization(req, ep, fresh) {
    const ch = ep.challenge;
    if (!ch) return void 0;
    const cred = await this.credential(req.registry);
    if (ch.scheme === "basic") {
      if (cred?.kind === "basic")
        return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString("base64")}`;
      if (cred?.kind === "registry") return `Bearer ${cred.token}`;
      return void 0;
    }
    if (cred?.kind === "registry") return `Bearer ${cred.token}`;
    if (fresh) this.tokens.drop(req.registry, req.scopes);
    let token = this.tokens.get(req.registry, req.scopes);
    if (!token) {
      const key = `${req.registry}
${[...req.scopes].sort().join(" ")}`;
      let pending = this.pendingTokens.get(key);
      if (!pending) {
        pending = this.newToken(req, ch, cred);
        this.pendingTokens.set(key, pending);
        pending.then(
          () => this.pendingTokens.delete(key),
          () => this.pendingTokens.delete(key)
        );
      }
      token = await pending;
    }
    return `Bearer ${token}`;
  }
  async newToken(req, ch, cred) {
    {
      const realmHost = ch.params.realm ? new URL(ch.params.realm).host : req.registry;
      const t = await fetchToken({
        registry: req.registry,
        ...req.repository ? { repository: req.repository } : {},
        challenge: ch,
        scopes: req.scopes,
        credential: cred,
        dispatcher: this.dispatcher(realmHost, req.direction),
        userAgent: this.userAgent,
        timeoutMs: this.timeoutMs
      });
      this.tokens.set(req.registry, req.scopes, t.token, t.expiresAt);
      return t.token;
    }
  }
  /** A token with these scopes could be obtained (used by the push permission check). */
  async canAuthorize(req) {
    const ep = await this.endpoint(req.registry, req.direction);
    await this.authorization(req, ep, false);
  }
  where(req) {
    return {
      registry: req.registry,
      ...req.repository ? { repository: req.repository } : {},
      ...req.digest ? { digest: req.digest } : {}
    };
  }
  fail(req, kind, detail, status) {
    return new RegistryError(kind, this.where(req), detail, status);
  }
  /** Sends one request with auth, redirects and retries; returns a response whose status is in `ok`. */
  async send(req) {
    const ep = await this.endpoint(req.registry, req.direction);
    const retries = req.retry === false ? 0 : this.retries(req.direction);
    let reauthed = false;
    let freshToken = false;
    let lastRetryable = "";
    for (let attempt = 0; ; attempt++) {
      const auth = await this.authorization(req, ep, freshToken);
      freshToken = false;
      let url = new URL(req.path, ep.base);
      let res;
      try {
        for (let hops = 0; ; hops++) {
          const sameHost = url.host === ep.base.host;
          const headers = { "user-agent": this.userAgent, ...req.headers };
          if (auth && sameHost) headers.authorization = auth;
          const body = hops === 0 ? req.body?.() : void 0;
          res = await request(url, {
            method: req.method,
            headers,
            ...body !== void 0 ? { body } : {},
            // undici closes the connection after every HEAD (for servers that send a body
            // anyway); registries answer HEAD properly, and a warm build is mostly HEADs.
            ...req.method === "HEAD" ? { reset: false } : {},
            dispatcher: this.dispatcher(url.host === ep.base.host ? req.registry : url.host, req.direction),
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs
          });
          const loc = header(res.headers, "location");
          if ((req.method === "GET" || req.method === "HEAD") && [301, 302, 303, 307, 308].includes(res.statusCode) && loc && hops < 5 && !req.ok.includes(res.statusCode)) {
            await res.body.dump();
            url = new URL(loc, url);
            continue;
          }
          break;
        }
      } catch (e) {
        const source = sourceError(e);
        if (source) throw source;
        const code = errCode(e);
        if (TLS_TRUST_CODES.has(code))
          throw this.fail(req, "network", `TLS certificate not trusted (${code})`);
        lastRetryable = errText(e);
        if (attempt < retries) {
          this.debug(`${req.method} ${url.pathname}: ${lastRetryable}; retry ${attempt + 1}/${retries}`);
          await (0, import_promises.setTimeout)(this.backoff(attempt, void 0));
          continue;
        }
        throw this.fail(req, "network", `${req.method} ${url.pathname}: ${lastRetryable}`);
      }
      const status = res.statusCode;
      if (req.ok.includes(status)) return { status, headers: res.headers, body: res.body, url };
      if (status === 401 && !reauthed && !req.oneShotBody) {
        const challenge = parseChallenge(header(res.headers, "www-authenticate"));
        if (challenge && (ep.challenge === void 0 || challenge.scheme === "bearer")) {
          await res.body.dump();
          if (ep.challenge === void 0 || ep.challenge.scheme !== challenge.scheme)
            ep.challenge = challenge;
          reauthed = true;
          freshToken = true;
          attempt--;
          continue;
        }
      }
      if (status === 429 || status >= 500) {
        const text2 = await registryErrorText(res.body);
        lastRetryable = `HTTP ${status}${text2 ? ` ${text2}` : ""}`;
        if (attempt < retries) {
          const after = retryAfterMs(header(res.headers, "retry-after"));
          this.debug(`${req.method} ${url.pathname}: ${lastRetryable}; retry ${attempt + 1}/${retries}`);
          await (0, import_promises.setTimeout)(this.backoff(attempt, after));
          continue;
        }
        throw this.fail(
          req,
          "network",
          `${req.method} ${url.pathname}: ${lastRetryable} after ${attempt + 1} attempts`,
          status
        );
      }
      const text = await registryErrorText(res.body);
      const said = text ? `: ${text}` : "";
      if (status === 401)
        throw this.fail(req, "auth", `authentication required or refused (HTTP 401${said})`, status);
      if (status === 403) throw this.fail(req, "auth", `access denied (HTTP 403${said})`, status);
      if (status === 404) throw this.fail(req, "not-found", `not found (HTTP 404${said})`, status);
      throw this.fail(
        req,
        "protocol",
        `${req.method} ${url.pathname} answered HTTP ${status}${said}`,
        status
      );
    }
  }
};
function sourceError(e) {
  let cur = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    if (cur instanceof RegistryError) return cur;
    cur = cur.cause;
  }
  return void 0;
}
function retriableCode(code) {
  return code !== "ENOTFOUND" && !code.startsWith("ERR_SSL_") && !code.startsWith("ERR_TLS_");
}

// src/registry/shared.ts
var transports = /* @__PURE__ */ new WeakMap();
function transportFor(options) {
  let t = transports.get(options);
  if (!t) {
    t = new Transport(options);
    transports.set(options, t);
  }
  return t;
}
async function closeTransport(options) {
  const t = transports.get(options);
  transports.delete(options);
  await t?.close();
}

// src/cache/backend.ts
var storedAt = /* @__PURE__ */ new WeakMap();
function markCreated(layer, created) {
  if (created) storedAt.set(layer, created);
  return layer;
}
function createdOf(layer) {
  return storedAt.get(layer);
}
function expired(created, ttlMs, now = Date.now()) {
  if (ttlMs <= 0 || !created) return false;
  const t = Date.parse(created);
  return Number.isFinite(t) && now - t > ttlMs;
}

// src/registry/remote.ts
var import_node_stream = __toESM(require_node_stream(), 1);

// src/memory/streamed-bytes.ts
var EVERY_BYTES = 16 * 2 ** 20;
var collect;
var since = 0;
function collector() {
  if (collect === void 0) {
    try {
      process.getBuiltinModule("node:v8").setFlagsFromString("--expose-gc");
      collect = process.getBuiltinModule("node:vm").runInNewContext("gc");
    } catch {
      collect = null;
    }
  }
  return collect;
}
function noteStreamed(n) {
  since += n;
  if (since < EVERY_BYTES) return;
  since = 0;
  collector()?.({ type: "minor" });
}
async function* countStreamed(source, onBytes) {
  for await (const chunk of source) {
    noteStreamed(chunk.length);
    onBytes?.(chunk.length);
    yield chunk;
  }
}

// src/registry/remote.ts
var MANIFEST_ACCEPT = [
  MediaType.ociManifest,
  MediaType.ociIndex,
  MediaType.dockerManifest,
  MediaType.dockerManifestList
].join(", ");
function pullScopes(repo) {
  return [repositoryScope(repo.repository, ["pull"])];
}
function pushScopes(repo) {
  return [repositoryScope(repo.repository, ["pull", "push"])];
}
function base(repo, direction, digest) {
  return {
    registry: repo.registry,
    repository: repo.repository,
    ...digest ? { digest } : {},
    direction,
    scopes: direction === "push" ? pushScopes(repo) : pullScopes(repo)
  };
}
function mediaTypeOf(raw, contentType) {
  try {
    const j = JSON.parse(raw.toString("utf8"));
    if (j.mediaType) return j.mediaType;
    if (j.schemaVersion === 1) return MediaType.dockerSchema1;
    if (contentType && contentType !== "application/json") return contentType.split(";")[0].trim();
    return j.manifests ? MediaType.ociIndex : MediaType.ociManifest;
  } catch {
    return contentType?.split(";")[0]?.trim() ?? "";
  }
}
async function getManifest(t, repo, identifier, direction = "pull") {
  const byDigest = identifier.includes(":");
  const res = await t.send({
    ...base(repo, direction, byDigest ? identifier : void 0),
    method: "GET",
    path: `/v2/${repo.repository}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT },
    ok: [200]
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const mediaType = mediaTypeOf(raw, header(res.headers, "content-type"));
  const where = { registry: repo.registry, repository: repo.repository };
  if (isSchema1(mediaType))
    throw new RegistryError(
      "unsupported",
      where,
      `${identifier} is a Docker schema 1 manifest, which is deprecated and not supported; push it again with a current Docker or skopeo`
    );
  const digest = digestOf(raw);
  if (byDigest && digest !== identifier)
    throw new RegistryError(
      "integrity",
      { ...where, digest: identifier },
      `manifest content has digest ${digest}`
    );
  return { raw, mediaType, digest };
}
async function putManifest(t, repo, identifier, raw, mediaType) {
  const digest = digestOf(raw);
  const res = await t.send({
    ...base(repo, "push", digest),
    method: "PUT",
    path: `/v2/${repo.repository}/manifests/${identifier}`,
    headers: { "content-type": mediaType, "content-length": String(raw.length) },
    body: () => raw,
    ok: [200, 201, 202]
  });
  await res.body.dump();
  return digest;
}
function platformMatches(want, got) {
  if (!got) return false;
  if (got.os !== want.os || got.architecture !== want.architecture) return false;
  if (!want.variant || !got.variant) return true;
  return want.variant === got.variant;
}
function selectPlatform(index, want, where, identifier) {
  const candidates = index.manifests.filter((m) => platformMatches(want, m.platform));
  const exact = candidates.find((m) => m.platform?.variant === want.variant);
  const chosen = exact ?? candidates[0];
  if (chosen) return chosen;
  const have = index.manifests.map(
    (m) => m.platform ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join("/") : "?"
  ).join(", ");
  const w = [want.os, want.architecture, want.variant].filter(Boolean).join("/");
  const byDigest = identifier?.includes(":");
  throw new RegistryError(
    "not-found",
    byDigest ? { ...where, digest: identifier } : where,
    `no image for platform ${w} in the index${identifier && !byDigest ? ` tagged ${identifier}` : ""} (it has: ${have || "none"})`
  );
}
async function resolveImageManifest(t, repo, identifier, platform) {
  const first = await getManifest(t, repo, identifier);
  if (!isIndexMediaType(first.mediaType)) return first;
  const index = JSON.parse(first.raw.toString("utf8"));
  const desc = selectPlatform(index, platform, repo, identifier);
  const m = await getManifest(t, repo, desc.digest);
  if (isIndexMediaType(m.mediaType))
    throw new RegistryError(
      "unsupported",
      { ...repo, digest: desc.digest },
      "nested image index is not supported"
    );
  return { ...m, index: first };
}
async function headBlob(t, repo, digest, direction = "pull") {
  const res = await t.send({
    ...base(repo, direction, digest),
    method: "HEAD",
    path: `/v2/${repo.repository}/blobs/${digest}`,
    ok: [200, 404]
  });
  await res.body.dump();
  if (res.status === 404) return void 0;
  return Number(header(res.headers, "content-length") ?? "0");
}
function openBlob(t, repo, digest, opts = {}) {
  const where = { registry: repo.registry, repository: repo.repository, digest };
  const direction = opts.direction ?? "pull";
  async function* chunks() {
    const hash = hasherFor(digest);
    let offset = 0;
    let total = opts.size;
    let resumes = opts.resumes ?? 3;
    for (; ; ) {
      const res = await t.send({
        ...base(repo, direction, digest),
        method: "GET",
        path: `/v2/${repo.repository}/blobs/${digest}`,
        headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
        ok: offset > 0 ? [200, 206] : [200]
      });
      if (total === void 0 && res.status === 200) {
        const len = header(res.headers, "content-length");
        if (len !== void 0) total = Number(len);
      }
      let skip = res.status === 200 ? offset : 0;
      if (res.status === 206) {
        const start = Number(
          /bytes (\d+)-/.exec(header(res.headers, "content-range") ?? "")?.[1] ?? Number.NaN
        );
        if (start !== offset) {
          await res.body.dump();
          throw new RegistryError(
            "protocol",
            where,
            `asked for bytes from ${offset}, got a range starting at ${start}`
          );
        }
      }
      try {
        for await (const c of res.body) {
          let chunk = c;
          if (skip > 0) {
            if (chunk.length <= skip) {
              skip -= chunk.length;
              continue;
            }
            chunk = chunk.subarray(skip);
            skip = 0;
          }
          if (total !== void 0 && offset + chunk.length > total)
            throw new RegistryError("integrity", where, `blob is larger than its ${total} bytes`);
          hash.update(chunk);
          offset += chunk.length;
          noteStreamed(chunk.length);
          yield chunk;
        }
      } catch (e) {
        if (e instanceof RegistryError) throw e;
        if (resumes-- > 0 && (total === void 0 || offset < total)) {
          t.options.debug?.(`blob ${digest}: connection lost at byte ${offset}; resuming`);
          continue;
        }
        throw new RegistryError(
          "network",
          where,
          `download interrupted at byte ${offset}: ${e.message}`
        );
      }
      if (total !== void 0 && offset < total) {
        if (resumes-- > 0) continue;
        throw new RegistryError("network", where, `download ended at byte ${offset} of ${total}`);
      }
      break;
    }
    const got = `${digest.slice(0, digest.indexOf(":"))}:${hash.digest("hex")}`;
    if (got !== digest)
      throw new RegistryError("integrity", where, `digest mismatch: received bytes hash to ${got}`);
  }
  return import_node_stream.Readable.from(chunks(), { objectMode: false, highWaterMark: 1 << 16 });
}
var ChunkReader = class {
  carry = Buffer.alloc(0);
  it;
  done = false;
  constructor(stream) {
    this.it = stream[Symbol.asyncIterator]();
  }
  async read(n) {
    const parts = [this.carry];
    let have = this.carry.length;
    while (have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      parts.push(r.value);
      have += r.value.length;
    }
    const all = Buffer.concat(parts);
    this.carry = all.subarray(Math.min(n, all.length));
    return all.subarray(0, Math.min(n, all.length));
  }
};
function withDigest(location, digest) {
  const sep = location.includes("?") ? "&" : "?";
  return `${location}${sep}digest=${encodeURIComponent(digest)}`;
}
async function uploadBlob(t, repo, desc, open, opts = {}) {
  const { digest, size } = desc;
  const where = { registry: repo.registry, repository: repo.repository, digest };
  if (!opts.skipHead && await headBlob(t, repo, digest, "push") !== void 0) return "exists";
  const attempts = 1 + (t.options.retries ?? 3) + (t.options.pushRetry ?? 0) + (opts.session ? 1 : 0);
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const earlierSession = attempt === 0 ? opts.session : void 0;
    try {
      let location;
      const scopes = [repositoryScope(repo.repository, ["pull", "push"])];
      if (earlierSession) {
        location = earlierSession;
      } else if (opts.mountFrom && opts.mountFrom !== repo.repository && attempt === 0) {
        scopes.push(repositoryScope(opts.mountFrom, ["pull"]));
        const res = await t.send({
          ...base(repo, "push", digest),
          scopes,
          method: "POST",
          path: `/v2/${repo.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(opts.mountFrom)}`,
          headers: { "content-length": "0" },
          ok: [201, 202]
        });
        await res.body.dump();
        if (res.status === 201) return "mounted";
        location = header(res.headers, "location") ?? "";
      } else {
        const res = await t.send({
          ...base(repo, "push", digest),
          method: "POST",
          path: `/v2/${repo.repository}/blobs/uploads/`,
          headers: { "content-length": "0" },
          ok: [202]
        });
        await res.body.dump();
        location = header(res.headers, "location") ?? "";
      }
      if (!location) throw new RegistryError("protocol", where, "upload session without a Location");
      const chunkSize = opts.chunkSize ?? t.options.chunkSize ?? 0;
      if (chunkSize > 0 && size > 0) {
        const reader = new ChunkReader(await open());
        let offset = 0;
        while (offset < size) {
          const part = await reader.read(chunkSize);
          if (part.length === 0)
            throw new RegistryError("integrity", where, `source ended at byte ${offset} of ${size}`);
          const res2 = await t.send({
            ...base(repo, "push", digest),
            method: "PATCH",
            path: location,
            headers: {
              "content-type": "application/octet-stream",
              "content-length": String(part.length),
              "content-range": `${offset}-${offset + part.length - 1}`
            },
            body: () => part,
            retry: false,
            ok: [202]
          });
          await res2.body.dump();
          location = header(res2.headers, "location") ?? location;
          offset += part.length;
          noteStreamed(part.length);
          opts.onBytes?.(part.length);
        }
        const res = await t.send({
          ...base(repo, "push", digest),
          method: "PUT",
          path: withDigest(location, digest),
          headers: { "content-length": "0" },
          retry: false,
          ok: [201, 204]
        });
        await res.body.dump();
      } else {
        const body = import_node_stream.Readable.from(countStreamed(await open(), opts.onBytes));
        const res = await t.send({
          ...base(repo, "push", digest),
          method: "PUT",
          path: withDigest(location, digest),
          headers: { "content-type": "application/octet-stream", "content-length": String(size) },
          body: () => body,
          oneShotBody: true,
          retry: false,
          ok: [201, 204]
        });
        await res.body.dump();
      }
      return "uploaded";
    } catch (e) {
      lastError = e;
      const transient = e instanceof RegistryError && (e.kind === "network" || (e.status ?? 0) >= 500);
      if (!earlierSession && (!transient || attempt === attempts - 1)) throw e;
      t.options.debug?.(`upload of ${digest}: ${e.message}; starting again`);
    }
  }
  throw lastError;
}
async function cancelUpload(t, repo, location) {
  try {
    const res = await t.send({
      ...base(repo, "push"),
      method: "DELETE",
      path: location,
      retry: false,
      ok: [204, 200, 404]
    });
    await res.body.dump();
  } catch {
  }
}

export {
  repositoryScope,
  header,
  getManifest,
  putManifest,
  resolveImageManifest,
  headBlob,
  openBlob,
  uploadBlob,
  cancelUpload,
  transportFor,
  closeTransport,
  markCreated,
  createdOf,
  expired
};
