// A throwaway CA and a server certificate for 127.0.0.1/localhost, made with openssl at test time.
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.ts';

export interface TestCA {
  dir: string;
  caCert: string;
  /** A directory holding only ca.crt, in the layout skopeo and docker expect for --cert-dir. */
  certDir: string;
  serverCert: string;
  serverKey: string;
}

export async function makeTestCA(): Promise<TestCA> {
  const dir = await mkdtemp(join(tmpdir(), 'kts-ca-'));
  const p = (n: string) => join(dir, n);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=kaniko-ts test CA',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    p('server.key'),
    '-out',
    p('server.csr'),
  ]);
  await writeFile(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    p('ext.cnf'),
    '-out',
    p('server.crt'),
  ]);
  const certDir = p('certs');
  await mkdir(certDir);
  await copyFile(p('ca.crt'), join(certDir, 'ca.crt'));
  return { dir, certDir, caCert: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key') };
}
