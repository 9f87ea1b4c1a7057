// What a user sees when a build cannot succeed: one line naming the Dockerfile line, path or
// registry, the exit code README documents, no stack trace, and the destination tag untouched.
// A cancelled CI job (SIGTERM/SIGINT) stops RUN, pushes nothing and leaves no work files.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../support/exec.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { CLI, kanikoBuild } from '../support/kaniko-ts.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const work = await mkdtemp(join(tmpdir(), 'kts-errors-'));

async function context(
  name: string,
  dockerfile: string,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  for (const [f, content] of Object.entries(files)) await writeFile(join(dir, f), content);
  return dir;
}

async function tagDigest(ref: string): Promise<string> {
  const r = await run('skopeo', [
    'inspect',
    '--tls-verify=false',
    '--format',
    '{{.Digest}}',
    `docker://${ref}`,
  ]);
  return r.stdout.trim();
}

/** The error a user reads: the last stderr line, one line, no stack frames anywhere. */
function errorLine(stderr: string): string {
  assert.doesNotMatch(stderr, /^\s+at .+:\d+:\d+\)?$/m, 'a stack trace was printed');
  const lines = stderr.trim().split('\n');
  return lines.at(-1)!;
}

describe('executor errors and cancellation', () => {
  let reg: TestRegistry;
  let authReg: TestRegistry;
  let busybox: string;
  let tag: string;
  let before1: string;

  before(async () => {
    [reg, authReg] = await Promise.all([
      startRegistry(),
      startRegistry({ htpasswd: { username: 'ci', password: 'right-pass' } }),
    ]);
    busybox = (await pushBaseImages(reg)).busybox;
    // The tag every failing build below targets; it must keep this digest.
    tag = `${reg.host}/errors/app:latest`;
    const ok = await kanikoBuild({
      context: await context('ok', `FROM ${busybox}\nRUN echo ok > /ok\n`),
      destinations: [tag],
    });
    assert.equal(ok.code, 0, ok.stderr);
    before1 = await tagDigest(tag);
  });
  after(async () => {
    await Promise.all([reg?.stop(), authReg?.stop()]);
    await rm(work, { recursive: true, force: true });
  });

  test('a failing RUN: exit 4, the Dockerfile line and the exit status, tag unchanged', async () => {
    const dir = await context('run-fails', `FROM ${busybox}\nRUN echo fine\nRUN exit 7\n`);
    const r = await kanikoBuild({ context: dir, destinations: [tag] });
    assert.equal(r.code, 4);
    const line = errorLine(r.stderr);
    assert.match(line, /Dockerfile:3/);
    assert.match(line, /exit (code|status) 7|exited (with )?7|code 7/);
    assert.equal(await tagDigest(tag), before1);
  });

  test('a missing COPY source: exit 7, the line and the source named', async () => {
    const dir = await context('copy-missing', `FROM ${busybox}\nCOPY nope.txt /\n`);
    const r = await kanikoBuild({ context: dir, destinations: [tag] });
    assert.equal(r.code, 7);
    const line = errorLine(r.stderr);
    assert.match(line, /Dockerfile:2/);
    assert.match(line, /nope\.txt/);
    assert.equal(await tagDigest(tag), before1);
  });

  test('an unknown target stage: exit 3, the stage named', async () => {
    const dir = await context('target', `FROM ${busybox} AS build\nRUN true\n`);
    const r = await kanikoBuild({ context: dir, destinations: [tag], target: 'nope' });
    assert.equal(r.code, 3);
    assert.match(errorLine(r.stderr), /nope/);
    assert.equal(await tagDigest(tag), before1);
  });

  test('a Dockerfile syntax error: exit 3 with file:line', async () => {
    const dir = await context('syntax', `FROM ${busybox}\nRUN true\nFROOM x\n`);
    const r = await kanikoBuild({ context: dir, destinations: [tag] });
    assert.equal(r.code, 3);
    assert.match(errorLine(r.stderr), /Dockerfile:3/);
  });

  test('wrong credentials: exit 6, the registry named, the password never printed', async () => {
    const { dir: config, secrets } = await dockerConfig('docker-config', 'wrong-pass');
    const dir = await context('auth', `FROM ${busybox}\nRUN true\n`);
    const r = await kanikoBuild({
      context: dir,
      destinations: [`${authReg.host}/private/app:1`],
      env: { DOCKER_CONFIG: config },
    });
    assert.equal(r.code, 6);
    const line = errorLine(r.stderr);
    assert.ok(line.includes(authReg.host), line);
    assertNoSecret(r, secrets);
  });

  /** A docker config dir whose config.json logs in to the htpasswd registry as ci:`password`. */
  async function dockerConfig(name: string, password: string): Promise<{ dir: string; secrets: string[] }> {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    const auth = Buffer.from(`ci:${password}`).toString('base64');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [authReg.host]: { auth } } }));
    return { dir, secrets: [password, auth] };
  }

  function assertNoSecret(r: { stdout: string; stderr: string }, secrets: readonly string[]): void {
    for (const secret of secrets) {
      assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'a credential was printed');
    }
  }

  test('wrong credentials with --verbosity=debug: exit 6, and still no credential printed', async () => {
    const { dir: config, secrets } = await dockerConfig('docker-config-debug-wrong', 'wrong-pass');
    const r = await kanikoBuild({
      context: await context('auth-debug-wrong', `FROM ${busybox}\nRUN true\n`),
      destinations: [`${authReg.host}/private/app:1`],
      env: { DOCKER_CONFIG: config },
      extraArgs: ['--verbosity=debug'],
    });
    assert.equal(r.code, 6, r.stderr);
    // Debug output is really on: the client's own debug lines (the /v2/ ping) are there.
    assert.ok((r.stdout + r.stderr).includes(`ping http://${authReg.host}: 401 basic`), r.stderr);
    assertNoSecret(r, secrets);
  });

  test('a successful authenticated push with --verbosity=debug prints no credential', async () => {
    const { dir: config, secrets } = await dockerConfig('docker-config-debug-ok', 'right-pass');
    const dest = `${authReg.host}/private/app:ok`;
    const r = await kanikoBuild({
      context: await context('auth-debug-ok', `FROM ${busybox}\nRUN echo authed > /authed\n`),
      destinations: [dest],
      env: { DOCKER_CONFIG: config },
      extraArgs: ['--verbosity=debug'],
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok((r.stdout + r.stderr).includes(`ping http://${authReg.host}: 401 basic`), r.stderr);
    assertNoSecret(r, secrets);
    const pushed = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--creds',
      'ci:right-pass',
      '--format',
      '{{.Digest}}',
      `docker://${dest}`,
    ]);
    assert.match(pushed.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    test(`${signal} during a RUN: exit ${code}, the RUN stopped, nothing pushed, no work files left`, async () => {
      const marker = `kts-cancel-${signal}-${process.pid}`;
      const dir = await context(
        `cancel-${signal}`,
        `FROM ${busybox}\nRUN echo started-${marker} && sleep 600 && echo ${marker}\n`,
      );
      const kanikoDir = await mkdtemp(join(work, 'kdir-'));
      const child = spawn(
        process.execPath,
        [
          CLI,
          '--context',
          dir,
          '--destination',
          tag,
          '--kaniko-dir',
          kanikoDir,
          '--insecure',
          '--insecure-pull',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const started = new Promise<void>((resolve) => {
        const onData = (b: Buffer) => {
          output += b.toString();
          if (output.includes(`started-${marker}`)) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      await started;
      child.kill(signal);
      assert.equal(await exited, code, output);
      // The sleep of the RUN is gone (it would hold the marker on its command line).
      const ps = await run('pgrep', ['-f', `sleep 600 && echo ${marker}`], { allowFailure: true });
      assert.equal(ps.stdout.trim(), '', 'the RUN process survived');
      assert.deepEqual(
        (await readdir(kanikoDir)).filter((n) => n.startsWith('kaniko-ts-build-')),
        [],
        'work files were left behind',
      );
      assert.equal(await tagDigest(tag), before1);
    });
  }
});
