const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/cache/spec.ts
var CacheSpecError = class extends Error {
  constructor(flag, value, why) {
    super(`--${flag} "${value}": ${why}`);
    this.name = "CacheSpecError";
  }
};
function parseCacheSpec(value, direction) {
  const flag = `cache-${direction}`;
  if (!value.includes("=")) {
    if (value === "") throw new CacheSpecError(flag, value, "empty");
    return { type: "registry", ref: value, mode: "min" };
  }
  const fields = /* @__PURE__ */ new Map();
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new CacheSpecError(flag, value, `"${part}" is not key=value`);
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const mode = fields.get("mode") ?? "min";
  if (mode !== "min" && mode !== "max") throw new CacheSpecError(flag, value, "mode must be min or max");
  const type = fields.get("type") ?? "registry";
  if (type === "registry") {
    const ref = fields.get("ref");
    if (!ref) throw new CacheSpecError(flag, value, "type=registry needs ref=");
    return { type, ref, mode };
  }
  if (type === "local") {
    const key = direction === "from" ? "src" : "dest";
    const dir = fields.get(key);
    if (!dir) throw new CacheSpecError(flag, value, `type=local needs ${key}=`);
    return { type, dir, mode };
  }
  throw new CacheSpecError(flag, value, `type ${type} is not supported (registry or local)`);
}

export {
  CacheSpecError,
  parseCacheSpec
};
