// Auth against the rig's real registries: htpasswd Basic, a token server with per-repository
// scopes, config.json with a credential helper script, and a wrong password.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkPushPermission, pushImage } from '../../src/image/push.ts';
import { pullImage } from '../../src/image/remote.ts';
import { dockerConfigKeychain, staticKeychain } from '../../src/registry/auth/keychain.ts';
import { RegistryError } from '../../src/registry/errors.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { closeTransport } from '../../src/registry/shared.ts';
import { run } from '../support/exec.ts';
import { fixtureLayout } from '../support/fixtures.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';
import { startTokenServer, type TokenServer } from '../support/token-server.ts';

const platform = { os: 'linux', architecture: 'amd64' };

function authError(registry: string) {
  return (e: unknown) =>
    e instanceof RegistryError &&
    e.kind === 'auth' &&
    e.message.includes(registry) &&
    !e.message.includes('\n');
}

async function seed(reg: TestRegistry, repo: string, creds: string): Promise<void> {
  await run('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    '--dest-creds',
    creds,
    `oci:${fixtureLayout('busybox')}:latest`,
    `docker://${reg.host}/${repo}`,
  ]);
}

describe('htpasswd Basic auth', () => {
  let reg: TestRegistry;
  let dir: string;
  before(async () => {
    reg = await startRegistry({ htpasswd: { username: 'ci', password: 's3cret' } });
    await seed(reg, 'library/busybox:latest', 'ci:s3cret');
    dir = await mkdtemp(join(tmpdir(), 'kts-auth-'));
  });
  after(async () => {
    await reg.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('pulls and pushes with the right password', async () => {
    const options: RegistryOptions = {
      keychain: staticKeychain({ [reg.host]: { kind: 'basic', username: 'ci', password: 's3cret' } }),
    };
    const img = await pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options });
    const res = await pushImage(img, [parseReference(`${reg.host}/copy/busybox:1`)], options);
    assert.equal(res.digest, await img.digest());
    await checkPushPermission(parseReference(`${reg.host}/copy/busybox:1`), options);
    await closeTransport(options);
  });

  test('a wrong password is a one-line auth error naming the registry, never the password', async () => {
    const options: RegistryOptions = {
      keychain: staticKeychain({ [reg.host]: { kind: 'basic', username: 'ci', password: 'wrong-pw' } }),
    };
    await assert.rejects(
      pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options }),
      (e: unknown) => {
        assert.ok(authError(reg.host)(e), String(e));
        assert.ok(!(e as Error).message.includes('wrong-pw'));
        return true;
      },
    );
    await assert.rejects(
      checkPushPermission(parseReference(`${reg.host}/x/y`), options),
      authError(reg.host),
    );
    await closeTransport(options);
  });

  test('config.json credHelpers run a docker-credential-* script found on PATH', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const log = join(dir, 'helper.log');
    await writeFile(
      join(bin, 'docker-credential-rig'),
      `#!/bin/sh\nread host\necho "$1 $host" >> ${log}\nprintf '{"ServerURL":"%s","Username":"ci","Secret":"s3cret"}' "$host"\n`,
    );
    await chmod(join(bin, 'docker-credential-rig'), 0o755);
    const configDir = join(dir, 'docker');
    await mkdir(configDir);
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { [reg.host]: 'rig' } }));
    const env = { ...process.env, DOCKER_CONFIG: configDir, PATH: `${bin}:${process.env.PATH}` };
    const options: RegistryOptions = { keychain: dockerConfigKeychain({ env }) };
    const img = await pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options });
    assert.equal((await img.layers()).length, 1);
    const { readFile } = await import('node:fs/promises');
    assert.equal((await readFile(log, 'utf8')).trim(), `get ${reg.host}`);
    await closeTransport(options);
  });
});

describe('token auth with per-repository scopes', () => {
  let tokens: TokenServer;
  let reg: TestRegistry;
  before(async () => {
    tokens = await startTokenServer({
      users: {
        alice: {
          password: 'alice-pw',
          refreshToken: 'alice-refresh',
          access: { 'team/*': ['pull', 'push'], 'library/*': ['pull'] },
        },
        bob: { password: 'bob-pw', access: { 'team/*': ['pull'], 'library/*': ['pull', 'push'] } },
      },
    });
    reg = await startRegistry({ token: tokens.registryAuth });
  });
  after(async () => {
    await reg.stop();
    await tokens.stop();
  });
  const as = (user: string, password: string): RegistryOptions => ({
    ...(process.env.KTS_DEBUG ? { debug: (l: string) => console.error(l) } : {}),
    keychain: staticKeychain({ [reg.host]: { kind: 'basic', username: user, password } }),
  });

  test('bob pushes to library/, alice pulls it and pushes to team/ with a mount from library/', async () => {
    const bob = as('bob', 'bob-pw');
    const { readOciLayout } = await import('../../src/image/layout.ts');
    const fixture = await readOciLayout(fixtureLayout('busybox'), 'latest');
    await pushImage(fixture, [parseReference(`${reg.host}/library/busybox:latest`)], bob);
    await closeTransport(bob);

    const alice = as('alice', 'alice-pw');
    tokens.requests.length = 0;
    const img = await pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options: alice });
    const res = await pushImage(img, [parseReference(`${reg.host}/team/app:1`)], alice);
    assert.equal(res.digest, await img.digest());
    const scopes = tokens.requests.flatMap((r) => r.granted);
    assert.ok(scopes.includes('repository:library/busybox:pull'), scopes.join(' '));
    assert.ok(scopes.includes('repository:team/app:pull,push'), scopes.join(' '));
    assert.ok(tokens.requests.every((r) => r.account === 'alice'));
    // One token per scope set, reused for every request with the same scopes.
    const sets = tokens.requests.map((r) => [...r.scopes].sort().join(' '));
    assert.equal(new Set(sets).size, sets.length, sets.join(' | '));
    await closeTransport(alice);
  });

  test("a repository outside the user's grant is refused with an auth error", async () => {
    const alice = as('alice', 'alice-pw');
    await assert.rejects(
      checkPushPermission(parseReference(`${reg.host}/library/other`), alice),
      authError(reg.host),
    );
    const bob = as('bob', 'bob-pw');
    await assert.rejects(
      checkPushPermission(parseReference(`${reg.host}/team/app`), bob),
      authError(reg.host),
    );
    await checkPushPermission(parseReference(`${reg.host}/team/app`), alice);
    await closeTransport(alice);
    await closeTransport(bob);
  });

  test('an identitytoken in config.json is exchanged with an OAuth2 POST', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kts-idtoken-'));
    try {
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify({
          auths: {
            [`https://${reg.host}`]: {
              auth: Buffer.from('alice:').toString('base64'),
              identitytoken: 'alice-refresh',
            },
          },
        }),
      );
      const options: RegistryOptions = {
        keychain: dockerConfigKeychain({ paths: [join(dir, 'config.json')] }),
      };
      tokens.requests.length = 0;
      await checkPushPermission(parseReference(`${reg.host}/team/oauth`), options);
      assert.ok(tokens.requests.length > 0);
      assert.ok(
        tokens.requests.every((r) => r.method === 'POST' && r.account === 'alice' && r.status === 200),
      );
      await closeTransport(options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a wrong password fails at the token endpoint with an auth error naming the registry', async () => {
    const wrong = as('alice', 'nope');
    await assert.rejects(
      pullImage(parseReference(`${reg.host}/library/busybox`), { platform, options: wrong }),
      (e: unknown) => authError(reg.host)(e) && /token endpoint/.test((e as Error).message),
    );
    await closeTransport(wrong);
  });
});
