import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:http
var require_node_http = __commonJS({
  "kaniko-ts-builtin:node:http"(exports, module) {
    module.exports = __require("node:http");
  }
});

export {
  require_node_http
};
