import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { authKey, DockerConfigError, mergeLogin } from '../../../action/docker-config.ts';
import { executorPlan } from '../../../action/inputs.ts';
import {
  chooseLaunch,
  LaunchError,
  type LaunchFacts,
  launchFacts,
  launchFor,
  launchMode,
} from '../../../action/launch.ts';
import { dockerfileAnnotation, executorWrites } from '../../../action/main.ts';
import {
  actionOutputs,
  failureSummary,
  formatSize,
  jobSummary,
  OutputsError,
  readExecutorFiles,
} from '../../../action/outputs.ts';
import { BuildProgress } from '../../../action/progress.ts';
import { dockerConfigKeychain } from '../../../src/registry/auth/keychain.ts';
import { kanikoBuild } from '../../support/kaniko-ts.ts';

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

/** --metadata-file's JSON as the executor writes it (see src/image/digest-files.ts). */
function metadataFile(opts: { names?: string; size?: number; digest?: string; config?: string }): string {
  return JSON.stringify({
    'containerimage.descriptor': {
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      digest: opts.digest ?? digest,
      size: 528,
    },
    'containerimage.config.digest': opts.config ?? config,
    'containerimage.digest': opts.digest ?? digest,
    ...(opts.names ? { 'image.name': opts.names } : {}),
    'kaniko-ts.image.size': opts.size ?? 12345678,
  });
}

