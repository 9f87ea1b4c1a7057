// The distribution API for one repository: manifests (GET/HEAD/PUT, index platform selection,
// schema1 refused), blobs (HEAD, streamed GET verified while streaming with Range resume),
// uploads (monolithic or chunked, cross-repository mount, HEAD first) and referrers.
import { Readable } from 'node:stream';
import {
  type Descriptor,
  type Index,
  isIndexMediaType,
  isSchema1,
  MediaType,
  type Platform,
} from '../image/types.ts';
import { countStreamed, noteStreamed } from '../memory/streamed-bytes.ts';
import { repositoryScope } from './auth/challenge.ts';
import { digestOf, hasherFor, hexOf } from './digest.ts';
import { RegistryError } from './errors.ts';
import type { Direction } from './options.ts';
import { header, type RegistryRequest, type Transport } from './transport.ts';

/** A repository in a registry. */
export interface Repo {
  registry: string;
  repository: string;
}

export const MANIFEST_ACCEPT = [
  MediaType.ociManifest,
  MediaType.ociIndex,
  MediaType.dockerManifest,
  MediaType.dockerManifestList,
].join(', ');

export interface FetchedManifest {
  raw: Buffer;
  mediaType: string;
  digest: string;
}

function pullScopes(repo: Repo): string[] {
  return [repositoryScope(repo.repository, ['pull'])];
}
function pushScopes(repo: Repo): string[] {
  return [repositoryScope(repo.repository, ['pull', 'push'])];
}

function base(repo: Repo, direction: Direction, digest?: string) {
  return {
    registry: repo.registry,
    repository: repo.repository,
    ...(digest ? { digest } : {}),
    direction,
    scopes: direction === 'push' ? pushScopes(repo) : pullScopes(repo),
  } satisfies Partial<RegistryRequest>;
}

function mediaTypeOf(raw: Buffer, contentType: string | undefined): string {
  try {
    const j = JSON.parse(raw.toString('utf8')) as {
      mediaType?: string;
      schemaVersion?: number;
      manifests?: unknown;
    };
    if (j.mediaType) return j.mediaType;
    if (j.schemaVersion === 1) return MediaType.dockerSchema1;
    if (contentType && contentType !== 'application/json') return contentType.split(';')[0]!.trim();
    return j.manifests ? MediaType.ociIndex : MediaType.ociManifest;
  } catch {
    return contentType?.split(';')[0]?.trim() ?? '';
  }
}

