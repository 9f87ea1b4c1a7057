const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:os
var require_node_os = __commonJS({
  "kaniko-ts-builtin:node:os"(exports, module) {
    module.exports = __require("node:os");
  }
});

export {
  require_node_os
};
