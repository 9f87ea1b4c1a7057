// The action's launch through sudo, for real: an ordinary user with passwordless sudo (as the
// `runner` user of GitHub's Ubuntu 24.04 runners) runs `node dist/index.js` and then
// `node dist/post.js` the way the runner does. KANIKO_TS_LAUNCH=sudo stands in for AppArmor's
// restriction of user namespaces, which this machine does not have. The executor runs as root in
// its chroot sandbox; what it leaves in RUNNER_TEMP is the user's again after the step, and the
// post step removes the action's temp dir with sudo.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { load } from 'js-yaml';
import { run } from '../../support/exec.ts';
import { ensureUnprivilegedUser, runAs, type UnprivilegedUser } from '../../support/unprivileged-user.ts';
import { ROOT } from './support/schemas.ts';

const ACTION = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  runs: { main: string; post: string };
};
const MAIN = join(ROOT, ACTION.runs.main);
const POST = join(ROOT, ACTION.runs.post);

/** Read by sudo (sudoers.d includes files whose names have no dot); removed in after(). */
const SUDOERS = '/etc/sudoers.d/kaniko-ts-test';
const asRoot = process.getuid?.() === 0;

/** GitHub's file commands: `name<<DELIM\nvalue\nDELIM` blocks. */
function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** One file of a tar archive (compressed or not), read with tar itself. */
function tarMember(tarball: string, member: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('tar', ['-xOf', tarball, member], { encoding: 'buffer', maxBuffer: 16 << 20 }, (err, out) =>
      err ? reject(err) : resolve(out),
    );
  });
}

/** Gives `user` passwordless sudo, checked by visudo before sudo can read it. */
async function grantSudo(user: UnprivilegedUser): Promise<void> {
  // sudo skips names with a dot: the file is only read once renamed, after the check.
  const draft = `${SUDOERS}.draft`;
  await writeFile(draft, `${user.name} ALL=(ALL) NOPASSWD: ALL\n`);
  await chmod(draft, 0o440);
  try {
    if (existsSync('/usr/sbin/visudo')) await run('/usr/sbin/visudo', ['-cf', draft]);
    await rename(draft, SUDOERS);
  } finally {
    await rm(draft, { force: true });
  }
}

interface RunnerTree {
  home: string;
  temp: string;
  context: string;
  /** The file commands, empty. */
  files: {
    GITHUB_OUTPUT: string;
    GITHUB_STEP_SUMMARY: string;
    GITHUB_STATE: string;
    GITHUB_ENV: string;
    GITHUB_PATH: string;
  };
}

