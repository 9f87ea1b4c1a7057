// A context that cannot be fetched: exit code 7 and one line naming the context (credentials
// taken out), no stack trace, no secret anywhere in the output.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Azurite, startAzurite } from '../support/azurite.ts';
import { type GcsServer, startGcsServer } from '../support/gcs-server.ts';
import {
  commitFiles,
  type GitDaemon,
  type GitHttpServer,
  publishBare,
  startGitDaemon,
  startGitHttp,
} from '../support/git-server.ts';
import { type HttpsFileServer, startHttpsFileServer } from '../support/https-server.ts';
import { kanikoBuild } from '../support/kaniko-ts.ts';
import { S3RVER_CREDENTIALS, type S3Server, startS3Server } from '../support/s3-server.ts';
import { makeTestCA, type TestCA } from '../support/tls.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-context-errors-'));
const SECRET = 'super-secret-password-9c1';

/** The error a user reads: the last stderr line, one line, no stack frames anywhere. */
function errorLine(stderr: string): string {
  assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, 'a stack trace was printed');
  return stderr.trim().split('\n').at(-1)!;
}

async function failing(context: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await kanikoBuild({ context, dockerfile: 'Dockerfile', env });
  assert.equal(r.code, 7, r.stderr);
  assert.ok(!r.stderr.includes(SECRET) && !r.stdout.includes(SECRET), 'a secret was printed');
  return errorLine(r.stderr);
}

describe('build context errors', () => {
  let ca: TestCA;
  let https: HttpsFileServer;
  let daemon: GitDaemon;
  let gitHttp: GitHttpServer;
  let s3: S3Server;
  let gcs: GcsServer;
  let azurite: Azurite;
  const s3env = (key: string): NodeJS.ProcessEnv => ({
    S3_ENDPOINT: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: key,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  before(async () => {
    ca = await makeTestCA();
    const gitWork = join(work, 'git-work');
    const gitRoot = join(work, 'git-root');
    await commitFiles(gitWork, 'main', { Dockerfile: 'FROM scratch\n' });
    await publishBare(gitWork, gitRoot, 'repo.git');
    [https, daemon, gitHttp, s3, gcs, azurite] = await Promise.all([
      startHttpsFileServer(ca, { '/page.html': Buffer.from('<html><body>a web page</body></html>\n') }, [
        '/private.tar.gz',
      ]),
      startGitDaemon(gitRoot),
      startGitHttp(gitRoot, { username: 'ci', password: 'right' }),
      startS3Server('contexts'),
      startGcsServer({ forbiddenBuckets: ['private'] }),
      startAzurite(),
    ]);
    gcs.put('contexts', 'page.html', Buffer.from('<html></html>\n'), 'text/html');
  });
  after(async () => {
    await Promise.all([
      https?.stop(),
      daemon?.stop(),
      gitHttp?.stop(),
      s3?.stop(),
      gcs?.stop(),
      azurite?.stop(),
    ]);
    await rm(work, { recursive: true, force: true });
  });

  test('unknown scheme', async () => {
    const line = await failing('ftp://example.invalid/context.tar.gz');
    assert.match(line, /context ftp:\/\/example\.invalid\/context\.tar\.gz: unknown scheme ftp:\/\//);
  });

  test('a missing tar file', async () => {
    const line = await failing(`tar://${join(work, 'nope.tar.gz')}`);
    assert.match(line, /nope\.tar\.gz: no such file/);
  });

  test('https: not a tarball, 404 and 403', async () => {
    const env = { SSL_CERT_FILE: ca.caCert };
    assert.match(
      await failing(`${https.url}/page.html`, env),
      /context https:\/\/127\.0\.0\.1:\d+\/page\.html: not a tar archive/,
    );
    assert.match(
      await failing(`${https.url}/missing.tar.gz`, env),
      /missing\.tar\.gz: not found \(HTTP 404\)/,
    );
    assert.match(
      await failing(`${https.url}/private.tar.gz`, env),
      /private\.tar\.gz: access denied \(HTTP 403\)/,
    );
  });

  test('https: a certificate nobody vouches for is refused', async () => {
    assert.match(await failing(`${https.url}/page.html`), /page\.html: cannot download: .*certificate/i);
  });

  test('git: ref not found, over git daemon', async () => {
    const line = await failing(`${daemon.url}/repo.git#refs/heads/nope`, { GIT_PULL_METHOD: 'git' });
    assert.match(
      line,
      /context git:\/\/127\.0\.0\.1:\d+\/repo\.git#refs\/heads\/nope: git ref refs\/heads\/nope not found/,
    );
  });

  test('git: --git branch= that does not exist', async () => {
    const r = await kanikoBuild({
      context: `${daemon.url}/repo.git`,
      dockerfile: 'Dockerfile',
      env: { GIT_PULL_METHOD: 'git' },
      extraArgs: ['--git', 'branch=nope'],
    });
    assert.equal(r.code, 7, r.stderr);
    assert.match(errorLine(r.stderr), /git branch nope not found/);
  });

  test('git: wrong password over smart http; URL credentials are never shown', async () => {
    const base = gitHttp.url.replace('http://', '');
    const line = await failing(`git://${base}/repo.git`, {
      GIT_PULL_METHOD: 'http',
      GIT_USERNAME: 'ci',
      GIT_PASSWORD: SECRET,
    });
    assert.match(line, /git authentication failed/);
    const inUrl = await failing(`git://ci:${SECRET}@${base}/repo.git`, { GIT_PULL_METHOD: 'http' });
    assert.match(inUrl, /context git:\/\/\*\*\*@127\.0\.0\.1:\d+\/repo\.git: git authentication failed/);
  });

  test('s3: missing bucket, missing object, 403', async () => {
    const env = s3env(S3RVER_CREDENTIALS.accessKeyId);
    assert.match(
      await failing('s3://nobucket/context.tar.gz', env),
      /context s3:\/\/nobucket\/context\.tar\.gz: bucket nobucket does not exist/,
    );
    assert.match(
      await failing('s3://contexts/none.tar.gz', env),
      /object none\.tar\.gz not found in bucket contexts/,
    );
    assert.match(
      await failing('s3://contexts/context.tar.gz', s3env('WRONG-KEY-ID')),
      /access denied \(HTTP 403/,
    );
  });

  test('gs: missing bucket, 403, not a tarball', async () => {
    const env = { STORAGE_EMULATOR_HOST: gcs.url };
    assert.match(
      await failing('gs://nobucket', env),
      /context gs:\/\/nobucket: bucket nobucket does not exist/,
    );
    assert.match(await failing('gs://private/context.tar.gz', env), /access denied \(HTTP 403\)/);
    assert.match(
      await failing('gs://contexts/page.html', env),
      /gs:\/\/contexts\/page\.html: not a tar archive/,
    );
  });

  test('azure: missing container, wrong key, missing key', async () => {
    const url = 'https://devstoreaccount1.blob.core.windows.net';
    const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString() };
    assert.match(await failing(`${url}/nope/context.tar.gz`, env), /container nope does not exist/);
    const wrong = Buffer.from(SECRET).toString('base64');
    assert.match(
      await failing(`${url}/contexts/context.tar.gz`, {
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString(wrong),
      }),
      /access denied \(HTTP 403/,
    );
    assert.match(
      await failing(`${url}/contexts/context.tar.gz`, {
        AZURE_STORAGE_CONNECTION_STRING: '',
        AZURE_STORAGE_ACCESS_KEY: '',
      }),
      /AZURE_STORAGE_ACCESS_KEY is not set/,
    );
  });
});
