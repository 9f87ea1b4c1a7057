const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  __commonJS,
  __require
} from "./chunk-XP4QZNJ2.js";

// kaniko-ts-builtin:node:fs/promises
var require_promises = __commonJS({
  "kaniko-ts-builtin:node:fs/promises"(exports, module) {
    module.exports = __require("node:fs/promises");
  }
});

export {
  require_promises
};
