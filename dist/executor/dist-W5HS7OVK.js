import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  require_dist2 as require_dist
} from "./chunk-QWW4RDH2.js";
import "./chunk-JG55JAMU.js";
export default require_dist();
