import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { load } from 'js-yaml';
import { DotenvError, gitlabDotenv, repositoryOf, writeGitlabDotenv } from '../../../gitlab/dotenv.ts';
import { gitlabDefaults, isGitLabCi } from '../../../gitlab/env.ts';
import {
  FAKE_DIGEST,
  GITLAB_PROJECT,
  isMapping,
  type Mapping,
  renderComponent,
  resolveExtends,
  resolveIncludes,
  runJobScript,
  userPipeline,
} from './support/gitlab.ts';
import { executorOptions, loadYamlDocs, ROOT, readText, schemaErrors } from './support/schemas.ts';

const TEMPLATE = 'gitlab/kaniko-ts.gitlab-ci.yml';
const COMPONENT = 'gitlab/templates/build.yml';

const BRANCH = {
  GITLAB_CI: 'true',
  CI_REGISTRY: 'registry.example.com',
  CI_REGISTRY_IMAGE: 'registry.example.com/group/app',
  CI_REGISTRY_USER: 'gitlab-ci-token',
  CI_REGISTRY_PASSWORD: 'registry-password-42',
  CI_JOB_TOKEN: 'job-token-42',
  CI_COMMIT_REF_SLUG: 'feature-x',
  CI_COMMIT_SHORT_SHA: '1a2b3c4d',
};
const TAG = { ...BRANCH, CI_COMMIT_REF_SLUG: 'v1-2-0', CI_COMMIT_TAG: 'v1.2.0' };

const ESC = String.fromCharCode(27);
const decode = (auth: string) => Buffer.from(auth, 'base64').toString('utf8');

/** Every YAML file under gitlab/ (dotfiles too), relative to the repository. */
function gitlabYamlFiles(): string[] {
  return readdirSync(join(ROOT, 'gitlab'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `gitlab/${f}`)
    .sort();
}

describe('gitlab/ YAML against GitLab CI schema', () => {
  test('the files checked are every YAML file in gitlab/', () => {
    const files = gitlabYamlFiles();
    for (const f of [TEMPLATE, COMPONENT, 'gitlab/.gitlab-ci.yml']) assert.ok(files.includes(f), f);
  });

  for (const file of gitlabYamlFiles()) {
    test(`${file}: every document is valid`, () => {
      const docs = loadYamlDocs(file);
      assert.ok(docs.length >= 1);
      for (const doc of docs) assert.deepEqual(schemaErrors('gitlab-ci', doc), []);
    });
  }

  test('the schema is really applied: an unknown job keyword is rejected', () => {
    assert.notDeepEqual(schemaErrors('gitlab-ci', { job: { script: ['x'], scripts: ['y'] } }), []);
  });

  test('template and component run the same script, with the debug image and an empty entrypoint', () => {
    const template = load(readText(TEMPLATE)) as Mapping;
    const component = renderComponent(readText(COMPONENT), {});
    const hidden = template['.kaniko-ts-build'] as Mapping;
    const job = component['kaniko-ts-build'] as Mapping;
    assert.deepEqual(hidden.script, job.script);
    assert.deepEqual(hidden.artifacts, { reports: { dotenv: 'kaniko-ts.env' } });
    assert.deepEqual(job.artifacts, hidden.artifacts);
    assert.deepEqual(hidden.image, { name: 'ghcr.io/kaniko-ts/executor:debug', entrypoint: [''] });
    assert.deepEqual(job.image, hidden.image);
    assert.equal(job.stage, 'build');
  });

  test('the component declares the inputs the issue names and uses each of them', () => {
    const text = readText(COMPONENT);
    const header = loadYamlDocs(COMPONENT)[0] as { spec: { inputs: Record<string, unknown> } };
    const names = Object.keys(header.spec.inputs).sort();
    for (const n of [
      'build-args',
      'cache',
      'cache-repo',
      'context',
      'destinations',
      'dockerfile',
      'extra-args',
      'stage',
      'target',
    ])
      assert.ok(names.includes(n), `missing input ${n}`);
    for (const n of names)
      assert.match(text, new RegExp(`\\$\\[\\[ inputs\\.${n} \\]\\]`), `input ${n} unused`);
    assert.throws(() => renderComponent(text, { nope: 'x' }), /unknown input "nope"/);
  });
});

/** A component reference: `<fqdn>/<project path>/<name>@<version>` (prose like "component: build" is not). */
const COMPONENT_REF = /component:\s*(\S*[/@]\S*)/g;

/** The ```yaml blocks of a Markdown file that include something. */
function includeSnippets(markdown: string): Mapping[] {
  const blocks = [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)].map((m) => load(m[1]!));
  return blocks.filter((b): b is Mapping => isMapping(b) && 'include' in b);
}

