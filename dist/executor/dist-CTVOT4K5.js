const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  require_dist2 as require_dist
} from "./chunk-A76E2542.js";
import "./chunk-XP4QZNJ2.js";
export default require_dist();
