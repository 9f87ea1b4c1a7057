const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  extractContextArchive,
  progressCounter
} from "./chunk-EK72HJM2.js";
import "./chunk-2PKG5B6T.js";
import "./chunk-QTTXRMTW.js";
import "./chunk-NLAINIXL.js";
import "./chunk-Y3A2L6LS.js";
import "./chunk-XBC7G4DO.js";
import "./chunk-77QJEF4W.js";
import "./chunk-LIYV7COB.js";
import "./chunk-6RXEB3NI.js";
import "./chunk-U6F4KCYV.js";
import "./chunk-XP4QZNJ2.js";
export {
  extractContextArchive,
  progressCounter
};
