// https://host/path: a context tarball downloaded with undici and extracted as it arrives.
// Trust: Node's CA store plus NODE_EXTRA_CA_CERTS, and SSL_CERT_FILE when set (the variable Go
// programs such as kaniko read), so a private CA works the same way it does for kaniko.
import { readFile } from 'node:fs/promises';
import { getCACertificates } from 'node:tls';
import { Agent, interceptors, request } from 'undici';
import { ContextError } from '../build/errors.ts';
import { extractContextArchive } from './tarball.ts';

export interface FetchOptions {
  dir: string;
  /** The context for messages, credentials removed. */
  where: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** The CA certificates to trust: the default store, plus SSL_CERT_FILE's when it is set. */
export async function trustedCAs(env: NodeJS.ProcessEnv, where: string): Promise<string[] | undefined> {
  const file = env.SSL_CERT_FILE;
  if (!file) return undefined;
  const pem = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ContextError(`context ${where}: SSL_CERT_FILE ${file}: ${e.code ?? e.message}`);
  });
  return [...getCACertificates('default'), pem];
}

function statusMessage(status: number): string {
  if (status === 401 || status === 403) return `access denied (HTTP ${status})`;
  if (status === 404) return 'not found (HTTP 404)';
  return `HTTP ${status}`;
}

export async function fetchHttps(url: string, opts: FetchOptions): Promise<void> {
  const ca = await trustedCAs(opts.env, opts.where);
  const agent = new Agent(ca ? { connect: { ca } } : {});
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 10 }));
  try {
    const res = await request(url, {
      method: 'GET',
      dispatcher,
      ...(opts.signal ? { signal: opts.signal } : {}),
    }).catch((e: Error & { code?: string; cause?: Error }) => {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const why = (e.cause?.message ?? e.message).split(';')[0];
      const tls = /CERT|SIGNATURE|SELF_SIGNED|ISSUER/.test(`${e.code ?? ''} ${e.cause?.message ?? ''}`);
      const hint = tls ? ' (a private CA is trusted with SSL_CERT_FILE or NODE_EXTRA_CA_CERTS)' : '';
      throw new ContextError(`context ${opts.where}: cannot download: ${why}${hint}`);
    });
    if (res.statusCode !== 200) {
      res.body.resume();
      throw new ContextError(`context ${opts.where}: ${statusMessage(res.statusCode)}`);
    }
    await extractContextArchive(res.body, {
      dir: opts.dir,
      where: opts.where,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } finally {
    await agent.close().catch(() => undefined);
  }
}
