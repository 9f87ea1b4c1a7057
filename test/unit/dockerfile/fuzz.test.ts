// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${...} on purpose
// Property test: generated and mutated Dockerfiles never crash the frontend; every failure is a
// DockerfileError naming the file and a line that exists (or line 1 for an empty file).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  commandArgv,
  createdBy,
  DockerfileError,
  expandCommand,
  parseDockerfile,
  parseOnBuildTriggers,
  planBuild,
  toInstructions,
} from '../../../src/dockerfile/index.ts';

const KEYWORDS = [
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
  'from',
  'run',
  'Copy',
  'COPPY',
  'FORM',
  'X',
];
const FLAGS = [
  '--from=build',
  '--from=0',
  '--from=$STAGE',
  '--from=9',
  '--from=',
  '--chown=1:1',
  '--chmod=755',
  '--chmod=u+x',
  '--chmod=99',
  '--link',
  '--link=false',
  '--link=x',
  '--parents',
  '--exclude=*.md',
  '--checksum=sha256:ab',
  '--keep-git-dir',
  '--unpack=true',
  '--platform=$BUILDPLATFORM',
  '--platform=linux/arm64',
  '--mount=type=cache,target=/c',
  '--mount=type=bind,from=build,target=/b',
  '--mount=type=secret,id=s',
  '--mount=type=ssh',
  '--mount=type=tmpfs,target=/t,size=1k',
  '--mount=type=nfs',
  '--mount=target=${T:-/x}',
  '--mount="type=cache,target=/a b"',
  '--mount=type=cache,target=/x,uid=abc',
  '--network=none',
  '--network=bad',
  '--security=insecure',
  '--interval=5s',
  '--timeout=1ns',
  '--retries=3',
  '--retries=-2',
  '--start-period=x',
  '--',
  '--x',
  '--mount',
];
const WORDS = [
  'alpine',
  'build',
  'AS',
  'as',
  'scratch',
  'x',
  '/dst/',
  'a.txt',
  '.',
  '80',
  '80/udp',
  '8000-8002',
  '70000',
  '1/xyz',
  'NONE',
  'CMD',
  'SIGTERM',
  '9',
  'A=1',
  'B="x y"',
  "C='z'",
  'D',
  '=e',
  'PATH=$PATH:/x',
  '$HOME',
  '${A:-b}',
  '${A:+b}',
  '${A?err}',
  '${A:?}',
  '${A#*/}',
  '${A%%.*}',
  '${A/x/y}',
  '${A//x}',
  '${',
  '${A',
  '$',
  '"',
  "'",
  '\\',
  '`',
  '"quoted word"',
  '<<EOF',
  '<<-EOF',
  "<<'EOF'",
  '3<<X',
  '<<<',
  '#',
  '# c',
  '[',
  ']',
  '["a", "b"]',
  '[1]',
  '[]',
  '["x"',
  '{}',
  '&&',
  '|',
  ';',
  'é',
  '\t',
  '=',
];
const LINE_ENDS = ['\n', '\n', '\n', '\r\n', ' \\\n', '\\\n', ' `\n', '\n\n'];
const PREFIX_LINES = [
  '# syntax=docker/dockerfile:1\n',
  '# escape=`\n',
  '# escape=\\\n',
  '# syntax=other/x\n',
  '# check=skip=all\n',
  '# escape=x\n',
  '',
];
const BODY_LINES = ['EOF\n', '\tEOF\n', 'X\n', 'echo body $A\n', '#!/bin/sh\n', ''];

const chaoticLine = fc
  .tuple(
    fc.constantFrom(...KEYWORDS),
    fc.array(fc.constantFrom(...FLAGS), { maxLength: 2 }),
    fc.array(fc.constantFrom(...WORDS), { maxLength: 5 }),
    fc.constantFrom(...LINE_ENDS),
    fc.array(fc.constantFrom(...BODY_LINES), { maxLength: 2 }),
  )
  .map(([kw, flags, words, end, body]) => `${[kw, ...flags, ...words].join(' ')}${end}${body.join('')}`);

