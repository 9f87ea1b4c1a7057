const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  extractContextArchive
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

// src/context/gcs.ts
function apiMessage(e) {
  try {
    const body = JSON.parse(e.message);
    if (body.error?.message) return body.error.message;
  } catch {
  }
  return e.message.split("\n")[0] ?? "";
}
function reason(e, bucket, object) {
  const msg = apiMessage(e);
  if (e.code === 404)
    return /bucket/i.test(msg) ? `bucket ${bucket} does not exist` : `object ${object} not found in bucket ${bucket}`;
  if (e.code === 401 || e.code === 403) return `access denied (HTTP ${e.code}): ${msg}`;
  return msg;
}
async function fetchGcs(bucket, object, opts) {
  const { Storage } = await import("./src-LGV3E2MI.js");
  const emulator = opts.env.STORAGE_EMULATOR_HOST;
  const storage = new Storage({
    retryOptions: { autoRetry: true, maxRetries: 2 },
    // A custom endpoint is called without Google credentials, as the library does for emulators.
    ...emulator ? { apiEndpoint: emulator.replace(/\/+$/, "") } : {}
  });
  const stream = storage.bucket(bucket).file(object).createReadStream({ decompress: false });
  await extractContextArchive(stream, {
    dir: opts.dir,
    where: opts.where,
    describeSourceError: (e) => reason(e, bucket, object),
    ...opts.log ? { log: opts.log } : {},
    ...opts.signal ? { signal: opts.signal } : {}
  });
}
export {
  fetchGcs
};
