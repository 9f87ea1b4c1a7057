// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${...} on purpose
// Build planning: global ARGs in FROM, stage references by name (any case) and index, dependencies,
// --target, pruning, cycles, platform ARGs, unused build args; ONBUILD triggers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DockerfileError,
  type PlanOptions,
  parseDockerfile,
  parseOnBuildTriggers,
  planBuild,
  resolveSourceRef,
  stageArgValue,
  toInstructions,
} from '../../../src/dockerfile/index.ts';

const amd64 = { os: 'linux', architecture: 'amd64' };
const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({
  buildArgs: {},
  platform: amd64,
  buildPlatform: amd64,
  ...o,
});
const plan = (text: string, o: Partial<PlanOptions> = {}) =>
  planBuild(parseDockerfile(text, 'Dockerfile'), opts(o));

function throwsAt(fn: () => unknown, line: number, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DockerfileError, String(e));
    assert.equal(e.line, line);
    if (typeof message === 'string') assert.equal(e.detail, message);
    else assert.match(e.detail, message);
    return true;
  });
}

test('global ARGs expand in FROM; --build-arg overrides their defaults', () => {
  const text = 'ARG BASE=alpine\nARG TAG=3.19\nFROM ${BASE}:${TAG}\n';
  assert.deepEqual(plan(text).stages[0]!.base, { kind: 'image', ref: 'alpine:3.19' });
  assert.deepEqual(plan(text, { buildArgs: { TAG: 'edge' } }).stages[0]!.base, {
    kind: 'image',
    ref: 'alpine:edge',
  });
});

test('global ARG defaults see earlier global ARGs and the platform ARGs', () => {
  const p = plan('ARG A=1\nARG B=${A}2\nARG P=$TARGETARCH\nFROM x:$B-$P', {
    platform: { os: 'linux', architecture: 'arm64' },
  });
  assert.deepEqual(p.stages[0]!.base, { kind: 'image', ref: 'x:12-arm64' });
  assert.equal(p.globalArgs.get('B'), '12');
});

test('a global ARG reaches a stage only when redeclared (stageArgValue)', () => {
  const p = plan('ARG VERSION=latest\nFROM busybox:$VERSION\nARG VERSION\nRUN echo $VERSION');
  const argCmd = p.stages[0]!.commands[0]!;
  assert.equal(argCmd.kind, 'ARG');
  if (argCmd.kind !== 'ARG') return;
  const def = argCmd.args[0]!;
  assert.equal(
    stageArgValue(def, p, {}, (w) => w),
    'latest',
  );
  assert.equal(
    stageArgValue(def, p, { VERSION: 'v2' }, (w) => w),
    'v2',
  );
  assert.equal(
    stageArgValue({ key: 'TARGETOS' }, p, {}, (w) => w),
    'linux',
  );
  assert.equal(
    stageArgValue({ key: 'NOPE' }, p, {}, (w) => w),
    undefined,
  );
  assert.equal(
    stageArgValue({ key: 'D', value: '$X' }, p, {}, (w) => w.replace('$X', 'x')),
    'x',
  );
});

test('stage names are case-insensitive in FROM and COPY --from', () => {
  const p = plan(
    'FROM alpine AS Builder\nRUN make\nFROM BUILDER AS second\nFROM busybox\nCOPY --from=bUiLdEr /a /b\nCOPY --from=second /c /d',
  );
  assert.deepEqual(p.allStages[1]!.base, { kind: 'stage', index: 0 });
  assert.deepEqual(p.allStages[2]!.dependsOn, [0, 1]);
  assert.deepEqual(
    p.stages.map((s) => s.index),
    [0, 1, 2],
  );
});

test('COPY --from takes a stage index, a stage name or an image (expanded with global ARGs)', () => {
  const p = plan(
    'ARG V=1.25\nFROM alpine AS a\nFROM busybox\nCOPY --from=0 /x /x\nCOPY --from=nginx:$V /etc/nginx /etc/nginx',
  );
  const last = p.allStages[1]!;
  assert.deepEqual(last.sources.get(last.commands[0]!), [{ kind: 'stage', index: 0 }]);
  assert.deepEqual(last.sources.get(last.commands[1]!), [{ kind: 'image', ref: 'nginx:1.25' }]);
  assert.deepEqual(last.dependsOn, [0]);
});

