// No Kubernetes or Tekton schema is kept (see test/fixtures/schemas/README.md): these check the
// structure each API requires of our examples, and the executor arguments with the CLI's parser.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isMapping, type Json, type Mapping } from './support/gitlab.ts';
import { tektonExpand } from './support/platforms.ts';
import { executorOptions, loadYaml, loadYamlDocs, ROOT } from './support/schemas.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function mapping(v: Json | undefined, what: string): Mapping {
  assert.ok(isMapping(v), `${what} must be a mapping`);
  return v;
}
function list(v: Json | undefined, what: string): Json[] {
  assert.ok(Array.isArray(v), `${what} must be a list`);
  return v;
}
function str(v: Json | undefined, what: string): string {
  assert.equal(typeof v, 'string', `${what} must be a string`);
  return v as string;
}

test('every YAML in examples/kubernetes and examples/tekton is covered here', async () => {
  assert.deepEqual((await readdir(join(ROOT, 'examples', 'kubernetes'))).sort(), ['job.yaml']);
  assert.deepEqual((await readdir(join(ROOT, 'examples', 'tekton'))).sort(), ['task.yaml', 'taskrun.yaml']);
  for (const f of [
    'examples/kubernetes/job.yaml',
    'examples/tekton/task.yaml',
    'examples/tekton/taskrun.yaml',
  ])
    assert.equal(loadYamlDocs(f).length, 1, `${f}: one document`);
});

describe('examples/kubernetes/job.yaml', () => {
  const job = mapping(loadYaml('examples/kubernetes/job.yaml') as Json, 'Job');
  const pod = mapping(mapping(mapping(job.spec, 'spec').template, 'template').spec, 'pod spec');
  const containers = list(pod.containers, 'containers').map((c, i) => mapping(c, `container ${i}`));
  const volumes = list(pod.volumes, 'volumes').map((v, i) => mapping(v, `volume ${i}`));

  test('a batch/v1 Job whose pod never restarts in place', () => {
    assert.equal(job.apiVersion, 'batch/v1');
    assert.equal(job.kind, 'Job');
    assert.match(str(mapping(job.metadata, 'metadata').name, 'name'), DNS_LABEL);
    assert.ok(['Never', 'OnFailure'].includes(str(pod.restartPolicy, 'restartPolicy')));
    for (const c of containers) {
      assert.match(str(c.name, 'container name'), DNS_LABEL);
      assert.match(str(c.image, 'image'), /^ghcr\.io\/kaniko-ts\/executor:latest$/);
      for (const m of list(c.volumeMounts ?? [], 'volumeMounts')) {
        const name = str(mapping(m, 'mount').name, 'mount name');
        assert.ok(
          volumes.some((v) => v.name === name),
          `volume ${name} is declared`,
        );
      }
    }
  });

  test('config.json comes from a Secret, at /kaniko/.docker/config.json', () => {
    const mount = containers[0]!.volumeMounts as Mapping[];
    const docker = mount.find((m) => m.mountPath === '/kaniko/.docker');
    assert.ok(docker, 'a mount at /kaniko/.docker');
    const volume = volumes.find((v) => v.name === docker.name)!;
    const secret = mapping(volume.secret, 'secret volume');
    assert.equal(typeof secret.secretName, 'string');
    assert.deepEqual(secret.items, [{ key: '.dockerconfigjson', path: 'config.json' }]);
  });

  test('the arguments parse with the CLI; the digest goes to the termination message', () => {
    const c = containers[0]!;
    const args = list(c.args, 'args').map((a) => str(a, 'arg'));
    const o = executorOptions(args);
    assert.equal(o.digestFile, '/dev/termination-log');
    assert.equal(c.terminationMessagePath ?? '/dev/termination-log', o.digestFile);
    assert.deepEqual(o.destinations, ['registry.example.com/team/app:1.0.0']);
    assert.equal(o.context, 'git://github.com/example/app.git#refs/heads/main');
    assert.equal(o.cache.enabled, true);
    assert.equal(c.command, undefined, 'the image entrypoint (/kaniko/executor) runs');
  });
});

