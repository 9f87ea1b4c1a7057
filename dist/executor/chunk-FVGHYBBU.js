const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:http
var require_node_http = __commonJS({
  "kaniko-ts-builtin:node:http"(exports, module) {
    module.exports = __require("node:http");
  }
});

export {
  require_node_http
};
