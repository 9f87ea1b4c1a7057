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

// kaniko-ts-builtin:node:https
var require_node_https = __commonJS({
  "kaniko-ts-builtin:node:https"(exports, module) {
    module.exports = __require("node:https");
  }
});

// kaniko-ts-builtin:node:buffer
var require_node_buffer = __commonJS({
  "kaniko-ts-builtin:node:buffer"(exports, module) {
    module.exports = __require("node:buffer");
  }
});

export {
  require_node_http,
  require_node_https,
  require_node_buffer
};
