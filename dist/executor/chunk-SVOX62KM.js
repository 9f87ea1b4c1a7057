import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:zlib
var require_node_zlib = __commonJS({
  "kaniko-ts-builtin:node:zlib"(exports, module) {
    module.exports = __require("node:zlib");
  }
});

export {
  require_node_zlib
};
