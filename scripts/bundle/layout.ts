// The rest of the /kaniko tree and the image around it: CA bundle, docker config dir, marker,
// optional busybox, and the image config the executor image is built with.
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './run.ts';

/** Tells the builder it runs inside its own executor image (in-place mode may be chosen). */
export const MARKER_NAME = '.kaniko-ts-executor';
/** Node reads no OpenSSL config from the build root; this one is empty and may be customised. */
export const OPENSSL_CONFIG = 'ssl/openssl.cnf';

export async function writeKanikoFiles(
  kanikoDir: string,
  opts: { caBundle: string; version: string },
): Promise<void> {
  const certs = join(kanikoDir, 'ssl', 'certs');
  await mkdir(certs, { recursive: true });
  await copyFile(opts.caBundle, join(certs, 'ca-certificates.crt'));
  await chmod(join(certs, 'ca-certificates.crt'), 0o644);
  await writeFile(
    join(kanikoDir, OPENSSL_CONFIG),
    '# OpenSSL configuration of /kaniko/executor (empty: the defaults of Node 24).\n',
  );
  await mkdir(join(kanikoDir, '.docker'), { recursive: true });
  await writeFile(join(kanikoDir, MARKER_NAME), `kaniko-ts ${opts.version}\n`);
}

/** A static busybox at dir/busybox with a symlink per applet, as kaniko's :debug image has. */
export async function writeBusybox(dir: string, busybox: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await copyFile(busybox, join(dir, 'busybox'));
  await chmod(join(dir, 'busybox'), 0o755);
  const applets = (await runTool(busybox, ['--list'])).split('\n').filter((a) => a !== '' && a !== 'busybox');
  for (const applet of applets) await symlink('busybox', join(dir, applet));
}

export interface ImageConfig {
  architecture: string;
  os: 'linux';
  config: { Entrypoint: string[]; Env: string[]; WorkingDir: string };
}

/** The OCI image config of the executor image: kaniko's entrypoint, env and working dir. */
export function executorImageConfig(opts: { debug: boolean; arch: string }): ImageConfig {
  return {
    architecture: opts.arch === 'x64' ? 'amd64' : opts.arch,
    os: 'linux',
    config: {
      Entrypoint: ['/kaniko/executor'],
      Env: [
        opts.debug ? 'PATH=/usr/local/bin:/kaniko:/busybox' : 'PATH=/usr/local/bin:/kaniko',
        'HOME=/root',
        'USER=root',
        'SSL_CERT_DIR=/kaniko/ssl/certs',
        'DOCKER_CONFIG=/kaniko/.docker/',
      ],
      WorkingDir: '/workspace',
    },
  };
}