describe('gitlab/ is the root of a GitLab CI/CD component project', () => {
  const templates = readdirSync(join(ROOT, 'gitlab', 'templates'));

  test('templates/<name>.yml, each with a spec header, and a README', () => {
    assert.ok(existsSync(join(ROOT, 'gitlab', 'README.md')), 'gitlab/README.md');
    assert.deepEqual(templates, ['build.yml']);
    for (const t of templates) {
      const header = loadYamlDocs(`gitlab/templates/${t}`)[0];
      assert.ok(
        isMapping(header) && isMapping(header.spec) && isMapping(header.spec.inputs),
        `${t}: spec header`,
      );
    }
  });

  test('its own pipeline releases semantic-version tags (what the catalog publishes)', () => {
    const pipeline = loadYamlDocs('gitlab/.gitlab-ci.yml')[0] as Record<string, Mapping>;
    const release = pipeline.release!;
    assert.deepEqual(release.release, {
      tag_name: '$CI_COMMIT_TAG',
      description: release.release && (release.release as Mapping).description,
    });
    const rule = (release.rules as Mapping[])[0]!.if as string;
    const tag = new RegExp(/\/(.*)\/$/.exec(rule)![1]!);
    assert.ok(tag.test('1.0.0') && !tag.test('v1') && !tag.test('main'), rule);
  });

  for (const doc of ['README.md', 'gitlab/README.md', ...gitlabYamlFiles()]) {
    const refs = [...readText(doc).matchAll(COMPONENT_REF)].map((m) => m[1]!);
    if (doc.endsWith('.md') && refs.length === 0) throw new Error(`${doc} names no component`);
    for (const ref of refs)
      test(`${doc}: ${ref} names a component of gitlab/templates/`, () => {
        const m = /^\$CI_SERVER_FQDN\/(.+)\/([^/@]+)@(\S+)$/.exec(ref);
        assert.ok(m, `${ref} is <fqdn>/<project>/<name>@<version>`);
        assert.equal(m[1], GITLAB_PROJECT);
        assert.ok(templates.includes(`${m[2]}.yml`), `no gitlab/templates/${m[2]}.yml`);
        assert.match(m[3]!, /^(~latest|\d+(\.\d+){0,2})$/, 'a version the catalog resolves');
      });
  }

  for (const doc of ['README.md', 'gitlab/README.md'])
    test(`${doc}: each GitLab snippet is valid and includes what gitlab/ holds`, () => {
      const snippets = includeSnippets(readText(doc));
      assert.ok(snippets.length >= 2, 'the component and the include template');
      for (const snippet of snippets) {
        // The placeholder is not URI syntax; a real group name is.
        const real = JSON.parse(JSON.stringify(snippet).replaceAll('<group>', 'my-group')) as Mapping;
        assert.deepEqual(schemaErrors('gitlab-ci', real), []);
        for (const inc of snippet.include as Mapping[]) {
          if ('component' in inc) continue; // checked above
          assert.equal(inc.project, GITLAB_PROJECT);
          assert.ok(existsSync(join(ROOT, 'gitlab', String(inc.file))), `gitlab/${inc.file}`);
        }
      }
    });
});

interface JobCase {
  name: string;
  env: Record<string, string>;
  /** Template variables and the matching component inputs. */
  variables: Record<string, string>;
  inputs: Record<string, string | boolean>;
  expect: {
    destinations: string[];
    buildArgs?: Record<string, string>;
    target?: string;
    cache?: boolean;
    cacheRepo?: string;
    dockerfile?: string;
    reproducible?: boolean;
    labels?: Record<string, string>;
  };
}

