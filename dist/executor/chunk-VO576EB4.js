const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/cache/backend.ts
function expired(created, ttlMs, now = Date.now()) {
  if (ttlMs <= 0 || !created) return false;
  const t = Date.parse(created);
  return Number.isFinite(t) && now - t > ttlMs;
}

export {
  expired
};
