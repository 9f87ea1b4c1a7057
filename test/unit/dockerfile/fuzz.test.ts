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

/** Applies the edits; when they happen to cancel out or do nothing, inserts a character so the result differs. */
function mutate(text: string, edits: Edit[]): string {
  let s = text;
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % (s.length + 1);
    if (e.kind === 'insert') s = s.slice(0, at) + e.ch + s.slice(at);
    else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
    else s = s.slice(0, at) + s.slice(at, at + e.len) + s.slice(at);
  }
  if (s === text) {
    const first = edits[0] ?? { at: 0, ch: '#' };
    const at = first.at % (text.length + 1);
    s = text.slice(0, at) + first.ch + text.slice(at);
  }
  return s;
}

function lineCount(text: string): number {
  return Math.max(1, text.split('\n').length);
}

/** Leading blanks as the parser trims them (Go's unicode.IsSpace plus the BOM JavaScript's \s includes). */
const LEADING_SPACE = /^[\s\u0085]+/u;
const DIRECTIVE_PROBLEM = /parser directive|escape token|unsupported frontend/;
/** File-level problems that belong to no instruction; BuildKit reports them on line 1. */
const FILE_LEVEL = /^dockerfile contains no stages to build$/;

function checkError(e: unknown, text: string): asserts e is DockerfileError {
  if (!(e instanceof DockerfileError))
    throw new Error(`not a DockerfileError: ${String(e)}\n--- input ---\n${text}`);
  assert.equal(e.file, 'Dockerfile');
  assert.ok(
    Number.isInteger(e.line) && e.line >= 1 && e.line <= lineCount(text),
    `bad line ${e.line} in ${e.message}`,
  );
  assert.ok(e.toString().startsWith(`Dockerfile:${e.line}: `), e.toString());
}

/**
 * A parse error belongs to the line an instruction starts on or to a directive: never to a blank line
 * or an ordinary comment.
 */
function checkParseError(e: unknown, text: string): void {
  checkError(e, text);
  const line = (text.split('\n')[e.line - 1] ?? '').replace(LEADING_SPACE, '').replace(/[\r\n]+$/, '');
  const where = `${e.message}\n--- input ---\n${text}`;
  assert.notEqual(line, '', `error on a blank line: ${where}`);
  if (line.startsWith('#')) assert.match(e.detail, DIRECTIVE_PROBLEM, `error on a comment line: ${where}`);
}

/** An error raised after parsing names the start line of an instruction (or is a file-level problem). */
function checkErrorAt(e: unknown, text: string, lines: ReadonlySet<number>): void {
  checkError(e, text);
  if (FILE_LEVEL.test(e.detail)) assert.equal(e.line, 1);
  else assert.ok(lines.has(e.line), `line ${e.line} starts no instruction: ${e.message}\n${text}`);
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
    checkParseError(e, text);
    return;
  }
  for (const n of df.nodes)
    assert.ok(n.startLine >= 1 && n.endLine >= n.startLine && n.endLine <= lineCount(text));
  const starts = new Set(df.nodes.map((n) => n.startLine));
  let plan: ReturnType<typeof planBuild>;
  try {
    plan = planBuild(toInstructions(df), {
      buildArgs: { A: '1', UNUSED: 'x' },
      platform,
      buildPlatform: platform,
    });
  } catch (e) {
    checkErrorAt(e, text, starts);
    return;
  }
  for (const stage of plan.allStages) {
    assert.ok(starts.has(stage.line), `stage line ${stage.line} starts no instruction`);
    for (const cmd of stage.commands) {
      assert.ok(starts.has(cmd.line), `${cmd.kind} on line ${cmd.line}, which starts no instruction`);
      try {
        const x = expandCommand(cmd, lookup, { file: 'Dockerfile', escapeToken: df.escapeToken });
        createdBy(x, { shell: ['/bin/sh', '-c'] });
        if (x.kind === 'CMD' || x.kind === 'ENTRYPOINT' || x.kind === 'RUN') commandArgv(x);
        if (x.kind === 'ONBUILD') {
          try {
            parseOnBuildTriggers([x.expression], 'Dockerfile', stage.line);
          } catch (e) {
            checkError(e, text);
            assert.equal(e.line, stage.line, e.message);
          }
        }
      } catch (e) {
        // Expansion errors belong to the command that was expanded, nothing else.
        checkError(e, text);
        assert.equal(e.line, cmd.line, `${e.message}\n--- input ---\n${text}`);
      }
    }
  }
}

