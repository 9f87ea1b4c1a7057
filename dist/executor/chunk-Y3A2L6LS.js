const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:child_process
var require_node_child_process = __commonJS({
  "kaniko-ts-builtin:node:child_process"(exports, module) {
    module.exports = __require("node:child_process");
  }
});

export {
  require_node_child_process
};
