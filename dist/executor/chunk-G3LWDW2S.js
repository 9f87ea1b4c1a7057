import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);

// src/cache/backend.ts
function expired(created, ttlMs, now = Date.now()) {
  if (ttlMs <= 0 || !created) return false;
  const t = Date.parse(created);
  return Number.isFinite(t) && now - t > ttlMs;
}

export {
  expired
};
