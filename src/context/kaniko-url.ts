// kaniko's --context syntax → what to fetch. Pure parsing: no I/O, the environment is passed in.
//
//   /path, dir:///path                 a local directory
//   tar://path.tar.gz, tar://stdin     an archive file, or standard input (gzip, zstd or plain tar)
//   git://host/repo.git#REF#COMMIT     git over GIT_PULL_METHOD (https by default; http; and, as a
//                                      kaniko-ts extension, git for `git daemon`)
//   https://host/repo.git#REF#COMMIT   git over https (kaniko-ts extension: a URL ending in .git)
//   https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB   Azure Blob Storage
//   https://host/path                  a tarball over https
//   gs://BUCKET/OBJECT, s3://BUCKET/KEY                    cloud storage (default object context.tar.gz)

import { ContextError } from '../build/errors.ts';

export type ContextSpec =
  | { kind: 'dir'; path: string }
  | { kind: 'tar'; path: string }
  | { kind: 'stdin' }
  | GitSpec
  | { kind: 'https'; url: string }
  | { kind: 'gcs'; bucket: string; object: string }
  | { kind: 's3'; bucket: string; key: string }
  | AzureSpec;

export interface AzureSpec {
  kind: 'azure';
  /** The blob's URL without query. */
  url: string;
  account: string;
  container: string;
  blob: string;
  /** A shared access signature given as the URL's query (`?sv=…&sig=…`). */
  sas?: string;
}

export interface GitSpec {
  kind: 'git';
  /** Repository URL to fetch, without credentials. */
  url: string;
  /** Credentials that were written in the URL (`https://user:token@host/...`), moved out of it. */
  userinfo?: { username: string; password: string };
  /** The first `#` part: a ref (`refs/heads/main`, `refs/pull/1/head`) or a commit hash. */
  ref?: string;
  /** The second `#` part: a commit to check out after fetching `ref`. */
  commit?: string;
}

/** The --git flag: `branch=…,single-branch=…,recurse-submodules=…,insecure-skip-tls=…`. */
export interface GitOptions {
  branch?: string;
  singleBranch: boolean;
  recurseSubmodules: boolean;
  insecureSkipTLS: boolean;
}

/** kaniko's list of Azure clouds' blob hosts. */
const AZURE_BLOB_HOST =
  /^([a-z0-9]+)\.blob\.core\.(windows\.net|chinacloudapi\.cn|cloudapi\.de|usgovcloudapi\.net)$/i;

const GIT_PULL_METHODS = new Set(['https', 'http', 'git']);

export const DEFAULT_BUCKET_OBJECT = 'context.tar.gz';

/**
 * A context for messages: user information and the query (presigned URLs and SAS tokens carry
 * their signatures there) are replaced by `***`.
 */
export function redactContext(context: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(context)) return context;
  return context.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@#?]*@/i, '$1***@').replace(/\?[^#]*/, '?***');
}

