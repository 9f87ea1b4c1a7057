// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${...} on purpose
// expandCommand: which fields BuildKit expands per instruction (Dockerfile reference, "Environment
// replacement": ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR ONBUILD(not) ...).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Command,
  DockerfileError,
  expandCommand,
  lookupIn,
  parseCommand,
  parseDockerfile,
} from '../../../src/dockerfile/index.ts';

function one(text: string): Command {
  const df = parseDockerfile(text, 'Dockerfile');
  return parseCommand(df.nodes[df.nodes.length - 1]!, 'Dockerfile');
}

const env = {
  FOO: '/bar',
  abc: 'hello',
  V: '1.0',
  PORTS: '80 443/udp',
  U: 'app',
  MODE: '640',
  T: '/cache',
  SIG: 'SIGINT',
  EMPTY: '',
};
const lookup = lookupIn(env);
const x = <C extends Command>(c: C) => expandCommand(c, lookup);

test('reference example: WORKDIR ${FOO}, ADD . $FOO, COPY \\$FOO /quux', () => {
  assert.deepEqual(x(one('WORKDIR ${FOO}')), { ...one('WORKDIR ${FOO}'), path: '/bar' });
  const addCmd = x(one('ADD . $FOO'));
  assert.ok(addCmd.kind === 'ADD');
  assert.equal(addCmd.dest, '/bar');
  const copyCmd = x(one('COPY \\$FOO /quux'));
  assert.ok(copyCmd.kind === 'COPY');
  assert.deepEqual(copyCmd.sources, ['$FOO']);
  assert.equal(copyCmd.dest, '/quux');
});

test('reference example: ENV abc=bye def=$abc sees the value from before the instruction', () => {
  const e = x(one('ENV abc=bye def=$abc'));
  assert.ok(e.kind === 'ENV');
  assert.deepEqual(e.env, [
    { key: 'abc', value: 'bye', noDelim: false },
    { key: 'def', value: 'hello', noDelim: false },
  ]);
});

test('ENV and LABEL: keys and values, quotes and escapes removed, legacy form too', () => {
  const e = x(one('ENV MY_NAME="John Doe" MY_DOG=Rex\\ The\\ Dog P=$FOO/bin'));
  assert.ok(e.kind === 'ENV');
  assert.deepEqual(
    e.env.map((kv) => [kv.key, kv.value]),
    [
      ['MY_NAME', 'John Doe'],
      ['MY_DOG', 'Rex The Dog'],
      ['P', '/bar/bin'],
    ],
  );
  const legacy = x(one('ENV MY_VAR "a b" $V'));
  assert.ok(legacy.kind === 'ENV');
  assert.deepEqual(legacy.env, [{ key: 'MY_VAR', value: 'a b 1.0', noDelim: true }]);
  const l = x(one('LABEL "com.example.vendor"="ACME $V" ${U}=x'));
  assert.ok(l.kind === 'LABEL');
  assert.deepEqual(
    l.labels.map((kv) => [kv.key, kv.value]),
    [
      ['com.example.vendor', 'ACME 1.0'],
      ['app', 'x'],
    ],
  );
});

test('USER, STOPSIGNAL, VOLUME expand; EXPOSE splits fields and validates', () => {
  assert.equal((x(one('USER ${U:-nobody}:$EMPTY')) as { user: string }).user, 'app:');
  assert.equal((x(one('STOPSIGNAL $SIG')) as { signal: string }).signal, 'SIGINT');
  assert.deepEqual((x(one('VOLUME ["$FOO", "/logs"]')) as { volumes: string[] }).volumes, ['/bar', '/logs']);
  assert.deepEqual((x(one('EXPOSE $PORTS 8080')) as { ports: string[] }).ports, ['80', '443/udp', '8080']);
  assert.throws(() => x(one('EXPOSE ${NOPE:-99999}')), /Dockerfile:1: invalid containerPort: 99999/);
  assert.throws(() => x(one('EXPOSE 80/xtp')), /Dockerfile:1: invalid proto: xtp/);
  assert.throws(() => x(one('VOLUME $EMPTY')), /Dockerfile:1: VOLUME specified can not be an empty string/);
});

