import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { authKey, DockerConfigError, mergeLogin } from '../../../action/docker-config.ts';
import { chooseLaunch, type LaunchFacts, launchFacts } from '../../../action/launch.ts';
import {
  actionOutputs,
  failureSummary,
  jobSummary,
  OutputsError,
  readExecutorFiles,
} from '../../../action/outputs.ts';
import { BuildProgress } from '../../../action/progress.ts';
import { dockerConfigKeychain } from '../../../src/registry/auth/keychain.ts';

const digest = `sha256:${'9f'.repeat(32)}`;
const config = `sha256:${'1c'.repeat(32)}`;

describe('docker config for the executor: existing config.json + the action’s login', () => {
  const keys: [string, string][] = [
    ['docker.io', 'https://index.docker.io/v1/'],
    ['index.docker.io', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'ghcr.io'],
    ['https://registry.example.com:5000/v2/', 'registry.example.com:5000'],
  ];
  for (const [registry, key] of keys)
    test(`${registry} is keyed ${key}`, () => assert.equal(authKey(registry), key));

  test('keeps what login-action wrote, adds the login, drops a helper for the same host', () => {
    const existing = JSON.stringify({
      auths: { 'registry.example.com': { auth: 'dTpw' } },
      credHelpers: { 'ghcr.io': 'gh', 'us-docker.pkg.dev': 'gcloud' },
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
    });
    const merged = JSON.parse(
      mergeLogin(existing, { registry: 'ghcr.io', username: 'octo', password: 'pw' }),
    ) as {
      auths: Record<string, { auth: string }>;
      credHelpers: Record<string, string>;
      proxies: unknown;
    };
    assert.deepEqual(Object.keys(merged.auths).sort(), ['ghcr.io', 'registry.example.com']);
    assert.equal(Buffer.from(merged.auths['ghcr.io']!.auth, 'base64').toString(), 'octo:pw');
    assert.deepEqual(merged.credHelpers, { 'us-docker.pkg.dev': 'gcloud' });
    assert.deepEqual(merged.proxies, { default: { httpProxy: 'http://proxy:3128' } });
  });

  test('no existing file and no login: an empty config', () => {
    assert.deepEqual(JSON.parse(mergeLogin(undefined, undefined)), {});
    assert.deepEqual(JSON.parse(mergeLogin('', undefined)), {});
  });

  test('a broken config.json is a one-line error naming it, without its contents', () => {
    assert.throws(
      () => mergeLogin('{"auths": {"x": {"auth": "c2VjcmV0"', undefined, '/home/runner/.docker/config.json'),
      (e: Error) =>
        e instanceof DockerConfigError &&
        e.message === '/home/runner/.docker/config.json: not valid JSON' &&
        !e.message.includes('c2VjcmV0'),
    );
    assert.throws(() => mergeLogin('[]', undefined), /not a JSON object/);
  });

  test('the executor’s keychain finds the login in the written file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-action-config-'));
    await mkdir(dir, { recursive: true });
    const first = mergeLogin(undefined, {
      registry: 'registry.example.com:5000',
      username: 'octo',
      password: 'pw',
    });
    await writeFile(
      join(dir, 'config.json'),
      mergeLogin(first, { registry: 'docker.io', username: 'hub', password: 'hp' }),
    );
    const keychain = dockerConfigKeychain({ env: { DOCKER_CONFIG: dir, HOME: dir } });
    assert.deepEqual(await keychain.resolve('registry.example.com:5000'), {
      kind: 'basic',
      username: 'octo',
      password: 'pw',
    });
    assert.deepEqual(await keychain.resolve('docker.io'), { kind: 'basic', username: 'hub', password: 'hp' });
  });
});

