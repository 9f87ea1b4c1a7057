const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/registry/digest.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
function digestOf(data) {
  return `sha256:${(0, import_node_crypto.createHash)("sha256").update(data).digest("hex")}`;
}
function hasherFor(digest) {
  const alg = digest.slice(0, digest.indexOf(":"));
  return (0, import_node_crypto.createHash)(alg === "sha512" ? "sha512" : "sha256");
}
function hexOf(digest) {
  return digest.slice(digest.indexOf(":") + 1);
}

export {
  digestOf,
  hasherFor,
  hexOf
};
