// Multi-platform images in the real registry: an OCI index and a Docker manifest list, PUT by our
// client, are stored byte for byte (skopeo reads them back), and a pull picks the manifest for
// os/architecture/variant the way containers/image does; a missing platform is a one-line error.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Image, readAll } from '../../src/image/image.ts';
import { appendLayer, mutate, toFormat } from '../../src/image/mutate.ts';
import { pushImage } from '../../src/image/push.ts';
import { pullImage } from '../../src/image/remote.ts';
import { type Descriptor, MediaType, type Platform } from '../../src/image/types.ts';
import { RegistryError } from '../../src/registry/errors.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { getManifest, headManifest, putManifest } from '../../src/registry/remote.ts';
import { closeTransport, transportFor } from '../../src/registry/shared.ts';
import { run } from '../support/exec.ts';
import { pushFixture } from '../support/fixtures.ts';
import { gzipLayer } from '../support/images.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const AMD64: Platform = { os: 'linux', architecture: 'amd64' };
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
const ARMV7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };
const REPO = 'multi/busybox';

/** busybox with one more (empty-file) layer, claiming to be for `platform`. */
async function forPlatform(base: Image, platform: Platform): Promise<Image> {
  const layer = gzipLayer(Buffer.alloc(1024 + 512 * platform.architecture.length));
  const config = appendLayer(await base.config(), layer, { created_by: `for ${platform.architecture}` });
  return mutate(base, {
    layers: [layer],
    config: {
      ...config,
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
    },
    format: 'oci',
  });
}

async function descriptorOf(img: Image, platform: Platform): Promise<Descriptor> {
  const raw = await img.rawManifest();
  return { mediaType: await img.mediaType(), digest: sha(raw), size: raw.length, platform };
}

async function skopeo(args: string[]): Promise<string> {
  return (await run('skopeo', [...args, '--tls-verify=false'])).stdout;
}

describe('manifest lists and OCI indexes in a real registry', () => {
  let reg: TestRegistry;
  const options: RegistryOptions = { retryBaseMs: 20 };
  /** Manifest digest per platform and index kind, and the index digests by tag. */
  const chosen: Record<'oci' | 'list', Map<Platform, string>> = { oci: new Map(), list: new Map() };
  const indexDigest: Record<'oci' | 'list', string> = { oci: '', list: '' };
  const sent: Record<'oci' | 'list', Buffer> = { oci: Buffer.alloc(0), list: Buffer.alloc(0) };

  before(async () => {
    reg = await startRegistry();
    await pushFixture(reg, 'busybox', `${REPO}:amd64`);
    const t = transportFor(options);
    const base = await pullImage(parseReference(`${reg.host}/${REPO}:amd64`), { platform: AMD64, options });
    const images = new Map<Platform, Image>([
      [AMD64, base],
      [ARM64, await forPlatform(base, ARM64)],
      [ARMV7, await forPlatform(base, ARMV7)],
    ]);
    for (const [kind, mediaType, format] of [
      ['oci', MediaType.ociIndex, 'oci'],
      ['list', MediaType.dockerManifestList, 'docker'],
    ] as const) {
      const manifests: Descriptor[] = [];
      for (const [platform, img] of images) {
        // A Docker list names Docker manifests, an OCI index OCI ones: the same images in each family.
        const member = await toFormat(img, format);
        const d = await descriptorOf(member, platform);
        await pushImage(member, [parseReference(`${reg.host}/${REPO}@${d.digest}`)], options);
        manifests.push(d);
        chosen[kind].set(platform, d.digest);
      }
      sent[kind] = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests }, null, 2));
      indexDigest[kind] = await putManifest(
        t,
        { registry: reg.host, repository: REPO },
        kind,
        sent[kind],
        mediaType,
      );
    }
  });
  after(async () => {
    await closeTransport(options);
    await reg?.stop();
  });

  for (const [kind, mediaType] of [
    ['oci', MediaType.ociIndex],
    ['list', MediaType.dockerManifestList],
  ] as const) {
    test(`${kind}: stored as PUT; HEAD, GET and skopeo see the same bytes and type`, async () => {
      const t = transportFor(options);
      const repo = { registry: reg.host, repository: REPO };
      assert.deepEqual(await headManifest(t, repo, kind), {
        mediaType,
        digest: indexDigest[kind],
        size: sent[kind].length,
      });
      const got = await getManifest(t, repo, kind);
      assert.equal(got.mediaType, mediaType);
      assert.ok(got.raw.equals(sent[kind]));
      const raw = await skopeo(['inspect', '--raw', `docker://${reg.host}/${REPO}:${kind}`]);
      assert.equal(sha(raw), indexDigest[kind]);
    });

    test(`${kind}: a pull picks the manifest for os/architecture/variant, as skopeo does`, async () => {
      for (const [want, entry] of [
        [AMD64, AMD64],
        [ARM64, ARM64],
        [ARMV7, ARMV7],
        // A variant-less request takes the only entry of that architecture.
        [{ os: 'linux', architecture: 'arm64' }, ARM64],
      ] as const) {
        const name = [want.os, want.architecture, want.variant].filter(Boolean).join('/');
        const img = await pullImage(parseReference(`${reg.host}/${REPO}:${kind}`), {
          platform: want,
          options,
        });
        assert.equal(await img.digest(), chosen[kind].get(entry), name);
        assert.equal(img.index?.digest, indexDigest[kind]);
        assert.equal((await img.config()).architecture, want.architecture);
        // The image chosen through the index is whole: its last layer's bytes verify.
        await readAll(await (await img.layers()).at(-1)!.open());
        const override = ['--override-os', want.os, '--override-arch', want.architecture];
        if (want.variant) override.push('--override-variant', want.variant);
        const cfg = await skopeo([
          ...override,
          'inspect',
          '--config',
          '--raw',
          `docker://${reg.host}/${REPO}:${kind}`,
        ]);
        assert.equal(cfg, (await img.rawConfig()).toString('utf8'), `skopeo chose another image for ${name}`);
      }
    });

    test(`${kind}: a platform it lacks is a one-line error naming the reference and what it has`, async () => {
      const want = { os: 'linux', architecture: 'arm', variant: 'v6' };
      await assert.rejects(
        pullImage(parseReference(`${reg.host}/${REPO}:${kind}`), { platform: want, options }),
        (e: unknown) => {
          assert.ok(e instanceof RegistryError && e.kind === 'not-found', String(e));
          assert.equal(
            e.message,
            `${reg.host}/${REPO}: no image for platform linux/arm/v6 in the index tagged ${kind} (it has: linux/amd64, linux/arm64/v8, linux/arm/v7)`,
          );
          return true;
        },
      );
      await assert.rejects(
        pullImage(parseReference(`${reg.host}/${REPO}@${indexDigest[kind]}`), { platform: want, options }),
        (e: unknown) =>
          e instanceof Error &&
          e.message.startsWith(
            `${reg.host}/${REPO}@${indexDigest[kind]}: no image for platform linux/arm/v6`,
          ),
      );
    });
  }
});
