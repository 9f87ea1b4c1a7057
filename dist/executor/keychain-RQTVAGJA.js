const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  anonymous,
  dockerConfigCandidates,
  dockerConfigKeychain,
  multiKeychain,
  runCredentialHelper,
  staticKeychain
} from "./chunk-XCROZCDL.js";
import "./chunk-5PIJZC72.js";
import "./chunk-5UUJECFZ.js";
import "./chunk-LIYV7COB.js";
import "./chunk-6RXEB3NI.js";
import "./chunk-U6F4KCYV.js";
import "./chunk-XP4QZNJ2.js";
export {
  anonymous,
  dockerConfigCandidates,
  dockerConfigKeychain,
  multiKeychain,
  runCredentialHelper,
  staticKeychain
};
