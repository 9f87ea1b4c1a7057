// The action run the way the runner runs it: `node dist/index.js` (action.yml's runs.main) with
// INPUT_* variables and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, then
// `node dist/post.js` with STATE_*; the executor is the one bundled in dist/executor/, building
// images and pushing them to the rig's registry. dist/ is checked against the sources by
// action-dist.test.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { load } from 'js-yaml';
import { run } from '../../support/exec.ts';
import { ensureFixtures, fixtureLayout } from '../../support/fixtures.ts';
import { startRegistry, type TestRegistry } from '../../support/registry.ts';
import { ROOT } from './support/schemas.ts';

// The steps action.yml names, as the runner starts them.
const ACTION = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  runs: { main: string; post: string };
};
const MAIN = join(ROOT, ACTION.runs.main);
const POST = join(ROOT, ACTION.runs.post);

interface RunnerResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

/** GitHub's file commands: `name<<DELIM\nvalue\nDELIM` blocks. */
function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

function node(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

async function runLikeTheRunner(dir: string, inputs: Record<string, string>): Promise<RunnerResult> {
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    state: join(dir, 'state'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
  };
  for (const f of Object.values(files)) await writeFile(f, '');
  const home = join(dir, 'home');
  const temp = join(dir, 'runner-temp');
  await mkdir(home, { recursive: true });
  await mkdir(temp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    RUNNER_TEMP: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = await node(MAIN, env);
  return {
    ...r,
    outputs: parseFileCommands(await readFile(files.output, 'utf8')),
    state: parseFileCommands(await readFile(files.state, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
  };
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** One file of a tar archive, read with tar itself. */
async function tarMember(tarball: string, member: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('tar', ['-xOf', tarball, member], { encoding: 'buffer', maxBuffer: 16 << 20 }, (err, out) =>
      err ? reject(err) : resolve(out),
    );
  });
}

async function contextWith(dockerfile: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-action-'));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'Dockerfile'), dockerfile);
  return dir;
}

describe('the action, run as the runner runs it, with the real executor', () => {
  test('builds, writes outputs and summary, masks the password, and cleans up in post', async () => {
    const dir = await contextWith('FROM scratch\nARG A\nLABEL org.example.a=$A\nENV PATH=/bin\n');
    const r = await runLikeTheRunner(dir, {
      context: join(dir, 'src'),
      tags: 'registry.example.com/app:1,registry.example.com/app:latest',
      'build-args': 'A=from-input',
      outputs: `type=docker,dest=${join(dir, 'image.tar')}`,
      registry: 'registry.example.com',
      username: 'octocat',
      password: 's3cret-pw',
      push: 'false',
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.outputs.digest ?? '', /^sha256:[a-f0-9]{64}$/);
    assert.equal(r.outputs.tags, 'registry.example.com/app:1\nregistry.example.com/app:latest');
    // imageid is the config digest (as build-push-action's): the config the docker archive holds.
    const archived = JSON.parse(
      (await tarMember(join(dir, 'image.tar'), 'manifest.json')).toString(),
    ) as Array<{
      Config: string;
    }>;
    const configBytes = await tarMember(join(dir, 'image.tar'), archived[0]!.Config);
    assert.equal(r.outputs.imageid, sha256(configBytes));
    const metadata = JSON.parse(r.outputs.metadata ?? '{}') as Record<string, unknown>;
    assert.equal(metadata['containerimage.digest'], r.outputs.digest);
    assert.equal(metadata['containerimage.config.digest'], r.outputs.imageid);
    assert.equal(metadata['image.name'], 'registry.example.com/app:1,registry.example.com/app:latest');
    assert.equal(metadata['kaniko-ts.image.size'], configBytes.length, 'no layer: the config alone');
    assert.match(r.summary, new RegExp(`\\| digest \\| \`${r.outputs.digest}\` \\|`));
    assert.match(r.summary, new RegExp(`\\| image ID \\| \`${r.outputs.imageid}\` \\|`));
    assert.match(r.summary, new RegExp(`^\\| size \\| ${configBytes.length} B \\|$`, 'm'));
    assert.match(r.summary, /\| pushed \| no \|/);
    // It says how it started the executor (root here: no sudo) and where bubblewrap is.
    assert.match(r.stdout, /^kaniko-ts: running as root: the executor picks its sandbox$/m);
    assert.match(r.stdout, /^kaniko-ts: bubblewrap: \/usr\/bin\/bwrap \(installed on the runner\)$/m);
    // Masked before use; never printed otherwise.
    assert.match(r.stdout, /^::add-mask::s3cret-pw$/m);
    const printed = (r.stdout + r.stderr).replace(/^::add-mask::s3cret-pw$/m, '');
    assert.doesNotMatch(printed, /s3cret-pw/);
    // The executor's docker config held the login; post removes it.
    const temp = r.state['kaniko-ts-temp-dir'];
    assert.ok(temp, 'state saved for post');
    const cfg = JSON.parse(await readFile(join(temp, 'docker', 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    assert.equal(
      Buffer.from(cfg.auths['registry.example.com']!.auth, 'base64').toString(),
      'octocat:s3cret-pw',
    );
    const post = await node(POST, { PATH: process.env.PATH, 'STATE_kaniko-ts-temp-dir': temp });
    assert.equal(post.code, 0, post.stderr);
    assert.equal(existsSync(temp), false);
  });

  test('a broken Dockerfile: an annotation on its line, and the step fails', async () => {
    const dir = await contextWith('FROM scratch\nFROBNICATE x\n');
    const dockerfile = join(dir, 'src', 'Dockerfile');
    const r = await runLikeTheRunner(dir, { context: join(dir, 'src') });
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      new RegExp(
        `^::error title=kaniko-ts,file=${dockerfile},line=2::unknown instruction "FROBNICATE"$`,
        'm',
      ),
    );
    assert.match(r.stdout, /^::error::the kaniko-ts executor failed \(exit code 3\)$/m);
    assert.deepEqual(Object.keys(r.outputs), []);
    assert.match(r.summary, /^### kaniko-ts: failed\n\nthe kaniko-ts executor failed \(exit code 3\)\n/);
  });

  test('a Dockerfile warning, with --log-timestamp: an annotation on its line, and the build succeeds', async () => {
    const dir = await contextWith('FROM scratch\nMAINTAINER someone@example.com\nENV A=1\n');
    const dockerfile = join(dir, 'src', 'Dockerfile');
    const r = await runLikeTheRunner(dir, { context: join(dir, 'src'), 'extra-args': '--log-timestamp' });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /^\d{4}-\d\d-\d\dT\S+Z WARN: /m, 'the executor prefixed its warning');
    assert.match(
      r.stdout,
      new RegExp(
        `^::warning title=kaniko-ts,file=${dockerfile},line=2::Maintainer instruction is deprecated in favor of using label$`,
        'm',
      ),
    );
  });

  test('an input the executor cannot honour fails before anything runs', async () => {
    const dir = await contextWith('FROM scratch\n');
    const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const r = await runLikeTheRunner(dir, { context: join(dir, 'src'), platforms: other });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error::input platforms: only the runner's platform/m);
    assert.doesNotMatch(r.stderr, /sandbox:/, 'the executor did not start');
  });
});

const CREDS = 'ci-user:pa55-w0rd-ci';

/** GET /v2/<path> from the registry with the test login; the body. */
async function registryGet(reg: TestRegistry, path: string): Promise<Buffer> {
  const res = await fetch(`${reg.url}/v2/${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(CREDS).toString('base64')}`,
      accept:
        'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  assert.equal(res.status, 200, `GET ${path}`);
  return Buffer.from(await res.arrayBuffer());
}

describe('the action pushing to the rig registry (basic auth) with the bundled executor', () => {
  let reg: TestRegistry;
  let busybox: string;
  before(async () => {
    await ensureFixtures(['busybox']);
    reg = await startRegistry({ htpasswd: { username: 'ci-user', password: 'pa55-w0rd-ci' } });
    // skopeo pushes the base image with the same login.
    busybox = `${reg.host}/library/busybox:latest`;
    await run('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      '--dest-creds',
      CREDS,
      `oci:${fixtureLayout('busybox')}:latest`,
      `docker://${busybox}`,
    ]);
  });
  after(async () => {
    await reg?.stop();
  });

  test('builds FROM the registry, RUNs, pushes every tag; outputs and summary name what was pushed', async () => {
    const dir = await contextWith(`FROM ${busybox}\nRUN echo built-by-the-action > /greeting\n`);
    const tags = [`${reg.host}/app/hello:1`, `${reg.host}/app/hello:latest`];
    const r = await runLikeTheRunner(dir, {
      context: join(dir, 'src'),
      tags: tags.join('\n'),
      push: 'true',
      registry: reg.host,
      username: 'ci-user',
      password: 'pa55-w0rd-ci',
      'insecure-registries': reg.host,
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const digest = r.outputs.digest ?? '';
    assert.match(digest, /^sha256:[a-f0-9]{64}$/);
    assert.equal(r.outputs.tags, tags.join('\n'));
    // imageid, metadata and the summary's size are those of the manifest the registry serves.
    const raw = Buffer.from(
      (
        await run('skopeo', [
          'inspect',
          '--raw',
          '--tls-verify=false',
          '--creds',
          CREDS,
          `docker://${tags[0]}`,
        ])
      ).stdout,
    );
    const pushed = JSON.parse(raw.toString()) as {
      mediaType: string;
      config: { digest: string; size: number };
      layers: Array<{ size: number }>;
    };
    const config = (
      await run('skopeo', [
        'inspect',
        '--config',
        '--raw',
        '--tls-verify=false',
        '--creds',
        CREDS,
        `docker://${tags[0]}`,
      ])
    ).stdout;
    assert.equal(sha256(Buffer.from(config)), pushed.config.digest);
    assert.equal(r.outputs.imageid, pushed.config.digest);
    const size = pushed.layers.reduce((n, l) => n + l.size, pushed.config.size);
    assert.deepEqual(JSON.parse(r.outputs.metadata ?? '{}'), {
      'containerimage.descriptor': { mediaType: pushed.mediaType, digest, size: raw.length },
      'containerimage.config.digest': pushed.config.digest,
      'containerimage.digest': digest,
      'image.name': tags.join(','),
      'kaniko-ts.image.size': size,
    });
    assert.match(r.summary, new RegExp(`^\\| size \\| .* \\(${size} bytes\\) \\|$`, 'm'));
    // The registry serves the image the outputs name under each tag, with the RUN's file in it.
    for (const tag of tags) {
      const manifest = await registryGet(reg, `app/hello/manifests/${tag.split(':').pop()}`);
      assert.equal(`sha256:${createHash('sha256').update(manifest).digest('hex')}`, digest, tag);
      const { layers } = JSON.parse(manifest.toString()) as { layers: Array<{ digest: string }> };
      const top = await registryGet(reg, `app/hello/blobs/${layers.at(-1)!.digest}`);
      assert.ok(gunzipSync(top).includes('built-by-the-action'), `${tag} holds the RUN's file`);
    }
    assert.match(r.summary, new RegExp(`\\| digest \\| \`${digest}\` \\|`));
    assert.match(r.summary, /\| pushed \| yes \|/);
    for (const tag of tags) assert.ok(r.summary.includes(`- \`${tag}@${digest}\``), r.summary);
    // Each step of the build, with its time (nothing was cached: no cache input).
    assert.match(r.summary, /^\*\*Steps\*\* \(0 of \d+ cached\):$/m);
    assert.match(
      r.summary,
      /^\| \d+ \| `\[1\/1\] RUN echo built-by-the-action > \/greeting` \| done \| \d+\.\ds \|$/m,
    );
    assert.match(r.stdout, /^::add-mask::pa55-w0rd-ci$/m);
    const printed = (r.stdout + r.stderr).replace(/^::add-mask::pa55-w0rd-ci$/m, '');
    assert.doesNotMatch(printed, /pa55-w0rd-ci/);
    const post = await node(POST, {
      PATH: process.env.PATH,
      'STATE_kaniko-ts-temp-dir': r.state['kaniko-ts-temp-dir'],
    });
    assert.equal(post.code, 0, post.stderr);
  });

  test('a wrong password: the step fails naming the registry, and the password is not printed', async () => {
    const dir = await contextWith(`FROM ${busybox}\n`);
    const r = await runLikeTheRunner(dir, {
      context: join(dir, 'src'),
      tags: `${reg.host}/app/hello:denied`,
      push: 'true',
      registry: reg.host,
      username: 'ci-user',
      password: 'not-the-pa55word',
      'insecure-registries': reg.host,
    });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^::error::the kaniko-ts executor failed \(exit code 6\)$/m);
    assert.ok((r.stdout + r.stderr).includes(reg.host), 'the registry is named');
    const printed = (r.stdout + r.stderr).replace(/^::add-mask::not-the-pa55word$/m, '');
    assert.doesNotMatch(printed, /not-the-pa55word/);
    assert.deepEqual(Object.keys(r.outputs), []);
  });
});
