const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  hashKey,
  isCacheKey,
  stageRootKey,
  stepKey
} from "./chunk-F5BQI5MV.js";
import "./chunk-QRELBB2W.js";
import "./chunk-XP4QZNJ2.js";
export {
  hashKey,
  isCacheKey,
  stageRootKey,
  stepKey
};
