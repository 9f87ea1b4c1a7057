const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:util
var require_node_util = __commonJS({
  "kaniko-ts-builtin:node:util"(exports, module) {
    module.exports = __require("node:util");
  }
});

export {
  require_node_util
};
