import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as core from '@actions/core';
import {
  ActionInputError,
  type ActionInputs,
  executorPlan,
  INPUT_NAMES,
  inputList,
  readInputs,
  splitArgs,
} from '../../../action/inputs.ts';
import type { BuildOptions } from '../../../src/cli/options.ts';
import { executorOptions, loadYaml, schemaErrors } from './support/schemas.ts';

const HOST = {
  platform: { os: 'linux', architecture: 'amd64' },
  tempDir: '/runner/_temp/kaniko-ts',
  ghaCacheRoot: '/runner/_temp',
};

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string };
}

describe('action.yml', () => {
  const action = loadYaml('action.yml') as ActionYml;

  test('valid against the GitHub Action metadata schema', () => {
    assert.deepEqual(schemaErrors('github-action', action), []);
    // The schema is really applied.
    assert.notDeepEqual(
      schemaErrors('github-action', { ...action, runs: { using: 'node99', main: 'x' } }),
      [],
    );
  });

  test('a node24 action with main and post from the committed bundle', () => {
    assert.deepEqual(action.runs, { using: 'node24', main: 'dist/index.js', post: 'dist/post.js' });
  });

  test('its inputs are exactly the ones action/inputs.ts maps, none required', () => {
    assert.deepEqual(Object.keys(action.inputs).sort(), [...INPUT_NAMES].sort());
    for (const [name, spec] of Object.entries(action.inputs)) assert.notEqual(spec.required, true, name);
  });

  test('its outputs are build-push-action’s', () => {
    assert.deepEqual(Object.keys(action.outputs).sort(), ['digest', 'imageid', 'metadata', 'tags']);
  });

  test('defaults in action.yml map to a valid command line (the runner passes them as inputs)', () => {
    const defaults: ActionInputs = {};
    for (const [name, spec] of Object.entries(action.inputs))
      defaults[name as keyof ActionInputs] = spec.default ?? '';
    const plan = executorPlan(defaults, HOST);
    const o = executorOptions(plan.args, plan.env);
    assert.equal(o.noPush, true, 'push defaults to false, as in build-push-action');
    assert.equal(o.context, '.');
    assert.equal(o.dockerfile, './Dockerfile');
  });
});

