// bubblewrap for the executor's RUN sandbox on runners without /usr/bin/bwrap: fetched for real
// with apt-get download from this machine's Debian archive, unpacked with dpkg-deb, kept in an
// @actions/tool-cache directory and found there again without apt-get; and the executor running
// the bwrap $KANIKO_TS_BWRAP names (exit code 8 when it names nothing).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type BwrapProvision, provideBwrap, TOOL, toolVersion } from '../../../action/sandbox-tools.ts';
import { run } from '../../support/exec.ts';
import { kanikoBuild } from '../../support/kaniko-ts.ts';
import { ensureUnprivilegedUser, runAs, type UnprivilegedUser } from '../../support/unprivileged-user.ts';

const SANDBOX_TOOLS = new URL('../../../action/sandbox-tools.ts', import.meta.url).href;
/** A runner without /usr/bin/bwrap: the installed path looked at is one that does not exist. */
const NOT_INSTALLED = '/nonexistent/usr/bin/bwrap';

/**
 * provideBwrap in a process of an ordinary user, as the action's main step runs on a hosted runner
 * (user `runner`, not root): the result is the last line of its stdout (tool-cache logs before it).
 */
async function provideAsUser(
  user: UnprivilegedUser,
  toolCache: string,
  workDir: string,
  env: Record<string, string> = {},
): Promise<BwrapProvision> {
  const script =
    `const { provideBwrap } = await import(${JSON.stringify(SANDBOX_TOOLS)});\n` +
    `const r = await provideBwrap({ env: process.env, workDir: ${JSON.stringify(workDir)}, installed: ${JSON.stringify(NOT_INSTALLED)} });\n` +
    `process.stdout.write('\\n' + JSON.stringify(r) + '\\n');\n`;
  const r = await runAs(user, process.execPath, ['--input-type=module', '-e', script], {
    env: { RUNNER_TOOL_CACHE: toolCache, ...env },
  });
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as BwrapProvision;
}

describe('Debian versions in the tool cache', () => {
  const cases: [string, string][] = [
    ['0.8.0-2+deb12u1', '0.8.0-deb-2-deb12u1'],
    ['0.9.0-1ubuntu0.1', '0.9.0-deb-1ubuntu0-1'],
    ['1:0.11.0-2', '0.11.0-deb-2'],
    ['0.10', '0.10.0'],
    ['0.8.0+dfsg-1', '0.0.0-deb-0-8-0-dfsg-1'],
  ];
  for (const [debian, semver] of cases)
    test(`${debian} → ${semver}`, () => assert.equal(toolVersion(debian), semver));
});

