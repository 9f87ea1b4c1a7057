// Every kind of --context kaniko takes, each fetched from a real server on loopback, builds the
// same example to the same image digest (--reproducible) as the plain directory does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { AZURITE_KEY, type Azurite, startAzurite } from '../support/azurite.ts';
import { run } from '../support/exec.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { type GcsServer, startGcsServer } from '../support/gcs-server.ts';
import {
  commitFiles,
  commitWithSubmodules,
  type GitDaemon,
  type GitHttpServer,
  publishBare,
  startGitDaemon,
  startGitHttp,
} from '../support/git-server.ts';
import { type HttpsFileServer, startHttpsFileServer } from '../support/https-server.ts';
import { CLI, kanikoBuild } from '../support/kaniko-ts.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';
import { S3RVER_CREDENTIALS, type S3Server, startS3Server } from '../support/s3-server.ts';
import { makeTestCA, type TestCA } from '../support/tls.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-contexts-'));
const GIT_USER = 'ci-user';
const GIT_PASS = 'git-pass-7f3a';
const GIT_TOKEN = 'git-token-c41d9e';

/** Context files (besides the Dockerfile, which names the registry's busybox). */
const FILES: Record<string, string> = {
  'app/hello.txt': 'hello from the context\n',
  'app/sub/data.json': '{"n": 1}\n',
  '.dockerignore': 'ignored.txt\n.git\n',
  'ignored.txt': 'never copied\n',
};

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content, { mode: 0o644 });
  }
}

async function tarOf(dir: string, name: string, gzip = true): Promise<string> {
  const out = join(work, name);
  await run('tar', [gzip ? '-czf' : '-cf', out, '--sort=name', '-C', dir, '.']);
  return out;
}

