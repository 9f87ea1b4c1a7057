// The AST: line ranges, directives, comments, warnings, flags and node shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DockerfileError,
  extractBuilderFlags,
  parseDockerfile,
  toInstructions,
} from '../../../src/dockerfile/index.ts';

test('nodes carry start and end lines across continuations, comments and heredocs', () => {
  const text = [
    '# syntax=docker/dockerfile:1', // 1
    'FROM alpine AS build', // 2
    '', // 3
    'RUN apk add \\', // 4
    '  # a comment inside', // 5
    '  curl \\', // 6
    '', // 7
    '  git', // 8
    'COPY <<EOF /etc/x', // 9
    'body', // 10
    'EOF', // 11
    'CMD ["sh"]', // 12
  ].join('\n');
  const df = parseDockerfile(text, 'Dockerfile');
  assert.deepEqual(
    df.nodes.map((n) => [n.instruction, n.startLine, n.endLine]),
    [
      ['from', 2, 2],
      ['run', 4, 8],
      ['copy', 9, 11],
      ['cmd', 12, 12],
    ],
  );
  assert.equal(df.nodes[1]!.original, 'RUN apk add   curl   git');
  assert.equal(df.lineCount, 12);
  assert.deepEqual(df.warnings, [
    { file: 'Dockerfile', line: 4, message: 'Empty continuation line found in: RUN apk add   curl   git' },
  ]);
});

test('directives are recorded with their lines; escape is reported', () => {
  const df = parseDockerfile(
    '# syntax=docker/dockerfile:1.9\n# check=error=true\n# escape=`\nFROM x',
    'Dockerfile',
  );
  assert.deepEqual(df.directives, [
    { name: 'syntax', value: 'docker/dockerfile:1.9', line: 1 },
    { name: 'check', value: 'error=true', line: 2 },
    { name: 'escape', value: '`', line: 3 },
  ]);
  assert.equal(df.syntax, 'docker/dockerfile:1.9');
  assert.equal(df.check, 'error=true');
  assert.equal(df.escapeToken, '`');
  assert.equal(parseDockerfile('FROM x').escapeToken, '\\');
});

test('comments directly above an instruction are kept on the node', () => {
  const df = parseDockerfile('# first\n# second\nFROM x\n#\n# third\nRUN y\n\nRUN z', 'Dockerfile');
  assert.deepEqual(
    df.nodes.map((n) => n.comments),
    [['first', 'second'], ['third'], []],
  );
});

test('flags, keyword as written, and arguments', () => {
  const [n] = parseDockerfile('Copy --from=build --chown="a b" src dst').nodes;
  assert.equal(n!.keyword, 'Copy');
  assert.equal(n!.instruction, 'copy');
  assert.deepEqual(n!.flags, ['--from=build', '--chown=a b']);
  assert.deepEqual(n!.args, ['src', 'dst']);
});

test('extractBuilderFlags stops at the first word that is not a flag, or at --', () => {
  assert.deepEqual(extractBuilderFlags('--a=1 --b x --c'), ['x --c', ['--a=1', '--b']]);
  assert.deepEqual(extractBuilderFlags('--a=1 -- --b'), [' --b', ['--a=1']]);
  assert.deepEqual(extractBuilderFlags("--a='x y' z"), ['z', ['--a=x y']]);
  assert.deepEqual(extractBuilderFlags('--a=\\"q z'), ['z', ['--a="q']]);
  assert.deepEqual(extractBuilderFlags('--only'), ['', ['--only']]);
});

test('ONBUILD nodes hold their trigger node', () => {
  const [n] = parseDockerfile('ONBUILD COPY --from=x a b').nodes;
  assert.equal(n!.sub?.instruction, 'copy');
  assert.deepEqual(n!.sub?.flags, ['--from=x']);
  assert.deepEqual(n!.sub?.args, ['a', 'b']);
});

test('warnings for deprecated forms: MAINTAINER and ENV/LABEL key value', () => {
  const ins = toInstructions(
    parseDockerfile('FROM x\nMAINTAINER me\nENV A b\nLABEL a b\nENV C=d', 'Dockerfile'),
  );
  assert.deepEqual(
    ins.warnings.map((w) => [w.line, w.message]),
    [
      [2, 'Maintainer instruction is deprecated in favor of using label'],
      [3, '"ENV key=value" should be used instead of legacy "ENV key value" format'],
      [4, '"LABEL key=value" should be used instead of legacy "LABEL key value" format'],
    ],
  );
});

test('DockerfileError prints as file:line: message and carries its parts', () => {
  try {
    parseDockerfile('FROM x\nRUN <<EOF\nno end', 'ci/Dockerfile.prod');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof DockerfileError);
    assert.equal(e.file, 'ci/Dockerfile.prod');
    assert.equal(e.line, 2);
    assert.equal(e.detail, 'unterminated heredoc "EOF"');
    assert.equal(String(e), 'ci/Dockerfile.prod:2: unterminated heredoc "EOF"');
  }
});

test('very long lines and many lines parse', () => {
  const long = 'RUN echo ' + 'x'.repeat(200_000);
  assert.equal(parseDockerfile(long).nodes[0]!.args[0]!.length, 200_005);
  const many = Array.from({ length: 5000 }, (_, i) => `ENV K${i}=v${i}`).join('\n');
  const df = parseDockerfile(many);
  assert.equal(df.nodes.length, 5000);
  assert.equal(df.nodes[4999]!.startLine, 5000);
});