const JOBS: JobCase[] = [
  {
    name: 'branch pipeline, defaults',
    env: BRANCH,
    variables: {},
    inputs: {},
    expect: { destinations: ['registry.example.com/group/app:feature-x'] },
  },
  {
    name: 'tag pipeline, defaults',
    env: TAG,
    variables: {},
    inputs: {},
    expect: {
      destinations: ['registry.example.com/group/app:v1-2-0', 'registry.example.com/group/app:v1.2.0'],
    },
  },
  {
    name: 'tag pipeline with a git tag that is not an image tag',
    env: { ...BRANCH, CI_COMMIT_REF_SLUG: 'release-1-0', CI_COMMIT_TAG: 'release/1.0' },
    variables: {},
    inputs: {},
    expect: { destinations: ['registry.example.com/group/app:release-1-0'] },
  },
  {
    name: 'everything given',
    env: BRANCH,
    variables: {
      KANIKO_TS_DOCKERFILE: 'docker/Dockerfile.prod',
      KANIKO_TS_DESTINATIONS: '$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA localhost:5000/mirror/app:latest',
      KANIKO_TS_BUILD_ARGS: 'VERSION=$CI_COMMIT_SHORT_SHA MODE=release',
      KANIKO_TS_TARGET: 'runtime',
      KANIKO_TS_CACHE: 'true',
      KANIKO_TS_CACHE_REPO: '$CI_REGISTRY_IMAGE/cache',
      KANIKO_TS_EXTRA_ARGS: '--reproducible --label=org.example.team=build',
    },
    inputs: {
      dockerfile: 'docker/Dockerfile.prod',
      destinations: '$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA localhost:5000/mirror/app:latest',
      'build-args': 'VERSION=$CI_COMMIT_SHORT_SHA MODE=release',
      target: 'runtime',
      cache: true,
      'cache-repo': '$CI_REGISTRY_IMAGE/cache',
      'extra-args': '--reproducible --label=org.example.team=build',
    },
    expect: {
      destinations: ['registry.example.com/group/app:1a2b3c4d', 'localhost:5000/mirror/app:latest'],
      buildArgs: { VERSION: '1a2b3c4d', MODE: 'release' },
      target: 'runtime',
      cache: true,
      cacheRepo: 'registry.example.com/group/app/cache',
      dockerfile: 'docker/Dockerfile.prod',
      reproducible: true,
      labels: { 'org.example.team': 'build' },
    },
  },
];

/** The include template's job as a user's pipeline gets it: include resolved, then extends. */
function templateJob(variables: Record<string, string>): Mapping {
  const user = userPipeline(variables);
  assert.deepEqual(schemaErrors('gitlab-ci', user), []);
  return resolveExtends(resolveIncludes(user), 'build-image');
}

