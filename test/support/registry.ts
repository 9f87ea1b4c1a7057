// A real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1 with a free port and
// its own storage, one per test file. Variants: htpasswd basic auth, TLS with a test CA, and
// token auth (the caller passes the token server's realm, issuer, service and signing cert).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { type Daemon, startDaemon } from './daemon.ts';
import { run } from './exec.ts';
import { freePort } from './ports.ts';
import { makeTestCA, type TestCA } from './tls.ts';

export interface RegistryOptions {
  /** Basic auth with one user. */
  htpasswd?: { username: string; password: string };
  /** Serve HTTPS with a certificate from a CA made for this registry. */
  tls?: boolean;
  /** Bearer token auth: distribution's `auth: token` settings. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

export interface TestRegistry {
  /** host:port, as used in image references. */
  readonly host: string;
  readonly port: number;
  /** http(s)://host:port */
  readonly url: string;
  readonly storageDir: string;
  readonly ca?: TestCA;
  stop(): Promise<void>;
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'kts-registry-'));
  const storageDir = join(dir, 'storage');
  const ca = opts.tls ? await makeTestCA() : undefined;
  const auth: Record<string, unknown> = {};
  if (opts.htpasswd) {
    const { stdout } = await run('htpasswd', ['-Bbn', opts.htpasswd.username, opts.htpasswd.password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    auth.htpasswd = { realm: 'kaniko-ts-test', path: join(dir, 'htpasswd') };
  }
  if (opts.token) {
    auth.token = {
      realm: opts.token.realm,
      service: opts.token.service,
      issuer: opts.token.issuer,
      rootcertbundle: opts.token.rootCertBundle,
    };
  }
  // Losing the free-port race to another test file is possible; try a few ports.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = {
      version: 0.1,
      log: { level: 'info', formatter: 'text', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true } },
      http: {
        addr: `127.0.0.1:${port}`,
        ...(ca ? { tls: { certificate: ca.serverCert, key: ca.serverKey } } : {}),
      },
      ...(Object.keys(auth).length > 0 ? { auth } : {}),
    };
    const configPath = join(dir, 'config.yml');
    await writeFile(configPath, dump(config));
    let daemon: Daemon;
    try {
      daemon = await startDaemon('docker-registry', ['serve', configPath], {
        ready: /listening on 127\.0\.0\.1:\d+/,
      });
    } catch (e) {
      if (attempt < 4 && /address already in use/.test(String(e))) continue;
      throw e;
    }
    const host = `127.0.0.1:${port}`;
    return {
      host,
      port,
      url: `${ca ? 'https' : 'http'}://${host}`,
      storageDir,
      ...(ca ? { ca } : {}),
      async stop() {
        await daemon.stop();
        await rm(dir, { recursive: true, force: true });
        if (ca) await rm(ca.dir, { recursive: true, force: true });
      },
    };
  }
}