// Mostly instructions with flags that fit them, so that planning and expansion get exercised too.
const FITTING: Record<string, string[]> = {
  RUN: [
    '--mount=type=cache,target=/c',
    '--mount=type=bind,from=build,target=/b',
    '--mount=type=secret,id=s',
    '--mount=type=tmpfs,target=/t',
    '--mount=target=${T:-/x},from=build',
    '--network=none',
    '--security=insecure',
  ],
  COPY: [
    '--from=build',
    '--from=0',
    '--from=$STAGE',
    '--from=alpine:3',
    '--chown=${U:-1}:1',
    '--chmod=755',
    '--chmod=$MODE',
    '--link',
    '--parents',
    '--exclude=$A',
  ],
  ADD: [
    '--chown=1:1',
    '--chmod=u+x',
    '--link',
    '--checksum=sha256:${A}',
    '--keep-git-dir',
    '--unpack=false',
    '--exclude=*.o',
  ],
  FROM: ['--platform=$BUILDPLATFORM', '--platform=${TARGETPLATFORM}'],
  HEALTHCHECK: [
    '--interval=5s',
    '--timeout=1m30s',
    '--retries=3',
    '--start-period=2s',
    '--start-interval=1s',
  ],
};
const FITTING_ARGS: Record<string, string[]> = {
  RUN: ['echo $A', 'make ${A:-all}', '["sh", "-c", "x"]', '<<EOF', 'cat <<-EOF', "<<'EOF'"],
  COPY: ['a $HOME/', '${A#*/} /dst/', '["a", "/b/"]', '<<EOF /x', '. /app', '${A:?need A} /x'],
  ADD: ['https://example.com/a.tgz /x', '${A} /y/', '<<EOF /z'],
  FROM: ['alpine', 'build', 'alpine AS next', '${STAGE} AS s2', 'scratch'],
  HEALTHCHECK: ['NONE', 'CMD curl -f http://x/', 'CMD ["true"]'],
  ENV: ['A=${A%%.*} B="$HOME x"', 'K v w', 'P=${A/usr/opt}'],
  LABEL: ['a=b "c d"="$A"', 'x=${A:+set}'],
  ARG: ['A', 'B=${A:-d}', 'C="x y" D'],
  EXPOSE: ['80 ${P:-443}/udp', '8000-8002/tcp', '$HOME'],
  VOLUME: ['/data $HOME', '["/a", "${A}"]'],
  USER: ['${U:-1000}:1000'],
  WORKDIR: ['$HOME/app', '${A%/*}', 'rel'],
  STOPSIGNAL: ['SIGTERM', '${SIG:-9}'],
  SHELL: ['["/bin/bash", "-c"]'],
  CMD: ['["sh"]', 'echo hi'],
  ENTRYPOINT: ['["/x"]', 'exec x'],
  ONBUILD: ['RUN echo $A', 'COPY --from=build a b', 'ONBUILD RUN x'],
  MAINTAINER: ['me <me@x>'],
};
const fittingLine = fc
  .constantFrom(...Object.keys(FITTING_ARGS))
  .chain((kw) =>
    fc.tuple(
      fc.constant(kw),
      fc.array(fc.constantFrom(...(FITTING[kw] ?? ['--x'])), { maxLength: FITTING[kw] ? 2 : 0 }),
      fc.constantFrom(...FITTING_ARGS[kw]!),
      fc.constantFrom('\n', '\n', '\n', ' \\\n  ', '\r\n'),
      fc.constantFrom('echo body $A\nEOF\n', '\tline\n\tEOF\n', ''),
    ),
  )
  .map(
    ([kw, flags, args, end, body]) =>
      `${[kw, ...flags, args].join(' ')}${end}${args.includes('<<') ? body : ''}`,
  );

const lineArb = fc.oneof({ weight: 15, arbitrary: fittingLine }, { weight: 1, arbitrary: chaoticLine });

