// TLS with the rig's CA: trusted through --registry-certificate, a clear error without it, and
// --skip-tls-verify-pull; plain HTTP is never tried after a certificate is refused.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pushImage } from '../../src/image/push.ts';
import { pullImage } from '../../src/image/remote.ts';
import { RegistryError } from '../../src/registry/errors.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { closeTransport } from '../../src/registry/shared.ts';
import { pushFixture } from '../support/fixtures.ts';
import { inspectImage } from '../support/inspect.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const platform = { os: 'linux', architecture: 'amd64' };

describe('TLS registry', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry({ tls: true });
    await pushFixture(reg, 'busybox', 'library/busybox:latest');
  });
  after(async () => {
    await reg.stop();
  });

  test('with the CA given per registry: pull and push over https', async () => {
    const options: RegistryOptions = { registryCertificates: { [reg.host]: reg.ca!.caCert } };
    const img = await pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options });
    const res = await pushImage(img, [parseReference(`${reg.host}/tls/copy:1`)], options);
    const seen = await inspectImage(`${reg.host}/tls/copy:1`, { certDir: reg.ca!.certDir });
    assert.equal(seen.digest, res.digest);
    await closeTransport(options);
  });

  test('without the CA: one-line error saying the certificate is not trusted and what to do', async () => {
    const options: RegistryOptions = { retryBaseMs: 5 };
    await assert.rejects(
      pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options }),
      (e: unknown) => {
        assert.ok(e instanceof RegistryError && e.kind === 'network', String(e));
        assert.match(
          e.message,
          /TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/,
        );
        assert.match(e.message, /--registry-certificate/);
        assert.equal(e.message.split('\n').length, 1);
        return true;
      },
    );
    await closeTransport(options);
  });

  test('an untrusted certificate is never a reason for plain HTTP, even where HTTP answers too', async () => {
    // One port that speaks both: TLS handshakes go to the registry, anything else to a plain
    // HTTP server that would answer every request (a downgrade would reach it).
    const plain = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const tlsPort = Number(reg.host.split(':')[1]);
    const plainPort = (plain.address() as AddressInfo).port;
    const front = createNetServer((sock) => {
      sock.once('data', (first: Buffer) => {
        const up = connect(first[0] === 0x16 ? tlsPort : plainPort, '127.0.0.1', () => {
          up.write(first);
          sock.pipe(up).pipe(sock);
        });
        up.on('error', () => sock.destroy());
        sock.on('error', () => up.destroy());
      });
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(front.address() as AddressInfo).port}`;
    const options: RegistryOptions = { retryBaseMs: 5, insecurePull: true };
    try {
      await assert.rejects(
        pullImage(parseReference(`${host}/library/busybox`), { platform, options }),
        (e: unknown) => e instanceof RegistryError && /TLS certificate of .* is not trusted/.test(e.message),
      );
    } finally {
      await closeTransport(options);
      front.close();
      plain.close();
    }
  });

  test('--skip-tls-verify-pull pulls without the CA; pushing still verifies', async () => {
    const options: RegistryOptions = { skipTlsVerifyPull: true, retryBaseMs: 5 };
    const img = await pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options });
    assert.equal((await img.config()).os, 'linux');
    await assert.rejects(
      pushImage(img, [parseReference(`${reg.host}/tls/other:1`)], options),
      (e: unknown) => e instanceof RegistryError && /not trusted/.test(e.message),
    );
    await closeTransport(options);
  });
});
