// The README's main job: a real build of examples/hello, pushed to a local registry (Debian's
// docker-registry on a free loopback port) FROM a busybox base made here with busybox-static.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFixtures, pushFixture } from '../test/support/fixtures.ts';
import { startRegistry } from '../test/support/registry.ts';

await ensureFixtures(['busybox']);
const reg = await startRegistry();
const out = await mkdtemp(join(tmpdir(), 'kaniko-ts-example-'));
try {
  const base = await pushFixture(reg, 'busybox', 'library/busybox:latest');
  const destination = `${reg.host}/examples/hello:latest`;
  const digestFile = join(out, 'digest');
  const r = spawnSync(
    process.execPath,
    [
      'bin/kaniko-ts.js',
      '--context',
      'examples/hello',
      '--dockerfile',
      'examples/hello/Dockerfile',
      '--destination',
      destination,
      '--build-arg',
      `BASE=${base}`,
      '--digest-file',
      digestFile,
      '--insecure',
      '--insecure-pull',
      '--kaniko-dir',
      join(out, 'kaniko'),
    ],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    process.exitCode = r.status ?? 1;
  } else {
    const digest = await readFile(digestFile, 'utf8');
    const inspect = spawnSync('skopeo', ['inspect', '--tls-verify=false', `docker://${destination}`], {
      encoding: 'utf8',
    });
    const info = JSON.parse(inspect.stdout) as { Layers: string[]; Env: string[] };
    console.log(
      `example: pushed ${destination}@${digest} (${info.Layers.length} layers), read back with skopeo`,
    );
  }
} finally {
  await reg.stop();
  await rm(out, { recursive: true, force: true });
}