const dockerfileArb = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom(...PREFIX_LINES) },
    ),
    fc.constantFrom(
      'FROM alpine AS build\n',
      'ARG STAGE=build\nFROM ${STAGE:-alpine}\n',
      'FROM busybox\n',
      '',
    ),
    fc.array(lineArb, { maxLength: 12 }),
  )
  .map(([prefix, first, lines]) => prefix + first + lines.join(''));

const SPECIAL = [
  '\\',
  '`',
  '"',
  "'",
  '$',
  '{',
  '}',
  '[',
  ']',
  '\n',
  '\r',
  '\t',
  ' ',
  '#',
  '=',
  '<',
  '-',
  ',',
  ':',
  '\u0000',
  '\ufeff',
  'é',
  '𝄞',
];
type Edit = { kind: 'insert' | 'delete' | 'dup'; at: number; len: number; ch: string };
const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'dup'),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 8 }),
  ch: fc.constantFrom(...SPECIAL),
});

function mutate(text: string, edits: Edit[]): string {
  let s = text;
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % (s.length + 1);
    if (e.kind === 'insert') s = s.slice(0, at) + e.ch + s.slice(at);
    else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
    else s = s.slice(0, at) + s.slice(at, at + e.len) + s.slice(at);
  }
  return s;
}

function lineCount(text: string): number {
  return Math.max(1, text.split('\n').length);
}

function checkError(e: unknown, text: string): void {
  if (!(e instanceof DockerfileError))
    throw new Error(`not a DockerfileError: ${String(e)}\n--- input ---\n${text}`);
  assert.equal(e.file, 'Dockerfile');
  assert.ok(
    Number.isInteger(e.line) && e.line >= 1 && e.line <= lineCount(text),
    `bad line ${e.line} in ${e.message}`,
  );
  assert.ok(e.toString().startsWith(`Dockerfile:${e.line}: `), e.toString());
  assert.ok(!e.toString().includes('\n') || e.detail.includes('\n') === e.toString().includes('\n'));
}

const env: Record<string, string> = {
  A: '/usr/x.tar.gz',
  HOME: '/root',
  T: '/t',
  STAGE: 'build',
  MODE: '644',
};
const lookup = (n: string) => (Object.hasOwn(env, n) ? env[n] : undefined);
const platform = { os: 'linux', architecture: 'amd64' };

/** Runs the whole frontend on one input; throws only for a broken property. */
function exercise(text: string): void {
  let df: ReturnType<typeof parseDockerfile>;
  try {
    df = parseDockerfile(text, 'Dockerfile');
  } catch (e) {
    checkError(e, text);
    return;
  }
  for (const n of df.nodes)
    assert.ok(n.startLine >= 1 && n.endLine >= n.startLine && n.endLine <= lineCount(text));
  try {
    const ins = toInstructions(df);
    const plan = planBuild(ins, { buildArgs: { A: '1', UNUSED: 'x' }, platform, buildPlatform: platform });
    for (const stage of plan.allStages) {
      for (const cmd of stage.commands) {
        try {
          const x = expandCommand(cmd, lookup, { file: 'Dockerfile', escapeToken: df.escapeToken });
          createdBy(x, { shell: ['/bin/sh', '-c'] });
          if (x.kind === 'CMD' || x.kind === 'ENTRYPOINT' || x.kind === 'RUN') commandArgv(x);
          if (x.kind === 'ONBUILD') {
            try {
              parseOnBuildTriggers([x.expression], 'Dockerfile', stage.line);
            } catch (e) {
              checkError(e, text);
            }
          }
        } catch (e) {
          checkError(e, text);
        }
      }
    }
  } catch (e) {
    checkError(e, text);
  }
}

const RUNS = 100_000;

test(`${RUNS} generated and mutated Dockerfiles: no crash, only DockerfileError with a real line`, () => {
  fc.assert(
    fc.property(dockerfileArb, fc.array(editArb, { maxLength: 4 }), (text, edits) => {
      exercise(text);
      exercise(mutate(text, edits));
    }),
    { numRuns: RUNS / 2, seed: Number(process.env.FUZZ_SEED ?? 20261125) },
  );
});
