// How git is told about credentials and TLS: by environment only, scoped to the repository's
// origin, never on the command line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fetchProgress, gitCredentials, gitEnv } from '../../../src/context/git.ts';
import type { GitSpec } from '../../../src/context/kaniko-url.ts';

const spec: GitSpec = { kind: 'git', url: 'https://git.example:8443/org/repo.git' };
const options = { singleBranch: false, recurseSubmodules: false, insecureSkipTLS: false };

function configOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < Number(env.GIT_CONFIG_COUNT); i++)
    out[env[`GIT_CONFIG_KEY_${i}`]!] = env[`GIT_CONFIG_VALUE_${i}`]!;
  return out;
}

describe('git credentials and environment', () => {
  test("kaniko's precedence: GIT_TOKEN as user name, else GIT_USERNAME/GIT_PASSWORD, else the URL's", () => {
    const withUrl: GitSpec = { ...spec, userinfo: { username: 'u', password: 'p' } };
    assert.deepEqual(gitCredentials(withUrl, { GIT_TOKEN: 't', GIT_USERNAME: 'x' }), {
      username: 't',
      password: '',
    });
    assert.deepEqual(gitCredentials(withUrl, { GIT_USERNAME: 'x', GIT_PASSWORD: 'y' }), {
      username: 'x',
      password: 'y',
    });
    assert.deepEqual(gitCredentials(withUrl, {}), { username: 'u', password: 'p' });
    assert.equal(gitCredentials(spec, {}), undefined);
  });

  test('an Authorization header for the one origin, through GIT_CONFIG_* variables', () => {
    const env = gitEnv(spec, { env: { GIT_USERNAME: 'ci', GIT_PASSWORD: 'pw' }, git: options });
    const config = configOf(env);
    assert.equal(
      config['http.https://git.example:8443/.extraHeader'],
      `Authorization: Basic ${Buffer.from('ci:pw').toString('base64')}`,
    );
    assert.equal(env.GIT_TERMINAL_PROMPT, '0');
    assert.equal(config['protocol.file.allow'], 'never');
  });

  test('existing GIT_CONFIG_* entries are kept; no header without credentials or over git://', () => {
    const env = gitEnv(spec, {
      env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.x', GIT_CONFIG_VALUE_0: 'y' },
      git: options,
    });
    const config = configOf(env);
    assert.equal(config['core.x'], 'y');
    assert.ok(!Object.keys(config).some((k) => k.endsWith('extraHeader')));
    const daemon = gitEnv({ kind: 'git', url: 'git://h/r.git' }, { env: { GIT_TOKEN: 'tok' }, git: options });
    assert.ok(!Object.keys(configOf(daemon)).some((k) => k.endsWith('extraHeader')));
  });

  test('TLS: insecure-skip-tls, or SSL_CERT_FILE as git CA file', () => {
    assert.equal(
      gitEnv(spec, { env: {}, git: { ...options, insecureSkipTLS: true } }).GIT_SSL_NO_VERIFY,
      'true',
    );
    assert.equal(gitEnv(spec, { env: { SSL_CERT_FILE: '/ca.pem' }, git: options }).GIT_SSL_CAINFO, '/ca.pem');
    assert.equal(
      gitEnv(spec, { env: { SSL_CERT_FILE: '/ca.pem', GIT_SSL_CAINFO: '/other.pem' }, git: options })
        .GIT_SSL_CAINFO,
      '/other.pem',
    );
  });
});

test("git's fetch progress becomes a line every 16 MiB", () => {
  const lines: string[] = [];
  const feed = fetchProgress('git://h/r.git', (l) => lines.push(l));
  feed('Receiving objects:  10% (1/10), 512.00 KiB | 1.00 MiB/s\r');
  feed(
    'Receiving objects:  50% (5/10), 16.50 MiB | 8.00 MiB/s\rReceiving objects:  60% (6/10), 20.00 MiB | 8 MiB/s\r',
  );
  feed('Receiving objects:  90% (9/10), 30.00 MiB | 8.00 MiB/s\r');
  feed('Receiving objects: 100% (10/10), 40.00 MiB | 8.00 MiB/s, done.\n');
  assert.deepEqual(lines, [
    'context git://h/r.git: fetched 20.0 MiB of git objects',
    'context git://h/r.git: fetched 40.0 MiB of git objects',
  ]);
});
