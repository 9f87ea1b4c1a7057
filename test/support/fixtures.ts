// Base images for tests, made only with tools nobody here wrote (busybox-static, debootstrap,
// umoci, skopeo) so they never depend on the code under test. Each is built once into an OCI
// layout under a cache directory that survives between runs, then copied into a test's registry.
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.ts';
import type { TestRegistry } from './registry.ts';

export type FixtureName = 'busybox' | 'debian';

/** Bump when the recipe changes, so stale cached layouts are not reused. */
const RECIPE_VERSION = 1;

export function fixturesDir(): string {
  return (
    process.env.KANIKO_TS_FIXTURES ?? join(homedir(), '.cache', 'kaniko-ts', `fixtures-v${RECIPE_VERSION}`)
  );
}

/** OCI layout directory of a fixture (tag `latest`). */
export function fixtureLayout(name: FixtureName): string {
  return join(fixturesDir(), name);
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

async function busyboxRootfs(root: string): Promise<void> {
  for (const d of ['bin', 'etc', 'root', 'home/app', 'var', 'usr/bin'])
    await mkdir(join(root, d), { recursive: true });
  await mkdir(join(root, 'tmp'));
  await chmod(join(root, 'tmp'), 0o1777);
  await chmod(join(root, 'root'), 0o700);
  await cp('/bin/busybox', join(root, 'bin', 'busybox'));
  const { stdout } = await run('/bin/busybox', ['--list']);
  for (const applet of stdout.split('\n')) {
    if (applet && applet !== 'busybox') await symlink('busybox', join(root, 'bin', applet));
  }
  await writeFile(
    join(root, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n',
  );
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\napp:x:1000:\n');
  await run('chown', ['1000:1000', join(root, 'home', 'app')]);
}

async function debianRootfs(root: string): Promise<void> {
  const mirror = process.env.KANIKO_TS_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
  await run('debootstrap', ['--variant=minbase', 'bookworm', root, mirror]);
  // Leave out what only the build host needs; apt lists are large and change daily.
  await rm(join(root, 'var', 'lib', 'apt', 'lists'), { recursive: true, force: true });
  await mkdir(join(root, 'var', 'lib', 'apt', 'lists', 'partial'), { recursive: true });
  for (const f of await readdir(join(root, 'var', 'cache', 'apt'))) {
    if (f.endsWith('.bin')) await rm(join(root, 'var', 'cache', 'apt', f));
  }
}

async function buildFixture(name: FixtureName, dest: string): Promise<void> {
  // Built beside its final place: the rename into the cache must not cross file systems (a tmpfs
  // /tmp is common, and then rename fails with EXDEV).
  await mkdir(fixturesDir(), { recursive: true });
  const work = await mkdtemp(join(fixturesDir(), `.build-${name}-`));
  try {
    const layout = join(work, 'layout');
    const bundle = join(work, 'bundle');
    await run('umoci', ['init', '--layout', layout]);
    await run('umoci', ['new', '--image', `${layout}:latest`]);
    await run('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
    const rootfs = join(bundle, 'rootfs');
    if (name === 'busybox') await busyboxRootfs(rootfs);
    else await debianRootfs(rootfs);
    await run('umoci', ['repack', '--image', `${layout}:latest`, bundle]);
    await run('umoci', [
      'config',
      '--image',
      `${layout}:latest`,
      '--config.env',
      PATH_ENV,
      '--config.cmd',
      name === 'busybox' ? 'sh' : 'bash',
    ]);
    await run('umoci', ['gc', '--layout', layout]);
    // Another process may have finished first; either result is equally good.
    try {
      await rename(layout, dest);
    } catch (e) {
      if (!existsSync(dest)) throw e;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds any fixture that is not cached yet. */
export async function ensureFixtures(names: readonly FixtureName[] = ['busybox', 'debian']): Promise<void> {
  for (const name of names) {
    const dest = fixtureLayout(name);
    if (!existsSync(join(dest, 'index.json'))) await buildFixture(name, dest);
  }
}

/** Copies a fixture into a test registry as `repo` (e.g. library/busybox:latest) with skopeo. */
export async function pushFixture(registry: TestRegistry, name: FixtureName, repo: string): Promise<string> {
  const ref = `${registry.host}/${repo}`;
  const dest = registry.ca ? ['--dest-cert-dir', registry.ca.certDir] : ['--dest-tls-verify=false'];
  await run('skopeo', ['copy', '--quiet', ...dest, `oci:${fixtureLayout(name)}:latest`, `docker://${ref}`]);
  return ref;
}

/** The usual pair: library/busybox:latest and library/debian:bookworm. */
export async function pushBaseImages(registry: TestRegistry): Promise<{ busybox: string; debian: string }> {
  const [busybox, debian] = await Promise.all([
    pushFixture(registry, 'busybox', 'library/busybox:latest'),
    pushFixture(registry, 'debian', 'library/debian:bookworm'),
  ]);
  return { busybox, debian };
}
