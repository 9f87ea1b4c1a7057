// Pushing an image to one or more destinations: each blob is made present once per registry
// (HEAD skip, cross-repository mount, or upload), and the manifests are PUT only after every
// blob of every destination is in place, so a failed push never moves a tag.
import { Readable } from 'node:stream';
import { repositoryScope } from '../registry/auth/challenge.ts';
import { RegistryError } from '../registry/errors.ts';
import type { RegistryOptions } from '../registry/options.ts';
import { DOCKER_HUB, type Reference } from '../registry/reference.ts';
import {
  cancelUpload,
  getManifest,
  headBlob,
  putManifest,
  type Repo,
  type UploadResult,
  uploadBlob,
} from '../registry/remote.ts';
import { transportFor } from '../registry/shared.ts';
import { header, type Transport } from '../registry/transport.ts';
import type { Image, Layer } from './image.ts';
import { MediaType } from './types.ts';

export interface PushOptions {
  /** Share connections and tokens with other calls (default: one per options object). */
  transport?: Transport;
  /** Called once per blob and destination repository with what happened to it. */
  onBlob?: (e: { repo: Repo; digest: string; size: number; result: UploadResult }) => void;
  /** Told of every chunk of blob bytes sent (progress). */
  onBytes?: (n: number) => void;
  /** Upload sessions the permission check left open: the first blob uploaded to a repository uses its. */
  sessions?: UploadSessions;
  /** Blobs a repository is known to have (see PresentBlobs): no HEAD for them. */
  present?: (repo: Repo) => Promise<ReadonlySet<string>>;
}

/**
 * What a destination already holds, read from the manifest its tag names now: a rebuild pushed
 * to the same tag shares most blobs with the last one, and one manifest GET (made while the build
 * runs) answers for all of them instead of a HEAD each at the end. A registry keeps every blob a
 * manifest in the repository refers to; should one be gone anyway, the manifest PUT fails and the
 * push checks every blob as usual.
 */
/** One key per repository of a registry, for the per-repository maps below. */
function repoKey(repo: Repo): string {
  return `${repo.registry}/${repo.repository}`;
}

export class PresentBlobs {
  private readonly known = new Map<string, Promise<ReadonlySet<string>>>();
  private readonly t: Transport;

  constructor(t: Transport) {
    this.t = t;
  }

  /**
   * Starts reading the manifest `ref` names (a tag; nothing for a digest or an index). Not on
   * Docker Hub, which counts a manifest GET (not a HEAD) against the account's pull limit.
   */
  prefetch(ref: Reference): void {
    const repo = { registry: ref.registry, repository: ref.repository };
    const key = repoKey(repo);
    if (this.known.has(key) || !ref.tag || ref.registry === DOCKER_HUB) return;
    const found = getManifest(this.t, repo, ref.tag, 'push').then(
      (m) => {
        const parsed = JSON.parse(m.raw.toString('utf8')) as {
          config?: { digest?: string };
          layers?: Array<{ digest?: string }>;
        };
        const digests = [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)];
        return new Set(digests.filter((d): d is string => typeof d === 'string'));
      },
      // Not pushed yet, an index, no pull right: nothing is known, every blob gets its HEAD.
      () => new Set<string>(),
    );
    this.known.set(key, found);
  }

  readonly lookup = (repo: Repo): Promise<ReadonlySet<string>> =>
    this.known.get(repoKey(repo)) ?? Promise.resolve(new Set<string>());
}

/**
 * Upload sessions opened ahead of a push, at most one per repository. kaniko's permission check
 * opens one and throws it away; kept, it carries the config blob later, so a build saves the
 * check's DELETE and a round trip at the end of its push. What is never taken is cancelled.
 */
export class UploadSessions {
  private readonly open = new Map<string, { repo: Repo; location: string }>();

  /** Keeps `location` for `repo`; a second one for the same repository is cancelled at once. */
  async keep(t: Transport, repo: Repo, location: string): Promise<void> {
    const key = repoKey(repo);
    if (this.open.has(key)) return cancelUpload(t, repo, location);
    this.open.set(key, { repo, location });
  }

  /** The session for `repo`, which the caller now owns. */
  take(repo: Repo): string | undefined {
    const key = repoKey(repo);
    const s = this.open.get(key);
    this.open.delete(key);
    return s?.location;
  }

  /** Cancels every session nobody took (best effort, as cancelUpload). */
  async cancelAll(t: Transport): Promise<void> {
    const left = [...this.open.values()];
    this.open.clear();
    await Promise.all(left.map((s) => cancelUpload(t, s.repo, s.location)));
  }
}

export interface PushResult {
  digest: string;
  size: number;
  mediaType: string;
}

interface Blob {
  digest: string;
  size: number;
  open: () => Promise<Readable>;
  source?: Repo;
}

/** Blob existence checks in flight at once per registry. */
const HEAD_CONCURRENCY = 16;

function isForeign(l: Layer): boolean {
  return (
    (l.descriptor.urls?.length ?? 0) > 0 &&
    (l.mediaType === MediaType.dockerForeignLayer || l.mediaType.includes('nondistributable'))
  );
}

/** At most `size` tasks at a time; the others wait their turn in order. */
class Lanes {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure rejects, no item starts after it. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const lanes = new Lanes(limit);
  let failed: unknown;
  await Promise.all(
    items.map((item) =>
      lanes.run(async () => {
        if (failed !== undefined) return;
        try {
          await work(item);
        } catch (e) {
          failed ??= e;
        }
      }),
    ),
  );
  if (failed !== undefined) throw failed;
}

