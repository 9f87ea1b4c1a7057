// The image-config helpers: argv for shell/exec form and heredocs, WORKDIR normalisation, and the
// `created_by` text BuildKit's dockerfile2llb writes per instruction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Command,
  commandArgv,
  createdBy,
  createsLayer,
  expandCommand,
  formatGoDuration,
  goQuote,
  isValidSignal,
  lookupIn,
  normalizeWorkdir,
  parseCommand,
  parseDockerfile,
  parseGoDuration,
  runArgv,
} from '../../../src/dockerfile/index.ts';

function one(text: string, env: Record<string, string> = {}): Command {
  const df = parseDockerfile(text, 'Dockerfile');
  return expandCommand(parseCommand(df.nodes[0]!, 'Dockerfile'), lookupIn(env));
}

test('RUN history: shell prepended, build args prefixed as |N K=v, proxy args left out, # buildkit', () => {
  assert.equal(createdBy(one('RUN echo hi')), 'RUN /bin/sh -c echo hi # buildkit');
  assert.equal(createdBy(one('RUN ["echo", "hi"]')), 'RUN echo hi # buildkit');
  assert.equal(
    createdBy(one('RUN echo hi'), { shell: ['/bin/bash', '-o', 'pipefail', '-c'] }),
    'RUN /bin/bash -o pipefail -c echo hi # buildkit',
  );
  assert.equal(
    createdBy(one('RUN make'), {
      buildArgs: [
        { key: 'A', value: '1' },
        { key: 'HTTP_PROXY', value: 'http://proxy' },
        { key: 'B', value: 'x y' },
        { key: 'A', value: '2' },
      ],
    }),
    'RUN |2 A=2 B=x y /bin/sh -c make # buildkit',
  );
});

test('RUN heredocs: a lone heredoc runs its body; #! bodies run from /dev/pipes; others are appended', () => {
  const lone = one('RUN <<EOF\necho a\necho b\nEOF');
  assert.ok(lone.kind === 'RUN');
  assert.deepEqual(runArgv(lone).argv, ['/bin/sh', '-c', 'echo a\necho b\n']);
  assert.equal(createdBy(lone), 'RUN /bin/sh -c echo a\necho b\n # buildkit');
  const chomped = one('RUN <<-EOF\n\techo a\n\tEOF');
  assert.ok(chomped.kind === 'RUN');
  assert.deepEqual(runArgv(chomped).argv, ['/bin/sh', '-c', 'echo a\n']);
  const script = one('RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF');
  assert.ok(script.kind === 'RUN');
  const r = runArgv(script);
  assert.deepEqual(r.argv, ['/bin/sh', '-c', '/dev/pipes/EOF']);
  assert.equal(r.scriptFile?.data, '#!/usr/bin/env python3\nprint(1)\n');
  const piped = one('RUN cat <<EOF > /x\nhello\nEOF');
  assert.ok(piped.kind === 'RUN');
  assert.deepEqual(runArgv(piped).argv, ['/bin/sh', '-c', 'cat <<EOF > /x\nhello\nEOF']);
});

test('CMD and ENTRYPOINT history use Go %q of the argv', () => {
  assert.equal(createdBy(one('CMD ["sh"]')), 'CMD ["sh"]');
  assert.equal(createdBy(one('CMD echo hi')), 'CMD ["/bin/sh" "-c" "echo hi"]');
  assert.equal(createdBy(one('CMD ["a\\"b", "tab\\there"]')), 'CMD ["a\\"b" "tab\\there"]');
  assert.equal(createdBy(one('ENTRYPOINT ["top", "-b"]')), 'ENTRYPOINT ["top" "-b"]');
  assert.equal(
    createdBy(one('ENTRYPOINT exec top'), { shell: ['pwsh', '-c'] }),
    'ENTRYPOINT ["pwsh" "-c" "exec top"]',
  );
});

test('COPY and ADD history: flags BuildKit records, sources, heredoc names, dest; never --from', () => {
  assert.equal(createdBy(one('COPY file /dst')), 'COPY file /dst # buildkit');
  assert.equal(createdBy(one('COPY --from=build --link /out /bin/')), 'COPY /out /bin/ # buildkit');
  assert.equal(
    createdBy(one('COPY --chown=1:2 --chmod=755 a b /d/')),
    'COPY --chown=1:2 --chmod=755 a b /d/ # buildkit',
  );
  assert.equal(createdBy(one('COPY --parents x/./y /d/')), 'COPY --parents x/./y /d/ # buildkit');
  assert.equal(createdBy(one('COPY a <<EOF /d/\nx\nEOF')), 'COPY a <<EOF /d/ # buildkit');
  assert.equal(
    createdBy(one('ADD $U /x', { U: 'https://e.com/a.tgz' })),
    'ADD https://e.com/a.tgz /x # buildkit',
  );
});

