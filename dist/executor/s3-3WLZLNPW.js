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

// src/context/s3.ts
function reason(e, bucket, key) {
  const code = e.Code ?? e.name;
  const status = e.$metadata?.httpStatusCode;
  if (code === "NoSuchBucket") return `bucket ${bucket} does not exist`;
  if (code === "NoSuchKey" || status === 404) return `object ${key} not found in bucket ${bucket}`;
  if (status === 401 || status === 403) return `access denied (HTTP ${status} ${code})`;
  if (e.name === "CredentialsProviderError")
    return "no AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a role)";
  return `${code}${status ? ` (HTTP ${status})` : ""}: ${e.message.split("\n")[0]}`;
}
async function fetchS3(bucket, key, opts) {
  const { S3Client, GetObjectCommand } = await import("./dist-cjs-JOOBFEUD.js").then(__ktsCommonJsNamespace);
  const endpoint = opts.env.S3_ENDPOINT || void 0;
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = opts.env;
  const client = new S3Client({
    region: opts.env.AWS_REGION || opts.env.AWS_DEFAULT_REGION || "us-east-1",
    // Keys in the environment given win; otherwise the SDK's chain (profiles, SSO, roles).
    ...id && secret ? {
      credentials: {
        accessKeyId: id,
        secretAccessKey: secret,
        ...token ? { sessionToken: token } : {}
      }
    } : {},
    ...endpoint ? { endpoint, forcePathStyle: opts.env.S3_FORCE_PATH_STYLE?.toLowerCase() === "true" } : {}
  });
  try {
    const res = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key }),
      opts.signal ? { abortSignal: opts.signal } : {}
    ).catch((e) => {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new ContextError(`context ${opts.where}: ${reason(e, bucket, key)}`);
    });
    if (!res.Body) throw new ContextError(`context ${opts.where}: empty response`);
    await extractContextArchive(res.Body, {
      dir: opts.dir,
      where: opts.where,
      ...opts.log ? { log: opts.log } : {},
      ...opts.signal ? { signal: opts.signal } : {}
    });
  } finally {
    client.destroy();
  }
}
export {
  fetchS3
};

function __ktsCommonJsNamespace(face) {
  const exports = face.default;
  if (exports === null || exports === undefined) return { default: exports };
  const ns = Object.create(Object.getPrototypeOf(exports));
  for (const key of Object.getOwnPropertyNames(exports))
    Object.defineProperty(ns, key, { get: () => exports[key], enumerable: true });
  if (!exports.__esModule) Object.defineProperty(ns, 'default', { value: exports, enumerable: true });
  return ns;
}
