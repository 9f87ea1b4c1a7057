const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  normaliseRegistry
} from "./chunk-5PIJZC72.js";

// src/registry/options.ts
function hostIn(list, host) {
  if (!list) return false;
  const h = normaliseRegistry(host);
  return list.some((x) => normaliseRegistry(x.replace(/^https?:\/\//, "").replace(/\/+$/, "")) === h);
}
function isLocalHost(host) {
  const h = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1" || h.endsWith(".localhost")) return true;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 127 || a === 10 || a === 172 && b >= 16 && b <= 31 || a === 192 && b === 168;
}
function allowsHttp(opts, host, dir) {
  if (hostIn(opts.insecureRegistries, host) || isLocalHost(host)) return true;
  return dir === "push" ? opts.insecure === true : opts.insecurePull === true;
}
function skipsVerify(opts, host, dir) {
  if (hostIn(opts.skipTlsVerifyRegistries, host)) return true;
  return dir === "push" ? opts.skipTlsVerify === true : opts.skipTlsVerifyPull === true;
}
function lookup(map, host) {
  if (!map) return void 0;
  const h = normaliseRegistry(host);
  for (const [k, v] of Object.entries(map)) if (normaliseRegistry(k) === h) return v;
  return void 0;
}
function caFileFor(opts, host) {
  return lookup(opts.registryCertificates, host);
}
function clientCertFor(opts, host) {
  const v = lookup(opts.registryClientCerts, host);
  if (!v) return void 0;
  const [cert, key] = v.split(",");
  return cert && key ? { cert, key } : void 0;
}
function pullSources(opts, registry) {
  const out = [];
  const add = (s) => {
    const clean = s.replace(/^https?:\/\//, "").replace(/\/+$/, "");
    if (!clean) return;
    const slash = clean.indexOf("/");
    out.push(
      slash < 0 ? { host: normaliseRegistry(clean), prefix: "" } : { host: normaliseRegistry(clean.slice(0, slash)), prefix: clean.slice(slash + 1) }
    );
  };
  const reg = normaliseRegistry(registry);
  if (reg === "index.docker.io") for (const m of opts.registryMirrors ?? []) add(m);
  for (const m of (lookup(opts.registryMap, reg) ?? "").split(";")) add(m);
  const self = out.length === 0 || !opts.skipDefaultRegistryFallback;
  if (self) out.push({ host: reg, prefix: "" });
  return out;
}
function registryOptionsFromFlags(flags, keychain) {
  return {
    insecure: flags.insecure,
    insecurePull: flags.insecurePull,
    insecureRegistries: flags.insecureRegistries,
    skipTlsVerify: flags.skipTlsVerify,
    skipTlsVerifyPull: flags.skipTlsVerifyPull,
    skipTlsVerifyRegistries: flags.skipTlsVerifyRegistries,
    registryCertificates: flags.registryCertificates,
    registryClientCerts: flags.registryClientCerts,
    registryMirrors: flags.registryMirrors,
    registryMap: flags.registryMap,
    skipDefaultRegistryFallback: flags.skipDefaultRegistryFallback,
    pushRetry: flags.pushRetry,
    imageDownloadRetry: flags.imageDownloadRetry,
    ...keychain ? { keychain } : {}
  };
}

export {
  isLocalHost,
  allowsHttp,
  skipsVerify,
  caFileFor,
  clientCertFor,
  pullSources,
  registryOptionsFromFlags
};