describe('GitLab jobs run with GitLab variables (executor recorded, args parsed by the CLI)', () => {
  for (const c of JOBS) {
    for (const kind of ['template', 'component'] as const) {
      test(`${kind}: ${c.name}`, async () => {
        const job =
          kind === 'template'
            ? templateJob(c.variables)
            : (renderComponent(readText(COMPONENT), c.inputs)['kaniko-ts-build'] as Mapping);
        assert.deepEqual(schemaErrors('gitlab-ci', { job }), []);
        const r = await runJobScript(job, c.env);
        const o = executorOptions(r.args);
        assert.deepEqual(o.destinations, c.expect.destinations);
        assert.equal(o.context, r.args[r.args.indexOf('--context') + 1]);
        assert.match(o.context, /kaniko-ts-gitlab-.*\/project$/, 'context defaults to CI_PROJECT_DIR');
        assert.equal(o.dockerfile, c.expect.dockerfile ?? 'Dockerfile');
        assert.deepEqual(o.buildArgs, c.expect.buildArgs ?? {});
        assert.equal(o.target, c.expect.target);
        assert.equal(o.cache.enabled, c.expect.cache ?? false);
        assert.equal(o.cache.repo, c.expect.cacheRepo);
        assert.equal(o.reproducible, c.expect.reproducible ?? false);
        assert.deepEqual(o.labels, c.expect.labels ?? {});
        assert.ok(o.digestFile, 'the job asks for the digest');
        // Outside the executor image the digest goes to a temp dir, removed when the script ends.
        assert.ok(!o.digestFile.startsWith('/kaniko/'), o.digestFile);
        assert.deepEqual(r.leftInTmp, []);
        // The dotenv report is what gitlab/dotenv.ts writes for the same push.
        assert.equal(r.digest, FAKE_DIGEST);
        assert.equal(r.dotenv, gitlabDotenv({ digest: r.digest, destinations: c.expect.destinations }));
        // Collapsible section around the build.
        assert.match(
          r.stdout,
          new RegExp(`${ESC}\\[0Ksection_start:\\d+:kaniko_ts_build\\r${ESC}\\[0KBuilding `),
        );
        assert.match(r.stdout, new RegExp(`${ESC}\\[0Ksection_end:\\d+:kaniko_ts_build\\r${ESC}\\[0K`));
        // The defaults the script computes are the ones the executor's GitLab mode computes.
        if (!c.variables.KANIKO_TS_DESTINATIONS)
          assert.deepEqual(o.destinations, gitlabDefaults(c.env).destinations);
      });
    }
  }

  for (const kind of ['template', 'component'] as const)
    test(`${kind}: a failed build closes the log section, fails the job with its status, leaves no report`, async () => {
      const job =
        kind === 'template'
          ? templateJob({})
          : (renderComponent(readText(COMPONENT), {})['kaniko-ts-build'] as Mapping);
      const r = await runJobScript(job, BRANCH, { failWith: 4, allowFailure: true });
      assert.equal(r.code, 4);
      assert.match(r.stderr, /^error: the build failed$/m);
      assert.deepEqual(r.leftInTmp, [], 'the temp dir goes on failure too');
      const start = r.stdout.search(new RegExp(`${ESC}\\[0Ksection_start:\\d+:kaniko_ts_build`));
      const end = r.stdout.search(new RegExp(`${ESC}\\[0Ksection_end:\\d+:kaniko_ts_build\\r${ESC}\\[0K`));
      assert.ok(start >= 0 && end > start, 'section_start, then section_end');
      assert.equal(r.dotenv, '');
    });

  test('with the real executor (no push): its digest file feeds the dotenv report', async () => {
    const component = renderComponent(readText(COMPONENT), {
      'build-args': 'A=1',
      'extra-args': '--no-push',
    })['kaniko-ts-build'];
    assert.ok(isMapping(component));
    const r = await runJobScript(component, BRANCH, {
      executor: [process.execPath, join(ROOT, 'bin', 'kaniko-ts.js')],
      files: { Dockerfile: 'FROM scratch\nARG A\nLABEL org.example.a=$A\n' },
    });
    assert.match(r.digest, /^sha256:[a-f0-9]{64}$/);
    assert.equal(
      r.dotenv,
      gitlabDotenv({ digest: r.digest, destinations: ['registry.example.com/group/app:feature-x'] }),
    );
    assert.ok(r.stdout.includes(r.digest), 'the executor logged the same digest');
  });

  test('a misspelt flag in extra-args fails the CLI parser', async () => {
    const job = renderComponent(readText(COMPONENT), { 'extra-args': '--reproducable' })['kaniko-ts-build'];
    assert.ok(isMapping(job));
    const r = await runJobScript(job, BRANCH);
    assert.throws(() => executorOptions(r.args), /unknown flag: --reproducable/);
  });
});