test('RUN --mount from= is a dependency', () => {
  const p = plan(
    'FROM alpine AS deps\nFROM alpine AS other\nFROM busybox\nRUN --mount=type=bind,from=deps,target=/d ls /d',
  );
  assert.deepEqual(p.allStages[2]!.dependsOn, [0]);
  assert.deepEqual(
    p.stages.map((s) => s.index),
    [0, 2],
  );
  assert.equal(p.allStages[1]!.needed, false);
});

test('--target picks a stage; stages it does not need are pruned', () => {
  const text =
    'FROM alpine AS base\nFROM base AS build\nRUN make\nFROM alpine AS test\nRUN test\nFROM busybox AS final\nCOPY --from=build /out /out';
  const p = plan(text, { target: 'Build' });
  assert.equal(p.target, 1);
  assert.deepEqual(
    p.stages.map((s) => s.name),
    ['base', 'build'],
  );
  const full = plan(text);
  assert.equal(full.target, 3);
  assert.deepEqual(
    full.stages.map((s) => s.name),
    ['base', 'build', 'final'],
  );
  assert.equal(full.allStages[2]!.needed, false);
});

test('unknown --target is an error', () => {
  throwsAt(() => plan('FROM a AS x', { target: 'y' }), 1, 'target stage "y" could not be found');
});

test('a stage copying from itself or a later stage that needs it is a cycle', () => {
  throwsAt(
    () => plan('FROM alpine AS x\nCOPY --from=x /a /b'),
    2,
    'circular dependency detected on stage: x',
  );
  throwsAt(
    () => plan('FROM alpine AS x\nCOPY --from=y /a /b\nFROM alpine AS y\nCOPY --from=x /c /d'),
    2,
    'circular dependency detected on stage: y',
  );
  throwsAt(
    () => plan('FROM alpine AS x\nCOPY --from=y /a /b\nFROM alpine AS y'),
    2,
    'cannot copy from stage "y", it needs to be defined before current stage "x"',
  );
  throwsAt(() => plan('FROM a\nCOPY --from=3 /a /b'), 2, 'invalid stage index 3');
});

test('FROM naming a later stage means an image; scratch means no base', () => {
  const p = plan('FROM later AS first\nFROM scratch AS later\nFROM first');
  assert.deepEqual(p.allStages[0]!.base, { kind: 'image', ref: 'later' });
  assert.deepEqual(p.allStages[1]!.base, { kind: 'scratch' });
  assert.deepEqual(p.allStages[2]!.base, { kind: 'stage', index: 0 });
});

test('automatic platform ARGs, FROM --platform expanded', () => {
  const p = plan(
    'FROM --platform=$BUILDPLATFORM golang AS build\nFROM --platform=${TARGETPLATFORM} alpine\nCOPY --from=build /a /a',
    {
      platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
    },
  );
  assert.deepEqual(p.platformArgs, {
    TARGETPLATFORM: 'linux/arm/v7',
    TARGETOS: 'linux',
    TARGETARCH: 'arm',
    TARGETVARIANT: 'v7',
    BUILDPLATFORM: 'linux/amd64',
    BUILDOS: 'linux',
    BUILDARCH: 'amd64',
    BUILDVARIANT: '',
  });
  assert.equal(p.allStages[0]!.platform, 'linux/amd64');
  assert.equal(p.allStages[1]!.platform, 'linux/arm/v7');
});

test('build args nobody declares are reported; proxy args never are', () => {
  const text = 'ARG G\nFROM alpine AS unused\nARG ONLY_UNUSED\nFROM alpine\nARG USED\nRUN x';
  const p = plan(text, {
    buildArgs: { USED: '1', G: '2', NOPE: '3', ONLY_UNUSED: '4', HTTP_PROXY: 'http://p', no_proxy: 'x' },
  });
  assert.deepEqual(p.unusedBuildArgs, ['NOPE', 'ONLY_UNUSED']);
  assert.ok(
    p.warnings.some((w) => w.message === 'One or more build-args [NOPE ONLY_UNUSED] were not consumed'),
  );
});