describe('bubblewrap for runners without it', () => {
  let root: string;
  let cache: string;
  let user: UnprivilegedUser;
  const saved = process.env.RUNNER_TOOL_CACHE;

  before(async () => {
    user = await ensureUnprivilegedUser();
    root = await mkdtemp(join(tmpdir(), 'kaniko-ts-bwrap-'));
    await chmod(root, 0o755);
    cache = join(root, 'tool-cache');
    await mkdir(cache);
    await chown(cache, user.uid, user.gid);
    // @actions/tool-cache reads the runner's variable itself.
    process.env.RUNNER_TOOL_CACHE = cache;
  });
  after(async () => {
    if (saved === undefined) delete process.env.RUNNER_TOOL_CACHE;
    else process.env.RUNNER_TOOL_CACHE = saved;
    await rm(root, { recursive: true, force: true });
  });

  /** A directory of the step's own (the user's, when `user` runs the step). */
  const workDir = async (name: string, owner?: UnprivilegedUser) => {
    const d = join(root, name);
    await mkdir(d);
    if (owner) await chown(d, owner.uid, owner.gid);
    return d;
  };

  test('an override or an installed bwrap is used as it is', async () => {
    const work = await workDir('installed');
    const given = await provideBwrap({
      env: { PATH: process.env.PATH, KANIKO_TS_BWRAP: '/opt/tools/bwrap' },
      workDir: work,
      installed: NOT_INSTALLED,
    });
    assert.deepEqual(given, {
      env: {},
      message: 'bubblewrap: /opt/tools/bwrap (KANIKO_TS_BWRAP)',
      missing: false,
    });
    const installed = await provideBwrap({
      env: { PATH: process.env.PATH },
      workDir: work,
      installed: '/bin/sh',
    });
    assert.equal(installed.message, 'bubblewrap: /bin/sh (installed on the runner)');
    assert.deepEqual(await readdir(work), [], 'nothing fetched');
    assert.deepEqual(await readdir(cache), [], 'nothing cached');
  });

  test('fetched as an ordinary user with apt-get download, unpacked, kept in the tool cache; it runs', async () => {
    const work = await workDir('first', user);
    const policy = await run('apt-cache', ['policy', TOOL]);
    const candidate = /Candidate:\s*(\S+)/.exec(policy.stdout)?.[1];
    assert.ok(candidate && candidate !== '(none)', 'apt knows a bubblewrap package');
    const r = await provideAsUser(user, cache, work);
    assert.equal(r.missing, false, r.message);
    const dir = join(cache, TOOL, toolVersion(candidate), process.arch);
    assert.deepEqual(r.env, { KANIKO_TS_BWRAP: join(dir, 'bwrap') });
    assert.ok(existsSync(`${dir}.complete`), 'the tool cache marks the entry complete');
    assert.equal(
      r.message,
      `bubblewrap ${candidate}: ${join(dir, 'bwrap')} (apt-get download, now in the tool cache)`,
    );
    const v = await run(join(dir, 'bwrap'), ['--version']);
    assert.match(v.stdout, /^bubblewrap \d+\.\d+/);
    assert.ok(existsSync(join(work, TOOL, 'debs')), 'downloaded into the step’s own directory');
  });

  test('a second run finds it in the tool cache, with no apt-get to call', async () => {
    const work = await workDir('second');
    // apt-cache alone: it names the version; a download would need apt-get, which is not there.
    const bin = join(root, 'bin-apt-cache-only');
    await mkdir(bin);
    await symlink('/usr/bin/apt-cache', join(bin, 'apt-cache'));
    const r = await provideBwrap({ env: { PATH: bin }, workDir: work, installed: NOT_INSTALLED });
    assert.equal(r.missing, false, r.message);
    assert.match(r.message, /^bubblewrap \S+: .*\/bwrap \(tool cache\)$/);
    assert.ok(r.env.KANIKO_TS_BWRAP?.startsWith(join(cache, TOOL)));
    assert.deepEqual(await readdir(work), [], 'nothing downloaded');
  });

  test('a runner without package lists: an ordinary user reads fresh ones into the step’s directory', async () => {
    const work = await workDir('no-lists', user);
    // apt as on an image whose /var/lib/apt/lists was emptied: no archive to download from.
    const lists = join(root, 'empty-lists');
    await mkdir(join(lists, 'partial'), { recursive: true });
    const aptConf = join(root, 'apt-empty-lists.conf');
    await writeFile(aptConf, `Dir::State::Lists "${lists}";\n`);
    const none = await run('apt-cache', ['policy', TOOL], { env: { ...process.env, APT_CONFIG: aptConf } });
    assert.doesNotMatch(none.stdout, /https?:\/\//, 'the system lists name no archive here');
    const fresh = await workDir('fresh-cache', user);
    const r = await provideAsUser(user, fresh, work, { APT_CONFIG: aptConf });
    assert.equal(r.missing, false, r.message);
    assert.ok(r.env.KANIKO_TS_BWRAP?.startsWith(join(fresh, TOOL)), r.message);
    assert.ok(existsSync(join(work, TOOL, 'apt-lists')), 'lists read into the step’s directory');
    const v = await run(r.env.KANIKO_TS_BWRAP!, ['--version']);
    assert.match(v.stdout, /^bubblewrap \d+\.\d+/);
  });

  test('no apt at all: the cached one still serves', async () => {
    const work = await workDir('no-apt-cached');
    const r = await provideBwrap({
      env: { PATH: join(root, 'empty-path') },
      workDir: work,
      installed: NOT_INSTALLED,
    });
    assert.equal(r.missing, false, r.message);
    assert.match(r.message, /\(tool cache; fetching a newer one failed: apt-get is not installed\)$/);
  });

  test('no apt and nothing cached: a warning that RUN steps need bubblewrap', async () => {
    const work = await workDir('no-apt-empty');
    const empty = join(root, 'empty-cache');
    await mkdir(empty);
    process.env.RUNNER_TOOL_CACHE = empty;
    try {
      const r = await provideBwrap({
        env: { PATH: join(root, 'empty-path') },
        workDir: work,
        installed: NOT_INSTALLED,
      });
      assert.equal(r.missing, true);
      assert.deepEqual(r.env, {});
      assert.match(r.message, /^no bubblewrap \(apt-get is not installed\): RUN steps need bubblewrap/);
    } finally {
      process.env.RUNNER_TOOL_CACHE = cache;
    }
  });

  describe('the executor runs the bwrap KANIKO_TS_BWRAP names', () => {
    let context: string;
    before(async () => {
      context = join(root, 'context');
      await mkdir(context);
      // Exec form with a static busybox: a RUN needs nothing from a registry.
      await cp('/bin/busybox', join(context, 'busybox'));
      await writeFile(
        join(context, 'Dockerfile'),
        'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "/bin/busybox echo ran > /ran"]\n',
      );
    });

    test('the fetched bwrap, through a wrapper that records each start', async () => {
      const fetched = await provideBwrap({
        env: { PATH: process.env.PATH },
        workDir: await workDir('for-executor'),
        installed: NOT_INSTALLED,
      });
      const real = fetched.env.KANIKO_TS_BWRAP;
      assert.ok(real?.startsWith(cache), fetched.message);
      const wrapperDir = join(root, 'wrapper');
      await mkdir(wrapperDir);
      const log = join(wrapperDir, 'calls');
      const wrapper = join(wrapperDir, 'bwrap');
      await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
      await chmod(wrapper, 0o755);
      const r = await kanikoBuild({ context, env: { KANIKO_TS_BWRAP: wrapper } });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr + r.stdout, /sandbox: chroot \(/);
      // The RUN's sandbox (it binds /sys; the capability probe does not) was this bwrap.
      const calls = (await readFile(log, 'utf8')).trim().split('\n');
      assert.ok(
        calls.some((c) => c.includes('--ro-bind /sys')),
        calls.join('\n'),
      );
    });

    test('a path that does not exist is the sandbox error, exit code 8', async () => {
      const r = await kanikoBuild({ context, env: { KANIKO_TS_BWRAP: '/nonexistent/bin/bwrap' } });
      assert.equal(r.code, 8, r.stderr);
      assert.match(r.stderr, /^error: KANIKO_TS_BWRAP=\/nonexistent\/bin\/bwrap: no such file/m);
    });

    test('a relative path is the sandbox error too', async () => {
      const r = await kanikoBuild({ context, env: { KANIKO_TS_BWRAP: 'bin/bwrap' } });
      assert.equal(r.code, 8, r.stderr);
      assert.match(r.stderr, /^error: KANIKO_TS_BWRAP=bin\/bwrap: not an absolute path$/m);
    });
  });
});