const RUNS = 100_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

test(`${RUNS} distinct generated and mutated Dockerfiles: no crash, only DockerfileError on an instruction's line (FUZZ_SEED=${SEED})`, (t) => {
  assert.ok(Number.isSafeInteger(SEED), `FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);
  // Each input is run once: generated texts repeat now and then, so batches go on (seed, seed+1, …)
  // until RUNS different texts have been through the frontend. FUZZ_SEED replays all of them.
  const seen = new Set<string>();
  const once = (text: string) => {
    if (seen.has(text)) return;
    exercise(text);
    seen.add(text);
  };
  let runs = 0;
  let batch = 0;
  for (; seen.size < RUNS; batch++) {
    assert.ok(batch < 10, `only ${seen.size} distinct inputs after ${runs} runs`);
    const numRuns = Math.ceil((RUNS - seen.size) / 1.8);
    fc.assert(
      fc.property(dockerfileArb, fc.array(editArb, { minLength: 1, maxLength: 4 }), (text, edits) => {
        const mutated = mutate(text, edits);
        assert.notEqual(mutated, text);
        once(text);
        once(mutated);
      }),
      { numRuns, seed: SEED + batch },
    );
    runs += numRuns;
  }
  t.diagnostic(
    `FUZZ_SEED=${SEED}: ${seen.size} distinct Dockerfiles from ${runs} runs in ${batch} batch(es)`,
  );
});

// A catch-all line would pass the checks above whenever it happens to name some instruction. Here the
// one broken instruction sits at a known line among valid ones (some spanning several lines), and the
// error must name exactly that line and say what is wrong with it.
const VALID_PIECES = [
  'RUN echo hi\n',
  'RUN echo a \\\n  && echo b\n',
  'RUN a \\\n# a comment inside\n\n  b\n',
  'RUN <<EOF\necho x\n\nEOF\n',
  'RUN --mount=type=cache,target=/c make\n',
  'COPY <<-EOF /x\n\tbody $A\n\tEOF\n',
  '# just a comment\n',
  '\n',
  '  \t\n',
  'COPY a.txt /dst/\n',
  'COPY --chmod=755 --from=alpine:3 a /b\n',
  'ADD --chown=1:1 x.tgz /opt/\n',
  'ENV K=v L="x y"\n',
  'ENV M=a \\\n    N=${A%%.*}\n',
  'LABEL a=b "c d"="$A"\n',
  'WORKDIR $HOME/app\n',
  'USER 1000:1000\n',
  'EXPOSE 80/tcp ${P:-443}\n',
  'VOLUME ["/data"]\n',
  'ARG X=1\n',
  'CMD ["sh"]\n',
  'ENTRYPOINT ["/x"]\n',
  'HEALTHCHECK --interval=5s CMD true\n',
  'STOPSIGNAL SIGTERM\n',
  'SHELL ["/bin/sh", "-c"]\n',
  'ONBUILD RUN echo x\n',
  'FROM busybox\n',
];
const BAD_PIECES: [string, RegExp][] = [
  ['COPPY a b\n', /^unknown instruction "COPPY" \(did you mean COPY\?\)$/],
  ['COPPY a \\\n  b\n', /^unknown instruction "COPPY"/],
  ['COPY onlyone\n', /^COPY requires at least two arguments/],
  ['USER\n', /^USER requires exactly one argument$/],
  ['LABEL\n', /^LABEL requires at least one argument$/],
  ['SHELL sh\n', /^SHELL requires the arguments to be in JSON form$/],
  ['ENV =e\n', /^ENV names can not be blank$/],
  ['COPY --link=x a /b\n', /^expecting boolean value for flag link, not: x$/],
  ['COPY --unknown a /b\n', /^unknown flag: unknown$/],
  ['HEALTHCHECK --retries=-2 CMD x\n', /^--retries cannot be negative \(-2\)$/],
  ['ONBUILD FROM x\n', /^FROM isn't allowed as an ONBUILD trigger$/],
  ['RUN --network=bad x\n', /^unsupported network mode "bad"$/],
  ['RUN --mount=type=nfs x\n', /^unsupported mount type "nfs"$/],
  ['RUN --mount=type=cache,target=/x,uid=abc y\n', /^invalid value abc for uid$/],
  ['RUN <<NEVER_ENDS\necho x\nEOF\n', /^unterminated heredoc "NEVER_ENDS"$/],
  ['COPY --chmod=999 a /b\n', /^invalid chmod parameter: '999'/],
  ['EXPOSE 70000\n', /^invalid containerPort: 70000$/],
  ['EXPOSE 1/xyz\n', /^invalid proto: xyz$/],
  ['VOLUME $EMPTY\n', /^VOLUME specified can not be an empty string$/],
  ['WORKDIR ${A\n', /^failed to process "\$\{A": syntax error: missing '}'$/],
  ['ENV X=${NOPE:?unset}\n', /NOPE: unset$/],
  ['LABEL a=${A/\n', /missing '\/' in/],
  ['COPY --chown=${U a /b\n', /missing '}'$/],
  ['COPY \\\n  --exclude=${A \\\n  a /b\n', /missing '}'$/],
  ['RUN --mount=target=${T /x\n', /missing '}'$/],
  ['COPY --from=9 a /b\n', /^invalid stage index 9$/],
  ['FROM ${A\n', /missing '}'$/],
  ['FROM alpine AS build\n', /^duplicate stage name "build"$/],
];

/** The first error the frontend raises for `text`, or undefined. */
function firstError(text: string): unknown {
  try {
    const df = parseDockerfile(text, 'Dockerfile');
    const plan = planBuild(toInstructions(df), { buildArgs: {}, platform, buildPlatform: platform });
    for (const stage of plan.allStages)
      for (const cmd of stage.commands) expandCommand(cmd, lookup, { escapeToken: df.escapeToken });
  } catch (e) {
    return e;
  }
  return undefined;
}

const plantedArb = fc.record({
  directive: fc.constantFrom('', '# syntax=docker/dockerfile:1\n', '# check=skip=all\n\n'),
  before: fc.array(fc.constantFrom(...VALID_PIECES), { maxLength: 12 }),
  bad: fc.constantFrom(...BAD_PIECES),
  after: fc.array(fc.constantFrom(...VALID_PIECES), { maxLength: 6 }),
});

test(`one broken instruction at a known line: the error names that line (FUZZ_SEED=${SEED})`, () => {
  assert.equal(firstError(`FROM alpine AS build\n${VALID_PIECES.join('')}`), undefined);
  fc.assert(
    fc.property(plantedArb, ({ directive, before, bad: [bad, detail], after }) => {
      const head = `${directive}FROM alpine AS build\n${before.join('')}`;
      const line = head.split('\n').length;
      const text = head + bad + after.join('');
      const e = firstError(text);
      assert.ok(e instanceof DockerfileError, `not a DockerfileError: ${String(e)}\n--- input ---\n${text}`);
      assert.equal(e.line, line, `${e.message}\n--- input ---\n${text}`);
      assert.match(e.detail, detail);
    }),
    { numRuns: 5_000, seed: SEED },
  );
});

// The checks above rely on this: only expansion problems become DockerfileErrors, a bug stays a bug.
test('an internal error during expansion is not relabelled as a Dockerfile error', () => {
  const [cmd] = toInstructions(parseDockerfile('FROM alpine\nWORKDIR $HOME\n')).stages[0]!.commands;
  for (const bug of [new Error('internal'), new TypeError('internal')]) {
    const lookupWithBug = () => {
      throw bug;
    };
    assert.throws(
      () => expandCommand(cmd!, lookupWithBug),
      (e) => e === bug,
    );
  }
});
