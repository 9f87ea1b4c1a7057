import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  USERNS_ENV,
  canCreateUserNamespace,
  enterUserNamespace,
  inUserNamespace,
  planUserNamespace,
  subordinateRange,
  uidMap
} from "./chunk-LXI7OMP7.js";
import "./chunk-2ZOPDK5X.js";
import "./chunk-7VWV4DFP.js";
import "./chunk-4FEHGAWH.js";
import "./chunk-SKSQDSFC.js";
import "./chunk-XYAWNDU7.js";
import "./chunk-JG55JAMU.js";
export {
  USERNS_ENV,
  canCreateUserNamespace,
  enterUserNamespace,
  inUserNamespace,
  planUserNamespace,
  subordinateRange,
  uidMap
};
