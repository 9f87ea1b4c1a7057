const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  REF_NAME,
  readOciLayout,
  writeOciLayout
} from "./chunk-HMSKSHPT.js";
import "./chunk-2NNVGCBN.js";
import "./chunk-PGPEOOSP.js";
import "./chunk-KGB5P76T.js";
import "./chunk-77HIO646.js";
import "./chunk-QRELBB2W.js";
import "./chunk-77QJEF4W.js";
import "./chunk-LIYV7COB.js";
import "./chunk-6RXEB3NI.js";
import "./chunk-U6F4KCYV.js";
import "./chunk-XP4QZNJ2.js";
export {
  REF_NAME,
  readOciLayout,
  writeOciLayout
};
