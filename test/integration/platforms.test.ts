// The executor on CI platforms, with real pushes:
// - GitLab CI: GitLab's predefined variables alone (no config.json, no --destination) push to the
//   project registry behind htpasswd auth; the CI/CD component's job script leaves the dotenv report.
// - Cloud Build: the executor image, built by kaniko-ts itself, runs in podman as a step does:
//   /workspace mounted, BUILDER_OUTPUT set, registry auth from an emulated metadata server in front
//   of a token-auth registry; and examples/ build there (in-place) to the image chroot mode gives.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gitlabDotenv } from '../../gitlab/dotenv.ts';
import { buildBundle } from '../../scripts/bundle/bundle.ts';
import { run } from '../support/exec.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { CLI, kanikoBuild } from '../support/kaniko-ts.ts';
import { podmanRun, removeImage } from '../support/podman.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';
import { startTokenServer, type TokenServer } from '../support/token-server.ts';
import { isMapping, renderComponent, runJobScript } from '../unit/adapters/support/gitlab.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const work = await mkdtemp(join(tmpdir(), 'kts-platforms-'));

async function digestOf(ref: string, creds?: string): Promise<string> {
  const args = ['inspect', '--tls-verify=false', '--format', '{{.Digest}}'];
  if (creds) args.push('--creds', creds);
  return (await run('skopeo', [...args, `docker://${ref}`])).stdout.trim();
}

