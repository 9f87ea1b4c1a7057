// The project's own GitHub workflows: valid against SchemaStore's workflow schema (a fixture, see
// test/fixtures/schemas/README.md), and using this repository's action the way its README says:
// examples/hello built with `uses: ./`, pushed to ghcr.io with GITHUB_TOKEN on main only.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { load } from 'js-yaml';
import { ROOT } from './support/schemas.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM loader.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

/** A GitHub expression as written in YAML: ${{ … }}. */
const expr = (s: string) => '$' + '{{ ' + s + ' }}';

const WORKFLOWS = join(ROOT, '.github', 'workflows');

function workflowErrors(doc: unknown): string[] {
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'schemas', 'github-workflow.json'), 'utf8'),
  ) as Record<string, unknown>;
  // strict off: the schema uses annotation keywords ajv does not know (markdownDescription).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const workflows = new Map(
  files.map((f) => [f, load(readFileSync(join(WORKFLOWS, f), 'utf8')) as Workflow] as const),
);
const actionInputs = Object.keys(
  (load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);

describe('.github/workflows', () => {
  test('there is a workflow, and each is valid against the GitHub workflow schema', () => {
    assert.ok(files.length > 0);
    for (const [f, doc] of workflows) assert.deepEqual(workflowErrors(doc), [], f);
  });

  test('the schema check can fail: a job without runs-on or steps is refused', () => {
    assert.notDeepEqual(workflowErrors({ on: 'push', jobs: { broken: { 'runs-n': 'x' } } }), []);
  });

  test('each use of this repository’s action passes only inputs action.yml declares', () => {
    for (const [f, doc] of workflows)
      for (const job of Object.values(doc.jobs))
        for (const step of job.steps)
          if (step.uses === './')
            for (const k of Object.keys(step.with ?? {})) assert.ok(actionInputs.includes(k), `${f}: ${k}`);
  });

  const ci = workflows.get('ci.yml');
  test('ci.yml runs on pushes to main and on pull requests', () => {
    assert.ok(ci);
    assert.deepEqual(ci.on.push, { branches: ['main'] });
    assert.ok('pull_request' in ci.on);
    assert.deepEqual(ci.permissions, { contents: 'read' }, 'least privilege by default');
  });

  test('ci.yml builds examples/hello with the action, pushing to ghcr.io only outside pull requests', () => {
    assert.ok(ci);
    const [name, job] = Object.entries(ci.jobs).find(([, j]) => j.steps.some((s) => s.uses === './')) ?? [];
    assert.ok(job, 'a job uses ./');
    assert.match(job['runs-on'], /^ubuntu-/, `${name} runs on a hosted Ubuntu runner (the sudo path)`);
    assert.deepEqual(job.permissions, { contents: 'read', packages: 'write' });
    assert.equal(job.needs, 'test', 'the image is built after the tests pass');
    const checkout = job.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@') === true);
    const build = job.steps.findIndex((s) => s.uses === './');
    assert.ok(checkout >= 0 && checkout < build, 'the repository (and its dist/) is checked out first');
    const w = job.steps[build]!.with ?? {};
    assert.equal(w.context, 'examples/hello');
    // The example's default base is the rig's local registry; here a public one.
    assert.match(w['build-args'] ?? '', /^BASE=docker\.io\/library\/busybox:latest$/m);
    assert.equal(w.push, expr("github.event_name != 'pull_request'"));
    assert.equal(w.registry, 'ghcr.io');
    assert.equal(w.username, expr('github.actor'));
    assert.equal(w.password, expr('secrets.GITHUB_TOKEN'));
    const tags = (w.tags ?? '').split('\n').filter((t) => t !== '');
    assert.ok(tags.length > 0);
    for (const t of tags) assert.match(t, /^\$\{\{ steps\.name\.outputs\.image \}\}:/);
    const nameStep = job.steps.find((s) => s.id === 'name');
    assert.match(nameStep?.run ?? '', /image=ghcr\.io\/\$\{GITHUB_REPOSITORY,,\}\//);
  });

  test('ci.yml’s test job runs the same entry point as the project’s CI (.ci/run)', () => {
    assert.ok(ci);
    const test = ci.jobs.test;
    assert.ok(test);
    assert.ok(test.steps.some((s) => s.run === 'bash .ci/run'));
  });
});