describe('outputs and job summary', () => {
  test('files the executor wrote → outputs in build-push-action’s shape', () => {
    const files = readExecutorFiles(
      `${digest}\n`,
      `r.example/a:1@${digest}\nr.example/a:latest@${digest}\n`,
      metadataFile({ names: 'r.example/a:1,r.example/a:latest' }),
    );
    assert.equal(files.configDigest, config);
    assert.equal(files.size, 12345678);
    const out = actionOutputs({ ...files, tags: ['r.example/a:1', 'r.example/a:latest'], pushed: true });
    assert.equal(out.digest, digest);
    assert.equal(out.imageid, config, 'imageid is the config digest, as in build-push-action');
    assert.equal(out.tags, 'r.example/a:1\nr.example/a:latest');
    assert.deepEqual(JSON.parse(out.metadata), {
      'containerimage.descriptor': {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        digest,
        size: 528,
      },
      'containerimage.config.digest': config,
      'containerimage.digest': digest,
      'image.name': 'r.example/a:1,r.example/a:latest',
      'kaniko-ts.image.size': 12345678,
    });
  });

  test('image.name keeps the tags as written (the executor names them in full)', () => {
    const files = readExecutorFiles(
      digest,
      undefined,
      metadataFile({ names: 'index.docker.io/library/app:1' }),
    );
    const out = actionOutputs({ ...files, tags: ['app:1'], pushed: false });
    assert.equal((JSON.parse(out.metadata) as Record<string, unknown>)['image.name'], 'app:1');
  });

  test('no tags, no metadata file: empty imageid and tags, metadata with the digest only', () => {
    const out = actionOutputs({ digest, imageRefs: [], tags: [], pushed: false });
    assert.equal(out.imageid, '');
    assert.equal(out.tags, '');
    assert.deepEqual(JSON.parse(out.metadata), { 'containerimage.digest': digest });
  });

  test('an empty or foreign digest file is an error', () => {
    assert.throws(() => readExecutorFiles('', undefined), OutputsError);
    assert.throws(() => readExecutorFiles('sha512:abc', undefined), OutputsError);
  });

  test('a metadata file that is broken or names another image is an error', () => {
    assert.throws(() => readExecutorFiles(digest, undefined, '{"containerimage.digest":'), /not valid JSON/);
    assert.throws(() => readExecutorFiles(digest, undefined, '[]'), /no JSON object/);
    assert.throws(
      () => readExecutorFiles(digest, undefined, metadataFile({ digest: `sha256:${'00'.repeat(32)}` })),
      /names another image than the digest file/,
    );
    assert.throws(
      () => readExecutorFiles(digest, undefined, metadataFile({ config: 'sha256:short' })),
      /no sha256 config digest/,
    );
  });

  test('summary lists digest, image ID, size and pushed references', () => {
    const md = jobSummary({
      digest,
      imageRefs: [`r.example/a:1@${digest}`],
      tags: ['r.example/a:1'],
      pushed: true,
      configDigest: config,
      size: 12345678,
    });
    assert.match(md, /^### kaniko-ts\n/);
    assert.match(md, new RegExp(`\\| digest \\| \`${digest}\` \\|`));
    assert.match(md, new RegExp(`\\| image ID \\| \`${config}\` \\|`));
    assert.match(md, /^\| size \| 12\.3 MB \(12345678 bytes\) \|$/m);
    assert.match(md, /\| pushed \| yes \|/);
    assert.match(md, new RegExp(`- \`r\\.example/a:1@${digest}\``));
    const local = jobSummary({ digest, imageRefs: [], tags: ['r.example/a:1'], pushed: false });
    assert.match(local, /\*\*Tags \(not pushed\):\*\*\n\n- `r\.example\/a:1`/);
    assert.doesNotMatch(local, /\| size \|/, 'no size row without a size');
  });

  const sizes: [number, string][] = [
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB (1000 bytes)'],
    [45_678, '45.7 kB (45678 bytes)'],
    [123_456_789, '123 MB (123456789 bytes)'],
    [2_500_000_000, '2.50 GB (2500000000 bytes)'],
  ];
  for (const [bytes, text] of sizes)
    test(`${bytes} bytes read ${text}`, () => assert.equal(formatSize(bytes), text));

  test('the executor’s --metadata-file describes the image it wrote, and the action reads it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kaniko-ts-metadata-'));
    try {
      await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\n');
      await writeFile(join(dir, 'a.txt'), 'a'.repeat(5000));
      await writeFile(join(dir, 'b.txt'), 'b');
      const layout = join(dir, 'layout');
      const r = await kanikoBuild({
        context: dir,
        destinations: ['registry.example.com/app:1', 'registry.example.com/app:latest'],
        extraArgs: [
          '--no-push',
          `--oci-layout-path=${layout}`,
          `--digest-file=${join(dir, 'digest')}`,
          `--metadata-file=${join(dir, 'metadata.json')}`,
        ],
      });
      assert.equal(r.code, 0, r.stderr);
      const files = readExecutorFiles(
        await readFile(join(dir, 'digest'), 'utf8'),
        undefined,
        await readFile(join(dir, 'metadata.json'), 'utf8'),
      );
      // The layout holds the same image in OCI media types: same config, same layer blobs.
      const blob = (d: string) => readFile(join(layout, 'blobs', 'sha256', d.slice('sha256:'.length)));
      const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
        manifests: { digest: string }[];
      };
      const manifest = JSON.parse((await blob(index.manifests[0]!.digest)).toString()) as {
        config: { digest: string };
        layers: { size: number }[];
      };
      assert.equal(manifest.layers.length, 2);
      assert.equal(files.configDigest, manifest.config.digest);
      const configBytes = (await blob(manifest.config.digest)).length;
      let layers = 0;
      for (const l of manifest.layers) layers += l.size;
      assert.equal(files.size, configBytes + layers);
      // The pushed (Docker) manifest's descriptor: its bytes are checked at runner level.
      const descriptor = files.metadata?.['containerimage.descriptor'] as Record<string, unknown>;
      assert.equal(descriptor.digest, files.digest);
      assert.equal(descriptor.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
      assert.equal(typeof descriptor.size, 'number');
      assert.equal(
        files.metadata?.['image.name'],
        'registry.example.com/app:1,registry.example.com/app:latest',
      );
      assert.equal(actionOutputs({ ...files, tags: [], pushed: false }).imageid, manifest.config.digest);
      assert.deepEqual(
        (await readdir(dir)).filter((f) => f.includes('.tmp')),
        [],
        'no temporary file left',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  describe('KANIKO_TS_LAUNCH forces one way', () => {
    const hosted: LaunchFacts = {
      uid: 1001,
      appArmorRestrictsUserns: true,
      usernsCloneDisabled: false,
      passwordlessSudo: true,
    };
    const noSudo: LaunchFacts = { ...hosted, appArmorRestrictsUserns: false, passwordlessSudo: false };

    test('unset, empty or auto: the machine decides', () => {
      for (const env of [{}, { KANIKO_TS_LAUNCH: '' }, { KANIKO_TS_LAUNCH: ' auto ' }])
        assert.equal(launchMode(env), 'auto', JSON.stringify(env));
      assert.deepEqual(chooseLaunch(hosted, 'auto'), chooseLaunch(hosted));
    });

    test('sudo where user namespaces would work: sudo all the same', () => {
      const l = chooseLaunch(
        { ...hosted, appArmorRestrictsUserns: false },
        launchMode({ KANIKO_TS_LAUNCH: 'sudo' }),
      );
      assert.deepEqual(l.prefix, ['sudo', '--non-interactive', '--preserve-env', '--']);
      assert.equal(l.asRoot, true);
      assert.equal(l.reason, 'KANIKO_TS_LAUNCH=sudo: running the executor with sudo (chroot sandbox)');
    });

    test('this machine, forced direct: no sudo', () => {
      const l = launchFor({ KANIKO_TS_LAUNCH: 'direct' });
      assert.deepEqual(l.prefix, []);
      assert.equal(l.asRoot, process.getuid?.() === 0);
    });

    test('sudo as root: run directly, nothing to gain', () => {
      const l = chooseLaunch({ ...noSudo, uid: 0 }, 'sudo');
      assert.deepEqual(l.prefix, []);
      assert.equal(l.asRoot, true);
      assert.match(l.reason, /^KANIKO_TS_LAUNCH=sudo, already root: /);
    });

    test('sudo without passwordless sudo: one line naming the variable', () => {
      assert.throws(
        () => chooseLaunch(noSudo, 'sudo'),
        (e: unknown) =>
          e instanceof LaunchError &&
          /^KANIKO_TS_LAUNCH=sudo but this user \(uid 1001\) has no passwordless sudo/.test(e.message) &&
          !e.message.includes('\n'),
      );
    });

    test('direct where sudo would be chosen: no sudo, the user’s files', () => {
      const l = chooseLaunch(hosted, 'direct');
      assert.deepEqual(l.prefix, []);
      assert.equal(l.asRoot, false);
      assert.equal(
        l.reason,
        'KANIKO_TS_LAUNCH=direct: the executor runs as this user (uid 1001) and picks its sandbox',
      );
      assert.equal(chooseLaunch({ ...hosted, uid: 0 }, 'direct').asRoot, true);
    });

    test('an unknown value: one line naming the variable and the choices', () => {
      for (const value of ['Sudo', 'yes', 'root'])
        assert.throws(
          () => launchMode({ KANIKO_TS_LAUNCH: value }),
          (e: unknown) =>
            e instanceof LaunchError &&
            e.message === `KANIKO_TS_LAUNCH=${value}: expected auto, sudo or direct`,
        );
      assert.throws(() => launchFor({ KANIKO_TS_LAUNCH: 'always' }), LaunchError);
    });
  });

  test('what is given back after a run through sudo: outputs and local caches the inputs name', () => {
    const plan = executorPlan(
      {
        context: 'src',
        outputs: 'type=docker,dest=out/image.tar\ntype=oci,dest=/tmp/layout,tar=false',
        'cache-to': 'type=local,dest=/var/cache/kts,mode=max\ntype=registry,ref=r.example/c',
        'cache-from': 'type=local,src=/var/cache/old',
      },
      { platform: { os: 'linux', architecture: 'amd64' }, tempDir: '/runner/temp/kaniko-ts-x' },
    );
    assert.deepEqual(executorWrites(plan.args), [resolve('out/image.tar'), '/tmp/layout', '/var/cache/kts']);
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

describe('Dockerfile errors and warnings become annotations on their line', () => {
  const file = '/home/runner/work/app/Dockerfile';
  test('an error', () =>
    assert.deepEqual(dockerfileAnnotation(`error: ${file}:2: unknown instruction "FROBNICATE"`), {
      kind: 'error',
      message: 'unknown instruction "FROBNICATE"',
      file,
      line: 2,
    }));
  const warning = {
    kind: 'warning',
    message: 'Maintainer instruction is deprecated in favor of using label',
    file,
    line: 3,
  };
  test('a warning', () =>
    assert.deepEqual(dockerfileAnnotation(`WARN: ${file}:3: ${warning.message}`), warning));
  test('a warning after --log-timestamp’s prefix', () =>
    assert.deepEqual(
      dockerfileAnnotation(`2026-11-25T11:00:00.123Z WARN: ${file}:3: ${warning.message}`),
      warning,
    ));
  test('other lines are not', () => {
    assert.equal(dockerfileAnnotation('WARN: pushing without credentials'), undefined);
    assert.equal(dockerfileAnnotation(`#3 WARN: ${file}:3: inside a RUN's output`), undefined);
    assert.equal(dockerfileAnnotation(`2026-11-25T11:00:00.123Z #2 [1/2] RUN x`), undefined);
  });
});
