import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:tls
var require_node_tls = __commonJS({
  "kaniko-ts-builtin:node:tls"(exports, module) {
    module.exports = __require("node:tls");
  }
});

export {
  require_node_tls
};
