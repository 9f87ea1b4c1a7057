const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  require_node_fs
} from "./chunk-LIYV7COB.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/sandbox/in-place-choice.ts
var import_node_fs = __toESM(require_node_fs(), 1);
var EXECUTOR_IMAGE_MARKER = "/kaniko/.kaniko-ts-executor";
function choosesInPlace(opts) {
  if (opts.forced !== void 0) return opts.forced === "in-place";
  return process.getuid?.() === 0 && (0, import_node_fs.existsSync)(opts.markerPath ?? EXECUTOR_IMAGE_MARKER);
}

export {
  EXECUTOR_IMAGE_MARKER,
  choosesInPlace
};
