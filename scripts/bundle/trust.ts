// Which CA certificates the bundled executor trusts, the way kaniko's Go binary finds them:
// every PEM certificate in SSL_CERT_FILE and in each directory of SSL_CERT_DIR (default
// <kaniko dir>/ssl/certs, where Debian's bundle sits and where kaniko users append or mount
// their own CAs), on top of Node's default store. Runs inside the executor, so it reads
// only what it is pointed at and never the (possibly replaced) /etc/ssl of the build root.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface TrustSources {
  /** Files read whole (SSL_CERT_FILE). */
  files: string[];
  /** Directories whose regular files are all read (SSL_CERT_DIR, colon-separated). */
  dirs: string[];
}

/** Where to look, from the environment and the directory that holds the executor. */
export function trustSources(env: NodeJS.ProcessEnv, kanikoDir: string): TrustSources {
  const files = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : [];
  const dirs = env.SSL_CERT_DIR
    ? env.SSL_CERT_DIR.split(':').filter((d) => d !== '')
    : [join(kanikoDir, 'ssl', 'certs')];
  return { files, dirs };
}

function readIfFile(path: string): string {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'latin1') : '';
  } catch {
    return '';
  }
}

/** PEM certificates found in the sources, each once, in a stable order. Missing paths are skipped. */
export function readTrustedCertificates(sources: TrustSources): string[] {
  const texts = sources.files.map(readIfFile);
  for (const dir of sources.dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) texts.push(readIfFile(join(dir, name)));
  }
  const certs = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(PEM_CERT)) certs.add(m[0]);
  return [...certs];
}

/** A certificate's identity: its base64 body, whatever the PEM's line breaks and labels. */
const certificateKey = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s+/g, '');

/** The certificates of `extra` that `current` does not hold already, each once. */
export function certificatesToAdd(current: readonly string[], extra: readonly string[]): string[] {
  const have = new Set(current.map(certificateKey));
  const added: string[] = [];
  for (const pem of extra) {
    const key = certificateKey(pem);
    if (have.has(key)) continue;
    have.add(key);
    added.push(pem);
  }
  return added;
}

/**
 * Adds the certificates found to Node's default store (its bundled Mozilla store plus
 * NODE_EXTRA_CA_CERTS) for every TLS connection of the process (undici's fetch included). Returns
 * how many were not there already. Debian's bundle is mostly Mozilla's store again: only what is
 * new is added, and when nothing is, the store is left as it is (parsing some 400 certificates
 * again cost every start of the executor 30–50 ms).
 */
export function installTrust(sources: TrustSources): number {
  const extra = readTrustedCertificates(sources);
  if (extra.length === 0) return 0;
  const current = tls.getCACertificates('default');
  const added = certificatesToAdd(current, extra);
  if (added.length > 0) tls.setDefaultCACertificates([...current, ...added]);
  return added.length;
}
