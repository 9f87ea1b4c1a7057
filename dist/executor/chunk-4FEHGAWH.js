import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:os
var require_node_os = __commonJS({
  "kaniko-ts-builtin:node:os"(exports, module) {
    module.exports = __require("node:os");
  }
});

export {
  require_node_os
};
