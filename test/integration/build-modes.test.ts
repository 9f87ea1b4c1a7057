// Every build case, built three ways with --reproducible: as root (chroot mode), as an
// unprivileged user (user-namespace mode, the CLI re-executes itself with the user's subordinate
// ranges) and as root inside podman with default capabilities (in-place mode, the bundled
// executor image). The three images must be the same image: the same manifest digest.
import assert from 'node:assert/strict';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildBundle } from '../../scripts/bundle/bundle.ts';
import { type BuildCase, loadCases } from '../support/cases.ts';
import { type RunResult, run } from '../support/exec.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { CLI, kanikoBuild } from '../support/kaniko-ts.ts';
import { importExecutorImage, podmanRun, removeImage } from '../support/podman.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';
import {
  ensureUnprivilegedUser,
  runAs,
  type UnprivilegedUser,
  userNamespaceArgs,
  userNamespacesBlocked,
} from '../support/unprivileged-user.ts';

const cases = await loadCases();
const only = process.env.KTS_CASES?.split(',');
const userns = await userNamespacesBlocked();

/** In-place mode has no namespaces (as kaniko): what it cannot give, it says, and the case differs. */
const IN_PLACE_DIFFERS: Record<string, RegExp> = {
  '38-run-network-none': /in-place mode cannot isolate the network/,
};

function digestOf(r: RunResult, mode: string): string {
  assert.equal(r.code, 0, `${mode} build failed:\n${r.stderr.slice(-3000)}`);
  const m = /image digest (sha256:[a-f0-9]{64})/.exec(r.stdout + r.stderr);
  assert.ok(m, `${mode}: no digest printed`);
  return m[1]!;
}

function cliArgs(
  c: BuildCase,
  contextDir: string,
  dest: string,
  buildArgs: Record<string, string>,
): string[] {
  const args = [
    '--context',
    contextDir,
    '--destination',
    dest,
    '--insecure',
    '--insecure-pull',
    '--reproducible',
  ];
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  if (c.target) args.push('--target', c.target);
  return args;
}

/** Secrets by environment variable, as the rig's kanikoBuild passes them. */
function secretArgs(c: BuildCase): { args: string[]; env: Record<string, string> } {
  const args: string[] = [];
  const env: Record<string, string> = {};
  for (const [id, value] of Object.entries(c.secrets)) {
    const name = `KTS_TEST_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    env[name] = value;
    args.push('--secret', `id=${id},env=${name}`);
  }
  return { args, env };
}

describe('build cases: chroot, user namespace and in-place give the same image', () => {
  let reg: TestRegistry;
  let bases: { busybox: string; debian: string };
  let bundleOut: string;
  let user: UnprivilegedUser | undefined;
  let userWork: string;
  const image = `localhost/kts-modes-test:${process.pid}`;

  before(async () => {
    reg = await startRegistry();
    bundleOut = await mkdtemp(join(tmpdir(), 'kts-modes-bundle-'));
    [bases] = await Promise.all([
      pushBaseImages(reg),
      buildBundle({ out: bundleOut }).then(() => importExecutorImage(bundleOut, image)),
    ]);
    if (!userns) {
      user = await ensureUnprivilegedUser();
      userWork = await mkdtemp(join(tmpdir(), 'kts-modes-user-'));
      await chown(userWork, user.uid, user.gid);
    }
  });
  after(async () => {
    await removeImage(image);
    if (user && userWork)
      await runAs(user, 'unshare', [...userNamespaceArgs(user), 'rm', '-rf', userWork], {
        allowFailure: true,
      });
    if (userWork) await rm(userWork, { recursive: true, force: true });
    if (bundleOut) await rm(bundleOut, { recursive: true, force: true });
    await reg?.stop();
  });

  for (const c of cases) {
    if (only && !only.some((o) => c.name.startsWith(o))) continue;
    test(c.name, async () => {
      const buildArgs = { BUSYBOX: bases.busybox, DEBIAN: bases.debian, ...c.buildArgs };
      const secrets = secretArgs(c);
      const repo = (mode: string) => `${reg.host}/modes-${mode}/${c.name}:1`;

      const chroot = await kanikoBuild({
        context: c.dir,
        destinations: [repo('chroot')],
        buildArgs,
        ...(c.target ? { target: c.target } : {}),
        secrets: c.secrets,
        extraArgs: ['--reproducible'],
      });
      assert.match(chroot.stderr + chroot.stdout, /sandbox: chroot/);
      const expected = digestOf(chroot, 'chroot');

      if (user) {
        // The user's own copy of the context, as a user's checkout would be.
        const own = await mkdtemp(join(userWork, 'c-'));
        const kanikoDir = await mkdtemp(join(userWork, 'k-'));
        await run('cp', ['-a', `${c.dir}/.`, own]);
        await run('chown', ['-R', `${user.uid}:${user.gid}`, own, kanikoDir]);
        const r = await runAs(
          user,
          process.execPath,
          [CLI, ...cliArgs(c, own, repo('userns'), buildArgs), '--kaniko-dir', kanikoDir, ...secrets.args],
          { allowFailure: true, env: secrets.env },
        );
        assert.match(r.stderr + r.stdout, /sandbox: userns/);
        assert.equal(digestOf(r, 'userns'), expected, 'user-namespace image differs from chroot image');
      }

      // By host name: after a glibc (debian) or libc-free (busybox) base is extracted over /,
      // the builder still resolves names (its own loader and libraries live under /kaniko).
      const byName = (s: string) => s.replaceAll(reg.host, `localhost:${reg.port}`);
      const inPlaceArgs = Object.fromEntries(Object.entries(buildArgs).map(([k, v]) => [k, byName(v)]));
      const podmanEnv = Object.entries(secrets.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      const inPlace = await podmanRun([
        '--network',
        'host',
        '-v',
        `${c.dir}:/workspace:ro`,
        ...podmanEnv,
        image,
        ...cliArgs(c, '/workspace', byName(repo('in-place')), inPlaceArgs),
        ...secrets.args,
      ]);
      assert.match(
        inPlace.stderr + inPlace.stdout,
        /sandbox: in-place \(inside the kaniko-ts executor image/,
      );
      const differs = IN_PLACE_DIFFERS[c.name];
      if (differs) {
        assert.equal(inPlace.code, 0, inPlace.stderr.slice(-3000));
        assert.match(inPlace.stderr + inPlace.stdout, differs);
      } else {
        assert.equal(digestOf(inPlace, 'in-place'), expected, 'in-place image differs from chroot image');
      }
    });
  }
});
