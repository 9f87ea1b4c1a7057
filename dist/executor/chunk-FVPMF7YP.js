import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:path
var require_node_path = __commonJS({
  "kaniko-ts-builtin:node:path"(exports, module) {
    module.exports = __require("node:path");
  }
});

export {
  require_node_path
};
