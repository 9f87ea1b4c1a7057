// detectPlatform's keychain on Google's registries: the metadata server's token when it answers,
// the user's config.json when it does not; other registries never ask the metadata server.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { detectPlatform } from '../../../src/cli/platform.ts';
import { dockerConfigKeychain, type Keychain } from '../../../src/registry/auth/keychain.ts';
import { freePort } from '../../support/ports.ts';

const TOKEN = 'ya29.unit-metadata-token';
const CONFIG_USER = 'json-key-user';
const CONFIG_PASSWORD = 'config-json-password-5e1';
const GOOGLE_HOSTS = ['gcr.io', 'eu.gcr.io', 'europe-west1-docker.pkg.dev'];
const OTHER_HOST = 'registry.example.com';

interface Recorded {
  notes: string[];
  masked: string[];
}

/** The keychain the CLI would build: detectPlatform's, over the real config.json keychain. */
function platformKeychain(
  env: Record<string, string>,
  configFile: string,
): { keychain: Keychain } & Recorded {
  const notes: string[] = [];
  const masked: string[] = [];
  const platform = detectPlatform([], env, { mask: (s) => masked.push(s), note: (l) => notes.push(l) });
  return { keychain: platform.keychain(dockerConfigKeychain({ paths: [configFile] })), notes, masked };
}

/** Fails if a secret is anywhere in what the platform logged. */
function assertNoSecret(r: Recorded): void {
  for (const line of r.notes) {
    for (const secret of [
      TOKEN,
      CONFIG_PASSWORD,
      Buffer.from(`${CONFIG_USER}:${CONFIG_PASSWORD}`).toString('base64'),
    ])
      assert.ok(!line.includes(secret), `a secret in "${line}"`);
  }
}

describe('Google registries: metadata token, else config.json', () => {
  let dir: string;
  let configFile: string;
  let metadata: Server;
  let metadataHost: string;
  /** What the metadata server is asked, in order. */
  const asked: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-platform-'));
    configFile = join(dir, 'config.json');
    const auth = Buffer.from(`${CONFIG_USER}:${CONFIG_PASSWORD}`).toString('base64');
    const auths = Object.fromEntries([...GOOGLE_HOSTS, OTHER_HOST].map((h) => [h, { auth }]));
    await writeFile(configFile, JSON.stringify({ auths }));
    metadata = createServer((req, res) => {
      asked.push({ url: req.url, headers: req.headers });
      if (req.headers['metadata-flavor'] !== 'Google') {
        res.statusCode = 403;
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.setHeader('metadata-flavor', 'Google');
      res.end(JSON.stringify({ access_token: TOKEN, expires_in: 3599, token_type: 'Bearer' }));
    });
    await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
    metadataHost = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => metadata?.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('metadata server answering: its token with user oauth2accesstoken, masked; one request', async () => {
    asked.length = 0;
    const r = platformKeychain({ GCE_METADATA_HOST: metadataHost }, configFile);
    for (const host of GOOGLE_HOSTS)
      assert.deepEqual(await r.keychain.resolve(host), {
        kind: 'basic',
        username: 'oauth2accesstoken',
        password: TOKEN,
      });
    assert.deepEqual(
      asked.map((q) => [q.url, q.headers['metadata-flavor']]),
      [['/computeMetadata/v1/instance/service-accounts/default/token', 'Google']],
    );
    assert.ok(r.masked.includes(TOKEN), 'the token is masked in the log');
    assert.deepEqual(r.notes, []);
  });

  test('other registries take config.json and never ask the metadata server', async () => {
    asked.length = 0;
    const r = platformKeychain({ GCE_METADATA_HOST: metadataHost }, configFile);
    assert.deepEqual(await r.keychain.resolve(OTHER_HOST), {
      kind: 'basic',
      username: CONFIG_USER,
      password: CONFIG_PASSWORD,
    });
    assert.equal(asked.length, 0);
    assert.deepEqual(r.notes, []);
  });

  test('metadata server unreachable (closed loopback port): config.json, one note naming the server', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const r = platformKeychain({ GCE_METADATA_HOST: closed }, configFile);
    for (const host of GOOGLE_HOSTS)
      assert.deepEqual(await r.keychain.resolve(host), {
        kind: 'basic',
        username: CONFIG_USER,
        password: CONFIG_PASSWORD,
      });
    assert.equal(r.notes.length, 1, r.notes.join('\n'));
    assert.equal(
      r.notes[0],
      `metadata server ${closed}: unreachable (ECONNREFUSED); using config.json for gcr.io`,
    );
    assert.deepEqual(r.masked, []);
    assertNoSecret(r);
  });

  test('metadata server refusing (HTTP 403): config.json, the note names the status, not a secret', async () => {
    const refusing = createServer((_req, res) => {
      res.statusCode = 403;
      res.end(`denied; the config.json password is not ${CONFIG_PASSWORD}`);
    });
    await new Promise<void>((res) => refusing.listen(0, '127.0.0.1', res));
    try {
      const host = `127.0.0.1:${(refusing.address() as AddressInfo).port}`;
      const r = platformKeychain({ GCE_METADATA_HOST: host }, configFile);
      assert.deepEqual(await r.keychain.resolve('europe-west1-docker.pkg.dev'), {
        kind: 'basic',
        username: CONFIG_USER,
        password: CONFIG_PASSWORD,
      });
      assert.deepEqual(r.notes, [
        `metadata server ${host}: HTTP 403 for the access token; using config.json for europe-west1-docker.pkg.dev`,
      ]);
      assertNoSecret(r);
    } finally {
      await new Promise((res) => refusing.close(res));
    }
  });

  test('unreachable and no config.json entry: anonymous, not an error', async () => {
    const r = platformKeychain(
      { GCE_METADATA_HOST: `127.0.0.1:${await freePort()}` },
      join(dir, 'none.json'),
    );
    assert.equal(await r.keychain.resolve('gcr.io'), undefined);
    assert.equal(r.notes.length, 1);
    assertNoSecret(r);
  });
});
