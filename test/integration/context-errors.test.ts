// A context that cannot be fetched: exit code 7 and one line naming the context (credentials
// taken out), no stack trace, no secret anywhere in the output.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { AZURITE_KEY, type Azurite, startAzurite } from '../support/azurite.ts';
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
import { type CliBuild, kanikoBuild } from '../support/kaniko-ts.ts';
import { S3RVER_CREDENTIALS, type S3Server, startS3Server } from '../support/s3-server.ts';
import { makeTestCA, type TestCA } from '../support/tls.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-context-errors-'));
const SECRET = 'super-secret-password-9c1';

const PAGE = Buffer.from('<html><body>a web page</body></html>\n');

/**
 * Builds from `context`, expecting a context error (exit code 7), and returns its reason: the
 * error output must be exactly one line, `error: context <shown>: <reason>`, where `shown` is the
 * context as given (credentials taken out); no stack frame and no secret anywhere.
 */
async function failing(
  context: string,
  opts: { env?: NodeJS.ProcessEnv; extraArgs?: string[]; shown?: string } = {},
): Promise<string> {
  const build: CliBuild = { context, dockerfile: 'Dockerfile' };
  if (opts.env) build.env = opts.env;
  if (opts.extraArgs) build.extraArgs = opts.extraArgs;
  const r = await kanikoBuild(build);
  assert.equal(r.code, 7, r.stderr);
  assert.ok(!r.stderr.includes(SECRET) && !r.stdout.includes(SECRET), 'a secret was printed');
  assert.doesNotMatch(r.stderr + r.stdout, /^\s+at .+:\d+:\d+\)?$/m, 'a stack trace was printed');
  // The error output: the logger's ERROR lines, the CLI's `error:` line and whatever follows it.
  const lines = r.stderr.trimEnd().split('\n');
  const first = lines.findIndex((l) => /^(error:|ERROR:)/.test(l));
  assert.ok(first >= 0, `no error line in:\n${r.stderr}`);
  const errorOutput = lines.slice(first);
  assert.equal(errorOutput.length, 1, `error output is not one line:\n${errorOutput.join('\n')}`);
  const line = errorOutput[0]!;
  const prefix = `error: context ${opts.shown ?? context}: `;
  assert.ok(line.startsWith(prefix), `"${line}" does not start with "${prefix}"`);
  return line.slice(prefix.length);
}

