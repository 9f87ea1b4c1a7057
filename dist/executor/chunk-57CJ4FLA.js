const require = process.getBuiltinModule('node:module').createRequire(process.execPath);
import {
  ContextError
} from "./chunk-NLAINIXL.js";

// src/context/kaniko-url.ts
var AZURE_BLOB_HOST = /^([a-z0-9]+)\.blob\.core\.(windows\.net|chinacloudapi\.cn|cloudapi\.de|usgovcloudapi\.net)$/i;
var GIT_PULL_METHODS = /* @__PURE__ */ new Set(["https", "http", "git"]);
var DEFAULT_BUCKET_OBJECT = "context.tar.gz";
function redactContext(context) {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(context)) return context;
  return context.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@#?]*@/i, "$1***@").replace(/\?[^#]*/, "?***");
}
function parseContext(context, env = process.env) {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(context);
  if (!m) return { kind: "dir", path: context };
  const scheme = m[1].toLowerCase();
  const rest = m[2];
  const shown = redactContext(context);
  switch (scheme) {
    case "dir":
      if (!rest) throw new ContextError(`context ${shown}: no directory after dir://`);
      return { kind: "dir", path: rest };
    case "tar":
      if (!rest) throw new ContextError(`context ${shown}: no file after tar:// (a path, or stdin)`);
      return rest === "stdin" ? { kind: "stdin" } : { kind: "tar", path: rest };
    case "git": {
      const method = env.GIT_PULL_METHOD && GIT_PULL_METHODS.has(env.GIT_PULL_METHOD) ? env.GIT_PULL_METHOD : "https";
      return gitSpec(`${method}://${rest}`, shown);
    }
    case "gs": {
      const { bucket, path } = bucketUrl(context, shown);
      return { kind: "gcs", bucket, object: path };
    }
    case "s3": {
      const { bucket, path } = bucketUrl(context, shown);
      return { kind: "s3", bucket, key: path };
    }
    case "https": {
      const hashAt = context.indexOf("#");
      const base = hashAt < 0 ? context : context.slice(0, hashAt);
      let url;
      try {
        url = new URL(base);
      } catch {
        throw new ContextError(`context ${shown}: not a valid URL`);
      }
      const azure = AZURE_BLOB_HOST.exec(url.hostname);
      if (azure && hashAt < 0) {
        const parts = url.pathname.slice(1).split("/");
        const container = decodeURIComponent(parts[0] ?? "");
        const blob = parts.slice(1).map(decodeURIComponent).join("/");
        if (!container || !blob)
          throw new ContextError(`context ${shown}: an Azure Blob URL needs /CONTAINER/BLOB`);
        const spec = {
          kind: "azure",
          url: `${url.origin}${url.pathname}`,
          account: azure[1],
          container,
          blob
        };
        if (url.search) spec.sas = url.search;
        return spec;
      }
      if (url.pathname.endsWith(".git") || url.pathname.endsWith(".git/")) return gitSpec(context, shown);
      if (hashAt >= 0) throw new ContextError(`context ${shown}: a #fragment is only for git URLs (.git)`);
      return { kind: "https", url: url.href };
    }
    default:
      throw new ContextError(
        `context ${shown}: unknown scheme ${scheme}:// (use a directory, dir://, tar://, git://, https://, gs://, s3://)`
      );
  }
}
function bucketUrl(context, shown) {
  let url;
  try {
    url = new URL(context);
  } catch {
    throw new ContextError(`context ${shown}: not a valid bucket URL`);
  }
  if (!url.hostname) throw new ContextError(`context ${shown}: no bucket name`);
  const path = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return { bucket: url.hostname, path: path || DEFAULT_BUCKET_OBJECT };
}
function gitSpec(full, shown) {
  const [base = "", ref, commit, ...extra] = full.split("#");
  if (extra.length > 0) throw new ContextError(`context ${shown}: at most two # parts (ref and commit)`);
  let url;
  try {
    url = new URL(base);
  } catch {
    throw new ContextError(`context ${shown}: not a valid git URL`);
  }
  if (!url.hostname) throw new ContextError(`context ${shown}: no host in the git URL`);
  const spec = { kind: "git", url: "" };
  if (url.username || url.password) {
    spec.userinfo = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password)
    };
    url.username = "";
    url.password = "";
  }
  spec.url = url.href;
  if (ref) spec.ref = ref;
  if (commit) {
    if (!/^[0-9a-f]{4,64}$/i.test(commit))
      throw new ContextError(`context ${shown}: ${commit} is not a commit hash`);
    spec.commit = commit;
  }
  return spec;
}
function isCommitHash(s) {
  return /^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(s);
}
function bool(key, value) {
  const v = value.toLowerCase();
  if (v === "true" || v === "1" || v === "t") return true;
  if (v === "false" || v === "0" || v === "f" || v === "") return false;
  throw new ContextError(`--git ${key}=${value}: not true or false`);
}
function parseGitOptions(raw) {
  const out = { singleBranch: false, recurseSubmodules: false, insecureSkipTLS: false };
  if (!raw) return out;
  for (const part of raw.split(",")) {
    if (!part.trim()) continue;
    const eq = part.indexOf("=");
    if (eq < 0) throw new ContextError(`--git ${part}: expected key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    switch (key) {
      case "branch":
        if (value) out.branch = value;
        break;
      case "single-branch":
        out.singleBranch = bool(key, value);
        break;
      case "recurse-submodules":
        out.recurseSubmodules = bool(key, value);
        break;
      case "insecure-skip-tls":
        out.insecureSkipTLS = bool(key, value);
        break;
      default:
        throw new ContextError(
          `--git ${key}: unknown option (branch, single-branch, recurse-submodules, insecure-skip-tls)`
        );
    }
  }
  return out;
}

export {
  redactContext,
  parseContext,
  isCommitHash,
  parseGitOptions
};
