// The user-namespace sandbox driven as an unprivileged user: run-command re-executes itself in a
// user namespace with the user's subordinate ranges mapped (as the CLI will), and RUN becomes
// root there, so chown and useradd work and files get in-image owners shifted into the range.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chown, cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ensureFixtures, fixtureLayout } from '../support/fixtures.ts';
import {
  ensureUnprivilegedUser,
  runAs,
  type UnprivilegedUser,
  userNamespaceArgs,
  userNamespacesBlocked,
} from '../support/unprivileged-user.ts';

const REPO = resolve(import.meta.dirname, '../..');
const NODE = join(REPO, 'node_modules/.bin/node');
const RUN_COMMAND = join(REPO, 'src/sandbox/run-command.ts');

const blocked = await userNamespacesBlocked();

describe('user-namespace sandbox as an unprivileged user', { skip: blocked }, () => {
  let user: UnprivilegedUser;
  let work: string;
  let busybox: string;
  let debian: string;

  const sandboxed = (rootfs: string, args: string[], allowFailure = false) =>
    runAs(user, NODE, [RUN_COMMAND, `--rootfs=${rootfs}`, ...args], { allowFailure });

  before(async () => {
    await ensureFixtures(['busybox', 'debian']);
    user = await ensureUnprivilegedUser();
    work = await mkdtemp(join(tmpdir(), 'kts-sandbox-userns-'));
    await chown(work, user.uid, user.gid);
    for (const name of ['busybox', 'debian'] as const) {
      await cp(fixtureLayout(name), join(work, `${name}-layout`), { recursive: true });
      await promisify(execFile)('chown', ['-R', `${user.uid}:${user.gid}`, join(work, `${name}-layout`)]);
      // Unpacked inside the same mapping the build uses, so in-image owners land in the range.
      await runAs(user, 'unshare', [
        ...userNamespaceArgs(user),
        'umoci',
        'unpack',
        '--image',
        `${join(work, `${name}-layout`)}:latest`,
        join(work, name),
      ]);
    }
    busybox = join(work, 'busybox', 'rootfs');
    debian = join(work, 'debian', 'rootfs');
  });

  after(async () => {
    // Files owned by the subordinate range are removed from inside the namespace.
    if (user && work)
      await runAs(user, 'unshare', [...userNamespaceArgs(user), 'rm', '-rf', work], { allowFailure: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('the build is root of its namespace; chown works and lands in the subordinate range', async () => {
    const r = await sandboxed(busybox, [
      '--',
      'sh',
      '-c',
      'id -u; touch /f; chown 1234:1234 /f; stat -c %u:%g /f',
    ]);
    assert.equal(r.stdout, '0\n1234:1234\n');
    assert.match(r.stderr, /^sandbox: userns: running as root of a user namespace \(65537 uids mapped\)/m);
    const st = await stat(join(busybox, 'f'));
    assert.equal(st.uid, user.subuid.start + 1233);
    assert.equal(st.gid, user.subgid.start + 1233);
    // In-image owners from extraction: /home/app is 1000:1000 in the image.
    const home = await sandboxed(busybox, ['--', 'stat', '-c', '%u:%g', '/home/app']);
    assert.equal(home.stdout, '1000:1000\n');
  });

  test('RUN as uid 1000 of the image, with network none', async () => {
    const r = await sandboxed(busybox, [
      '--user=1000:1000',
      '--cwd=/home/app',
      '--network=none',
      '--',
      'sh',
      '-c',
      "id -u; pwd; touch mine; stat -c %u mine; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
    ]);
    assert.equal(r.stdout, '1000\n/home/app\n1000\nlo\n');
  });

  test('useradd and su work in a debian rootfs', async () => {
    const r = await sandboxed(debian, [
      '--',
      'bash',
      '-c',
      'useradd -u 2000 -m bob && su bob -c "touch /home/bob/x" && stat -c %U:%u /home/bob/x',
    ]);
    assert.equal(r.stdout, 'bob:2000\n');
    assert.equal((await stat(join(debian, 'home/bob/x'))).uid, user.subuid.start + 1999);
  });

  test('exit status of the command is the exit status of the whole re-executed process', async () => {
    const r = await sandboxed(busybox, ['--', 'sh', '-c', 'exit 7'], true);
    assert.equal(r.code, 7);
  });
});