describe('list inputs in build-push-action’s formats', () => {
  const cases: [string, boolean, string[]][] = [
    ['a:1\nb:2', true, ['a:1', 'b:2']],
    ['a:1,b:2', true, ['a:1', 'b:2']],
    ['a:1, b:2\n\n c:3 ', true, ['a:1', 'b:2', 'c:3']],
    ['"type=registry,ref=r/c"', true, ['type=registry,ref=r/c']],
    ['A=1,2\nB=x', false, ['A=1,2', 'B=x']],
    ['# comment\nA=1', false, ['A=1']],
    ['', true, []],
  ];
  for (const [value, commas, want] of cases)
    test(`${JSON.stringify(value)} (${commas ? 'commas split' : 'lines only'})`, () =>
      assert.deepEqual(inputList(value, commas), want));

  test('extra-args split like a shell would', () => {
    assert.deepEqual(splitArgs(` --label "a=b c"  --reproducible\n--build-arg='X=1 2'`), [
      '--label',
      'a=b c',
      '--reproducible',
      '--build-arg=X=1 2',
    ]);
    assert.throws(() => splitArgs('--label "a'), /extra-args: unterminated " quote/);
  });
});

interface PlanCase {
  name: string;
  inputs: ActionInputs;
  check: (o: BuildOptions, plan: ReturnType<typeof executorPlan>) => void;
}

const PLANS: PlanCase[] = [
  {
    name: 'tags, push, context and file',
    inputs: {
      context: 'app',
      file: 'app/Dockerfile.prod',
      tags: 'r.example/a:1,r.example/a:latest',
      push: 'true',
    },
    check: (o, plan) => {
      assert.equal(o.context, 'app');
      assert.equal(o.dockerfile, 'app/Dockerfile.prod');
      assert.deepEqual(o.destinations, ['r.example/a:1', 'r.example/a:latest']);
      assert.equal(o.noPush, false);
      assert.equal(o.digestFile, '/runner/_temp/kaniko-ts/digest');
      assert.equal(o.imageNameTagWithDigestFile, '/runner/_temp/kaniko-ts/image-refs');
      assert.equal(o.metadataFile, '/runner/_temp/kaniko-ts/metadata.json');
      assert.equal(plan.metadataFile, o.metadataFile);
      assert.deepEqual(plan.tags, ['r.example/a:1', 'r.example/a:latest']);
      assert.equal(plan.push, true);
    },
  },
  {
    name: 'Dockerfile defaults to {context}/Dockerfile; a remote context keeps its own',
    inputs: { context: 'services/api/' },
    check: (o) => assert.equal(o.dockerfile, 'services/api/Dockerfile'),
  },
  {
    name: 'remote context',
    inputs: { context: 'git://github.com/example/app.git#main' },
    check: (o) => {
      assert.equal(o.context, 'git://github.com/example/app.git#main');
      assert.equal(o.dockerfile, 'Dockerfile');
    },
  },
  {
    name: 'labels and build args, one per line, values with commas and =',
    inputs: {
      labels: 'org.opencontainers.image.title=app\norg.example.list=a,b',
      'build-args': 'VERSION=1.2.3\nFLAGS=-x=1,y',
    },
    check: (o) => {
      assert.deepEqual(o.labels, { 'org.opencontainers.image.title': 'app', 'org.example.list': 'a,b' });
      assert.deepEqual(o.buildArgs, { VERSION: '1.2.3', FLAGS: '-x=1,y' });
    },
  },
  {
    name: 'secrets by value go through the environment; secret files by path',
    inputs: {
      secrets: 'github_token=ghp_secretvalue\nid=npm,env=NPM_TOKEN',
      'secret-files': 'netrc=/home/runner/.netrc',
    },
    check: (o, plan) => {
      assert.deepEqual(o.secrets, [
        { id: 'github_token', env: 'KANIKO_TS_SECRET_GITHUB_TOKEN' },
        { id: 'npm', env: 'NPM_TOKEN' },
        { id: 'netrc', file: '/home/runner/.netrc' },
      ]);
      assert.deepEqual(plan.env, { KANIKO_TS_SECRET_GITHUB_TOKEN: 'ghp_secretvalue' });
      assert.deepEqual(plan.secrets, ['ghp_secretvalue']);
      assert.ok(!plan.args.some((a) => a.includes('ghp_secretvalue')), 'no secret on the command line');
    },
  },
  {
    name: 'registry cache read and written: BuildKit specs passed to the executor (mode on cache-to only)',
    inputs: {
      tags: 'r.example/a:1',
      push: 'true',
      'cache-from': 'type=registry,ref=r.example/a/cache',
      'cache-to': 'type=registry,ref=r.example/a/cache,mode=max',
    },
    check: (o, plan) => {
      assert.deepEqual(o.cache.from, ['type=registry,ref=r.example/a/cache']);
      assert.deepEqual(o.cache.to, ['type=registry,ref=r.example/a/cache,mode=max']);
      assert.equal(o.cache.noCache, false);
      assert.equal(plan.ghaCache, undefined);
    },
  },
  {
    name: 'cache read only (shorthand ref), and two repositories',
    inputs: { tags: 'r.example/a:1', 'cache-from': 'r.example/a/cache\nr.example/b/cache' },
    check: (o) => {
      assert.deepEqual(o.cache.from, [
        'type=registry,ref=r.example/a/cache',
        'type=registry,ref=r.example/b/cache',
      ]);
      assert.deepEqual(o.cache.to, []);
      assert.equal(o.noPush, true);
    },
  },
  {
    name: 'local cache directories',
    inputs: { 'cache-from': 'type=local,src=/c/in', 'cache-to': 'type=local,dest=/c/out,mode=min' },
    check: (o) => {
      assert.deepEqual(o.cache.from, ['type=local,src=/c/in']);
      assert.deepEqual(o.cache.to, ['type=local,dest=/c/out,mode=min']);
    },
  },
  {
    name: 'gha cache: a local directory per scope under RUNNER_TEMP, restored and saved by the action',
    inputs: { file: 'app/Dockerfile', 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max' },
    check: (o, plan) => {
      const dir = '/runner/_temp/kaniko-ts-gha-cache/app-Dockerfile';
      assert.deepEqual(o.cache.from, [`type=local,src=${dir}`]);
      assert.deepEqual(o.cache.to, [`type=local,dest=${dir},mode=max`]);
      assert.deepEqual(plan.ghaCache, { dir, scope: 'app-Dockerfile', restore: true, save: true });
    },
  },
  {
    name: 'gha cache with a scope, read only',
    inputs: { 'cache-from': 'type=gha,scope=main image' },
    check: (_o, plan) =>
      assert.deepEqual(plan.ghaCache, {
        dir: '/runner/_temp/kaniko-ts-gha-cache/main-image',
        scope: 'main-image',
        restore: true,
        save: false,
      }),
  },
  {
    name: 'no-cache: no cached layer used, cache-from still given (as BuildKit)',
    inputs: { 'cache-from': 'r.example/a/cache', 'no-cache': 'true' },
    check: (o) => {
      assert.equal(o.cache.noCache, true);
      assert.deepEqual(o.cache.from, ['type=registry,ref=r.example/a/cache']);
    },
  },
  {
    name: 'outputs: registry means push; docker and oci (directory) files',
    inputs: {
      tags: 'r.example/a:1',
      outputs: 'type=registry\ntype=docker,dest=/tmp/image.tar\ntype=oci,dest=/tmp/layout,tar=false',
    },
    check: (o, plan) => {
      assert.equal(o.noPush, false);
      assert.equal(plan.push, true);
      assert.equal(o.tarPath, '/tmp/image.tar');
      assert.equal(o.ociLayoutPath, '/tmp/layout');
    },
  },
  {
    name: 'the runner’s own platform, in any spelling',
    inputs: { platforms: 'linux/x86_64' },
    // Nothing to ask of the executor: it builds for the platform it runs on.
    check: (_o, plan) => assert.ok(!plan.args.some((a) => /platform/.test(a))),
  },
  {
    name: 'provenance false, target, insecure registries',
    inputs: { provenance: 'false', target: 'runtime', 'insecure-registries': 'localhost:5000,10.0.0.1:5000' },
    check: (o) => {
      assert.equal(o.target, 'runtime');
      assert.deepEqual(o.registry.insecureRegistries, ['localhost:5000', '10.0.0.1:5000']);
    },
  },
  {
    name: 'login from inputs; the password is masked and not on the command line',
    inputs: { registry: 'ghcr.io', username: 'octocat', password: 'ghp_password' },
    check: (_o, plan) => {
      assert.deepEqual(plan.login, { registry: 'ghcr.io', username: 'octocat', password: 'ghp_password' });
      assert.ok(plan.secrets.includes('ghp_password'));
      assert.ok(!plan.args.some((a) => a.includes('ghp_password')));
    },
  },
  {
    name: 'login without a registry: Docker Hub',
    inputs: { username: 'octocat', password: 'pw' },
    check: (_o, plan) => assert.equal(plan.login?.registry, 'docker.io'),
  },
  {
    name: 'extra-args reach the executor',
    inputs: { 'extra-args': '--reproducible --snapshot-mode=redo --label "team=build tools"' },
    check: (o) => {
      assert.equal(o.reproducible, true);
      assert.equal(o.snapshotMode, 'redo');
      assert.deepEqual(o.labels, { team: 'build tools' });
    },
  },
];

describe('action inputs → executor command line (parsed by the CLI)', () => {
  for (const c of PLANS) {
    test(c.name, () => {
      const plan = executorPlan(c.inputs, HOST);
      c.check(executorOptions(plan.args, { ...plan.env }), plan);
    });
  }
});

describe('values the executor cannot honour are errors naming the input', () => {
  const host = HOST.platform.architecture;
  const cases: [string, ActionInputs, string, RegExp][] = [
    [
      'another platform',
      { platforms: 'linux/arm64' },
      'platforms',
      /only the runner's platform \(linux\/amd64\)/,
    ],
    [
      'several platforms',
      { platforms: `linux/${host},linux/arm64` },
      'platforms',
      /only the runner's platform/,
    ],
    ['not a platform', { platforms: 'linux//' }, 'platforms', /not a platform/],
    ['provenance', { provenance: 'true' }, 'provenance', /not produced by the executor yet/],
    ['provenance mode', { provenance: 'mode=max' }, 'provenance', /not produced/],
    ['annotations', { annotations: 'org.opencontainers.image.description=x' }, 'annotations', /not written/],
    ['gha cache with url', { 'cache-from': 'type=gha,url=http://x' }, 'cache-from', /does not take url=/],
    [
      'two gha scopes',
      { 'cache-from': 'type=gha,scope=a', 'cache-to': 'type=gha,scope=b' },
      'cache-to',
      /scope b differs from cache-from's a/,
    ],
    ['local cache without dest', { 'cache-to': 'type=local,src=/tmp/c' }, 'cache-to', /needs dest=/],
    ['s3 cache', { 'cache-to': 'type=s3,bucket=b' }, 'cache-to', /type=s3 is not supported/],
    ['registry cache without ref', { 'cache-to': 'type=registry,mode=max' }, 'cache-to', /needs ref=/],
    ['bad cache mode', { 'cache-to': 'type=registry,ref=r/c,mode=all' }, 'cache-to', /mode=all/],
    ['oci output as tarball', { outputs: 'type=oci,dest=/tmp/x.tar' }, 'outputs', /add tar=false/],
    ['docker output without dest', { outputs: 'type=docker' }, 'outputs', /needs dest=/],
    ['local output', { outputs: 'type=local,dest=out' }, 'outputs', /type=local is not supported/],
    ['push without tags', { push: 'true' }, 'tags', /push needs at least one tag/],
    ['push not a boolean', { push: 'yes' }, 'push', /"yes" is not a boolean/],
    ['build arg without =', { 'build-args': 'VERSION' }, 'build-args', /expected KEY=VALUE, got "VERSION"/],
    ['username without password', { username: 'u' }, 'password', /go together/],
    ['registry without login', { registry: 'ghcr.io' }, 'registry', /needs username and password/],
    [
      'unknown executor flag',
      { 'extra-args': '--reproducable' },
      'extra-args',
      /unknown flag: --reproducable/,
    ],
    ['positional extra arg', { 'extra-args': 'build' }, 'extra-args', /unexpected argument "build"/],
  ];
  for (const [name, inputs, input, message] of cases) {
    test(name, () => {
      assert.throws(
        () => executorPlan(inputs, HOST),
        (e: Error) => {
          assert.ok(e instanceof ActionInputError, `${e.name}: ${e.message}`);
          assert.equal(e.input, input);
          assert.match(e.message, new RegExp(`^input ${input}: `));
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }

  test('a malformed secret line is not echoed', () => {
    assert.throws(
      () => executorPlan({ secrets: 'ghp_onlythesecret' }, HOST),
      (e: Error) => e instanceof ActionInputError && !e.message.includes('ghp_onlythesecret'),
    );
  });
});

test('inputs read the way the runner provides them (INPUT_* through @actions/core)', () => {
  const set = {
    INPUT_TAGS: 'r.example/a:1\nr.example/a:2',
    'INPUT_BUILD-ARGS': 'A=1',
    INPUT_PUSH: 'true',
    'INPUT_EXTRA-ARGS': '--reproducible',
  };
  const saved = new Map(Object.keys(set).map((k) => [k, process.env[k]]));
  try {
    Object.assign(process.env, set);
    const inputs = readInputs((n) => core.getInput(n));
    assert.equal(inputs.tags, 'r.example/a:1\nr.example/a:2');
    assert.equal(inputs['build-args'], 'A=1');
    assert.equal(inputs.context, '');
    const o = executorOptions(executorPlan(inputs, HOST).args);
    assert.deepEqual(o.destinations, ['r.example/a:1', 'r.example/a:2']);
    assert.deepEqual(o.buildArgs, { A: '1' });
    assert.equal(o.reproducible, true);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
