import { createRequire as __ktsCreateRequire } from 'node:module';
const require = __ktsCreateRequire(process.execPath);
import {
  extractContextArchive
} from "./chunk-TG7EP6PZ.js";
import "./chunk-F3H6PTZ4.js";
import "./chunk-JDWLJCPG.js";
import {
  ContextError
} from "./chunk-ABFMVNG6.js";
import "./chunk-7VWV4DFP.js";
import "./chunk-SVOX62KM.js";
import "./chunk-XLYNGWFF.js";
import "./chunk-SKSQDSFC.js";
import "./chunk-FVPMF7YP.js";
import "./chunk-XYAWNDU7.js";
import "./chunk-JG55JAMU.js";

// src/context/azure.ts
function reason(e, ref) {
  if (e.code === "ContainerNotFound") return `container ${ref.container} does not exist`;
  if (e.code === "BlobNotFound" || e.statusCode === 404)
    return `blob ${ref.blob} not found in container ${ref.container}`;
  if (e.statusCode === 401 || e.statusCode === 403)
    return `access denied (HTTP ${e.statusCode} ${e.code ?? ""})`.trim();
  return `${e.code ?? e.name}${e.statusCode ? ` (HTTP ${e.statusCode})` : ""}: ${e.message.split("\n")[0]}`;
}
async function fetchAzure(ref, opts) {
  const { BlobClient, BlobServiceClient, StorageSharedKeyCredential } = await import("./esm-YSTAPWFZ.js");
  const cs = opts.env.AZURE_STORAGE_CONNECTION_STRING;
  let blob;
  try {
    if (cs) {
      blob = BlobServiceClient.fromConnectionString(cs).getContainerClient(ref.container).getBlobClient(ref.blob);
    } else {
      const key = opts.env.AZURE_STORAGE_ACCESS_KEY;
      if (key) blob = new BlobClient(ref.url, new StorageSharedKeyCredential(ref.account, key));
      else if (ref.sas) blob = new BlobClient(`${ref.url}${ref.sas}`);
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
  fetchAzure
};