test('planning errors name the line', () => {
  throwsAt(() => plan('ARG X\nFROM $X'), 2, 'base name ($X) should not be blank');
  throwsAt(() => plan('ARG X="${Y:?Y is required}"\nFROM a'), 1, /Y: Y is required/);
  throwsAt(() => plan('# just a comment\n'), 1, 'dockerfile contains no stages to build');
  throwsAt(() => plan('RUN x\nFROM a'), 1, 'no build stage in current context');
  throwsAt(() => plan('FROM a AS x\nFROM b AS X'), 2, 'duplicate stage name "x"');
});

test('toInstructions: meta ARGs, stages with their commands and lines', () => {
  const ins = toInstructions(
    parseDockerfile('ARG A\nARG B=1 C\nFROM a AS one\nRUN x\n\nFROM b\nCOPY . /\n', 'Dockerfile'),
  );
  assert.deepEqual(
    ins.metaArgs.map((a) => a.args),
    [[{ key: 'A' }], [{ key: 'B', value: '1' }, { key: 'C' }]],
  );
  assert.deepEqual(
    ins.stages.map((s) => [s.index, s.name, s.from.line, s.commands.map((c) => [c.kind, c.line])]),
    [
      [0, 'one', 3, [['RUN', 4]]],
      [1, undefined, 6, [['COPY', 7]]],
    ],
  );
});

test('ONBUILD triggers from an image config become commands on the FROM line', () => {
  const cmds = parseOnBuildTriggers(
    ['ADD . /app/src', 'RUN /usr/local/bin/python-build --dir /app/src', 'RUN <<EOF\necho hi\nEOF'],
    'Dockerfile',
    7,
  );
  assert.deepEqual(
    cmds.map((c) => [c.kind, c.line]),
    [
      ['ADD', 7],
      ['RUN', 7],
      ['RUN', 7],
    ],
  );
  const heredocRun = cmds[2]!;
  assert.ok(heredocRun.kind === 'RUN');
  assert.deepEqual(heredocRun.files, [{ name: 'EOF', data: 'echo hi\n', expand: true, chomp: false }]);
});

test('ONBUILD triggers that are not one valid instruction are errors on the FROM line', () => {
  throwsAt(
    () => parseOnBuildTriggers(['RUN a\nRUN b'], 'Dockerfile', 4),
    4,
    'onbuild trigger should be a single expression',
  );
  throwsAt(
    () => parseOnBuildTriggers(['COPPY a b'], 'Dockerfile', 4),
    4,
    'unknown instruction "COPPY" (did you mean COPY?)',
  );
  throwsAt(
    () => parseOnBuildTriggers(['FROM x'], 'Dockerfile', 4),
    4,
    "FROM isn't allowed as an ONBUILD trigger",
  );
  throwsAt(() => parseOnBuildTriggers(['RUN <<EOF\nx'], 'Dockerfile', 4), 4, /unterminated heredoc "EOF"/);
});

test('ONBUILD expression round-trips: the stored trigger parses back to the same command', () => {
  const ins = toInstructions(
    parseDockerfile('FROM a\nONBUILD COPY --from=build <<EOF /x\nhello\nEOF\n', 'Dockerfile'),
  );
  const ob = ins.stages[0]!.commands[0]!;
  assert.ok(ob.kind === 'ONBUILD');
  assert.equal(ob.expression, 'COPY --from=build <<EOF /x\nhello\nEOF');
  const [c] = parseOnBuildTriggers([ob.expression], 'Dockerfile', 1);
  assert.ok(c?.kind === 'COPY');
  assert.equal(c.from, 'build');
  assert.deepEqual(c.sourceContents, [{ name: 'EOF', data: 'hello\n', expand: true, chomp: false }]);
});

test('resolveSourceRef resolves ONBUILD COPY --from like planBuild does', () => {
  const p = plan('ARG IMG=nginx\nFROM alpine AS Tools\nFROM busybox\nFROM busybox AS last');
  assert.deepEqual(resolveSourceRef(p, 'TOOLS', 4, 2), { kind: 'stage', index: 0 });
  assert.deepEqual(resolveSourceRef(p, '0', 4, 2), { kind: 'stage', index: 0 });
  assert.deepEqual(resolveSourceRef(p, '$IMG:1', 4, 2), { kind: 'image', ref: 'nginx:1' });
  throwsAt(
    () => resolveSourceRef(p, 'last', 3, 1),
    3,
    'cannot copy from stage "last", it needs to be defined before current stage "1"',
  );
  throwsAt(() => resolveSourceRef(p, '7', 3, 1), 3, 'invalid stage index 7');
});