/** GET a manifest by tag or digest; refuses schema1; verifies a digest reference. */
export async function getManifest(
  t: Transport,
  repo: Repo,
  identifier: string,
  direction: Direction = 'pull',
): Promise<FetchedManifest> {
  const byDigest = identifier.includes(':');
  const res = await t.send({
    ...base(repo, direction, byDigest ? identifier : undefined),
    method: 'GET',
    path: `/v2/${repo.repository}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT },
    ok: [200],
  });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const mediaType = mediaTypeOf(raw, header(res.headers, 'content-type'));
  const where = { registry: repo.registry, repository: repo.repository };
  if (isSchema1(mediaType))
    throw new RegistryError(
      'unsupported',
      where,
      `${identifier} is a Docker schema 1 manifest, which is deprecated and not supported; push it again with a current Docker or skopeo`,
    );
  const digest = digestOf(raw);
  if (byDigest && digest !== identifier)
    throw new RegistryError(
      'integrity',
      { ...where, digest: identifier },
      `manifest content has digest ${digest}`,
    );
  return { raw, mediaType, digest };
}

/** HEAD a manifest: its descriptor, or undefined when absent. */
export async function headManifest(
  t: Transport,
  repo: Repo,
  identifier: string,
  direction: Direction = 'pull',
): Promise<Descriptor | undefined> {
  const res = await t.send({
    ...base(repo, direction),
    method: 'HEAD',
    path: `/v2/${repo.repository}/manifests/${identifier}`,
    headers: { accept: MANIFEST_ACCEPT },
    ok: [200, 404],
  });
  await res.body.dump();
  if (res.status === 404) return undefined;
  const digest = header(res.headers, 'docker-content-digest');
  const size = Number(header(res.headers, 'content-length') ?? '0');
  const mediaType = header(res.headers, 'content-type')?.split(';')[0]?.trim() ?? '';
  if (!digest) return undefined;
  return { mediaType, digest, size };
}

export async function putManifest(
  t: Transport,
  repo: Repo,
  identifier: string,
  raw: Buffer,
  mediaType: string,
): Promise<string> {
  const digest = digestOf(raw);
  const res = await t.send({
    ...base(repo, 'push', digest),
    method: 'PUT',
    path: `/v2/${repo.repository}/manifests/${identifier}`,
    headers: { 'content-type': mediaType, 'content-length': String(raw.length) },
    body: () => raw,
    ok: [200, 201, 202],
  });
  await res.body.dump();
  return digest;
}

function platformMatches(want: Platform, got: Platform | undefined): boolean {
  if (!got) return false;
  if (got.os !== want.os || got.architecture !== want.architecture) return false;
  if (!want.variant || !got.variant) return true;
  return want.variant === got.variant;
}

/**
 * The manifest of an index for a platform (exact variant first, then a variant-less entry).
 * `identifier` (the tag or digest that named the index) completes the reference in the error.
 */
export function selectPlatform(index: Index, want: Platform, where: Repo, identifier?: string): Descriptor {
  const candidates = index.manifests.filter((m) => platformMatches(want, m.platform));
  const exact = candidates.find((m) => m.platform?.variant === want.variant);
  const chosen = exact ?? candidates[0];
  if (chosen) return chosen;
  const have = index.manifests
    .map((m) =>
      m.platform
        ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/')
        : '?',
    )
    .join(', ');
  const w = [want.os, want.architecture, want.variant].filter(Boolean).join('/');
  const byDigest = identifier?.includes(':');
  throw new RegistryError(
    'not-found',
    byDigest ? { ...where, digest: identifier } : where,
    `no image for platform ${w} in the index${identifier && !byDigest ? ` tagged ${identifier}` : ''} (it has: ${have || 'none'})`,
  );
}

/** Resolves a tag or digest to an image manifest, choosing from an index by platform. */
export async function resolveImageManifest(
  t: Transport,
  repo: Repo,
  identifier: string,
  platform: Platform,
): Promise<FetchedManifest & { index?: FetchedManifest }> {
  const first = await getManifest(t, repo, identifier);
  if (!isIndexMediaType(first.mediaType)) return first;
  const index = JSON.parse(first.raw.toString('utf8')) as Index;
  const desc = selectPlatform(index, platform, repo, identifier);
  const m = await getManifest(t, repo, desc.digest);
  if (isIndexMediaType(m.mediaType))
    throw new RegistryError(
      'unsupported',
      { ...repo, digest: desc.digest },
      'nested image index is not supported',
    );
  return { ...m, index: first };
}

/** HEAD a blob: its size, or undefined when the repository does not have it. */
export async function headBlob(
  t: Transport,
  repo: Repo,
  digest: string,
  direction: Direction = 'pull',
): Promise<number | undefined> {
  const res = await t.send({
    ...base(repo, direction, digest),
    method: 'HEAD',
    path: `/v2/${repo.repository}/blobs/${digest}`,
    ok: [200, 404],
  });
  await res.body.dump();
  if (res.status === 404) return undefined;
  return Number(header(res.headers, 'content-length') ?? '0');
}

export interface OpenBlobOptions {
  /** Expected size; checked when given. */
  size?: number;
  /** Reconnects after a dropped connection, resuming with Range (default 3). */
  resumes?: number;
  direction?: Direction;
}

/**
 * Streams a blob's bytes. The sha256 is computed as they pass; the stream fails (and never
 * ends cleanly) when the digest or size does not match. A dropped connection resumes with Range.
 */
export function openBlob(t: Transport, repo: Repo, digest: string, opts: OpenBlobOptions = {}): Readable {
  const where = { registry: repo.registry, repository: repo.repository, digest };
  const direction = opts.direction ?? 'pull';
  async function* chunks(): AsyncGenerator<Buffer> {
    const hash = hasherFor(digest);
    let offset = 0;
    let total = opts.size;
    let resumes = opts.resumes ?? 3;
    for (;;) {
      const res = await t.send({
        ...base(repo, direction, digest),
        method: 'GET',
        path: `/v2/${repo.repository}/blobs/${digest}`,
        headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
        ok: offset > 0 ? [200, 206] : [200],
      });
      if (total === undefined && res.status === 200) {
        const len = header(res.headers, 'content-length');
        if (len !== undefined) total = Number(len);
      }
      // A server that ignores Range sends everything again: skip what we already have.
      let skip = res.status === 200 ? offset : 0;
      if (res.status === 206) {
        const start = Number(
          /bytes (\d+)-/.exec(header(res.headers, 'content-range') ?? '')?.[1] ?? Number.NaN,
        );
        if (start !== offset) {
          await res.body.dump();
          throw new RegistryError(
            'protocol',
            where,
            `asked for bytes from ${offset}, got a range starting at ${start}`,
          );
        }
      }
      try {
        for await (const c of res.body as AsyncIterable<Buffer>) {
          let chunk = c;
          if (skip > 0) {
            if (chunk.length <= skip) {
              skip -= chunk.length;
              continue;
            }
            chunk = chunk.subarray(skip);
            skip = 0;
          }
          if (total !== undefined && offset + chunk.length > total)
            throw new RegistryError('integrity', where, `blob is larger than its ${total} bytes`);
          hash.update(chunk);
          offset += chunk.length;
          noteStreamed(chunk.length);
          yield chunk;
        }
      } catch (e) {
        if (e instanceof RegistryError) throw e;
        if (resumes-- > 0 && (total === undefined || offset < total)) {
          t.options.debug?.(`blob ${digest}: connection lost at byte ${offset}; resuming`);
          continue;
        }
        throw new RegistryError(
          'network',
          where,
          `download interrupted at byte ${offset}: ${(e as Error).message}`,
        );
      }
      if (total !== undefined && offset < total) {
        if (resumes-- > 0) continue;
        throw new RegistryError('network', where, `download ended at byte ${offset} of ${total}`);
      }
      break;
    }
    const got = `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
    if (got !== digest)
      throw new RegistryError('integrity', where, `digest mismatch: received bytes hash to ${got}`);
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 << 16 });
}

