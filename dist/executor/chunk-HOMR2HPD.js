const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:tls
var require_node_tls = __commonJS({
  "kaniko-ts-builtin:node:tls"(exports, module) {
    module.exports = __require("node:tls");
  }
});

export {
  require_node_tls
};
