const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:stream
var require_node_stream = __commonJS({
  "kaniko-ts-builtin:node:stream"(exports, module) {
    module.exports = __require("node:stream");
  }
});

export {
  require_node_stream
};
