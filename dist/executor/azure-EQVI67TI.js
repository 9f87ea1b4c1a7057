const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  extractContextArchive
} from "./chunk-EK72HJM2.js";
import "./chunk-2PKG5B6T.js";
import "./chunk-QTTXRMTW.js";
import {
  ContextError
} from "./chunk-NLAINIXL.js";
import "./chunk-Y3A2L6LS.js";
import "./chunk-XBC7G4DO.js";
import "./chunk-77QJEF4W.js";
import "./chunk-LIYV7COB.js";
import "./chunk-6RXEB3NI.js";
import "./chunk-U6F4KCYV.js";
import "./chunk-XP4QZNJ2.js";

// src/context/azure.ts
function reason(e, ref) {
  if (e.code === "ContainerNotFound") return `container ${ref.container} does not exist`;
  if (e.code === "BlobNotFound" || e.statusCode === 404)
    return `blob ${ref.blob} not found in container ${ref.container}`;
  if (e.statusCode === 401 || e.statusCode === 403)
    return `access denied (HTTP ${e.statusCode} ${e.code ?? ""})`.trim();
  return `${e.code ?? e.name}${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${e.message.split("\n")[0]}`;
}
function azureBlobUrl(ref, env, where) {
  const endpoint = env.AZURE_STORAGE_SERVICE_ENDPOINT;
  if (!endpoint) return ref.url;
  const base = URL.parse(endpoint);
  if (!base || !/^https?:$/.test(base.protocol) || base.search || base.hash || base.username)
    throw new ContextError(
      `context ${where}: AZURE_STORAGE_SERVICE_ENDPOINT is not an http(s) URL without query or credentials`
    );
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${new URL(ref.url).pathname}`;
}
async function fetchAzure(ref, opts) {
  const { BlobClient, BlobServiceClient, StorageSharedKeyCredential } = await import("./esm-H5Y2AHSN.js");
  const cs = opts.env.AZURE_STORAGE_CONNECTION_STRING;
  let blob;
  try {
    if (cs) {
      blob = BlobServiceClient.fromConnectionString(cs).getContainerClient(ref.container).getBlobClient(ref.blob);
    } else {
      const url = azureBlobUrl(ref, opts.env, opts.where);
      const key = opts.env.AZURE_STORAGE_ACCESS_KEY;
      if (key) blob = new BlobClient(url, new StorageSharedKeyCredential(ref.account, key));
      else if (ref.sas) blob = new BlobClient(`${url}${ref.sas}`);
      else throw new ContextError(`context ${opts.where}: AZURE_STORAGE_ACCESS_KEY is not set`);
    }
  } catch (e) {
    if (e instanceof ContextError) throw e;
    throw new ContextError(
      `context ${opts.where}: invalid Azure credentials (AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCESS_KEY)`
    );
  }
  const res = await blob.download(0, void 0, { ...opts.signal ? { abortSignal: opts.signal } : {}, maxRetryRequests: 3 }).catch((e) => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    throw new ContextError(`context ${opts.where}: ${reason(e, ref)}`);
  });
  if (!res.readableStreamBody) throw new ContextError(`context ${opts.where}: empty response`);
  await extractContextArchive(res.readableStreamBody, {
    dir: opts.dir,
    where: opts.where,
    ...opts.log ? { log: opts.log } : {},
    ...opts.signal ? { signal: opts.signal } : {}
  });
}
export {
  azureBlobUrl,
  fetchAzure
};