/** A runner's directories under `dir`, all the user's: HOME, RUNNER_TEMP, file commands, a checkout. */
async function runnerTree(dir: string, user: UnprivilegedUser): Promise<RunnerTree> {
  const commands = join(dir, 'file-commands');
  const tree: RunnerTree = {
    home: join(dir, 'home'),
    temp: join(dir, 'runner-temp'),
    context: join(dir, 'workspace'),
    files: {
      GITHUB_OUTPUT: join(commands, 'output'),
      GITHUB_STEP_SUMMARY: join(commands, 'summary'),
      GITHUB_STATE: join(commands, 'state'),
      GITHUB_ENV: join(commands, 'env'),
      GITHUB_PATH: join(commands, 'path'),
    },
  };
  for (const d of [tree.home, tree.temp, tree.context, commands]) await mkdir(d, { recursive: true });
  for (const f of Object.values(tree.files)) await writeFile(f, '');
  // Exec form with a static busybox: a RUN that needs nothing from a registry.
  await cp('/bin/busybox', join(tree.context, 'busybox'));
  await writeFile(
    join(tree.context, 'Dockerfile'),
    'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "/bin/busybox id -u > /whoami"]\n',
  );
  await run('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  return tree;
}

/** `node dist/index.js` as `user`, with the runner's variables and the step's. */
function runMain(user: UnprivilegedUser, tree: RunnerTree, env: Record<string, string>) {
  return runAs(user, process.execPath, [MAIN], {
    cwd: tree.context,
    allowFailure: true,
    env: { HOME: tree.home, RUNNER_TEMP: tree.temp, GITHUB_ACTIONS: 'true', ...tree.files, ...env },
  });
}

describe('the action through sudo, as a non-root runner user', { skip: !asRoot && 'needs root' }, () => {
  let user: UnprivilegedUser;
  let root: string;

  before(async () => {
    if (!existsSync('/usr/bin/sudo'))
      throw new Error('/usr/bin/sudo is missing (Debian package sudo; scripts/bootstrap.sh installs it)');
    user = await ensureUnprivilegedUser();
    await grantSudo(user);
    root = await mkdtemp(join(tmpdir(), 'kaniko-ts-sudo-'));
    await chmod(root, 0o755);
  });
  after(async () => {
    await rm(SUDOERS, { force: true });
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('the executor runs as root in its chroot sandbox; outputs, files given back, temp dir removed', async () => {
    const tree = await runnerTree(join(root, 'build'), user);
    const { temp, files } = tree;
    const image = join(temp, 'image.tar');
    const cacheDir = join(temp, 'layer-cache', 'build');
    const main = await runMain(user, tree, {
      KANIKO_TS_LAUNCH: 'sudo',
      INPUT_CONTEXT: tree.context,
      INPUT_TAGS: 'registry.example.com/sudo:1',
      INPUT_OUTPUTS: `type=docker,dest=${image}`,
      // A directory the executor creates, under one it creates too.
      'INPUT_CACHE-TO': `type=local,dest=${cacheDir}`,
      INPUT_PUSH: 'false',
    });
    assert.equal(main.code, 0, main.stderr + main.stdout);
    assert.match(
      main.stdout,
      /^kaniko-ts: KANIKO_TS_LAUNCH=sudo: running the executor with sudo \(chroot sandbox\)$/m,
    );
    // Only root picks this sandbox: the executor ran through sudo.
    assert.match(main.stderr, /sandbox: chroot \(running as root with mount-namespace rights/);

    const outputs = parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8'));
    assert.match(outputs.digest ?? '', /^sha256:[a-f0-9]{64}$/);
    const archived = JSON.parse((await tarMember(image, 'manifest.json')).toString()) as Array<{
      Config: string;
      Layers: string[];
    }>;
    const config = await tarMember(image, archived[0]!.Config);
    assert.equal(outputs.imageid, `sha256:${createHash('sha256').update(config).digest('hex')}`);
    const metadata = JSON.parse(outputs.metadata ?? '{}') as Record<string, unknown>;
    assert.equal(metadata['containerimage.digest'], outputs.digest);
    assert.equal(metadata['containerimage.config.digest'], outputs.imageid);
    // The RUN's file (root's uid inside the sandbox) is in the image's top layer.
    const top = join(root, 'top-layer');
    await writeFile(top, await tarMember(image, archived[0]!.Layers.at(-1)!));
    assert.equal((await tarMember(top, 'whoami')).toString(), '0\n');

    // Everything the step left in RUNNER_TEMP is the user's again (root wrote it through sudo).
    const state = parseFileCommands(await readFile(files.GITHUB_STATE, 'utf8'));
    const actionDir = state['kaniko-ts-temp-dir'] ?? '';
    assert.ok(actionDir.startsWith(`${temp}/`), JSON.stringify(state));
    assert.equal(state['kaniko-ts-cleanup'], 'sudo');
    const left = (await readdir(temp, { recursive: true })).map((p) => join(temp, p));
    for (const expected of [image, actionDir, join(actionDir, 'docker', 'config.json')])
      assert.ok(left.includes(expected), `${expected} in ${left.join(' ')}`);
    const blobs = join(cacheDir, 'blobs', 'sha256');
    assert.ok(
      left.some((p) => p.startsWith(`${blobs}/`)),
      `a cached layer in ${blobs}`,
    );
    const notTheUsers: string[] = [];
    for (const p of left) if ((await lstat(p)).uid !== user.uid) notTheUsers.push(p);
    assert.deepEqual(notTheUsers, [], 'owned by root after the step');

    // As a build stopped before the files were given back would leave it: root's, in a directory
    // of root's, which the user alone cannot remove.
    await mkdir(join(actionDir, 'left-by-root'));
    await writeFile(join(actionDir, 'left-by-root', 'layer'), 'x');

    // The runner hands the saved state to the post step as STATE_<name>.
    const post = await runAs(user, process.execPath, [POST], {
      cwd: tree.context,
      allowFailure: true,
      env: Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])),
    });
    assert.equal(post.code, 0, post.stderr + post.stdout);
    assert.doesNotMatch(post.stdout, /::warning::/);
    assert.equal(existsSync(actionDir), false, 'post removed the temp dir');
  });

  test('an unknown KANIKO_TS_LAUNCH fails the step in one line, before anything is written', async () => {
    const tree = await runnerTree(join(root, 'unknown'), user);
    const r = await runMain(user, tree, { KANIKO_TS_LAUNCH: 'always', INPUT_CONTEXT: tree.context });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error::KANIKO_TS_LAUNCH=always: expected auto, sudo or direct$/m);
    assert.equal(await readFile(tree.files.GITHUB_STATE, 'utf8'), '', 'no temp dir for post');
    assert.deepEqual(await readdir(tree.temp), []);
  });
});
