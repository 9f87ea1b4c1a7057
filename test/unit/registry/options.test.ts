import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Index } from '../../../src/image/types.ts';
import { RegistryError } from '../../../src/registry/errors.ts';
import { allowsHttp, isLocalHost, pullSources, skipsVerify } from '../../../src/registry/options.ts';
import { selectPlatform } from '../../../src/registry/remote.ts';
import { retryAfterMs } from '../../../src/registry/transport.ts';

describe('registry options', () => {
  test('plain HTTP: per direction, per registry, and loopback/private hosts as go-containerregistry', () => {
    assert.equal(allowsHttp({ insecure: true }, 'r.io', 'push'), true);
    assert.equal(allowsHttp({ insecure: true }, 'r.io', 'pull'), false);
    assert.equal(allowsHttp({ insecurePull: true }, 'r.io', 'pull'), true);
    assert.equal(allowsHttp({ insecureRegistries: ['r.io'] }, 'r.io', 'pull'), true);
    assert.equal(allowsHttp({}, 'r.io', 'pull'), false);
    for (const h of [
      'localhost:5000',
      '127.0.0.1:1',
      '10.1.2.3',
      '172.20.0.1:80',
      '192.168.1.1',
      '[::1]:5000',
    ])
      assert.equal(isLocalHost(h), true, h);
    for (const h of ['172.32.0.1', '8.8.8.8', 'example.com']) assert.equal(isLocalHost(h), false, h);
  });

  test('skip TLS verify: push, pull, per registry', () => {
    assert.equal(skipsVerify({ skipTlsVerify: true }, 'r.io', 'push'), true);
    assert.equal(skipsVerify({ skipTlsVerify: true }, 'r.io', 'pull'), false);
    assert.equal(skipsVerify({ skipTlsVerifyPull: true }, 'r.io', 'pull'), true);
    assert.equal(skipsVerify({ skipTlsVerifyRegistries: ['r.io'] }, 'r.io', 'pull'), true);
  });

  test('mirrors apply to Docker Hub, registry-map to its key, the origin last unless skipped', () => {
    assert.deepEqual(pullSources({ registryMirrors: ['m1.io', 'https://m2.io/hub/'] }, 'docker.io'), [
      { host: 'm1.io', prefix: '' },
      { host: 'm2.io', prefix: 'hub' },
      { host: 'index.docker.io', prefix: '' },
    ]);
    assert.deepEqual(pullSources({ registryMirrors: ['m1.io'] }, 'gcr.io'), [{ host: 'gcr.io', prefix: '' }]);
    assert.deepEqual(pullSources({ registryMap: { 'gcr.io': 'a.io;b.io' } }, 'gcr.io'), [
      { host: 'a.io', prefix: '' },
      { host: 'b.io', prefix: '' },
      { host: 'gcr.io', prefix: '' },
    ]);
    assert.deepEqual(
      pullSources({ registryMap: { 'gcr.io': 'a.io' }, skipDefaultRegistryFallback: true }, 'gcr.io'),
      [{ host: 'a.io', prefix: '' }],
    );
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 5_000), 5_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});

describe('platform selection from an index', () => {
  const d = (os: string, architecture: string, variant?: string) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${(os + architecture + (variant ?? ''))
      .padEnd(64, '0')
      .slice(0, 64)
      .replace(/[^0-9a-f]/g, '0')}`,
    size: 1,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  });
  const index: Index = {
    schemaVersion: 2,
    manifests: [d('linux', 'amd64'), d('linux', 'arm', 'v6'), d('linux', 'arm', 'v7'), d('linux', 'arm64')],
  };
  const repo = { registry: 'r.io', repository: 'x' };
  test('exact os/architecture/variant, and a variant-less entry for arm64/v8', () => {
    assert.equal(
      selectPlatform(index, { os: 'linux', architecture: 'arm', variant: 'v7' }, repo),
      index.manifests[2],
    );
    assert.equal(
      selectPlatform(index, { os: 'linux', architecture: 'arm64', variant: 'v8' }, repo),
      index.manifests[3],
    );
    assert.equal(selectPlatform(index, { os: 'linux', architecture: 'amd64' }, repo), index.manifests[0]);
  });
  test('no match names what the index has', () => {
    assert.throws(
      () => selectPlatform(index, { os: 'linux', architecture: 's390x' }, repo),
      (e: unknown) =>
        e instanceof RegistryError &&
        /r\.io\/x: no image for platform linux\/s390x in the index \(it has: linux\/amd64, linux\/arm\/v6/.test(
          e.message,
        ),
    );
  });
});
