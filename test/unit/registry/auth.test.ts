import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseChallenge, repositoryScope } from '../../../src/registry/auth/challenge.ts';
import { dockerConfigCandidates, dockerConfigKeychain } from '../../../src/registry/auth/keychain.ts';
import { TokenCache } from '../../../src/registry/auth/token.ts';
import { RegistryError } from '../../../src/registry/errors.ts';

describe('WWW-Authenticate', () => {
  test('Bearer with quoted params, commas inside quotes', () => {
    const c = parseChallenge(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
    );
    assert.deepEqual(c, {
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a/b:pull,push',
      },
    });
  });
  test('Basic, case-insensitive scheme, unquoted token', () => {
    assert.deepEqual(parseChallenge('basic realm=reg'), { scheme: 'basic', params: { realm: 'reg' } });
    assert.equal(parseChallenge('Negotiate abc'), undefined);
    assert.equal(parseChallenge(undefined), undefined);
  });
  test('scope string', () => {
    assert.equal(repositoryScope('a/b', ['pull', 'push']), 'repository:a/b:pull,push');
  });
});

describe('token cache', () => {
  test('keys by registry and scope set regardless of order, honours expiry', () => {
    const c = new TokenCache();
    c.set('r', ['b', 'a'], 'tok', 1000);
    assert.equal(c.get('r', ['a', 'b'], 999), 'tok');
    assert.equal(c.get('r', ['a', 'b'], 1000), undefined);
    assert.equal(c.get('other', ['a', 'b'], 0), undefined);
  });
});

describe('docker config keychain', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-keychain-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('DOCKER_CONFIG comes first, then ~/.docker, then /kaniko/.docker', () => {
    assert.deepEqual(dockerConfigCandidates({ DOCKER_CONFIG: '/x', HOME: '/h' }), [
      '/x/config.json',
      '/h/.docker/config.json',
      '/kaniko/.docker/config.json',
    ]);
  });

  test('auths: base64 auth, username/password, identitytoken, registrytoken, Hub URL keys', async () => {
    const p = join(dir, 'auths.json');
    await writeFile(
      p,
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') },
          'reg.example:5000': { username: 'u', password: 'p' },
          'https://id.example/v2/': { identitytoken: 'refresh' },
          'tok.example': { registrytoken: 'bearer' },
        },
      }),
    );
    const k = dockerConfigKeychain({ paths: [p] });
    assert.deepEqual(await k.resolve('index.docker.io'), {
      kind: 'basic',
      username: 'hub',
      password: 'pw:with:colons',
    });
    assert.deepEqual(await k.resolve('docker.io'), {
      kind: 'basic',
      username: 'hub',
      password: 'pw:with:colons',
    });
    assert.deepEqual(await k.resolve('reg.example:5000'), { kind: 'basic', username: 'u', password: 'p' });
    assert.deepEqual(await k.resolve('id.example'), { kind: 'identity', username: '', token: 'refresh' });
    assert.deepEqual(await k.resolve('tok.example'), { kind: 'registry', token: 'bearer' });
    assert.equal(await k.resolve('nowhere.example'), undefined);
  });

  test('credHelpers run docker-credential-NAME get with the host on stdin; credsStore as fallback', async () => {
    const bin = join(dir, 'bin');
    await import('node:fs/promises').then((fs) => fs.mkdir(bin, { recursive: true }));
    const helper = join(bin, 'docker-credential-fake');
    await writeFile(
      helper,
      `#!/bin/sh\nread host\ncase "$host" in\n  helped.example) echo '{"ServerURL":"helped.example","Username":"hu","Secret":"hs"}';;\n  https://index.docker.io/v1/) echo '{"Username":"<token>","Secret":"idtok"}';;\n  broken.example) echo 'backend exploded' >&2; exit 3;;\n  *) echo 'credentials not found in native keychain'; exit 1;;\nesac\n`,
    );
    await chmod(helper, 0o755);
    const p = join(dir, 'helpers.json');
    await writeFile(
      p,
      JSON.stringify({
        credHelpers: { 'helped.example': 'fake', 'broken.example': 'fake' },
        credsStore: 'fake',
      }),
    );
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const k = dockerConfigKeychain({ paths: [p], env });
    assert.deepEqual(await k.resolve('helped.example'), { kind: 'basic', username: 'hu', password: 'hs' });
    assert.deepEqual(await k.resolve('docker.io'), { kind: 'identity', username: '<token>', token: 'idtok' });
    assert.equal(await k.resolve('unknown.example'), undefined);
    await assert.rejects(
      k.resolve('broken.example'),
      (e: unknown) =>
        e instanceof RegistryError &&
        e.kind === 'auth' &&
        /docker-credential-fake failed \(exit 3\): backend exploded/.test(e.message),
    );
    const missing = dockerConfigKeychain({ paths: [p], env: { PATH: '/nonexistent' } });
    await assert.rejects(missing.resolve('helped.example'), /docker-credential-fake not found on PATH/);
  });
});