describe('build contexts: every scheme builds the same image', () => {
  let reg: TestRegistry;
  let ca: TestCA;
  let https: HttpsFileServer;
  let daemon: GitDaemon;
  let gitHttp: GitHttpServer;
  let gitHttps: GitHttpServer;
  let gitToken: GitHttpServer;
  let s3: S3Server;
  let gcs: GcsServer;
  let azurite: Azurite;
  let dir: string;
  let tgz: Buffer;
  let plainTar: Buffer;
  let nestedTgz: string;
  let commitA: string;
  let expected: string;
  /** The Dockerfile of the repository with submodules (it copies only their directories). */
  let subDockerfile: string;
  let n = 0;

  /** Builds with --reproducible, pushes, returns the digest (asserting exit 0). */
  async function buildDigest(context: string, env: NodeJS.ProcessEnv = {}, extraArgs: string[] = []) {
    const digestFile = join(work, `digest-${n++}`);
    const r = await kanikoBuild({
      context,
      dockerfile: context === dir ? join(dir, 'Dockerfile') : 'Dockerfile',
      destinations: [`${reg.host}/contexts/app:${n}`],
      extraArgs: ['--reproducible', '--digest-file', digestFile, ...extraArgs],
      env,
    });
    assert.equal(r.code, 0, `${context}: ${r.stderr}`);
    return { digest: (await readFile(digestFile, 'utf8')).trim(), stderr: r.stderr, stdout: r.stdout };
  }

  before(async () => {
    [reg, ca] = await Promise.all([startRegistry(), makeTestCA()]);
    const busybox = (await pushBaseImages(reg)).busybox;
    const dockerfile = `FROM ${busybox}\nCOPY app/ /app/\nCOPY . /all/\n`;
    dir = join(work, 'ctx');
    await writeTree(dir, { Dockerfile: dockerfile, ...FILES });
    tgz = await readFile(await tarOf(dir, 'ctx.tar.gz'));
    plainTar = await readFile(await tarOf(dir, 'ctx.tar', false));
    const nested = join(work, 'nested');
    await writeTree(join(nested, 'deep', 'ctx'), { Dockerfile: dockerfile, ...FILES });
    await writeTree(nested, { 'README.md': 'outside the sub path\n' });
    nestedTgz = await tarOf(nested, 'nested.tar.gz');

    // Git: main holds the example; `later` adds a commit that changes it.
    const gitWork = join(work, 'git-work');
    const gitRoot = join(work, 'git-root');
    commitA = await commitFiles(gitWork, 'main', { Dockerfile: dockerfile, ...FILES });
    await commitFiles(gitWork, 'later', { 'app/hello.txt': 'changed later\n' });
    await publishBare(gitWork, gitRoot, 'repo.git');
    // Two repositories that the one below has as submodules.
    const libCommit = await commitFiles(join(work, 'lib-work'), 'main', { 'message.txt': 'from lib\n' });
    await publishBare(join(work, 'lib-work'), gitRoot, 'lib.git');
    const vendorCommit = await commitFiles(join(work, 'vendor-work'), 'main', { 'notes.txt': 'vendored\n' });
    await publishBare(join(work, 'vendor-work'), gitRoot, 'vendor.git');

    [https, daemon, gitHttp, gitHttps, gitToken, s3, gcs, azurite] = await Promise.all([
      startHttpsFileServer(ca, { '/ctx.tar.gz': tgz }),
      startGitDaemon(gitRoot),
      startGitHttp(gitRoot, { username: GIT_USER, password: GIT_PASS }),
      startGitHttp(gitRoot, { username: GIT_USER, password: GIT_PASS }, ca),
      // kaniko sends GIT_TOKEN as the user name with an empty password.
      startGitHttp(gitRoot, { username: GIT_TOKEN, password: '' }),
      startS3Server('contexts'),
      startGcsServer(),
      startAzurite(),
    ]);
    const s3client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    await s3client.send(new PutObjectCommand({ Bucket: 'contexts', Key: 'app/context.tar.gz', Body: tgz }));
    s3client.destroy();
    gcs.put('contexts', 'app/context.tar.gz', tgz, 'application/gzip');
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString());
    await blobs.getContainerClient('contexts').create();
    await blobs.getContainerClient('contexts').getBlockBlobClient('app/context.tar.gz').uploadData(tgz);

    // The servers publish whatever is under gitRoot, so this one can name the daemon's address:
    // lib by a URL relative to the superproject's (the usual way on one host), vendor absolutely.
    subDockerfile = `FROM ${busybox}\nCOPY lib/ /sub/lib/\nCOPY vendor/ /sub/vendor/\n`;
    await commitWithSubmodules(
      join(work, 'super-work'),
      { Dockerfile: subDockerfile, '.dockerignore': '.git\nlib/.git\nvendor/.git\n' },
      {
        lib: { url: '../lib.git', commit: libCommit },
        vendor: { url: `${daemon.url}/vendor.git`, commit: vendorCommit },
      },
    );
    await publishBare(join(work, 'super-work'), gitRoot, 'super.git');

    expected = (await buildDigest(dir)).digest;
    assert.match(expected, /^sha256:[0-9a-f]{64}$/);
  });

  after(async () => {
    await Promise.all([
      reg?.stop(),
      https?.stop(),
      daemon?.stop(),
      gitHttp?.stop(),
      gitHttps?.stop(),
      gitToken?.stop(),
      s3?.stop(),
      gcs?.stop(),
      azurite?.stop(),
    ]);
    await rm(work, { recursive: true, force: true });
  });

  test('dir:// is the same directory', async () => {
    assert.equal((await buildDigest(`dir://${dir}`)).digest, expected);
  });

  test('tar://path.tar.gz', async () => {
    const r = await buildDigest(`tar://${join(work, 'ctx.tar.gz')}`);
    assert.equal(r.digest, expected);
    assert.match(r.stderr, new RegExp(`fetched ${tgz.length} bytes`));
  });

  test('tar://stdin takes gzip and plain tar', async () => {
    for (const input of [tgz, plainTar]) {
      const kanikoDir = await mkdtemp(join(work, 'kdir-'));
      const digestFile = join(work, `digest-${n++}`);
      const child = spawn(
        process.execPath,
        [
          CLI,
          '--context',
          'tar://stdin',
          '--dockerfile',
          'Dockerfile',
          '--kaniko-dir',
          kanikoDir,
          '--destination',
          `${reg.host}/contexts/app:stdin`,
          '--insecure',
          '--insecure-pull',
          '--reproducible',
          '--digest-file',
          digestFile,
        ],
        { stdio: ['pipe', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      child.stdin.end(input);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, stderr);
      assert.equal((await readFile(digestFile, 'utf8')).trim(), expected);
    }
  });

  test('--context-sub-path inside a fetched archive', async () => {
    const r = await buildDigest(`tar://${nestedTgz}`, {}, ['--context-sub-path', 'deep/ctx']);
    assert.equal(r.digest, expected);
  });

  test('https:// tarball from a server with a private CA trusted through SSL_CERT_FILE', async () => {
    const r = await buildDigest(`${https.url}/ctx.tar.gz`, { SSL_CERT_FILE: ca.caCert });
    assert.equal(r.digest, expected);
  });

  test('git:// over git daemon (GIT_PULL_METHOD=git), default branch', async () => {
    const r = await buildDigest(`${daemon.url}/repo.git`, { GIT_PULL_METHOD: 'git' });
    assert.equal(r.digest, expected);
    assert.match(r.stderr, new RegExp(`at commit ${commitA}`));
  });

  test('git:// with --git branch=main', async () => {
    const r = await buildDigest(`${daemon.url}/repo.git`, { GIT_PULL_METHOD: 'git' }, [
      '--git',
      'branch=main,single-branch=true,recurse-submodules=false',
    ]);
    assert.equal(r.digest, expected);
  });

  test('git:// over smart http with GIT_USERNAME/GIT_PASSWORD: a ref, then a commit on it', async () => {
    const before = gitHttp.authorizations.length;
    const context = `${gitHttp.url.replace('http://', 'git://')}/repo.git#refs/heads/later#${commitA}`;
    const r = await buildDigest(context, {
      GIT_PULL_METHOD: 'http',
      GIT_USERNAME: GIT_USER,
      GIT_PASSWORD: GIT_PASS,
    });
    assert.equal(r.digest, expected);
    assert.ok(gitHttp.authorizations.length > before, 'credentials were sent');
    assert.doesNotMatch(r.stderr, new RegExp(GIT_PASS));
  });

  test('git over smart http with GIT_TOKEN: sent as the user name, it wins over GIT_USERNAME/GIT_PASSWORD', async () => {
    const before = gitToken.authorizations.length;
    const context = `${gitToken.url.replace('http://', 'git://')}/repo.git#refs/heads/main`;
    const r = await buildDigest(context, {
      GIT_PULL_METHOD: 'http',
      GIT_TOKEN,
      GIT_USERNAME: GIT_USER,
      GIT_PASSWORD: GIT_PASS,
    });
    assert.equal(r.digest, expected);
    const header = `Basic ${Buffer.from(`${GIT_TOKEN}:`).toString('base64')}`;
    assert.ok(gitToken.authorizations.slice(before).includes(header), 'the token was sent');
    for (const secret of [GIT_TOKEN, header.slice('Basic '.length)])
      assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), 'the token was printed');
  });

  test('--git recurse-submodules=true fills submodules (relative URL over smart http, absolute over git daemon); default false leaves them empty', async () => {
    const context = `${gitHttp.url.replace('http://', 'git://')}/super.git`;
    const env = { GIT_PULL_METHOD: 'http', GIT_USERNAME: GIT_USER, GIT_PASSWORD: GIT_PASS };
    const ignore = '.git\nlib/.git\nvendor/.git\n';
    const filled = join(work, 'sub-filled');
    await writeTree(filled, {
      Dockerfile: subDockerfile,
      '.dockerignore': ignore,
      'lib/message.txt': 'from lib\n',
      'vendor/notes.txt': 'vendored\n',
    });
    const empty = join(work, 'sub-empty');
    await writeTree(empty, { Dockerfile: subDockerfile, '.dockerignore': ignore });
    await mkdir(join(empty, 'lib'));
    await mkdir(join(empty, 'vendor'));
    const withFiles = (await buildDigest(`dir://${filled}`)).digest;
    const withoutFiles = (await buildDigest(`dir://${empty}`)).digest;
    assert.notEqual(withFiles, withoutFiles);
    const recursed = await buildDigest(context, env, ['--git', 'recurse-submodules=true']);
    assert.equal(recursed.digest, withFiles);
    assert.doesNotMatch(recursed.stderr, new RegExp(GIT_PASS));
    assert.equal((await buildDigest(context, env)).digest, withoutFiles);
  });

  test('https://…/repo.git with --git insecure-skip-tls=true, the CA trusted nowhere', async () => {
    // context-errors.test.ts shows the same build fails without the option.
    const r = await buildDigest(
      `${gitHttps.url}/repo.git#refs/heads/main`,
      {
        SSL_CERT_FILE: undefined,
        GIT_SSL_CAINFO: undefined,
        GIT_SSL_NO_VERIFY: undefined,
        GIT_USERNAME: GIT_USER,
        GIT_PASSWORD: GIT_PASS,
      },
      ['--git', 'insecure-skip-tls=true'],
    );
    assert.equal(r.digest, expected);
  });

  test('git over smart http with the tip of another branch builds something else', async () => {
    const context = `${gitHttp.url.replace('http://', 'git://')}/repo.git#refs/heads/later`;
    const r = await buildDigest(context, {
      GIT_PULL_METHOD: 'http',
      GIT_USERNAME: GIT_USER,
      GIT_PASSWORD: GIT_PASS,
    });
    assert.notEqual(r.digest, expected);
  });

  test('https://…/repo.git with credentials in the URL, the server trusted through SSL_CERT_FILE', async () => {
    const before = gitHttps.authorizations.length;
    const host = gitHttps.url.replace('https://', '');
    // git's own GIT_SSL_CAINFO would win over SSL_CERT_FILE; this machine may set it.
    const r = await buildDigest(`https://${GIT_USER}:${GIT_PASS}@${host}/repo.git#refs/heads/main`, {
      SSL_CERT_FILE: ca.caCert,
      GIT_SSL_CAINFO: undefined,
    });
    assert.equal(r.digest, expected);
    assert.ok(gitHttps.authorizations.length > before, 'credentials were sent');
    assert.doesNotMatch(r.stderr, new RegExp(GIT_PASS));
    assert.match(r.stderr, /context https:\/\/\*\*\*@127\.0\.0\.1:\d+\/repo\.git#refs\/heads\/main: fetched/);
  });

  test('s3:// against s3rver, path-style (S3_ENDPOINT, S3_FORCE_PATH_STYLE)', async () => {
    // S3_ENDPOINT is http://localhost:PORT: without the flag the SDK would ask contexts.localhost
    // (context-errors.test.ts shows that fails), so this build only works if the flag is honoured.
    assert.match(s3.endpoint, /^http:\/\/localhost:\d+$/);
    const r = await buildDigest('s3://contexts/app/context.tar.gz', {
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    assert.equal(r.digest, expected);
  });

  test('gs:// against the local JSON API (STORAGE_EMULATOR_HOST)', async () => {
    const before = gcs.requests.length;
    const r = await buildDigest('gs://contexts/app/context.tar.gz', { STORAGE_EMULATOR_HOST: gcs.url });
    assert.equal(r.digest, expected);
    // The library calls STORAGE_EMULATOR_HOST as the JSON API's base (no /storage/v1).
    assert.deepEqual(gcs.requests.slice(before), ['GET /b/contexts/o/app%2Fcontext.tar.gz?alt=media']);
  });

  test('Azure Blob URL against Azurite (AZURE_STORAGE_CONNECTION_STRING)', async () => {
    const r = await buildDigest(
      'https://devstoreaccount1.blob.core.windows.net/contexts/app/context.tar.gz',
      {
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString(),
      },
    );
    assert.equal(r.digest, expected);
  });

  test("Azure Blob URL with kaniko's AZURE_STORAGE_ACCESS_KEY, Azurite as AZURE_STORAGE_SERVICE_ENDPOINT", async () => {
    // The account (devstoreaccount1) comes from the URL's host, as in kaniko; only the endpoint moves.
    const r = await buildDigest(
      'https://devstoreaccount1.blob.core.windows.net/contexts/app/context.tar.gz',
      {
        AZURE_STORAGE_CONNECTION_STRING: undefined,
        AZURE_STORAGE_ACCESS_KEY: AZURITE_KEY,
        AZURE_STORAGE_SERVICE_ENDPOINT: azurite.blobEndpoint,
      },
    );
    assert.equal(r.digest, expected);
    assert.ok(!r.stderr.includes(AZURITE_KEY) && !r.stdout.includes(AZURITE_KEY), 'the key was printed');
  });
});