describe('build context errors', () => {
  let ca: TestCA;
  let https: HttpsFileServer;
  let daemon: GitDaemon;
  let gitHttp: GitHttpServer;
  let gitHttps: GitHttpServer;
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
    [https, daemon, gitHttp, gitHttps, s3, gcs, azurite] = await Promise.all([
      startHttpsFileServer(ca, { '/page.html': PAGE }, ['/private.tar.gz']),
      startGitDaemon(gitRoot),
      startGitHttp(gitRoot, { username: 'ci', password: 'right' }),
      startGitHttp(gitRoot, { username: 'ci', password: 'right' }, ca),
      startS3Server('contexts'),
      startGcsServer({ forbiddenBuckets: ['private'] }),
      startAzurite(),
    ]);
    // A web page where a context archive should be, in every store.
    gcs.put('contexts', 'page.html', PAGE, 'text/html');
    const s3client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    await s3client.send(
      new PutObjectCommand({ Bucket: 'contexts', Key: 'page.html', Body: PAGE, ContentType: 'text/html' }),
    );
    s3client.destroy();
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString()).getContainerClient(
      'contexts',
    );
    await container.create();
    await container
      .getBlockBlobClient('page.html')
      .uploadData(PAGE, { blobHTTPHeaders: { blobContentType: 'text/html' } });
  });
  after(async () => {
    await Promise.all([
      https?.stop(),
      daemon?.stop(),
      gitHttp?.stop(),
      gitHttps?.stop(),
      s3?.stop(),
      gcs?.stop(),
      azurite?.stop(),
    ]);
    await rm(work, { recursive: true, force: true });
  });

  test('unknown scheme', async () => {
    assert.match(await failing('ftp://example.invalid/context.tar.gz'), /^unknown scheme ftp:\/\//);
  });

  test('a missing tar file', async () => {
    assert.equal(await failing(`tar://${join(work, 'nope.tar.gz')}`), 'no such file');
  });

  test('https: not a tarball, 404 and 403', async () => {
    const env = { SSL_CERT_FILE: ca.caCert };
    assert.match(await failing(`${https.url}/page.html`, { env }), /^not a tar archive/);
    assert.equal(await failing(`${https.url}/missing.tar.gz`, { env }), 'not found (HTTP 404)');
    assert.equal(await failing(`${https.url}/private.tar.gz`, { env }), 'access denied (HTTP 403)');
  });

  test('https: a certificate nobody vouches for is refused', async () => {
    assert.match(await failing(`${https.url}/page.html`), /^cannot download: .*certificate/i);
  });

  test('git: ref not found, over git daemon', async () => {
    const reason = await failing(`${daemon.url}/repo.git#refs/heads/nope`, {
      env: { GIT_PULL_METHOD: 'git' },
    });
    assert.match(reason, /^git ref refs\/heads\/nope not found/);
  });

  test('git: --git branch= that does not exist', async () => {
    const reason = await failing(`${daemon.url}/repo.git`, {
      env: { GIT_PULL_METHOD: 'git' },
      extraArgs: ['--git', 'branch=nope'],
    });
    assert.match(reason, /git branch nope not found/);
  });

  test('git: wrong password over smart http; URL credentials are never shown', async () => {
    const base = gitHttp.url.replace('http://', '');
    const withEnv = await failing(`git://${base}/repo.git`, {
      env: { GIT_PULL_METHOD: 'http', GIT_USERNAME: 'ci', GIT_PASSWORD: SECRET },
    });
    assert.match(withEnv, /git authentication failed/);
    const inUrl = await failing(`git://ci:${SECRET}@${base}/repo.git`, {
      env: { GIT_PULL_METHOD: 'http' },
      shown: `git://***@${base}/repo.git`,
    });
    assert.match(inUrl, /^git authentication failed/);
  });

  test('git: a wrong GIT_TOKEN over smart http is never shown', async () => {
    const base = gitHttp.url.replace('http://', '');
    const reason = await failing(`git://${base}/repo.git`, {
      env: { GIT_PULL_METHOD: 'http', GIT_TOKEN: SECRET, GIT_USERNAME: 'ci', GIT_PASSWORD: 'right' },
    });
    assert.match(reason, /^git authentication failed/);
  });

  test('git: a TLS server nobody vouches for, without --git insecure-skip-tls', async () => {
    // The test CA is nowhere: git's default store only (context-schemes.test.ts passes with the option).
    const reason = await failing(`${gitHttps.url}/repo.git#refs/heads/main`, {
      env: {
        SSL_CERT_FILE: undefined,
        GIT_SSL_CAINFO: undefined,
        GIT_SSL_NO_VERIFY: undefined,
        GIT_USERNAME: 'ci',
        GIT_PASSWORD: 'right',
      },
    });
    assert.match(reason, /^git ref refs\/heads\/main: unable to access '[^']*': .*certificate/i);
  });

  test('s3: missing bucket, missing object, 403, not a tarball', async () => {
    const env = s3env(S3RVER_CREDENTIALS.accessKeyId);
    assert.equal(await failing('s3://nobucket/context.tar.gz', { env }), 'bucket nobucket does not exist');
    assert.equal(
      await failing('s3://contexts/none.tar.gz', { env }),
      'object none.tar.gz not found in bucket contexts',
    );
    assert.match(
      await failing('s3://contexts/context.tar.gz', { env: s3env('WRONG-KEY-ID') }),
      /^access denied \(HTTP 403/,
    );
    const right = { ...env, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey };
    assert.match(await failing('s3://contexts/page.html', { env: right }), /^not a tar archive/);
  });

  test('s3: a host-name S3_ENDPOINT without S3_FORCE_PATH_STYLE asks BUCKET.host, as kaniko does', async () => {
    const { S3_FORCE_PATH_STYLE: _pathStyle, ...env } = s3env(S3RVER_CREDENTIALS.accessKeyId);
    env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    // Virtual-host style asks contexts.localhost, which does not resolve here; where a resolver
    // maps *.localhost to loopback, s3rver reads the bucket from the path and does not find it.
    assert.match(
      await failing('s3://contexts/page.html', { env }),
      /^(Error: )?getaddrinfo E\w+ contexts\.localhost$|^bucket contexts does not exist$/,
    );
  });

  test('gs: missing bucket, 403, not a tarball', async () => {
    const env = { STORAGE_EMULATOR_HOST: gcs.url };
    assert.equal(await failing('gs://nobucket', { env }), 'bucket nobucket does not exist');
    assert.match(await failing('gs://private/context.tar.gz', { env }), /^access denied \(HTTP 403\)/);
    assert.match(await failing('gs://contexts/page.html', { env }), /^not a tar archive/);
  });

  test('azure: missing container, wrong key, missing key, not a tarball', async () => {
    const url = 'https://devstoreaccount1.blob.core.windows.net';
    const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString() };
    assert.match(await failing(`${url}/nope/context.tar.gz`, { env }), /^container nope does not exist/);
    const wrong = Buffer.from(SECRET).toString('base64');
    assert.match(
      await failing(`${url}/contexts/context.tar.gz`, {
        env: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString(wrong) },
      }),
      /^access denied \(HTTP 403/,
    );
    // kaniko's route: the account from the URL, the key from AZURE_STORAGE_ACCESS_KEY.
    const keyRoute = (key: string) => ({
      AZURE_STORAGE_CONNECTION_STRING: undefined,
      AZURE_STORAGE_ACCESS_KEY: key,
      AZURE_STORAGE_SERVICE_ENDPOINT: azurite.blobEndpoint,
    });
    assert.match(
      await failing(`${url}/contexts/context.tar.gz`, { env: keyRoute(wrong) }),
      /^access denied \(HTTP 403/,
    );
    assert.match(
      await failing(`${url}/nope/context.tar.gz`, { env: keyRoute(AZURITE_KEY) }),
      /^container nope does not exist/,
    );
    assert.equal(
      await failing(`${url}/contexts/context.tar.gz`, {
        env: { AZURE_STORAGE_CONNECTION_STRING: '', AZURE_STORAGE_ACCESS_KEY: '' },
      }),
      'AZURE_STORAGE_ACCESS_KEY is not set',
    );
    assert.match(await failing(`${url}/contexts/page.html`, { env }), /^not a tar archive/);
  });
});
