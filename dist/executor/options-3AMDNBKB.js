import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  allowsHttp,
  caFileFor,
  clientCertFor,
  isLocalHost,
  pullSources,
  registryOptionsFromFlags,
  skipsVerify
} from "./chunk-S65CEKCN.js";
import "./chunk-VMURVLOO.js";
import "./chunk-JG55JAMU.js";
export {
  allowsHttp,
  caFileFor,
  clientCertFor,
  isLocalHost,
  pullSources,
  registryOptionsFromFlags,
  skipsVerify
};
