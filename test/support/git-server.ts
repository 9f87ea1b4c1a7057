// Git servers on 127.0.0.1 for context tests: `git daemon` (git://) and smart HTTP (Debian's
// `git http-backend` run as a CGI program behind a small node server, with optional basic auth).
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { type Daemon, startDaemon } from './daemon.ts';
import { freePort } from './ports.ts';
import type { TestCA } from './tls.ts';

const execFileAsync = promisify(execFile);
const FIXED_DATE = '2020-01-01T00:00:00Z';

function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'kaniko-ts test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'kaniko-ts test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

export async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: gitEnv() });
  return stdout.trim();
}

/** Commits `files` (path → content) on `branch` of the work tree `work`, returns the commit. */
export async function commitFiles(
  work: string,
  branch: string,
  files: Record<string, string>,
): Promise<string> {
  await mkdir(work, { recursive: true });
  await git(['init', '--quiet', '--initial-branch=main'], work).catch(() => undefined);
  const branches = await git(['branch', '--list', branch], work);
  const hasCommits = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], work).then(
    () => true,
    () => false,
  );
  if (hasCommits) await git(['checkout', '--quiet', ...(branches ? [] : ['-b']), branch], work);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content, { mode: 0o644 });
  }
  await git(['add', '--all'], work);
  await git(['commit', '--quiet', '-m', `files on ${branch}`], work);
  return git(['rev-parse', 'HEAD'], work);
}

/**
 * Commits `files` and, as gitlinks with their .gitmodules entries, `submodules` (path → URL and
 * commit) on main of a new work tree `work`; returns the commit. The submodules are recorded
 * without being cloned, so their URLs need only be reachable by whoever checks them out.
 */
export async function commitWithSubmodules(
  work: string,
  files: Record<string, string>,
  submodules: Record<string, { url: string; commit: string }>,
): Promise<string> {
  await mkdir(work, { recursive: true });
  await git(['init', '--quiet', '--initial-branch=main'], work);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content, { mode: 0o644 });
  }
  await git(['add', '--all'], work);
  for (const [path, { url, commit }] of Object.entries(submodules)) {
    await git(['config', '--file', '.gitmodules', `submodule.${path}.path`, path], work);
    await git(['config', '--file', '.gitmodules', `submodule.${path}.url`, url], work);
    await git(['update-index', '--add', '--cacheinfo', `160000,${commit},${path}`], work);
  }
  await git(['add', '.gitmodules'], work);
  await git(['commit', '--quiet', '-m', 'files and submodules'], work);
  return git(['rev-parse', 'HEAD'], work);
}

/** A bare copy of `work` at `<root>/<name>`, as the servers below publish it. */
export async function publishBare(work: string, root: string, name: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await git(['clone', '--quiet', '--bare', work, join(root, name)], root);
  await git(['symbolic-ref', 'HEAD', 'refs/heads/main'], join(root, name));
  // Clients of the dumb protocol and some servers read this; harmless for smart ones.
  await git(['update-server-info'], join(root, name));
}

export interface GitDaemon {
  /** git://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

/** `git daemon` exporting every repository under `root`. */
export async function startGitDaemon(root: string): Promise<GitDaemon> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    let d: Daemon;
    try {
      d = await startDaemon(
        'git',
        [
          'daemon',
          '--reuseaddr',
          '--verbose',
          '--export-all',
          '--informative-errors',
          `--base-path=${root}`,
          '--listen=127.0.0.1',
          `--port=${port}`,
          root,
        ],
        { ready: /Ready to rumble/, env: gitEnv() },
      );
    } catch (e) {
      if (attempt < 3) continue;
      throw e;
    }
    return { url: `git://127.0.0.1:${port}`, stop: () => d.stop() };
  }
}

export interface GitHttpServer {
  /** http(s)://127.0.0.1:PORT */
  url: string;
  /** Authorization headers the server received (to check credentials were sent). */
  authorizations: string[];
  stop(): Promise<void>;
}

/**
 * Smart HTTP: every request runs `git http-backend` as CGI, after basic auth when configured;
 * HTTPS with the test CA's server certificate when `tls` is given.
 */
export async function startGitHttp(
  root: string,
  auth?: { username: string; password: string },
  tls?: TestCA,
): Promise<GitHttpServer> {
  const authorizations: string[] = [];
  const expected = auth
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : undefined;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('unauthorized\n');
      req.resume();
      return;
    }
    const u = new URL(req.url ?? '/', 'http://localhost');
    const env: NodeJS.ProcessEnv = {
      ...gitEnv(),
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(u.pathname),
      QUERY_STRING: u.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
      ...(auth ? { REMOTE_USER: auth.username } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    };
    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => {
      if (!headersDone) res.writeHead(500).end('http-backend failed\n');
      else res.end();
    });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: await readFile(tls.serverCert), key: await readFile(tls.serverKey) }, handler)
    : createServer(handler);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      if (a && typeof a === 'object') resolve(a.port);
      else reject(new Error('no address'));
    });
  });
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    authorizations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