test('COPY/ADD: sources, dest, --chown, --chmod, --checksum, --exclude expand; --from does not', () => {
  const c = x(one('COPY --from=$STAGE --chown=$U:$U --chmod=$MODE --exclude=$V/*.md ${FOO}/a b /dst/'));
  assert.ok(c.kind === 'COPY');
  assert.equal(c.from, '$STAGE');
  assert.equal(c.chown, 'app:app');
  assert.equal(c.chmod, '640');
  assert.deepEqual(c.exclude, ['1.0/*.md']);
  assert.deepEqual(c.sources, ['/bar/a', 'b']);
  // COPY splits on whitespace before expansion, so a quoted name with a space is two broken words
  assert.throws(() => x(one('COPY "b c" /dst/')), /Dockerfile:1: failed to process "\\"b": unexpected end/);
  assert.throws(
    () => x(one('COPY --chmod=${NOPE:-999} a b')),
    /Dockerfile:1: invalid chmod parameter: '999'/,
  );
  const a = x(one('ADD --checksum=sha256:${V} https://example.com/$V.tgz /x'));
  assert.ok(a.kind === 'ADD');
  assert.equal(a.checksum, 'sha256:1.0');
  assert.deepEqual(a.sources, ['https://example.com/1.0.tgz']);
});

test('COPY heredoc bodies expand unless the delimiter is quoted; quotes in the body stay', () => {
  const c = x(one('COPY <<EOF <<"RAW" /x/\nroot=$FOO "$V" \'$U\'\nEOF\nkeep $FOO\nRAW'));
  assert.ok(c.kind === 'COPY');
  assert.deepEqual(
    c.sourceContents.map((f) => f.data),
    ['root=/bar "1.0" \'app\'\n', 'keep $FOO\n'],
  );
});

test('RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD are not expanded by the frontend', () => {
  for (const text of [
    'RUN echo $FOO',
    'RUN ["echo", "$FOO"]',
    'CMD echo $FOO',
    'CMD ["$FOO"]',
    'ENTRYPOINT ["$FOO"]',
    'SHELL ["$FOO", "-c"]',
    'HEALTHCHECK CMD test -d $FOO',
    'ONBUILD RUN echo $FOO',
    'MAINTAINER $FOO',
    'RUN <<EOF\necho $FOO\nEOF',
  ]) {
    const c = one(text);
    assert.deepEqual(x(c), c, text);
  }
});

test('RUN --mount values expand with the stage environment; from= takes no variables', () => {
  const r = x(
    one('RUN --mount=type=cache,target=$T,id=${V} --mount=type=bind,from=build,target=/in,source=$FOO make'),
  );
  assert.ok(r.kind === 'RUN');
  assert.equal(r.mounts[0]!.target, '/cache');
  assert.equal(r.mounts[0]!.id, '1.0');
  assert.equal(r.mounts[1]!.from, 'build');
  assert.equal(r.mounts[1]!.source, '/bar');
  assert.throws(
    () => one('RUN --mount=from=$STAGE,target=/x make'),
    /Dockerfile:1: 'from' doesn't support variable expansion, define alias stage instead/,
  );
  assert.deepEqual(r.cmdLine, ['make']);
});

test('ARG defaults expand; names do not', () => {
  const a = x(one('ARG A=$V B C="x $FOO"'));
  assert.ok(a.kind === 'ARG');
  assert.deepEqual(a.args, [{ key: 'A', value: '1.0' }, { key: 'B' }, { key: 'C', value: 'x /bar' }]);
});

test('FROM image and --platform expand', () => {
  const f = x(one('FROM --platform=${P:-linux/arm64} alpine:$V AS b'));
  assert.ok(f.kind === 'FROM');
  assert.equal(f.image, 'alpine:1.0');
  assert.equal(f.platform, 'linux/arm64');
});

test('expansion errors are DockerfileErrors on the instruction line', () => {
  const c = parseCommand(
    parseDockerfile('FROM a\nRUN x\nWORKDIR ${DIR:?set DIR}', 'Dockerfile').nodes[2]!,
    'Dockerfile',
  );
  assert.throws(
    () => expandCommand(c, lookup, { file: 'sub/Dockerfile' }),
    (e: unknown) =>
      e instanceof DockerfileError &&
      e.toString() === 'sub/Dockerfile:3: failed to process "${DIR:?set DIR}": DIR: set DIR' &&
      e.line === 3,
  );
  assert.throws(
    () => x(one('USER "unterminated')),
    /Dockerfile:1: failed to process "\\"unterminated": unexpected end of statement while looking for matching double-quote/,
  );
});

test('the escape directive applies to expansion', () => {
  const df = parseDockerfile('# escape=`\nWORKDIR C:\\app`$FOO', 'Dockerfile');
  const c = parseCommand(df.nodes[0]!, 'Dockerfile');
  assert.equal(
    (expandCommand(c, lookup, { escapeToken: df.escapeToken }) as { path: string }).path,
    'C:\\app$FOO',
  );
});
