import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:child_process
var require_node_child_process = __commonJS({
  "kaniko-ts-builtin:node:child_process"(exports, module) {
    module.exports = __require("node:child_process");
  }
});

export {
  require_node_child_process
};
