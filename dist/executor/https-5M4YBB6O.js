const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  import_agent,
  interceptors,
  request
} from "./chunk-S2V5PZBG.js";
import {
  extractContextArchive
} from "./chunk-EK72HJM2.js";
import "./chunk-2PKG5B6T.js";
import "./chunk-QTTXRMTW.js";
import {
  ContextError
} from "./chunk-NLAINIXL.js";
import "./chunk-Y3A2L6LS.js";
import "./chunk-XBC7G4DO.js";
import "./chunk-77QJEF4W.js";
import "./chunk-LIYV7COB.js";
import "./chunk-6RXEB3NI.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:tls
var require_node_tls = __commonJS({
  "kaniko-ts-builtin:node:tls"(exports, module) {
    module.exports = __require("node:tls");
  }
});

// src/context/https.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_tls = __toESM(require_node_tls(), 1);
async function trustedCAs(env, where) {
  const file = env.SSL_CERT_FILE;
  if (!file) return void 0;
  const pem = await (0, import_promises.readFile)(file, "utf8").catch((e) => {
    throw new ContextError(`context ${where}: SSL_CERT_FILE ${file}: ${e.code ?? e.message}`);
  });
  return [...(0, import_node_tls.getCACertificates)("default"), pem];
}
function statusMessage(status) {
  if (status === 401 || status === 403) return `access denied (HTTP ${status})`;
  if (status === 404) return "not found (HTTP 404)";
  return `HTTP ${status}`;
}
async function fetchHttps(url, opts) {
  const ca = await trustedCAs(opts.env, opts.where);
  const agent = new import_agent.default(ca ? { connect: { ca } } : {});
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 10 }));
  try {
    const res = await request(url, {
      method: "GET",
      dispatcher,
      ...opts.signal ? { signal: opts.signal } : {}
    }).catch((e) => {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const why = (e.cause?.message ?? e.message).split(";")[0];
      const tls = /CERT|SIGNATURE|SELF_SIGNED|ISSUER/.test(`${e.code ?? ""} ${e.cause?.message ?? ""}`);
      const hint = tls ? " (a private CA is trusted with SSL_CERT_FILE or NODE_EXTRA_CA_CERTS)" : "";
      throw new ContextError(`context ${opts.where}: cannot download: ${why}${hint}`);
    });
    if (res.statusCode !== 200) {
      res.body.resume();
      throw new ContextError(`context ${opts.where}: ${statusMessage(res.statusCode)}`);
    }
    await extractContextArchive(res.body, {
      dir: opts.dir,
      where: opts.where,
      ...opts.log ? { log: opts.log } : {},
      ...opts.signal ? { signal: opts.signal } : {}
    });
  } finally {
    await agent.close().catch(() => void 0);
  }
}
export {
  fetchHttps,
  trustedCAs
};