describe('CI platforms', () => {
  let plain: TestRegistry;
  let busybox: string;
  before(async () => {
    plain = await startRegistry();
    busybox = (await pushBaseImages(plain)).busybox;
  });
  after(async () => {
    await plain?.stop();
    await rm(work, { recursive: true, force: true });
  });

  describe('GitLab CI', () => {
    let gitlab: TestRegistry;
    const password = 'glpat-registry-secret-7';
    const vars = () => ({
      GITLAB_CI: 'true',
      CI_REGISTRY: gitlab.host,
      CI_REGISTRY_IMAGE: `${gitlab.host}/group/app`,
      CI_REGISTRY_USER: 'gitlab-ci-token',
      CI_REGISTRY_PASSWORD: password,
      CI_COMMIT_REF_SLUG: 'v1-2-0',
      CI_COMMIT_TAG: 'v1.2.0',
      CI_COMMIT_SHORT_SHA: '1a2b3c4d',
    });
    before(async () => {
      gitlab = await startRegistry({ htpasswd: { username: 'gitlab-ci-token', password } });
    });
    after(() => gitlab?.stop());

    test('the executor alone: GitLab variables give context, destinations and credentials', async () => {
      const project = join(work, 'gitlab-project');
      await mkdir(project, { recursive: true });
      await writeFile(join(project, 'Dockerfile'), `FROM ${busybox}\nRUN echo gitlab > /built\n`);
      const r = await run(process.execPath, [CLI, '--insecure', '--insecure-pull'], {
        env: { ...process.env, ...vars(), CI_PROJECT_DIR: project, DOCKER_CONFIG: join(work, 'no-config') },
        allowFailure: true,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!(r.stdout + r.stderr).includes(password), 'the registry password was printed');
      const creds = `gitlab-ci-token:${password}`;
      const main = await digestOf(`${gitlab.host}/group/app:v1-2-0`, creds);
      assert.equal(await digestOf(`${gitlab.host}/group/app:v1.2.0`, creds), main);
      assert.ok((r.stdout + r.stderr).includes(main));
    });

    test('the CI/CD component job: real push with htpasswd auth, dotenv report', async () => {
      const job = renderComponent(await readFile(join(ROOT, 'gitlab/templates/build.yml'), 'utf8'), {
        'build-args': `BASE=${busybox}`,
        'extra-args': '--insecure --insecure-pull',
      })['kaniko-ts-build'];
      assert.ok(isMapping(job));
      const r = await runJobScript(
        job,
        { ...vars(), DOCKER_CONFIG: join(work, 'no-config') },
        {
          executor: [process.execPath, CLI],
          files: { Dockerfile: 'ARG BASE\nFROM $BASE\nRUN echo component > /built\n' },
        },
      );
      const destinations = [`${gitlab.host}/group/app:v1-2-0`, `${gitlab.host}/group/app:v1.2.0`];
      assert.equal(r.digest, await digestOf(destinations[0]!, `gitlab-ci-token:${password}`));
      assert.equal(r.dotenv, gitlabDotenv({ digest: r.digest, destinations }));
      assert.ok(!r.stdout.includes(password));
    });
  });

  describe('Cloud Build step: the dogfood executor image in podman', () => {
    let tokens: TokenServer;
    let gcr: TestRegistry;
    let metadata: Server;
    let metadataHost: string;
    const accessToken = 'ya29.metadata-token-for-tests';
    let executorImage: string;
    let stepImage: string;

    before(async () => {
      tokens = await startTokenServer({
        users: { oauth2accesstoken: { password: accessToken, access: { 'my-project/*': ['pull', 'push'] } } },
      });
      gcr = await startRegistry({ token: tokens.registryAuth });
      metadata = createServer((req, res) => {
        if (
          req.url === '/computeMetadata/v1/instance/service-accounts/default/token' &&
          req.headers['metadata-flavor'] === 'Google'
        ) {
          res.setHeader('content-type', 'application/json');
          res.setHeader('metadata-flavor', 'Google');
          res.end(JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }));
        } else {
          res.statusCode = 403;
          res.end();
        }
      });
      await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
      metadataHost = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;

      // Dogfood: kaniko-ts builds its own executor image from the bundle tree and pushes it.
      const bundleDir = join(work, 'bundle');
      await buildBundle({ out: bundleDir });
      executorImage = `${plain.host}/kaniko-ts/executor:test`;
      const built = await kanikoBuild({
        context: bundleDir,
        dockerfile: join(ROOT, 'cloudbuild/executor.Dockerfile'),
        destinations: [executorImage],
        target: 'executor',
      });
      assert.equal(built.code, 0, built.stderr);
      stepImage = `localhost/kts-cloudbuild-step:${process.pid}`;
      await run('podman', ['pull', '--tls-verify=false', executorImage]);
      await run('podman', ['tag', executorImage, stepImage]);
    });
    after(async () => {
      await removeImage(stepImage);
      await removeImage(executorImage);
      await new Promise((r) => metadata?.close(r));
      await gcr?.stop();
      await tokens?.stop();
    });

    test('a step pushes to a Google registry with the metadata token and writes $BUILDER_OUTPUT/images', async () => {
      const workspace = join(work, 'workspace');
      const outputs = join(work, 'builder-outputs');
      await mkdir(workspace, { recursive: true });
      await mkdir(outputs, { recursive: true });
      await writeFile(join(workspace, 'Dockerfile'), `FROM ${busybox}\nRUN echo step > /built\n`);
      const gcrHost = `gcr.io:${gcr.port}`;
      const dest = `${gcrHost}/my-project/app:abc123`;
      const r = await podmanRun([
        '--network',
        'host',
        '--add-host',
        'gcr.io:127.0.0.1',
        '-v',
        `${workspace}:/workspace`,
        '-v',
        `${outputs}:/builder/outputs`,
        '-e',
        'BUILDER_OUTPUT=/builder/outputs',
        '-e',
        `GCE_METADATA_HOST=${metadataHost}`,
        stepImage,
        '--destination',
        dest,
        '--insecure-registry',
        gcrHost,
        '--insecure-pull',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /sandbox: in-place/);
      assert.ok(!(r.stdout + r.stderr).includes(accessToken), 'the access token was printed');
      const lines = (await readFile(join(outputs, 'images'), 'utf8')).trim().split('\n');
      assert.equal(lines.length, 1);
      const entry = JSON.parse(lines[0]!) as { name: string; digest: string };
      assert.equal(entry.name, dest);
      const pushed = await digestOf(
        `127.0.0.1:${gcr.port}/my-project/app:abc123`,
        `oauth2accesstoken:${accessToken}`,
      );
      assert.equal(entry.digest, pushed);
      assert.ok(tokens.requests.some((q) => q.account === 'oauth2accesstoken' && q.status === 200));
    });

    test('examples/ build inside the step image (in-place) to the image chroot mode builds', async () => {
      const base = `--build-arg=BASE=${busybox}`;
      const host = await kanikoBuild({
        context: join(ROOT, 'examples/hello'),
        destinations: [`${plain.host}/examples/hello:chroot`],
        extraArgs: ['--reproducible', base],
      });
      assert.equal(host.code, 0, host.stderr);
      const step = await podmanRun([
        '--network',
        'host',
        '-v',
        `${join(ROOT, 'examples/hello')}:/workspace:ro`,
        stepImage,
        '--destination',
        `${plain.host}/examples/hello:in-place`,
        '--insecure',
        '--insecure-pull',
        '--reproducible',
        base,
      ]);
      assert.equal(step.code, 0, step.stderr);
      assert.equal(
        await digestOf(`${plain.host}/examples/hello:in-place`),
        await digestOf(`${plain.host}/examples/hello:chroot`),
      );
    });
  });
});