describe('examples/tekton', () => {
  const task = mapping(loadYaml('examples/tekton/task.yaml') as Json, 'Task');
  const run = mapping(loadYaml('examples/tekton/taskrun.yaml') as Json, 'TaskRun');
  const spec = mapping(task.spec, 'Task spec');
  const params = list(spec.params, 'params').map((p) => mapping(p, 'param'));
  const results = list(spec.results, 'results').map((r) => mapping(r, 'result'));
  const workspaces = list(spec.workspaces, 'workspaces').map((w) => mapping(w, 'workspace'));
  const steps = list(spec.steps, 'steps').map((s) => mapping(s, 'step'));
  const text = JSON.stringify(spec);

  test('a tekton.dev/v1 Task with results IMAGE_DIGEST and IMAGE_URL', () => {
    assert.equal(task.apiVersion, 'tekton.dev/v1');
    assert.equal(task.kind, 'Task');
    assert.match(str(mapping(task.metadata, 'metadata').name, 'name'), DNS_LABEL);
    assert.deepEqual(results.map((r) => r.name).sort(), ['IMAGE_DIGEST', 'IMAGE_URL']);
    const names = steps.map((s) => str(s.name, 'step name'));
    assert.equal(new Set(names).size, names.length, 'step names are unique');
    for (const n of names) assert.match(n, DNS_LABEL);
    for (const s of steps) {
      assert.equal(typeof s.image, 'string');
      assert.ok(!(s.script !== undefined && s.args !== undefined), 'a step has script or args, not both');
    }
  });

  test('every $(params.*), $(results.*) and $(workspaces.*) it uses is declared', () => {
    for (const m of text.matchAll(/\$\(params\.([A-Za-z0-9_-]+)(\[\*\])?\)/g))
      assert.ok(
        params.some((p) => p.name === m[1]),
        `param ${m[1]} declared`,
      );
    for (const m of text.matchAll(/\$\(results\.([A-Za-z0-9_-]+)\.path\)/g))
      assert.ok(
        results.some((r) => r.name === m[1]),
        `result ${m[1]} declared`,
      );
    for (const m of text.matchAll(/\$\(workspaces\.([A-Za-z0-9_-]+)\.path\)/g))
      assert.ok(
        workspaces.some((w) => w.name === m[1]),
        `workspace ${m[1]} declared`,
      );
    for (const p of params) {
      const type = p.type ?? 'string';
      if (p.default !== undefined)
        assert.equal(Array.isArray(p.default) ? 'array' : 'string', type, `${p.name}`);
    }
  });

  test('both results are written: the digest by the executor, the URL by a shell step', () => {
    assert.match(text, /--digest-file=\$\(results\.IMAGE_DIGEST\.path\)/);
    const writer = steps.find(
      (s) => typeof s.script === 'string' && s.script.includes('$(results.IMAGE_URL.path)'),
    );
    assert.ok(writer, 'a step writes IMAGE_URL');
    assert.match(str(writer.script, 'script'), /^#!\/busybox\/sh\n/, 'the debug image has /busybox/sh');
    assert.equal(writer.image, 'ghcr.io/kaniko-ts/executor:debug');
  });

  test('the TaskRun gives every required param and workspace, and nothing unknown', () => {
    assert.equal(run.apiVersion, 'tekton.dev/v1');
    assert.equal(run.kind, 'TaskRun');
    const runSpec = mapping(run.spec, 'TaskRun spec');
    assert.equal(mapping(runSpec.taskRef, 'taskRef').name, mapping(task.metadata, 'metadata').name);
    const given = list(runSpec.params, 'params').map((p) => mapping(p, 'param'));
    for (const g of given)
      assert.ok(
        params.some((p) => p.name === g.name),
        `param ${g.name} exists`,
      );
    for (const p of params.filter((x) => x.default === undefined))
      assert.ok(
        given.some((g) => g.name === p.name),
        `required param ${p.name} given`,
      );
    const ws = list(runSpec.workspaces, 'workspaces').map((w) => mapping(w, 'workspace'));
    for (const w of ws)
      assert.ok(
        workspaces.some((d) => d.name === w.name),
        `workspace ${w.name} exists`,
      );
    for (const d of workspaces.filter((x) => x.optional !== true))
      assert.ok(
        ws.some((w) => w.name === d.name),
        `workspace ${d.name} bound`,
      );
  });

  test('the executor step, with the TaskRun’s values, parses with the CLI', () => {
    const values: Record<string, string | string[]> = {};
    for (const p of params)
      if (p.default !== undefined) values[str(p.name, 'name')] = p.default as string | string[];
    for (const g of list(mapping(run.spec, 'spec').params, 'params').map((p) => mapping(p, 'param')))
      values[str(g.name, 'name')] = g.value as string | string[];
    const paths = {
      'workspaces.source.path': '/workspace/source',
      'results.IMAGE_DIGEST.path': '/tekton/results/IMAGE_DIGEST',
      'results.IMAGE_URL.path': '/tekton/results/IMAGE_URL',
    };
    const step = steps.find((s) => s.name === 'build-and-push')!;
    assert.equal(step.command, undefined, 'the image entrypoint (/kaniko/executor) runs');
    const args = list(step.args, 'args').flatMap((a) => tektonExpand(str(a, 'arg'), values, paths));
    const o = executorOptions(args);
    assert.deepEqual(o.destinations, ['registry.example.com/team/app:1.0.0']);
    assert.equal(o.digestFile, '/tekton/results/IMAGE_DIGEST');
    assert.equal(o.context, '/workspace/source/./');
    assert.equal(o.dockerfile, 'Dockerfile');
    assert.equal(o.cache.enabled, true);
    assert.deepEqual(o.buildArgs, { VERSION: '1.0.0' });
    assert.equal(
      tektonExpand(str(step.image, 'image'), values, paths)[0],
      'ghcr.io/kaniko-ts/executor:latest',
    );
  });
});
