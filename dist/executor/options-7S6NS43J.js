const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  allowsHttp,
  caFileFor,
  clientCertFor,
  isLocalHost,
  pullSources,
  registryOptionsFromFlags,
  skipsVerify
} from "./chunk-T6U52VLM.js";
import "./chunk-5PIJZC72.js";
import "./chunk-XP4QZNJ2.js";
export {
  allowsHttp,
  caFileFor,
  clientCertFor,
  isLocalHost,
  pullSources,
  registryOptionsFromFlags,
  skipsVerify
};
