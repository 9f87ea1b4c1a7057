const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  extractLayer
} from "./chunk-2PKG5B6T.js";
import {
  ArchiveFormatError,
  UnsafeEntryError
} from "./chunk-QTTXRMTW.js";
import {
  ContextError
} from "./chunk-NLAINIXL.js";
import {
  require_node_stream
} from "./chunk-77QJEF4W.js";
import {
  require_promises
} from "./chunk-U6F4KCYV.js";
import {
  __toESM
} from "./chunk-XP4QZNJ2.js";

// src/context/tarball.ts
var import_promises = __toESM(require_promises(), 1);
var import_node_stream = __toESM(require_node_stream(), 1);
var PROGRESS_EVERY = 16 * 1024 * 1024;
function mib(n) {
  return n < 1024 * 1024 ? `${n} bytes` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
function progressCounter(where, log) {
  let next = PROGRESS_EVERY;
  const counter = new import_node_stream.Transform({
    transform(chunk, _enc, done) {
      counter.bytes += chunk.length;
      if (log && counter.bytes >= next) {
        log(`context ${where}: fetched ${mib(counter.bytes)}`);
        next += PROGRESS_EVERY;
      }
      done(null, chunk);
    }
  });
  counter.bytes = 0;
  return counter;
}
function contextMessage(e, where) {
  const prefix = `context ${where}: `;
  const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return e instanceof ArchiveFormatError ? `${prefix}not a tar archive (${detail})` : `${prefix}${detail}`;
}
async function extractContextArchive(archive, opts) {
  await (0, import_promises.mkdir)(opts.dir, { recursive: true });
  opts.signal?.throwIfAborted();
  const counter = progressCounter(opts.where, opts.log);
  let sourceError;
  archive.on("error", (e) => {
    sourceError ??= e;
    counter.destroy(e);
  });
  const onAbort = () => counter.destroy(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error("aborted"));
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  archive.pipe(counter);
  try {
    const r = await extractLayer(counter, {
      root: opts.dir,
      whiteouts: false,
      chown: false,
      createDevices: false,
      where: `context ${opts.where}`
    });
    if (r.entries === 0) throw new ContextError(`context ${opts.where}: the archive holds no files`);
    opts.log?.(
      `context ${opts.where}: fetched ${mib(counter.bytes)}, ${r.entries} entries (${r.compression})`
    );
    return counter.bytes;
  } catch (e) {
    archive.destroy();
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (e instanceof ContextError) throw e;
    if (sourceError) {
      const why = opts.describeSourceError?.(sourceError) ?? `download failed: ${sourceError.message}`;
      throw new ContextError(`context ${opts.where}: ${why}`);
    }
    if (e instanceof ArchiveFormatError || e instanceof UnsafeEntryError)
      throw new ContextError(contextMessage(e, opts.where));
    throw e;
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
}

export {
  progressCounter,
  extractContextArchive
};