describe('outputs and job summary', () => {
  test('files the executor wrote → outputs in build-push-action’s shape', () => {
    const files = readExecutorFiles(`${digest}\n`, `r.example/a:1@${digest}\nr.example/a:latest@${digest}\n`);
    const out = actionOutputs({
      ...files,
      tags: ['r.example/a:1', 'r.example/a:latest'],
      pushed: true,
      configDigest: config,
    });
    assert.equal(out.digest, digest);
    assert.equal(out.imageid, config);
    assert.equal(out.tags, 'r.example/a:1\nr.example/a:latest');
    assert.deepEqual(JSON.parse(out.metadata), {
      'containerimage.digest': digest,
      'containerimage.config.digest': config,
      'image.name': 'r.example/a:1,r.example/a:latest',
    });
  });

  test('no tags, no config digest: empty imageid and tags, metadata with the digest only', () => {
    const out = actionOutputs({ digest, imageRefs: [], tags: [], pushed: false });
    assert.equal(out.imageid, '');
    assert.equal(out.tags, '');
    assert.deepEqual(JSON.parse(out.metadata), { 'containerimage.digest': digest });
  });

  test('an empty or foreign digest file is an error', () => {
    assert.throws(() => readExecutorFiles('', undefined), OutputsError);
    assert.throws(() => readExecutorFiles('sha512:abc', undefined), OutputsError);
  });

  test('summary lists digest and pushed references', () => {
    const md = jobSummary({
      digest,
      imageRefs: [`r.example/a:1@${digest}`],
      tags: ['r.example/a:1'],
      pushed: true,
    });
    assert.match(md, /^### kaniko-ts\n/);
    assert.match(md, new RegExp(`\\| digest \\| \`${digest}\` \\|`));
    assert.match(md, /\| pushed \| yes \|/);
    assert.match(md, new RegExp(`- \`r\\.example/a:1@${digest}\``));
    const local = jobSummary({ digest, imageRefs: [], tags: ['r.example/a:1'], pushed: false });
    assert.match(local, /\*\*Tags \(not pushed\):\*\*\n\n- `r\.example\/a:1`/);
  });
});

describe('how the executor is started on a runner', () => {
  const cases: [string, LaunchFacts, { sudo: boolean; reason: RegExp }][] = [
    [
      'root (self-hosted, ARC pod)',
      { uid: 0, appArmorRestrictsUserns: true, usernsCloneDisabled: false, passwordlessSudo: false },
      { sudo: false, reason: /running as root/ },
    ],
    [
      'GitHub-hosted Ubuntu 24.04: AppArmor blocks user namespaces, sudo works',
      { uid: 1001, appArmorRestrictsUserns: true, usernsCloneDisabled: false, passwordlessSudo: true },
      {
        sudo: true,
        reason: /AppArmor restricts unprivileged user namespaces: running the executor with sudo/,
      },
    ],
    [
      'non-root with user namespaces',
      { uid: 1001, appArmorRestrictsUserns: false, usernsCloneDisabled: false, passwordlessSudo: true },
      { sudo: false, reason: /user namespaces allowed/ },
    ],
    [
      'Debian switch off, no sudo',
      { uid: 1001, appArmorRestrictsUserns: false, usernsCloneDisabled: true, passwordlessSudo: false },
      { sudo: false, reason: /disabled and there is no passwordless sudo/ },
    ],
  ];
  for (const [name, facts, want] of cases)
    test(name, () => {
      const l = chooseLaunch(facts);
      assert.equal(l.prefix[0] === 'sudo', want.sudo);
      if (want.sudo) assert.deepEqual(l.prefix, ['sudo', '--non-interactive', '--preserve-env', '--']);
      assert.match(l.reason, want.reason);
    });

  test('this machine’s facts are read', () => {
    const f = launchFacts();
    assert.equal(f.uid, process.getuid?.());
    assert.equal(typeof f.appArmorRestrictsUserns, 'boolean');
  });
});

describe('build steps from the executor’s progress, in the job summary', () => {
  const stderr = [
    'sandbox: chroot (running as root …)',
    '#1 [1/3] COPY a.txt /a.txt',
    '#1 CACHED',
    '#2 [2/3] RUN make',
    '#2 compiling',
    '#2 DONE 1.25s',
    '2026-11-25T11:00:00.000Z #3 [3/3] RUN make test | tee log',
    '#3 ERROR: exit status 2',
    '#4 [1/1] COPY --from=build /out /',
  ];

  test('each step with its status and time, output lines not kept', () => {
    const p = new BuildProgress();
    for (const l of stderr) p.line(l);
    assert.deepEqual(p.steps(), [
      { n: 1, title: '[1/3] COPY a.txt /a.txt', status: 'cached' },
      { n: 2, title: '[2/3] RUN make', status: 'done', seconds: 1.25 },
      { n: 3, title: '[3/3] RUN make test | tee log', status: 'error' },
      { n: 4, title: '[1/1] COPY --from=build /out /', status: 'unfinished' },
    ]);
  });

  test('the summary tables them (pipes escaped), with how many were cached', () => {
    const p = new BuildProgress();
    for (const l of stderr) p.line(l);
    const md = jobSummary({ digest, imageRefs: [], tags: [], pushed: false, steps: p.steps() });
    assert.match(md, /^\*\*Steps\*\* \(1 of 4 cached\):$/m);
    assert.match(md, /^\| 1 \| `\[1\/3\] COPY a\.txt \/a\.txt` \| cached \| {2}\|$/m);
    assert.match(md, /^\| 2 \| `\[2\/3\] RUN make` \| done \| 1\.3s \|$/m);
    assert.match(md, /^\| 3 \| `\[3\/3\] RUN make test \\\| tee log` \| failed \| {2}\|$/m);
    assert.match(md, /^\| 4 \| .* \| not finished \| {2}\|$/m);
  });

  test('a failed build’s summary says so and how far it got', () => {
    const p = new BuildProgress();
    for (const l of stderr.slice(0, 6)) p.line(l);
    const md = failureSummary('the kaniko-ts executor failed (exit code 4)', p.steps());
    assert.match(md, /^### kaniko-ts: failed\n\nthe kaniko-ts executor failed \(exit code 4\)\n/);
    assert.match(md, /\| 2 \| `\[2\/3\] RUN make` \| done \| 1\.3s \|/);
  });
});
