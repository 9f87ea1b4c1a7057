// Azure Blob Storage contexts (https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB) with
// @azure/storage-blob. As kaniko: the account is the URL's, its key AZURE_STORAGE_ACCESS_KEY.
// AZURE_STORAGE_CONNECTION_STRING, when set, gives account, key and endpoint instead (Azurite,
// sovereign clouds, private endpoints); the container and blob still come from the URL. Without
// either, a shared access signature in the URL's query (kaniko-ts addition) is used as it is.
// AZURE_STORAGE_SERVICE_ENDPOINT (the Azure CLI's variable for its --blob-endpoint) sends the key
// and SAS routes to another blob endpoint: the URL's container and blob under it, the URL's account.
import type { Readable } from 'node:stream';
import { ContextError } from '../build/errors.ts';
import type { FetchOptions } from './https.ts';
import type { AzureSpec } from './kaniko-url.ts';
import { extractContextArchive } from './tarball.ts';

interface RestError extends Error {
  statusCode?: number;
  code?: string;
}

function reason(e: RestError, ref: AzureSpec): string {
  if (e.code === 'ContainerNotFound') return `container ${ref.container} does not exist`;
  if (e.code === 'BlobNotFound' || e.statusCode === 404)
    return `blob ${ref.blob} not found in container ${ref.container}`;
  if (e.statusCode === 401 || e.statusCode === 403)
    return `access denied (HTTP ${e.statusCode} ${e.code ?? ''})`.trim();
  return `${e.code ?? e.name}${e.statusCode ? ` (HTTP ${e.statusCode})` : ''}: ${e.message.split('\n')[0]}`;
}

/**
 * The blob's URL (without query): the context's own, or its /CONTAINER/BLOB path under
 * AZURE_STORAGE_SERVICE_ENDPOINT (`http://127.0.0.1:10000/devstoreaccount1` for Azurite).
 */
export function azureBlobUrl(ref: AzureSpec, env: NodeJS.ProcessEnv, where: string): string {
  const endpoint = env.AZURE_STORAGE_SERVICE_ENDPOINT;
  if (!endpoint) return ref.url;
  const base = URL.parse(endpoint);
  if (!base || !/^https?:$/.test(base.protocol) || base.search || base.hash || base.username)
    throw new ContextError(
      `context ${where}: AZURE_STORAGE_SERVICE_ENDPOINT is not an http(s) URL without query or credentials`,
    );
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${new URL(ref.url).pathname}`;
}

export async function fetchAzure(ref: AzureSpec, opts: FetchOptions): Promise<void> {
  const { BlobClient, BlobServiceClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
  const cs = opts.env.AZURE_STORAGE_CONNECTION_STRING;
  let blob: InstanceType<typeof BlobClient>;
  try {
    if (cs) {
      blob = BlobServiceClient.fromConnectionString(cs)
        .getContainerClient(ref.container)
        .getBlobClient(ref.blob);
    } else {
      const url = azureBlobUrl(ref, opts.env, opts.where);
      const key = opts.env.AZURE_STORAGE_ACCESS_KEY;
      if (key) blob = new BlobClient(url, new StorageSharedKeyCredential(ref.account, key));
      else if (ref.sas) blob = new BlobClient(`${url}${ref.sas}`);
      else throw new ContextError(`context ${opts.where}: AZURE_STORAGE_ACCESS_KEY is not set`);
    }
  } catch (e) {
    if (e instanceof ContextError) throw e;
    // The SDK's message may quote the connection string; say only what is wrong.
    throw new ContextError(
      `context ${opts.where}: invalid Azure credentials (AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCESS_KEY)`,
    );
  }
  const res = await blob
    .download(0, undefined, { ...(opts.signal ? { abortSignal: opts.signal } : {}), maxRetryRequests: 3 })
    .catch((e: RestError) => {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new ContextError(`context ${opts.where}: ${reason(e, ref)}`);
    });
  if (!res.readableStreamBody) throw new ContextError(`context ${opts.where}: empty response`);
  await extractContextArchive(res.readableStreamBody as Readable, {
    dir: opts.dir,
    where: opts.where,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
