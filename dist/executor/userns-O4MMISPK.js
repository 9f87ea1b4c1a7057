const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  USERNS_ENV,
  canCreateUserNamespace,
  enterUserNamespace,
  inUserNamespace,
  planUserNamespace,
  subordinateRange,
  uidMap
} from "./chunk-AB5CQHS6.js";
import "./chunk-SYGD3FLI.js";
import "./chunk-Y3A2L6LS.js";
import "./chunk-5UUJECFZ.js";
import "./chunk-LIYV7COB.js";
import "./chunk-U6F4KCYV.js";
import "./chunk-XP4QZNJ2.js";
export {
  USERNS_ENV,
  canCreateUserNamespace,
  enterUserNamespace,
  inUserNamespace,
  planUserNamespace,
  subordinateRange,
  uidMap
};
