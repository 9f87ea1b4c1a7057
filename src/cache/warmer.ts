// Base images kept on this machine, as kaniko's warmer does: `kaniko-ts warmer --image REF
// --cache-dir DIR` stores each image (for one platform) as an OCI layout under DIR/images, the
// manifest byte-exact so its digest (and every cache key built on it) is the registry's. A build
// whose --cache-dir holds the image uses it without asking the registry.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Image } from '../image/image.ts';
import { readOciLayout, writeOciLayout } from '../image/layout.ts';
import { pullImage } from '../image/remote.ts';
import type { Platform } from '../image/types.ts';
import type { RegistryOptions } from '../registry/options.ts';
import { parseReference } from '../registry/reference.ts';
import type { Transport } from '../registry/transport.ts';
import { expired } from './backend.ts';

interface WarmedRecord {
  reference: string;
  platform: Platform;
  digest: string;
  warmed: string;
}

function platformString(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

/** Where `ref` for `platform` lives under the cache directory. */
export function warmedPath(cacheDir: string, ref: string, platform: Platform): string {
  const name = `${parseReference(ref).toString()} ${platformString(platform)}`;
  return join(cacheDir, 'images', createHash('sha256').update(name).digest('hex'));
}

export interface WarmOptions {
  cacheDir: string;
  platform: Platform;
  registry: RegistryOptions;
  transport?: Transport;
  /** Store again even when a fresh copy is there (kaniko's --force). */
  force?: boolean;
  ttlMs?: number;
}

/** Pulls `ref` into the cache directory; returns its manifest digest and whether it was fetched. */
export async function warmImage(ref: string, o: WarmOptions): Promise<{ digest: string; fetched: boolean }> {
  const place = warmedPath(o.cacheDir, ref, o.platform);
  if (!o.force) {
    const have = await readRecord(place);
    if (have && !expired(have.warmed, o.ttlMs ?? 0)) {
      const parsed = parseReference(ref);
      // A digest reference names the same image forever; a tag is fetched again (it may have moved).
      if (parsed.digest === have.digest) return { digest: have.digest, fetched: false };
    }
  }
  const image = await pullImage(parseReference(ref), {
    platform: o.platform,
    options: o.registry,
    ...(o.transport ? { transport: o.transport } : {}),
  });
  const digest = await image.digest();
  const tmp = join(o.cacheDir, 'tmp', `warm-${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(join(o.cacheDir, 'images'), { recursive: true });
  await mkdir(tmp, { recursive: true });
  try {
    await writeOciLayout(image, tmp, undefined, { mediaTypes: 'as-is' });
    const rec: WarmedRecord = {
      reference: ref,
      platform: o.platform,
      digest,
      warmed: new Date().toISOString(),
    };
    await writeFile(join(tmp, 'warmed.json'), JSON.stringify(rec));
    // Swap directories: a build reading the old copy keeps its open files.
    const old = `${tmp}-old`;
    await rename(place, old).catch(() => undefined);
    await rename(tmp, place);
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { digest, fetched: true };
}

async function readRecord(place: string): Promise<WarmedRecord | undefined> {
  try {
    return JSON.parse(await readFile(join(place, 'warmed.json'), 'utf8')) as WarmedRecord;
  } catch {
    return undefined;
  }
}

/** The warmed copy of `ref` for `platform`, unless absent or older than `ttlMs` (0: no limit). */
export async function findWarmed(
  cacheDir: string,
  ref: string,
  platform: Platform,
  ttlMs = 0,
): Promise<Image | undefined> {
  const place = warmedPath(cacheDir, ref, platform);
  if (!existsSync(place)) return undefined;
  const rec = await readRecord(place);
  if (!rec || expired(rec.warmed, ttlMs)) return undefined;
  const st = await stat(join(place, 'index.json')).catch(() => undefined);
  if (!st) return undefined;
  const image = await readOciLayout(place);
  return (await image.digest()) === rec.digest ? image : undefined;
}
