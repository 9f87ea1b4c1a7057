import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-JG55JAMU.js";

// kaniko-ts-builtin:node:stream
var require_node_stream = __commonJS({
  "kaniko-ts-builtin:node:stream"(exports, module) {
    module.exports = __require("node:stream");
  }
});

export {
  require_node_stream
};
