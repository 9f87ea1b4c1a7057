// ADD <url>: downloaded with undici into the rootfs (never extracted), --checksum verified
// before the file appears at its destination. Credentials in the URL never reach messages.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, lchown, lstat, rename, rm, utimes } from 'node:fs/promises';
import { posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { parseChmod } from './chmod.ts';
import type { CopyResult } from './copy.ts';
import { CopyError, DownloadError } from './errors.ts';
import { resolveOwner } from './owner.ts';
import { ScopedRoot } from './scoped-path.ts';

export interface AddUrlOptions {
  root: string;
  url: string;
  dest: string;
  workdir?: string;
  chown?: string;
  chmod?: string;
  /** `sha256:<hex>` (also sha384, sha512). */
  checksum?: string;
  headers?: Record<string, string>;
  /** Defaults to an agent following up to 10 redirects. */
  dispatcher?: Dispatcher;
}

function fileNameOf(url: URL): string {
  const base = posix.basename(decodeURIComponent(url.pathname));
  return base && base !== '/' && base !== '.' && base !== '..' ? base : '__unnamed__';
}

export async function addUrl(opts: AddUrlOptions): Promise<CopyResult> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new DownloadError(opts.url, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DownloadError(opts.url, 'only http and https URLs are supported');
  let expected: { algo: string; hex: string } | undefined;
  if (opts.checksum) {
    const m = /^(sha256|sha384|sha512):([0-9a-f]+)$/.exec(opts.checksum);
    if (!m) throw new CopyError(`invalid --checksum ${JSON.stringify(opts.checksum)}`);
    expected = { algo: m[1]!, hex: m[2]! };
  }
  const owner = opts.chown ? resolveOwner(opts.root, opts.chown) : { uid: 0, gid: 0 };
  const mode = opts.chmod ? parseChmod(opts.chmod)(0o600, false) : 0o600;
  const target = new ScopedRoot(opts.root);
  const written: string[] = [];
  const workdir = opts.workdir ?? '/';
  const destImage = posix.normalize(opts.dest.startsWith('/') ? opts.dest : `${workdir}/${opts.dest}`);
  const intoDir = opts.dest.endsWith('/');
  const onCreate = (image: string) => written.push(image);

  let finalImage: string;
  if (intoDir) {
    const dir = target.resolveDir(destImage, { create: true, onCreate });
    finalImage = posix.join(dir ?? destImage, fileNameOf(url));
  } else {
    const parent = target.resolveParent(destImage.replace(/\/+$/, ''), { create: true, onCreate });
    if (!parent) throw new CopyError(`cannot create the parent of ${destImage}`);
    const st = await lstat(parent.host).catch(() => undefined);
    finalImage = st?.isDirectory() ? posix.join(parent.image, fileNameOf(url)) : parent.image;
  }
  const finalHost = target.host(finalImage);
  const tmp = `${finalHost}.kts-download`;
  const agent = opts.dispatcher ? undefined : new Agent();
  const dispatcher = opts.dispatcher ?? agent!.compose(interceptors.redirect({ maxRedirections: 10 }));
  try {
    const res = await request(url, { method: 'GET', headers: opts.headers, dispatcher }).catch((e: Error) => {
      throw new DownloadError(opts.url, e.message);
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump();
      throw new DownloadError(opts.url, `HTTP ${res.statusCode}`);
    }
    const hash = createHash(expected?.algo ?? 'sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    await pipeline(res.body, tap, createWriteStream(tmp, { mode: 0o600 }));
    const got = hash.digest('hex');
    if (expected && got !== expected.hex)
      throw new DownloadError(
        opts.url,
        `checksum mismatch: expected ${expected.algo}:${expected.hex}, got ${expected.algo}:${got}`,
      );
    const existing = await lstat(finalHost).catch(() => undefined);
    if (existing?.isDirectory()) throw new CopyError(`ADD destination ${finalImage} is a directory`);
    await rename(tmp, finalHost);
    if (process.getuid?.() === 0) await lchown(finalHost, owner.uid, owner.gid);
    await chmod(finalHost, mode);
    const lastModified = res.headers['last-modified'];
    const mtime = typeof lastModified === 'string' ? Date.parse(lastModified) : Number.NaN;
    if (!Number.isNaN(mtime)) await utimes(finalHost, mtime / 1000, mtime / 1000);
    written.push(finalImage);
    return { paths: written.sort() };
  } finally {
    await rm(tmp, { force: true });
    await agent?.close();
  }
}