export function parseContext(context: string, env: NodeJS.ProcessEnv = process.env): ContextSpec {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(context);
  if (!m) return { kind: 'dir', path: context };
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  const shown = redactContext(context);
  switch (scheme) {
    case 'dir':
      if (!rest) throw new ContextError(`context ${shown}: no directory after dir://`);
      return { kind: 'dir', path: rest };
    case 'tar':
      if (!rest) throw new ContextError(`context ${shown}: no file after tar:// (a path, or stdin)`);
      return rest === 'stdin' ? { kind: 'stdin' } : { kind: 'tar', path: rest };
    case 'git': {
      const method =
        env.GIT_PULL_METHOD && GIT_PULL_METHODS.has(env.GIT_PULL_METHOD) ? env.GIT_PULL_METHOD : 'https';
      return gitSpec(`${method}://${rest}`, shown);
    }
    case 'gs': {
      const { bucket, path } = bucketUrl(context, shown);
      return { kind: 'gcs', bucket, object: path };
    }
    case 's3': {
      const { bucket, path } = bucketUrl(context, shown);
      return { kind: 's3', bucket, key: path };
    }
    case 'https': {
      const hashAt = context.indexOf('#');
      const base = hashAt < 0 ? context : context.slice(0, hashAt);
      let url: URL;
      try {
        url = new URL(base);
      } catch {
        throw new ContextError(`context ${shown}: not a valid URL`);
      }
      // kaniko's order: an Azure Blob host first, then (kaniko-ts) a .git URL, else a tarball.
      const azure = AZURE_BLOB_HOST.exec(url.hostname);
      if (azure && hashAt < 0) {
        const parts = url.pathname.slice(1).split('/');
        const container = decodeURIComponent(parts[0] ?? '');
        const blob = parts.slice(1).map(decodeURIComponent).join('/');
        if (!container || !blob)
          throw new ContextError(`context ${shown}: an Azure Blob URL needs /CONTAINER/BLOB`);
        const spec: ContextSpec = {
          kind: 'azure',
          url: `${url.origin}${url.pathname}`,
          account: azure[1]!,
          container,
          blob,
        };
        if (url.search) spec.sas = url.search;
        return spec;
      }
      if (url.pathname.endsWith('.git') || url.pathname.endsWith('.git/')) return gitSpec(context, shown);
      if (hashAt >= 0) throw new ContextError(`context ${shown}: a #fragment is only for git URLs (.git)`);
      return { kind: 'https', url: url.href };
    }
    default:
      throw new ContextError(
        `context ${shown}: unknown scheme ${scheme}:// (use a directory, dir://, tar://, git://, https://, gs://, s3://)`,
      );
  }
}

function bucketUrl(context: string, shown: string): { bucket: string; path: string } {
  let url: URL;
  try {
    url = new URL(context);
  } catch {
    throw new ContextError(`context ${shown}: not a valid bucket URL`);
  }
  if (!url.hostname) throw new ContextError(`context ${shown}: no bucket name`);
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return { bucket: url.hostname, path: path || DEFAULT_BUCKET_OBJECT };
}

function gitSpec(full: string, shown: string): GitSpec {
  const [base = '', ref, commit, ...extra] = full.split('#');
  if (extra.length > 0) throw new ContextError(`context ${shown}: at most two # parts (ref and commit)`);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new ContextError(`context ${shown}: not a valid git URL`);
  }
  if (!url.hostname) throw new ContextError(`context ${shown}: no host in the git URL`);
  const spec: GitSpec = { kind: 'git', url: '' };
  if (url.username || url.password) {
    spec.userinfo = {
      username: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    url.username = '';
    url.password = '';
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

/** A full commit hash (SHA-1 or SHA-256), which kaniko fetches and checks out instead of a ref. */
export function isCommitHash(s: string): boolean {
  return /^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(s);
}

function bool(key: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === '1' || v === 't') return true;
  if (v === 'false' || v === '0' || v === 'f' || v === '') return false;
  throw new ContextError(`--git ${key}=${value}: not true or false`);
}

export function parseGitOptions(raw: string | undefined): GitOptions {
  const out: GitOptions = { singleBranch: false, recurseSubmodules: false, insecureSkipTLS: false };
  if (!raw) return out;
  for (const part of raw.split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new ContextError(`--git ${part}: expected key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    switch (key) {
      case 'branch':
        if (value) out.branch = value;
        break;
      case 'single-branch':
        out.singleBranch = bool(key, value);
        break;
      case 'recurse-submodules':
        out.recurseSubmodules = bool(key, value);
        break;
      case 'insecure-skip-tls':
        out.insecureSkipTLS = bool(key, value);
        break;
      default:
        throw new ContextError(
          `--git ${key}: unknown option (branch, single-branch, recurse-submodules, insecure-skip-tls)`,
        );
    }
  }
  return out;
}
