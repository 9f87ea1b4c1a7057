const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  require_node_crypto
} from "./chunk-QRELBB2W.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/cache/key.ts
var import_node_crypto = __toESM(require_node_crypto(), 1);
function canonical(value) {
  if (value === void 0) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}
function hashKey(parts) {
  return (0, import_node_crypto.createHash)("sha256").update(canonical(parts)).digest("hex");
}
function stageRootKey(base, platform, settings) {
  return hashKey({ v: 1, base, platform, settings });
}
function stepKey(parent, command, inputs) {
  return hashKey({ parent, command, inputs });
}
function isCacheKey(s) {
  return /^[0-9a-f]{64}$/.test(s);
}

export {
  hashKey,
  stageRootKey,
  stepKey,
  isCacheKey
};