export type UploadResult = 'exists' | 'mounted' | 'uploaded';

export interface UploadOptions {
  /** Another repository of the same registry that has the blob: try a cross-repository mount. */
  mountFrom?: string;
  /** PATCH in chunks of this many bytes (0 or absent: one PUT). */
  chunkSize?: number;
  /** Skip the HEAD (the caller knows it is absent). */
  skipHead?: boolean;
  /** Told of every chunk of bytes sent (progress). */
  onBytes?: (n: number) => void;
  /**
   * An upload session opened earlier (the push permission check's Location), used instead of a
   * POST. One that no longer works (expired, purged) costs one retry with a session of our own.
   */
  session?: string;
}

/** Reads exactly `n` bytes (or fewer at the end) from an async iterator with a carry-over buffer. */
class ChunkReader {
  private carry: Buffer = Buffer.alloc(0);
  private readonly it: AsyncIterator<Buffer>;
  private done = false;
  constructor(stream: Readable) {
    this.it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  async read(n: number): Promise<Buffer> {
    const parts: Buffer[] = [this.carry];
    let have = this.carry.length;
    while (have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      parts.push(r.value);
      have += r.value.length;
    }
    const all = Buffer.concat(parts);
    this.carry = all.subarray(Math.min(n, all.length));
    return all.subarray(0, Math.min(n, all.length));
  }
}

function withDigest(location: string, digest: string): string {
  const sep = location.includes('?') ? '&' : '?';
  return `${location}${sep}digest=${encodeURIComponent(digest)}`;
}

/**
 * Makes `digest` present in `repo`: HEAD (skip), mount from `mountFrom`, or upload the bytes of
 * `open()` monolithically or in chunks. A failed upload starts again from a new session.
 */
export async function uploadBlob(
  t: Transport,
  repo: Repo,
  desc: { digest: string; size: number },
  open: () => Promise<Readable>,
  opts: UploadOptions = {},
): Promise<UploadResult> {
  const { digest, size } = desc;
  const where = { registry: repo.registry, repository: repo.repository, digest };
  if (!opts.skipHead && (await headBlob(t, repo, digest, 'push')) !== undefined) return 'exists';
  const attempts = 1 + (t.options.retries ?? 3) + (t.options.pushRetry ?? 0) + (opts.session ? 1 : 0);
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const earlierSession = attempt === 0 ? opts.session : undefined;
    try {
      let location: string;
      const scopes = [repositoryScope(repo.repository, ['pull', 'push'])];
      if (earlierSession) {
        location = earlierSession;
      } else if (opts.mountFrom && opts.mountFrom !== repo.repository && attempt === 0) {
        scopes.push(repositoryScope(opts.mountFrom, ['pull']));
        const res = await t.send({
          ...base(repo, 'push', digest),
          scopes,
          method: 'POST',
          path: `/v2/${repo.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(opts.mountFrom)}`,
          headers: { 'content-length': '0' },
          ok: [201, 202],
        });
        await res.body.dump();
        if (res.status === 201) return 'mounted';
        location = header(res.headers, 'location') ?? '';
      } else {
        const res = await t.send({
          ...base(repo, 'push', digest),
          method: 'POST',
          path: `/v2/${repo.repository}/blobs/uploads/`,
          headers: { 'content-length': '0' },
          ok: [202],
        });
        await res.body.dump();
        location = header(res.headers, 'location') ?? '';
      }
      if (!location) throw new RegistryError('protocol', where, 'upload session without a Location');
      const chunkSize = opts.chunkSize ?? t.options.chunkSize ?? 0;
      if (chunkSize > 0 && size > 0) {
        const reader = new ChunkReader(await open());
        let offset = 0;
        while (offset < size) {
          const part = await reader.read(chunkSize);
          if (part.length === 0)
            throw new RegistryError('integrity', where, `source ended at byte ${offset} of ${size}`);
          const res = await t.send({
            ...base(repo, 'push', digest),
            method: 'PATCH',
            path: location,
            headers: {
              'content-type': 'application/octet-stream',
              'content-length': String(part.length),
              'content-range': `${offset}-${offset + part.length - 1}`,
            },
            body: () => part,
            retry: false,
            ok: [202],
          });
          await res.body.dump();
          location = header(res.headers, 'location') ?? location;
          offset += part.length;
          noteStreamed(part.length);
          opts.onBytes?.(part.length);
        }
        const res = await t.send({
          ...base(repo, 'push', digest),
          method: 'PUT',
          path: withDigest(location, digest),
          headers: { 'content-length': '0' },
          retry: false,
          ok: [201, 204],
        });
        await res.body.dump();
      } else {
        const body = Readable.from(countStreamed(await open(), opts.onBytes));
        const res = await t.send({
          ...base(repo, 'push', digest),
          method: 'PUT',
          path: withDigest(location, digest),
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
          body: () => body,
          oneShotBody: true,
          retry: false,
          ok: [201, 204],
        });
        await res.body.dump();
      }
      return 'uploaded';
    } catch (e) {
      lastError = e;
      const transient = e instanceof RegistryError && (e.kind === 'network' || (e.status ?? 0) >= 500);
      if (!earlierSession && (!transient || attempt === attempts - 1)) throw e;
      t.options.debug?.(`upload of ${digest}: ${(e as Error).message}; starting again`);
    }
  }
  throw lastError;
}

