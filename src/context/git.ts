// git contexts with Debian's git binary, spawned without a shell. The repository is fetched into
// an empty directory (only the ref asked for; the whole history of it only when a commit must be
// checked out), then checked out detached, like kaniko's clone. Credentials (GIT_USERNAME and
// GIT_PASSWORD, GIT_TOKEN, or user:password written in the URL) reach git as an http.extraHeader
// for that one origin through GIT_CONFIG_COUNT/KEY/VALUE: never on a command line, never in a
// message. git never prompts.
import { spawn } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ContextError } from '../build/errors.ts';
import { type GitOptions, type GitSpec, isCommitHash } from './kaniko-url.ts';

export interface GitFetchOptions {
  dir: string;
  /** The context for messages, credentials removed. */
  where: string;
  git: GitOptions;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** kaniko's rule: GIT_TOKEN alone is the user name; else GIT_USERNAME/GIT_PASSWORD; else the URL's. */
export function gitCredentials(
  spec: GitSpec,
  env: NodeJS.ProcessEnv,
): { username: string; password: string } | undefined {
  if (env.GIT_TOKEN) return { username: env.GIT_TOKEN, password: '' };
  if (env.GIT_USERNAME || env.GIT_PASSWORD)
    return { username: env.GIT_USERNAME ?? '', password: env.GIT_PASSWORD ?? '' };
  return spec.userinfo;
}

/** The environment git runs with: no prompts, no user or system config surprises, auth by env. */
export function gitEnv(spec: GitSpec, opts: Pick<GitFetchOptions, 'env' | 'git'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...opts.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'true',
    SSH_ASKPASS: 'true',
  };
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  // Packs are kept whole (so their size tells what was fetched); file:// submodules are refused.
  const config: [string, string][] = [
    ['protocol.file.allow', 'never'],
    ['fetch.unpackLimit', '1'],
  ];
  const creds = gitCredentials(spec, opts.env);
  const url = new URL(spec.url);
  if (creds && (url.protocol === 'https:' || url.protocol === 'http:')) {
    const basic = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    config.push([`http.${url.origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  if (opts.git.insecureSkipTLS) env.GIT_SSL_NO_VERIFY = 'true';
  else if (opts.env.SSL_CERT_FILE && !opts.env.GIT_SSL_CAINFO) env.GIT_SSL_CAINFO = opts.env.SSL_CERT_FILE;
  const base = Number(opts.env.GIT_CONFIG_COUNT ?? 0) || 0;
  config.forEach(([k, v], i) => {
    env[`GIT_CONFIG_KEY_${base + i}`] = k;
    env[`GIT_CONFIG_VALUE_${base + i}`] = v;
  });
  env.GIT_CONFIG_COUNT = String(base + config.length);
  return env;
}

function runGit(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
  onStderr?: (text: string) => void,
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      if (stdout.length < 1 << 20) stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      const text = b.toString();
      onStderr?.(text);
      // The end matters (git's fatal line comes last), progress noise before it does not.
      stderr = (stderr + text).slice(-64 * 1024);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
  });
}

/** The one line of git's complaint worth showing, with anything secret taken out. */
function gitComplaint(stderr: string, secrets: string[]): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter(Boolean);
  let line =
    lines.find((l) => /^fatal:/.test(l)) ??
    lines.find((l) => /^error:/.test(l)) ??
    lines.at(-1) ??
    'git failed';
  line = line.replace(/^(fatal|error): /, '');
  for (const s of secrets) if (s) line = line.split(s).join('***');
  return line.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}

const UNITS: Record<string, number> = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const PROGRESS_EVERY = 16 * 1024 * 1024;

/** Turns git's `Receiving objects: 40% (…), 12.50 MiB | …` updates into a line every 16 MiB. */
export function fetchProgress(where: string, log: (line: string) => void): (text: string) => void {
  let next = PROGRESS_EVERY;
  return (text) => {
    let bytes: number | undefined;
    for (const m of text.matchAll(/Receiving objects:[^,\r\n]*, ([\d.]+) (bytes|KiB|MiB|GiB)/g))
      bytes = Number(m[1]) * (UNITS[m[2]!] ?? 1);
    if (bytes === undefined || bytes < next) return;
    log(`context ${where}: fetched ${(bytes / 1024 ** 2).toFixed(1)} MiB of git objects`);
    while (next <= bytes) next += PROGRESS_EVERY;
  };
}

async function packBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(
    names.map((n) =>
      stat(join(dir, n)).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export async function fetchGit(spec: GitSpec, opts: GitFetchOptions): Promise<void> {
  const env = gitEnv(spec, opts);
  const creds = gitCredentials(spec, opts.env);
  // The user name is no secret unless it is a token; very short values would mangle the message.
  const secrets = (
    creds
      ? [
          creds.password,
          Buffer.from(`${creds.username}:${creds.password}`).toString('base64'),
          opts.env.GIT_TOKEN ?? '',
        ]
      : []
  ).filter((s) => s.length >= 4);
  const fail = (what: string, r: GitRun): never => {
    const detail = gitComplaint(r.stderr, secrets);
    if (
      /couldn't find remote ref|not our ref|no such remote ref|unadvertised object|bad object|reference is not a tree|did not match any|unknown revision/i.test(
        r.stderr,
      )
    )
      throw new ContextError(`context ${opts.where}: git ${what} not found (${detail})`);
    if (/Authentication failed|could not read Username|HTTP 40[13]|returned error: 40[13]/i.test(r.stderr))
      throw new ContextError(`context ${opts.where}: git authentication failed (${detail})`);
    throw new ContextError(`context ${opts.where}: git ${what}: ${detail}`);
  };
  const git = async (args: string[], what: string, onStderr?: (text: string) => void): Promise<GitRun> => {
    const r = await runGit(args, opts.dir, env, opts.signal, onStderr).catch((e: NodeJS.ErrnoException) => {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new ContextError(`context ${opts.where}: cannot run git: ${e.code ?? e.message}`);
    });
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (r.code !== 0) fail(what, r);
    return r;
  };

  await mkdir(opts.dir, { recursive: true });
  await git(['init', '--quiet'], 'init');
  // The origin a clone would have (spec.url holds no credentials): git resolves relative submodule
  // URLs (`../lib.git`) against it, as go-git does for kaniko; without it they become local paths.
  await git(['config', 'remote.origin.url', spec.url], 'config');

  // What to fetch. --git branch= wins, as in kaniko: a branch of that name, else a tag.
  let ref = spec.ref;
  let checkout = spec.commit;
  if (opts.git.branch) {
    const name = opts.git.branch;
    const r = await git(['ls-remote', '--heads', '--tags', '--', spec.url], 'ls-remote');
    const names = new Set(r.stdout.split('\n').map((l) => l.split('\t')[1]));
    if (names.has(`refs/heads/${name}`)) ref = `refs/heads/${name}`;
    else if (names.has(`refs/tags/${name}`)) ref = `refs/tags/${name}`;
    else throw new ContextError(`context ${opts.where}: git branch ${name} not found`);
  }
  if (ref && isCommitHash(ref) && !checkout) {
    checkout = ref;
    ref = undefined;
  }
  // Only a commit that is not the ref's tip needs history; a ref alone is fetched shallow.
  const depth = checkout ? [] : ['--depth=1'];
  const refspec = ref ? `+${ref}:refs/kaniko-ts/context` : '+HEAD:refs/kaniko-ts/context';
  const progress = opts.log ? ['--progress'] : ['--quiet'];
  const fetchArgs = ['fetch', ...progress, '--no-tags', ...depth, '--', spec.url, refspec];
  if (checkout && !ref) {
    // A bare commit: every branch and tag, then the commit among them.
    fetchArgs.splice(
      fetchArgs.indexOf(refspec),
      1,
      '+refs/heads/*:refs/kaniko-ts/heads/*',
      '+refs/tags/*:refs/tags/*',
    );
  }
  opts.log?.(`context ${opts.where}: git fetch ${ref ?? (checkout ? 'all branches' : 'HEAD')}`);
  await git(
    fetchArgs,
    ref ? `ref ${ref}` : 'fetch',
    opts.log ? fetchProgress(opts.where, opts.log) : undefined,
  );
  await git(
    [
      '-c',
      'advice.detachedHead=false',
      'checkout',
      '--quiet',
      '--detach',
      checkout ?? 'refs/kaniko-ts/context',
      '--',
    ],
    checkout ? `commit ${checkout}` : 'checkout',
  );
  if (opts.git.recurseSubmodules) {
    await git(['submodule', 'update', '--init', '--recursive'], 'submodules');
  }
  const head = await git(['rev-parse', 'HEAD'], 'rev-parse');
  const bytes = await packBytes(join(opts.dir, '.git', 'objects', 'pack'));
  opts.log?.(`context ${opts.where}: fetched ${bytes} bytes of git objects, at commit ${head.stdout.trim()}`);
}