/** Pushes `image` to every destination; returns the manifest digest all of them now name. */
export async function pushImage(
  image: Image,
  destinations: readonly Reference[],
  options: RegistryOptions = {},
  opts: PushOptions = {},
): Promise<PushResult> {
  const t = opts.transport ?? transportFor(options);
  const raw = await image.rawManifest();
  const mediaType = await image.mediaType();
  const digest = await image.digest();
  const cfgRaw = await image.rawConfig();
  const manifest = await image.manifest();
  const layers = await image.layers();
  const blobs = new Map<string, Blob>();
  for (const l of layers) {
    if (isForeign(l) || blobs.has(l.digest)) continue;
    blobs.set(l.digest, {
      digest: l.digest,
      size: l.size,
      open: () => l.open(),
      ...(l.source ? { source: l.source } : {}),
    });
  }
  const configDigest = manifest.config.digest;
  blobs.set(configDigest, {
    digest: manifest.config.digest,
    size: cfgRaw.length,
    open: async () => Readable.from([cfgRaw]),
    ...(image.source ? { source: image.source } : {}),
  });

  // Destinations grouped by registry: the first repository receives the bytes, the others mount.
  const byRegistry = new Map<string, Repo[]>();
  for (const d of destinations) {
    const list = byRegistry.get(d.registry) ?? [];
    if (!list.some((r) => r.repository === d.repository))
      list.push({ registry: d.registry, repository: d.repository });
    byRegistry.set(d.registry, list);
  }
  const limit = options.concurrency ?? 3;
  // Blobs made present in `first` of each registry, all at once or, with `present`, all but
  // the ones its current manifest already names.
  const placeBlobs = async (trustPresent: boolean): Promise<number> => {
    let trusted = 0;
    await Promise.all(
      [...byRegistry.entries()].map(async ([registry, repos]) => {
        const [first, ...rest] = repos as [Repo, ...Repo[]];
        const present = trustPresent && opts.present ? await opts.present(first) : new Set<string>();
        // Existence checks all at once (a HEAD moves no bytes; a warm rebuild has every blob
        // already); a missing blob goes on at once, but only `limit` uploads move bytes together.
        const lanes = new Lanes(limit);
        await eachLimited([...blobs.values()], HEAD_CONCURRENCY, async (b) => {
          if (present.has(b.digest)) trusted++;
          const mountFrom = b.source?.registry === registry ? b.source.repository : undefined;
          // A built image's config is new (it records the build's time): with a session at hand,
          // one PUT replaces HEAD + PUT (putting a blob the registry has is harmless).
          const configSession =
            b.digest === configDigest && !mountFrom && !present.has(b.digest)
              ? opts.sessions?.take(first)
              : undefined;
          if (
            !configSession &&
            (present.has(b.digest) || (await headBlob(t, first, b.digest, 'push')) !== undefined)
          ) {
            opts.onBlob?.({ repo: first, digest: b.digest, size: b.size, result: 'exists' });
            return;
          }
          const session = configSession ?? (mountFrom ? undefined : opts.sessions?.take(first));
          const result = await lanes.run(() =>
            uploadBlob(t, first, b, b.open, {
              skipHead: true,
              ...(mountFrom ? { mountFrom } : {}),
              ...(session ? { session } : {}),
              ...(opts.onBytes ? { onBytes: opts.onBytes } : {}),
            }),
          );
          opts.onBlob?.({ repo: first, digest: b.digest, size: b.size, result });
        });
        for (const repo of rest) {
          await eachLimited([...blobs.values()], limit, async (b) => {
            const result = await uploadBlob(t, repo, b, b.open, { mountFrom: first.repository });
            opts.onBlob?.({ repo, digest: b.digest, size: b.size, result });
          });
        }
      }),
    );
    return trusted;
  };
  const trusted = await placeBlobs(true);
  // Manifests last; a child manifest pushed by digest before any tag (none here, one image).
  const putAll = async () => {
    for (const d of destinations) {
      await putManifest(
        t,
        { registry: d.registry, repository: d.repository },
        d.tag ?? d.digest ?? digest,
        raw,
        mediaType,
      );
    }
  };
  try {
    await putAll();
  } catch (e) {
    if (trusted === 0) throw e;
    // A blob taken as present was not (deleted since): check every blob, then try once more.
    t.options.debug?.(`manifest PUT failed (${(e as Error).message}); checking every blob`);
    await placeBlobs(false);
    await putAll();
  }
  return { digest, size: raw.length, mediaType };
}

/**
 * kaniko's pre-build check: can we push to `ref`? Opens a blob upload session (which needs push
 * access) and cancels it, or hands it to `sessions` for the push. Throws a RegistryError of kind
 * `auth` when refused.
 */
export async function checkPushPermission(
  ref: Reference,
  options: RegistryOptions = {},
  transport?: Transport,
  sessions?: UploadSessions,
): Promise<void> {
  const t = transport ?? transportFor(options);
  const repo = { registry: ref.registry, repository: ref.repository };
  const res = await t.send({
    ...repo,
    direction: 'push',
    scopes: [repositoryScope(ref.repository, ['pull', 'push'])],
    method: 'POST',
    path: `/v2/${ref.repository}/blobs/uploads/`,
    headers: { 'content-length': '0' },
    ok: [202],
  });
  await res.body.dump();
  const loc = header(res.headers, 'location');
  if (!loc) throw new RegistryError('protocol', repo, 'upload session without a Location');
  if (sessions) await sessions.keep(t, repo, loc);
  else await cancelUpload(t, repo, loc);
}