describe('gitlabDefaults (GitLab predefined variables → executor defaults)', () => {
  const cases: {
    name: string;
    env: Record<string, string>;
    destinations: string[];
    auths?: Record<string, string>;
    notes?: RegExp;
  }[] = [
    {
      name: 'branch: ref slug tag, registry user and password',
      env: BRANCH,
      destinations: ['registry.example.com/group/app:feature-x'],
      auths: { 'registry.example.com': 'gitlab-ci-token:registry-password-42' },
    },
    {
      name: 'tag: slug and tag',
      env: TAG,
      destinations: ['registry.example.com/group/app:v1-2-0', 'registry.example.com/group/app:v1.2.0'],
    },
    {
      name: 'tag equal to its slug is pushed once',
      env: { ...BRANCH, CI_COMMIT_REF_SLUG: 'v2', CI_COMMIT_TAG: 'v2' },
      destinations: ['registry.example.com/group/app:v2'],
    },
    {
      name: 'a git tag that is not an image tag is left out, with a note',
      env: { ...BRANCH, CI_COMMIT_REF_SLUG: 'release-1-0', CI_COMMIT_TAG: 'release/1.0' },
      destinations: ['registry.example.com/group/app:release-1-0'],
      notes: /CI_COMMIT_TAG "release\/1.0" is not a valid image tag/,
    },
    {
      name: 'job token when there is no registry password',
      env: { ...BRANCH, CI_REGISTRY_USER: '', CI_REGISTRY_PASSWORD: '' },
      destinations: ['registry.example.com/group/app:feature-x'],
      auths: { 'registry.example.com': 'gitlab-ci-token:job-token-42' },
    },
    {
      name: 'dependency proxy with :443 also under its bare host',
      env: {
        ...BRANCH,
        CI_DEPENDENCY_PROXY_SERVER: 'gitlab.example.com:443',
        CI_DEPENDENCY_PROXY_USER: 'gitlab-ci-token',
        CI_DEPENDENCY_PROXY_PASSWORD: 'proxy-password-42',
      },
      destinations: ['registry.example.com/group/app:feature-x'],
      auths: {
        'registry.example.com': 'gitlab-ci-token:registry-password-42',
        'gitlab.example.com:443': 'gitlab-ci-token:proxy-password-42',
        'gitlab.example.com': 'gitlab-ci-token:proxy-password-42',
      },
    },
    {
      name: 'no credentials at all: a note, no config',
      env: { GITLAB_CI: 'true', CI_REGISTRY: 'registry.example.com' },
      destinations: [],
      notes: /pushing to registry.example.com without GitLab credentials/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const d = gitlabDefaults(c.env);
      assert.deepEqual(d.destinations, c.destinations);
      if (c.auths) {
        assert.ok(d.dockerConfigJson);
        const cfg = JSON.parse(d.dockerConfigJson) as { auths: Record<string, { auth: string }> };
        assert.deepEqual(
          Object.fromEntries(Object.entries(cfg.auths).map(([k, v]) => [k, decode(v.auth)])),
          c.auths,
        );
      }
      if (c.notes) assert.match(d.notes.join('\n'), c.notes);
      for (const n of d.notes) assert.doesNotMatch(n, /password-42|job-token-42/, 'no secret in notes');
      // Every default destination is a destination the CLI accepts.
      if (d.destinations.length > 0) executorOptions(d.destinations.flatMap((x) => ['--destination', x]));
    });
  }

  test('context is CI_PROJECT_DIR; GITLAB_CI must be exactly "true"', () => {
    assert.equal(gitlabDefaults({ CI_PROJECT_DIR: '/builds/group/app' }).context, '/builds/group/app');
    assert.equal(gitlabDefaults({}).context, undefined);
    assert.equal(gitlabDefaults({}).dockerConfigJson, undefined);
    assert.equal(isGitLabCi({ GITLAB_CI: 'true' }), true);
    assert.equal(isGitLabCi({ GITLAB_CI: '1' }), false);
    assert.equal(isGitLabCi({}), false);
  });
});

describe('dotenv report', () => {
  const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
  const cases: { destinations: string[]; ref: string }[] = [
    {
      destinations: ['registry.example.com/group/app:1.0', 'registry.example.com/group/app:latest'],
      ref: 'registry.example.com/group/app',
    },
    { destinations: ['localhost:5000/app'], ref: 'localhost:5000/app' },
    { destinations: ['localhost:5000/app:v1'], ref: 'localhost:5000/app' },
    { destinations: ['app:v1@sha256:ffff'], ref: 'app' },
  ];
  for (const c of cases) {
    test(`IMAGE_REF for ${c.destinations[0]}`, () => {
      assert.equal(repositoryOf(c.destinations[0]!), c.ref);
      assert.equal(
        gitlabDotenv({ digest, destinations: c.destinations }),
        `IMAGE_DIGEST=${digest}\nIMAGE_REF=${c.ref}@${digest}\nIMAGE_TAGS=${c.destinations.join(',')}\n`,
      );
    });
  }

  test('no destination (--no-push): empty IMAGE_REF and IMAGE_TAGS', () => {
    assert.equal(
      gitlabDotenv({ digest, destinations: [] }),
      `IMAGE_DIGEST=${digest}\nIMAGE_REF=\nIMAGE_TAGS=\n`,
    );
  });

  test('refuses values that would break the file', () => {
    assert.throws(() => gitlabDotenv({ digest: 'not-a-digest', destinations: [] }), DotenvError);
    assert.throws(() => gitlabDotenv({ digest, destinations: ['a:1\nEVIL=1'] }), DotenvError);
    assert.throws(() => gitlabDotenv({ digest, destinations: ['a,b'] }), DotenvError);
  });

  test('writeGitlabDotenv writes the report', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'kaniko-ts-dotenv-')), 'build.env');
    await writeGitlabDotenv(path, { digest, destinations: ['r.example/a:1'] });
    assert.equal(await readFile(path, 'utf8'), gitlabDotenv({ digest, destinations: ['r.example/a:1'] }));
  });
});