/**
 * Cancels an upload session, best effort: distribution wants the `delete` action for it, which a
 * pusher often lacks; an abandoned session is purged by the registry anyway.
 */
export async function cancelUpload(t: Transport, repo: Repo, location: string): Promise<void> {
  try {
    const res = await t.send({
      ...base(repo, 'push'),
      method: 'DELETE',
      path: location,
      retry: false,
      ok: [204, 200, 404],
    });
    await res.body.dump();
  } catch {
    // ignored: see above
  }
}

/** The tag the referrers tag schema uses for a subject digest: sha256-<hex>. */
export function referrersTag(digest: string): string {
  return `${digest.slice(0, digest.indexOf(':'))}-${hexOf(digest)}`;
}

/**
 * Manifests that name `digest` as their subject: the referrers API when the registry has it,
 * else the index at the tag-schema fallback tag (docker-registry 2.8 has no referrers API).
 */
export async function listReferrers(
  t: Transport,
  repo: Repo,
  digest: string,
  artifactType?: string,
): Promise<Index> {
  const q = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
  const res = await t.send({
    ...base(repo, 'pull', digest),
    method: 'GET',
    path: `/v2/${repo.repository}/referrers/${digest}${q}`,
    headers: { accept: MediaType.ociIndex },
    ok: [200, 404],
  });
  let index: Index;
  if (res.status === 200 && (header(res.headers, 'content-type') ?? '').startsWith(MediaType.ociIndex)) {
    index = (await res.body.json()) as Index;
  } else {
    await res.body.dump();
    const tagged = await headManifest(t, repo, referrersTag(digest));
    if (!tagged) return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    const m = await getManifest(t, repo, tagged.digest);
    index = JSON.parse(m.raw.toString('utf8')) as Index;
  }
  if (artifactType)
    index = { ...index, manifests: index.manifests.filter((d) => d.artifactType === artifactType) };
  return index;
}

/**
 * Records `referrer` (already pushed) as a referrer of `subject` under the tag schema, keeping
 * the entries already there. Registries with the referrers API index it on their own.
 */
export async function addReferrerTag(
  t: Transport,
  repo: Repo,
  subject: string,
  referrer: Descriptor,
): Promise<void> {
  const tag = referrersTag(subject);
  const existing = await headManifest(t, repo, tag, 'push');
  let index: Index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  if (existing)
    index = JSON.parse((await getManifest(t, repo, existing.digest, 'push')).raw.toString('utf8')) as Index;
  if (index.manifests.some((m) => m.digest === referrer.digest)) return;
  index = { ...index, manifests: [...index.manifests, referrer] };
  await putManifest(t, repo, tag, Buffer.from(JSON.stringify(index)), MediaType.ociIndex);
}
