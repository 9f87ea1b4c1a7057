import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  hashKey,
  isCacheKey,
  stageRootKey,
  stepKey
} from "./chunk-HADOUG5L.js";
import "./chunk-FBE3RTUR.js";
import "./chunk-JG55JAMU.js";
export {
  hashKey,
  isCacheKey,
  stageRootKey,
  stepKey
};
