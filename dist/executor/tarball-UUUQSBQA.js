import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  extractContextArchive,
  progressCounter
} from "./chunk-TG7EP6PZ.js";
import "./chunk-F3H6PTZ4.js";
import "./chunk-JDWLJCPG.js";
import "./chunk-ABFMVNG6.js";
import "./chunk-7VWV4DFP.js";
import "./chunk-SVOX62KM.js";
import "./chunk-XLYNGWFF.js";
import "./chunk-SKSQDSFC.js";
import "./chunk-FVPMF7YP.js";
import "./chunk-XYAWNDU7.js";
import "./chunk-JG55JAMU.js";
export {
  extractContextArchive,
  progressCounter
};