test('metadata instructions', () => {
  assert.equal(createdBy(one('ENV A=1 B="x y"')), 'ENV A=1 B=x y');
  assert.equal(createdBy(one('ENV LEGACY value here')), 'ENV LEGACY=value here');
  assert.equal(createdBy(one('LABEL a=b "c d"=e')), 'LABEL a=b c d=e');
  assert.equal(createdBy(one('USER 1000:1000')), 'USER 1000:1000');
  assert.equal(createdBy(one('EXPOSE 80 443/udp 8000-8001')), 'EXPOSE [443/udp 80/tcp 8000/tcp 8001/tcp]');
  assert.equal(createdBy(one('VOLUME /a /b')), 'VOLUME [/a /b]');
  assert.equal(createdBy(one('STOPSIGNAL SIGKILL')), 'STOPSIGNAL SIGKILL');
  assert.equal(createdBy(one('SHELL ["/bin/bash", "-c"]')), 'SHELL [/bin/bash -c]');
  assert.equal(createdBy(one('MAINTAINER me <me@example.com>')), 'MAINTAINER me <me@example.com>');
  assert.equal(createdBy(one('ARG A=1 B')), 'ARG A=1 B');
  assert.equal(
    createdBy(one('ARG A=1 B'), {
      argValues: [
        { key: 'A', value: 'over' },
        { key: 'B', value: 'g' },
      ],
    }),
    'ARG A=over B=g',
  );
  assert.equal(createdBy(one('FROM alpine')), undefined);
  assert.equal(createdBy(one('ONBUILD RUN x')), undefined);
});

test('WORKDIR history is the normalised absolute path; only a non-root WORKDIR makes a layer', () => {
  assert.equal(createdBy(one('WORKDIR /app')), 'WORKDIR /app');
  assert.equal(createdBy(one('WORKDIR src'), { workdir: '/app' }), 'WORKDIR /app/src');
  assert.equal(createdBy(one('WORKDIR ../x/./y/'), { workdir: '/app/sub' }), 'WORKDIR /app/x/y');
  assert.equal(createsLayer(one('WORKDIR /')), false);
  assert.equal(createsLayer(one('WORKDIR /app')), true);
  assert.equal(createsLayer(one('RUN x')), true);
  assert.equal(createsLayer(one('ENV A=1')), false);
});

test('HEALTHCHECK history is Go %+v of the config', () => {
  assert.equal(
    createdBy(
      one('HEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1'),
    ),
    'HEALTHCHECK {Test:[CMD-SHELL curl -f http://localhost/ || exit 1] Interval:5m0s Timeout:3s StartPeriod:0s StartInterval:0s Retries:3}',
  );
  assert.equal(
    createdBy(one('HEALTHCHECK NONE')),
    'HEALTHCHECK {Test:[NONE] Interval:0s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}',
  );
});

test('commandArgv', () => {
  assert.deepEqual(commandArgv({ cmdLine: ['echo hi'], prependShell: true }), ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(commandArgv({ cmdLine: ['echo', 'hi'], prependShell: false }, ['/bin/bash', '-c']), [
    'echo',
    'hi',
  ]);
  assert.deepEqual(commandArgv({ cmdLine: [], prependShell: true }), ['/bin/sh', '-c', '']);
  assert.deepEqual(commandArgv({ cmdLine: ['x'], prependShell: true }, []), ['/bin/sh', '-c', 'x']);
});

test('normalizeWorkdir', () => {
  assert.equal(normalizeWorkdir('', 'a'), '/a');
  assert.equal(normalizeWorkdir('/a', 'b/c'), '/a/b/c');
  assert.equal(normalizeWorkdir('/a', '/x/../y'), '/y');
  assert.equal(normalizeWorkdir('/', '../..'), '/');
});

test('Go durations and quoting', () => {
  assert.equal(parseGoDuration('1m30s'), 90e9);
  assert.equal(parseGoDuration('1.5h'), 5400e9);
  assert.equal(parseGoDuration('300ms'), 3e8);
  assert.equal(parseGoDuration('2us'), 2000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('1x'), undefined);
  assert.equal(formatGoDuration(90e9), '1m30s');
  assert.equal(formatGoDuration(3600e9), '1h0m0s');
  assert.equal(formatGoDuration(1.5e9), '1.5s');
  assert.equal(formatGoDuration(5e8), '500ms');
  assert.equal(formatGoDuration(1500), '1.5µs');
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(goQuote('a"b\\c\n\x01é'), '"a\\"b\\\\c\\n\\x01é"');
});

test('STOPSIGNAL values', () => {
  for (const s of ['SIGTERM', 'TERM', 'sigkill', '9', 'SIGRTMIN+3', 'RTMAX']) assert.ok(isValidSignal(s), s);
  for (const s of ['SIGFOO', '0', '65', 'RTMIN+99', '']) assert.ok(!isValidSignal(s), s);
});
