import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  anonymous,
  dockerConfigCandidates,
  dockerConfigKeychain,
  multiKeychain,
  runCredentialHelper,
  staticKeychain
} from "./chunk-SAQNIWCY.js";
import "./chunk-VMURVLOO.js";
import "./chunk-7VWV4DFP.js";
import "./chunk-4FEHGAWH.js";
import "./chunk-SKSQDSFC.js";
import "./chunk-FVPMF7YP.js";
import "./chunk-XYAWNDU7.js";
import "./chunk-JG55JAMU.js";
export {
  anonymous,
  dockerConfigCandidates,
  dockerConfigKeychain,
  multiKeychain,
  runCredentialHelper,
  staticKeychain
};
