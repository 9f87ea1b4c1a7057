// The docker-archive tar is accepted by a real `docker load` (Debian's dockerd 20.10 of the rig):
// the loaded image has our config digest as its ID, our diff_ids and the tags we asked for.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pullImage } from '../../src/image/remote.ts';
import { writeDockerArchive } from '../../src/image/tarball.ts';
import type { RegistryOptions } from '../../src/registry/options.ts';
import { parseReference } from '../../src/registry/reference.ts';
import { closeTransport } from '../../src/registry/shared.ts';
import { type Daemon, startDaemon } from '../support/daemon.ts';
import { run } from '../support/exec.ts';
import { pushFixture } from '../support/fixtures.ts';
import { withLayer } from '../support/images.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';

const DOCKER = '/usr/bin/docker';

describe('docker load accepts the docker-archive tar', () => {
  let reg: TestRegistry;
  let dockerd: Daemon;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const options: RegistryOptions = {};
  before(async () => {
    reg = await startRegistry();
    await pushFixture(reg, 'busybox', 'library/busybox:latest');
    dir = await mkdtemp(join(tmpdir(), 'kts-dl-'));
    const socket = join(dir, 'd.sock');
    dockerd = await startDaemon(
      'dockerd',
      [
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        '--data-root',
        join(dir, 'data'),
        '--exec-root',
        join(dir, 'exec'),
        '--pidfile',
        join(dir, 'dockerd.pid'),
        '-H',
        `unix://${socket}`,
      ],
      { ready: /API listen on/, timeoutMs: 120_000 },
    );
    env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'client') };
  });
  after(async () => {
    await closeTransport(options);
    await dockerd.stop();
    await rm(dir, { recursive: true, force: true });
    await reg.stop();
  });

  test('busybox plus one layer loads with its tags, ID and layers', async () => {
    const base = await pullImage(parseReference(`${reg.host}/library/busybox`), {
      platform: { os: 'linux', architecture: 'amd64' },
      options,
    });
    const img = await withLayer(base, Buffer.alloc(1024), 'RUN true');
    const path = join(dir, 'image.tar');
    await writeDockerArchive(img, path, ['example.com/app:1', 'example.com/app:latest']);
    const { stdout } = await run(DOCKER, ['load', '-i', path], { env });
    assert.match(stdout, /Loaded image: example\.com\/app:1/);
    const { stdout: inspected } = await run(DOCKER, ['image', 'inspect', 'example.com/app:1'], { env });
    const [info] = JSON.parse(inspected) as Array<{
      Id: string;
      RepoTags: string[];
      RootFS: { Layers: string[] };
    }>;
    assert.equal(info?.Id, (await img.manifest()).config.digest);
    assert.deepEqual(info?.RootFS.Layers, (await img.config()).rootfs.diff_ids);
    assert.deepEqual([...(info?.RepoTags ?? [])].sort(), ['example.com/app:1', 'example.com/app:latest']);
  });
});
