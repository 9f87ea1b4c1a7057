import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  extractContextArchive
} from "./chunk-TG7EP6PZ.js";
import "./chunk-F3H6PTZ4.js";
import "./chunk-JDWLJCPG.js";
import "./chunk-ABFMVNG6.js";
import "./chunk-7VWV4DFP.js";
import "./chunk-SVOX62KM.js";
import "./chunk-XLYNGWFF.js";
import "./chunk-SKSQDSFC.js";
import "./chunk-FVPMF7YP.js";
import "./chunk-XYAWNDU7.js";
import "./chunk-JG55JAMU.js";

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
  const { Storage } = await import("./src-VHT2LN7Q.js");
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
