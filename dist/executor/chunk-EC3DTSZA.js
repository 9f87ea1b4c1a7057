const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:process
var require_node_process = __commonJS({
  "kaniko-ts-builtin:node:process"(exports, module) {
    module.exports = __require("node:process");
  }
});

export {
  require_node_process
};
