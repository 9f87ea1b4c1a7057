// HTTP_PROXY and NO_PROXY, read by undici's EnvHttpProxyAgent: a pull of the busybox fixture goes
// through a forward proxy when HTTP_PROXY names it, and straight to the registry when NO_PROXY
// names the registry. The proxy URL is read when the transport makes its first dispatcher, so
// each case uses a fresh options object (hence a fresh transport) with the variables set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readAll } from '../../src/image/image.ts';
import { pullImage } from '../../src/image/remote.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { closeTransport } from '../../src/registry/shared.ts';
import { pushFixture } from '../support/fixtures.ts';
import { type ForwardProxy, startForwardProxy } from '../support/forward-proxy.ts';
import { skopeoDigest } from '../support/images.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const platform = { os: 'linux', architecture: 'amd64' };
// undici prefers the lower-case spelling, so both are set (or cleared) together.
const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY'];
const originalEnv = new Map(PROXY_VARS.map((k) => [k, process.env[k]]));

/** Runs `fn` with only the given proxy variables set, then puts the environment back. */
async function withProxyEnv<T>(vars: { proxy: string; noProxy: string }, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(PROXY_VARS.map((k) => [k, process.env[k]]));
  for (const k of PROXY_VARS) delete process.env[k];
  process.env.http_proxy = process.env.HTTP_PROXY = vars.proxy;
  process.env.no_proxy = process.env.NO_PROXY = vars.noProxy;
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Pulls the image with a client of its own and reads every blob; returns the digest and blobs. */
async function pullEverything(ref: string): Promise<{ digest: string; blobs: string[] }> {
  const options: RegistryOptions = { retryBaseMs: 5 };
  try {
    const img = await pullImage(parseReference(ref), { platform, options });
    const manifest = await img.manifest();
    await img.rawConfig();
    for (const layer of await img.layers()) await readAll(await layer.open());
    return {
      digest: await img.digest(),
      blobs: [manifest.config.digest, ...manifest.layers.map((l) => l.digest)],
    };
  } finally {
    await closeTransport(options);
  }
}

describe('HTTP_PROXY and NO_PROXY', () => {
  let reg: TestRegistry;
  let proxy: ForwardProxy;
  let ref: string;
  let expected: string;
  before(async () => {
    reg = await startRegistry();
    ref = await pushFixture(reg, 'busybox', 'library/busybox:latest');
    expected = await skopeoDigest(ref);
    proxy = await startForwardProxy();
  });
  after(async () => {
    await proxy.stop();
    await reg.stop();
  });

  test('with HTTP_PROXY set, the manifest and every blob come through the proxy', async () => {
    const [before, tunnels] = [proxy.requests.length, proxy.tunnels.length];
    const pulled = await withProxyEnv({ proxy: proxy.url, noProxy: '' }, () => pullEverything(ref));
    assert.equal(pulled.digest, expected);
    const seen = proxy.requests.slice(before);
    const got = (url: string) => seen.some((r) => r.method === 'GET' && r.url === url && r.status === 200);
    assert.ok(got(`${reg.url}/v2/`), 'the /v2/ ping went through the proxy');
    assert.ok(got(`${reg.url}/v2/library/busybox/manifests/latest`), 'the manifest went through the proxy');
    for (const digest of pulled.blobs)
      assert.ok(
        got(`${reg.url}/v2/library/busybox/blobs/${digest}`),
        `blob ${digest} went through the proxy`,
      );
    assert.deepEqual(
      seen.filter((r) => !r.url.startsWith(`${reg.url}/`)),
      [],
    );
    // The HTTPS half of the scheme discovery is tunnelled through the proxy too.
    assert.deepEqual(new Set(proxy.tunnels.slice(tunnels)), new Set([reg.host]));
  });

  for (const [name, noProxy] of [
    ['the registry host', () => '127.0.0.1'],
    ['the registry host:port in a list', () => `localhost,${reg.host}`],
  ] as const) {
    test(`with NO_PROXY naming ${name}, the proxy sees nothing`, async () => {
      const [requests, tunnels] = [proxy.requests.length, proxy.tunnels.length];
      const pulled = await withProxyEnv({ proxy: proxy.url, noProxy: noProxy() }, () => pullEverything(ref));
      assert.equal(pulled.digest, expected);
      assert.deepEqual(proxy.requests.slice(requests), []);
      assert.deepEqual(proxy.tunnels.slice(tunnels), []);
    });
  }

  test('the environment is as it was', () => {
    for (const k of PROXY_VARS) assert.equal(process.env[k], originalEnv.get(k), k);
  });
});
