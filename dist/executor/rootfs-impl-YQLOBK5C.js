const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  DirRootfs,
  createStageRootfs
} from "./chunk-YYTKSU4B.js";
import "./chunk-IUAAVYYJ.js";
import "./chunk-L6C7SMFX.js";
import "./chunk-2PKG5B6T.js";
import "./chunk-QTTXRMTW.js";
import "./chunk-Y3A2L6LS.js";
import "./chunk-QRELBB2W.js";
import "./chunk-XBC7G4DO.js";
import "./chunk-77QJEF4W.js";
import "./chunk-LIYV7COB.js";
import "./chunk-6RXEB3NI.js";
import "./chunk-U6F4KCYV.js";
import "./chunk-XP4QZNJ2.js";
export {
  DirRootfs,
  createStageRootfs
};
