// Referrers on docker-registry 2.8, which has no referrers API: an attestation-like manifest with
// a subject is recorded under the tag schema (sha256-<hex>) and listed back through the fallback.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { MediaType } from '../../src/image/types.ts';
import { digestOf } from '../../src/registry/digest.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import {
  addReferrerTag,
  headManifest,
  listReferrers,
  putManifest,
  referrersTag,
  uploadBlob,
} from '../../src/registry/remote.ts';
import { closeTransport, transportFor } from '../../src/registry/shared.ts';
import { run } from '../support/exec.ts';
import { pushFixture } from '../support/fixtures.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

describe('referrers with the tag-schema fallback', () => {
  let reg: TestRegistry;
  const options: RegistryOptions = {};
  before(async () => {
    reg = await startRegistry();
    await pushFixture(reg, 'busybox', 'library/busybox:latest');
  });
  after(async () => {
    await closeTransport(options);
    await reg.stop();
  });

  test('an artifact naming the image as subject is listed as its referrer', async () => {
    const t = transportFor(options);
    const repo = { registry: reg.host, repository: 'library/busybox' };
    const subject = await headManifest(t, repo, 'latest');
    assert.ok(subject);
    assert.deepEqual((await listReferrers(t, repo, subject.digest)).manifests, []);

    const empty = Buffer.from('{}');
    const emptyDesc = { mediaType: MediaType.ociEmpty, digest: digestOf(empty), size: empty.length };
    await uploadBlob(t, repo, emptyDesc, async () => Readable.from([empty]));
    const artifact = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: 'application/vnd.example.sbom',
        config: emptyDesc,
        layers: [emptyDesc],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      }),
    );
    const artifactDigest = await putManifest(t, repo, digestOf(artifact), artifact, MediaType.ociManifest);
    const desc = {
      mediaType: MediaType.ociManifest,
      digest: artifactDigest,
      size: artifact.length,
      artifactType: 'application/vnd.example.sbom',
    };
    await addReferrerTag(t, repo, subject.digest, desc);
    await addReferrerTag(t, repo, subject.digest, desc); // idempotent

    const listed = await listReferrers(t, repo, subject.digest);
    assert.deepEqual(listed.manifests, [desc]);
    assert.deepEqual((await listReferrers(t, repo, subject.digest, 'application/other')).manifests, []);
    // The fallback tag is an ordinary OCI index that skopeo reads too.
    const { stdout } = await run('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${reg.host}/library/busybox:${referrersTag(subject.digest)}`,
    ]);
    assert.equal(
      (JSON.parse(stdout) as { manifests: Array<{ digest: string }> }).manifests[0]?.digest,
      artifactDigest,
    );
  });
});
