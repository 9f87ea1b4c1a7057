// The executor on CI platforms, with real pushes:
// - GitLab CI: GitLab's predefined variables alone (no config.json, no --destination) push to the
//   project registry behind htpasswd auth; the CI/CD component's job script leaves the dotenv report.
// - Cloud Build: the executor image, built by kaniko-ts itself, runs in podman as a step does:
//   /workspace mounted, BUILDER_OUTPUT set, registry auth from an emulated metadata server in front
//   of a token-auth registry, or from /kaniko/.docker/config.json without one; its debug variant
//   runs the GitLab component's script; and every examples/ Dockerfile builds there (in-place) to
//   the image chroot mode gives.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gitlabDotenv } from '../../gitlab/dotenv.ts';
import { buildBundle } from '../../scripts/bundle/bundle.ts';
import { executorImageConfig } from '../../scripts/bundle/layout.ts';
import { run } from '../support/exec.ts';
import { pushBaseImages } from '../support/fixtures.ts';
import { CLI, kanikoBuild } from '../support/kaniko-ts.ts';
import { podmanRun, removeImage } from '../support/podman.ts';
import { freePort } from '../support/ports.ts';
import { startRegistry, type TestRegistry } from '../support/registry.ts';
import { startTokenServer, type TokenServer } from '../support/token-server.ts';
import { expandVariable, isMapping, renderComponent, runJobScript } from '../unit/adapters/support/gitlab.ts';

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
      assert.ok(!(r.stdout + r.stderr).includes(password), 'the registry password was printed');
    });

    test('the include template’s job, extended by a user’s pipeline: real push with htpasswd auth, dotenv report', async () => {
      const { resolveExtends, resolveIncludes, userPipeline } = await import(
        '../unit/adapters/support/gitlab.ts'
      );
      // A branch pipeline: the default destination is the ref slug's tag alone.
      const { CI_COMMIT_TAG: _tag, ...branch } = { ...vars(), CI_COMMIT_REF_SLUG: 'feature-x' };
      const job = resolveExtends(
        resolveIncludes(
          userPipeline({
            KANIKO_TS_BUILD_ARGS: `BASE=${busybox}`,
            KANIKO_TS_EXTRA_ARGS: '--insecure --insecure-pull',
          }),
        ),
        'build-image',
      );
      const r = await runJobScript(
        job,
        { ...branch, DOCKER_CONFIG: join(work, 'no-config') },
        {
          executor: [process.execPath, CLI],
          files: { Dockerfile: 'ARG BASE\nFROM $BASE\nRUN echo template > /built\n' },
        },
      );
      const destinations = [`${gitlab.host}/group/app:feature-x`];
      assert.equal(r.digest, await digestOf(destinations[0]!, `gitlab-ci-token:${password}`));
      assert.equal(r.dotenv, gitlabDotenv({ digest: r.digest, destinations }));
      assert.match(r.stderr, /sandbox: /, 'the executor’s log is on stderr');
      assert.ok(!(r.stdout + r.stderr).includes(password), 'the registry password was printed');
    });
  });

  describe('Cloud Build step: the dogfood executor image in podman', () => {
    let tokens: TokenServer;
    let gcr: TestRegistry;
    let metadata: Server;
    let metadataHost: string;
    const accessToken = 'ya29.metadata-token-for-tests';
    let executorImage: string;
    let debugImage: string;
    let stepImage: string;
    let debugStepImage: string;

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

      // Dogfood: kaniko-ts builds its own executor image and the debug variant from the bundle
      // tree (with busybox/), as cloudbuild/cloudbuild.yaml does, and pushes both.
      const bundleDir = join(work, 'bundle');
      await buildBundle({ out: bundleDir, debug: true });
      executorImage = `${plain.host}/kaniko-ts/executor:test`;
      debugImage = `${plain.host}/kaniko-ts/executor:test-debug`;
      stepImage = `localhost/kts-cloudbuild-step:${process.pid}`;
      debugStepImage = `localhost/kts-cloudbuild-step:${process.pid}-debug`;
      const images = [
        { target: 'executor', ref: executorImage, local: stepImage },
        { target: 'debug', ref: debugImage, local: debugStepImage },
      ];
      for (const { target, ref, local } of images) {
        const built = await kanikoBuild({
          context: bundleDir,
          dockerfile: join(ROOT, 'cloudbuild/executor.Dockerfile'),
          destinations: [ref],
          target,
        });
        assert.equal(built.code, 0, built.stderr);
        await run('podman', ['pull', '--tls-verify=false', ref]);
        await run('podman', ['tag', ref, local]);
      }
    });
    after(async () => {
      for (const image of [stepImage, debugStepImage, executorImage, debugImage])
        if (image) await removeImage(image);
      await new Promise((r) => metadata?.close(r));
      await gcr?.stop();
      await tokens?.stop();
    });

    test('the images kaniko-ts built have the config scripts/bundle/layout.ts defines', async () => {
      for (const [ref, debug] of [
        [executorImage, false],
        [debugImage, true],
      ] as const) {
        const inspected = await run('skopeo', [
          'inspect',
          '--tls-verify=false',
          '--config',
          `docker://${ref}`,
        ]);
        const image = JSON.parse(inspected.stdout) as {
          architecture: string;
          os: string;
          config: { Entrypoint?: string[]; WorkingDir?: string; Env?: string[]; Cmd?: string[] };
        };
        const want = executorImageConfig({ debug, arch: process.arch });
        assert.equal(image.architecture, want.architecture, ref);
        assert.equal(image.os, want.os, ref);
        const { Entrypoint, WorkingDir, Env, Cmd } = image.config;
        assert.deepEqual({ Entrypoint, WorkingDir, Env }, want.config, ref);
        // kaniko's image has no CMD: a step without args runs the executor alone.
        assert.equal(Cmd, undefined, ref);
      }
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

    test('no metadata server: a step pushes with /kaniko/.docker/config.json, the token never printed', async () => {
      const workspace = join(work, 'workspace-fallback');
      await mkdir(workspace, { recursive: true });
      await writeFile(join(workspace, 'Dockerfile'), `FROM ${busybox}\nRUN echo fallback > /built\n`);
      const gcrHost = `gcr.io:${gcr.port}`;
      const auth = Buffer.from(`oauth2accesstoken:${accessToken}`).toString('base64');
      const config = join(work, 'fallback-config.json');
      await writeFile(config, JSON.stringify({ auths: { [gcrHost]: { auth } } }));
      const closed = `127.0.0.1:${await freePort()}`;
      const seen = tokens.requests.length;
      const dest = `${gcrHost}/my-project/app:fallback`;
      const r = await podmanRun([
        '--network',
        'host',
        '--add-host',
        'gcr.io:127.0.0.1',
        '-v',
        `${workspace}:/workspace`,
        '-v',
        `${config}:/kaniko/.docker/config.json:ro`,
        '-e',
        `GCE_METADATA_HOST=${closed}`,
        stepImage,
        '--destination',
        dest,
        '--insecure-registry',
        gcrHost,
        '--insecure-pull',
        '--digest-file',
        '/workspace/digest',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const out = r.stdout + r.stderr;
      assert.ok(
        out.includes(
          `metadata server ${closed}: unreachable (ECONNREFUSED); using config.json for ${gcrHost}`,
        ),
        out,
      );
      assert.ok(!out.includes(accessToken) && !out.includes(auth), 'a credential was printed');
      const pushed = await digestOf(
        `127.0.0.1:${gcr.port}/my-project/app:fallback`,
        `oauth2accesstoken:${accessToken}`,
      );
      assert.equal((await readFile(join(workspace, 'digest'), 'utf8')).trim(), pushed);
      assert.ok(
        tokens.requests.slice(seen).some((q) => q.account === 'oauth2accesstoken' && q.status === 200),
        'the registry was given config.json credentials',
      );
    });

    test('the debug image as GitLab runs it: empty entrypoint, the component script in /busybox/sh', async () => {
      // The runner's docker executor with `entrypoint: [""]`: variables in the environment, the
      // script in the image's shell, the checkout as working directory.
      const projectDir = '/builds/group/app';
      const project = join(work, 'gitlab-debug-project');
      await run('cp', ['-a', join(ROOT, 'examples/hello'), project]);
      const job = renderComponent(await readFile(join(ROOT, 'gitlab/templates/build.yml'), 'utf8'), {
        'build-args': `BASE=${busybox}`,
        'extra-args': '--insecure --insecure-pull',
      })['kaniko-ts-build'];
      assert.ok(isMapping(job) && Array.isArray(job.script) && isMapping(job.variables));
      const env: Record<string, string> = {
        GITLAB_CI: 'true',
        CI_PROJECT_DIR: projectDir,
        CI_REGISTRY_IMAGE: `${plain.host}/gitlab-debug/app`,
        CI_COMMIT_REF_SLUG: 'main',
        CI_COMMIT_SHORT_SHA: '1a2b3c4d',
      };
      for (const [k, v] of Object.entries(job.variables)) env[k] = expandVariable(String(v), env);
      const r = await podmanRun([
        '--network',
        'host',
        '-v',
        `${project}:${projectDir}`,
        '-w',
        projectDir,
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        '--entrypoint',
        '',
        debugStepImage,
        '/busybox/sh',
        '-c',
        job.script.join('\n'),
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /sandbox: in-place/);
      const dest = `${plain.host}/gitlab-debug/app:main`;
      const digest = await digestOf(dest);
      assert.equal(
        await readFile(join(project, 'kaniko-ts.env'), 'utf8'),
        gitlabDotenv({ digest, destinations: [dest] }),
      );
    });

    // Every example, so a new one is covered without touching this file.
    const examples = readdirSync(join(ROOT, 'examples'))
      .filter((name) => existsSync(join(ROOT, 'examples', name, 'Dockerfile')))
      .sort();
    test('examples/ has Dockerfiles', () => {
      assert.ok(examples.length > 0);
    });
    for (const name of examples) {
      test(`examples/${name} builds inside the step image (in-place) to the image chroot mode builds`, async () => {
        const dir = join(ROOT, 'examples', name);
        const base = `--build-arg=BASE=${busybox}`;
        const host = await kanikoBuild({
          context: dir,
          destinations: [`${plain.host}/examples/${name}:chroot`],
          extraArgs: ['--reproducible', base],
        });
        assert.equal(host.code, 0, host.stderr);
        // The tests run as root, where auto picks chroot (bubblewrap).
        assert.match(host.stdout + host.stderr, /sandbox: chroot/);
        const step = await podmanRun([
          '--network',
          'host',
          '-v',
          `${dir}:/workspace:ro`,
          stepImage,
          '--destination',
          `${plain.host}/examples/${name}:in-place`,
          '--insecure',
          '--insecure-pull',
          '--reproducible',
          base,
        ]);
        assert.equal(step.code, 0, step.stderr);
        assert.match(step.stdout + step.stderr, /sandbox: in-place/);
        assert.equal(
          await digestOf(`${plain.host}/examples/${name}:in-place`),
          await digestOf(`${plain.host}/examples/${name}:chroot`),
        );
      });
    }
  });
});
