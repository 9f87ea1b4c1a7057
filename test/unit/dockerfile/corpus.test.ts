// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${...} on purpose
// Table-driven corpus: Dockerfile snippet -> typed instructions (or the error), expectations written
// by hand from the Dockerfile reference and BuildKit's documented parsing rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  add,
  arg,
  cmd,
  copy,
  entrypoint,
  env,
  envLegacy,
  expose,
  file,
  from,
  health,
  label,
  labelLegacy,
  maintainer,
  onbuild,
  parseSnippet,
  run,
  type Shown,
  shell,
  stopsignal,
  user,
  volume,
  workdir,
} from './corpus-helpers.ts';

const S = 1e9;
const err = (line: number, msg: string) => `Dockerfile:${line}: ${msg}`;

const CASES: Array<[string, string, Shown[] | string]> = [
  // ---- FROM
  ['from plain', 'FROM alpine', [from('alpine')]],
  ['from tag and digest', 'FROM alpine:3.19@sha256:abc', [from('alpine:3.19@sha256:abc')]],
  ['from as name lowercased', 'FROM golang:1.22 AS Build', [from('golang:1.22', { stageName: 'build' })]],
  ['from lowercase as', 'from alpine as base', [from('alpine', { stageName: 'base' })]],
  ['from platform flag', 'FROM --platform=linux/arm64 alpine', [from('alpine', { platform: 'linux/arm64' })]],
  [
    'from platform from arg',
    'FROM --platform=$BUILDPLATFORM golang AS b',
    [from('golang', { platform: '$BUILDPLATFORM', stageName: 'b' })],
  ],
  ['from arg in image kept', 'FROM ${BASE:-alpine}:$VER', [from('${BASE:-alpine}:$VER')]],
  ['from scratch', 'FROM scratch', [from('scratch')]],
  ['from two args', 'FROM a b', err(1, 'FROM requires either one or three arguments')],
  ['from no args', 'FROM', err(1, 'FROM requires either one or three arguments')],
  ['from four args', 'FROM a AS b c', err(1, 'FROM requires either one or three arguments')],
  [
    'from bad stage name',
    'FROM a AS 1st',
    err(1, 'invalid name for build stage: "1st", name can\'t start with a number or contain symbols'),
  ],
  [
    'from stage name with symbols',
    'FROM a AS my/stage',
    err(1, 'invalid name for build stage: "my/stage", name can\'t start with a number or contain symbols'),
  ],
  ['from stage name dots dashes', 'FROM a AS my-stage_1.x', [from('a', { stageName: 'my-stage_1.x' })]],
  ['from unknown flag', 'FROM --plattform=x a', err(1, 'unknown flag: plattform (did you mean platform?)')],
  ['from platform without value', 'FROM --platform a', err(1, 'missing a value on flag: platform')],

  // ---- RUN shell and exec form, JSON detection
  ['run shell', 'RUN echo hello', [run('echo hello')]],
  ['run keeps inner spacing', 'RUN echo  a   b', [run('echo  a   b')]],
  ['run trims ends', 'RUN    echo hi   ', [run('echo hi')]],
  ['run exec', 'RUN ["echo", "hello"]', [run(['echo', 'hello'])]],
  ['run exec spaced', 'RUN [ "echo" , "hello" ]', [run(['echo', 'hello'])]],
  ['run exec single quotes is shell', "RUN ['echo', 'hi']", [run("['echo', 'hi']")]],
  ['run exec trailing comma is shell', 'RUN ["echo", "hi",]', [run('["echo", "hi",]')]],
  ['run exec trailing text is shell', 'RUN ["echo"] hi', [run('["echo"] hi')]],
  ['run exec unterminated is shell', 'RUN ["echo", "hi"', [run('["echo", "hi"')]],
  [
    'run exec number is error',
    'RUN ["echo", 1]',
    err(1, 'when using JSON array syntax, arrays must be comprised of strings only'),
  ],
  [
    'run exec null is error',
    'RUN [null]',
    err(1, 'when using JSON array syntax, arrays must be comprised of strings only'),
  ],
  [
    'run exec nested is error',
    'RUN [["a"]]',
    err(1, 'when using JSON array syntax, arrays must be comprised of strings only'),
  ],
  ['run exec empty', 'RUN []', [run([])]],
  ['run json object is shell', 'RUN {"a": 1}', [run('{"a": 1}')]],
  ['run exec escapes', 'RUN ["sh", "-c", "echo \\"a\\" \\u0041"]', [run(['sh', '-c', 'echo "a" A'])]],
  ['run exec windows path escaped', 'RUN ["c:\\\\windows\\\\app.exe"]', [run(['c:\\windows\\app.exe'])]],
  ['run exec bad json escape is shell', 'RUN ["c:\\windows"]', [run('["c:\\windows"]')]],
  ['run exec unicode', 'RUN ["echo", "héllo"]', [run(['echo', 'héllo'])]],
  ['run no args is an empty shell command', 'RUN', [{ kind: 'RUN', cmdLine: [], prependShell: true }]],
  ['run lowercase keyword', 'run echo hi', [run('echo hi')]],
  ['run mixed case keyword', 'rUn echo hi', [run('echo hi')]],
  ['run variables kept', 'RUN echo $HOME ${X:-y}', [run('echo $HOME ${X:-y}')]],
  ['run tab separated keyword', 'RUN\techo hi', [run('echo hi')]],

  // ---- RUN flags
  ['run network none', 'RUN --network=none make', [run('make', { network: 'none' })]],
  ['run network host', 'RUN --network=host make', [run('make', { network: 'host' })]],
  ['run network bogus', 'RUN --network=bridge make', err(1, 'unsupported network mode "bridge"')],
  ['run security insecure', 'RUN --security=insecure make', [run('make', { security: 'insecure' })]],
  ['run security bogus', 'RUN --security=root make', err(1, 'unsupported security mode "root"')],
  [
    'run mount cache',
    'RUN --mount=type=cache,target=/root/.cache go build',
    [
      run('go build', {
        mounts: [
          {
            type: 'cache',
            target: '/root/.cache',
            readOnly: false,
            required: false,
            sharing: 'shared',
            mode: 0o755,
            id: '/root/.cache',
          },
        ],
      }),
    ],
  ],
  [
    'run mount cache options',
    'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked,id=apt,uid=1000,gid=1000,mode=0700 apt-get update',
    [
      run('apt-get update', {
        mounts: [
          {
            type: 'cache',
            target: '/var/cache/apt',
            readOnly: false,
            required: false,
            sharing: 'locked',
            mode: 0o700,
            id: 'apt',
            uid: 1000,
            gid: 1000,
          },
        ],
      }),
    ],
  ],
  [
    'run mount bind default read-only',
    'RUN --mount=target=/src make',
    [run('make', { mounts: [{ type: 'bind', target: '/src', readOnly: true, required: false }] })],
  ],
  [
    'run mount bind rw from stage',
    'RUN --mount=type=bind,from=build,source=/out,target=/in,rw cp -r /in /x',
    [
      run('cp -r /in /x', {
        mounts: [
          { type: 'bind', target: '/in', readOnly: false, required: false, from: 'build', source: '/out' },
        ],
      }),
    ],
  ],
  [
    'run mount secret',
    'RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 ls',
    [
      run('aws s3 ls', {
        mounts: [
          {
            type: 'secret',
            target: '/root/.aws/credentials',
            readOnly: true,
            required: false,
            mode: 0o400,
            id: 'aws',
          },
        ],
      }),
    ],
  ],
  [
    'run mount secret default target',
    'RUN --mount=type=secret,id=tok,required cat /run/secrets/tok',
    [
      run('cat /run/secrets/tok', {
        mounts: [
          {
            type: 'secret',
            target: '/run/secrets/tok',
            readOnly: true,
            required: true,
            mode: 0o400,
            id: 'tok',
          },
        ],
      }),
    ],
  ],
  [
    'run mount secret as env',
    'RUN --mount=type=secret,id=tok,env=TOKEN ./deploy',
    [
      run('./deploy', {
        mounts: [
          {
            type: 'secret',
            target: '',
            readOnly: true,
            required: false,
            mode: 0o400,
            id: 'tok',
            env: 'TOKEN',
          },
        ],
      }),
    ],
  ],
  [
    'run mount ssh',
    'RUN --mount=type=ssh git clone git@example.com:a/b',
    [
      run('git clone git@example.com:a/b', {
        mounts: [
          {
            type: 'ssh',
            target: '/run/buildkit/ssh_agent.0',
            readOnly: true,
            required: false,
            mode: 0o600,
            id: 'default',
          },
        ],
      }),
    ],
  ],
  [
    'run mount tmpfs size',
    'RUN --mount=type=tmpfs,target=/tmp,size=64m make',
    [
      run('make', {
        mounts: [{ type: 'tmpfs', target: '/tmp', readOnly: false, required: false, size: 64 * 1024 * 1024 }],
      }),
    ],
  ],
  [
    'run two mounts',
    'RUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b x',
    [
      run('x', {
        mounts: [
          {
            type: 'cache',
            target: '/a',
            readOnly: false,
            required: false,
            sharing: 'shared',
            mode: 0o755,
            id: '/a',
          },
          { type: 'tmpfs', target: '/b', readOnly: false, required: false },
        ],
      }),
    ],
  ],
  [
    'run mount from variable',
    'RUN --mount=from=${STAGE},target=/x x',
    err(1, "'from' doesn't support variable expansion, define alias stage instead"),
  ],
  [
    'run mount mode on bind',
    'RUN --mount=target=/x,mode=0700 x',
    err(1, 'mode not allowed for "bind" type mounts'),
  ],
  [
    'run mount sharing on bind',
    'RUN --mount=target=/x,sharing=locked x',
    err(1, 'invalid cache sharing set for bind mount'),
  ],
  [
    'run mount secret with from',
    'RUN --mount=type=secret,id=a,from=b x',
    err(1, 'secret mount should not have a from'),
  ],
  ['run mount bad uid', 'RUN --mount=type=cache,target=/x,uid=me x', err(1, 'invalid value me for uid')],
  [
    'run mount required on bind',
    'RUN --mount=target=/x,required x',
    err(1, "unexpected key 'required' for mount type 'bind'"),
  ],
  [
    'run mount tmpfs read-only',
    'RUN --mount=type=tmpfs,target=/t,ro x',
    [run('x', { mounts: [{ type: 'tmpfs', target: '/t', readOnly: true, required: false }] })],
  ],
  ['run mount unknown type', 'RUN --mount=type=nfs,target=/x x', err(1, 'unsupported mount type "nfs"')],
  ['run mount without target', 'RUN --mount=type=cache x', err(1, 'invalid mount target ""')],
  [
    'run mount unknown key',
    'RUN --mount=target=/x,colour=red x',
    err(1, "unexpected key 'colour' in 'colour=red'"),
  ],
  [
    'run mount bad sharing',
    'RUN --mount=type=cache,target=/x,sharing=all x',
    err(1, 'unsupported sharing value "all"'),
  ],
  ['run mount missing value', 'RUN --mount x', err(1, 'missing a value on flag: mount')],
  ['run unknown flag', 'RUN --mont=type=cache x', err(1, 'unknown flag: mont (did you mean mount?)')],
  [
    'run quoted flag value',
    'RUN --mount="type=cache,target=/a b" x',
    [
      run('x', {
        mounts: [
          {
            type: 'cache',
            target: '/a b',
            readOnly: false,
            required: false,
            sharing: 'shared',
            mode: 0o755,
            id: '/a b',
          },
        ],
      }),
    ],
  ],
  ['run double dash ends flags', 'RUN -- --network=none', [run('--network=none')]],
  ['run single dash is not a flag', 'RUN -x', [run('-x')]],

  // ---- continuations
  ['continuation', 'RUN echo a \\\n    b', [run('echo a     b')]],
  ['continuation no space', 'RUN echo a\\\nb', [run('echo ab')]],
  ['continuation trailing spaces after escape', 'RUN echo a \\   \n b', [run('echo a  b')]],
  ['continuation chain', 'RUN a \\\n && b \\\n && c', [run('a  && b  && c')]],
  ['continuation comment inside', 'RUN a \\\n# comment\n b', [run('a  b')]],
  ['continuation indented comment inside', 'RUN a \\\n    # comment \\\n b', [run('a  b')]],
  ['continuation blank line inside', 'RUN a \\\n\n b', [run('a  b')]],
  ['continuation whitespace line inside', 'RUN a \\\n   \n b', [run('a  b')]],
  ['continuation at end of file', 'RUN a \\', [run('a')]],
  ['escaped escape at end is not a continuation', 'RUN echo a\\\\\nRUN b', [run('echo a\\\\'), run('b')]],
  ['escape alone on a line continues', 'RUN a \\\n\\\n b', [run('a  b')]],
  ['escaped backtick at end with backtick escape', '# escape=`\nRUN a``\nRUN b', [run('a``'), run('b')]],
  ['lone carriage returns end a line', 'RUN a\r\r\nRUN b', [run('a'), run('b')]],
  ['continuation crlf', 'RUN a \\\r\n b\r\nRUN c\r\n', [run('a  b'), run('c')]],
  ['continuation in FROM', 'FROM \\\nalpine', [from('alpine')]],
  ['continuation in ENV', 'ENV A=1 \\\n    B=2', [env(['A', '1'], ['B', '2'])]],
  ['continuation in COPY flags', 'COPY --from=build \\\n  /a /b', [copy(['/a'], '/b', { from: 'build' })]],
  ['backslash mid line is not continuation', 'RUN a \\ b', [run('a \\ b')]],
  ['backslash then comment text is not continuation', 'RUN a \\ # c', [run('a \\ # c')]],
  ['continuation into exec form', 'CMD ["a", \\\n "b"]', [cmd(['a', 'b'])]],
  ['continuation only keyword line', 'RUN \\\n echo hi', [run('echo hi')]],

  // ---- comments and blank lines
  ['comment line', '# hello\nRUN a', [run('a')]],
  ['indented comment', '   # hello\nRUN a', [run('a')]],
  ['hash inside instruction is text', 'RUN echo a # b', [run('echo a # b')]],
  ['blank lines', '\n\nRUN a\n\n\nRUN b\n', [run('a'), run('b')]],
  ['only comments', '# a\n# b\n', []],
  ['empty file', '', []],
  ['leading whitespace before instruction', '   RUN a', [run('a')]],
  ['bom stripped', '\ufeffRUN a', [run('a')]],
  ['tab indented instruction', '\tRUN a', [run('a')]],

  // ---- parser directives
  ['escape backtick', '# escape=`\nRUN a `\n  b', [run('a   b')]],
  ['escape backtick keeps backslash', '# escape=`\nRUN dir c:\\\nRUN b', [run('dir c:\\'), run('b')]],
  ['escape directive case and spaces', '#  ESCAPE = `\nRUN a `\nb', [run('a b')]],
  ['escape directive after syntax', '# syntax=docker/dockerfile:1\n# escape=`\nRUN a `\nb', [run('a b')]],
  ['directive after instruction is comment', 'RUN a\n# escape=`\nRUN b `', [run('a'), run('b `')]],
  ['directive after blank line is comment', '\n# escape=`\nRUN b `', [run('b `')]],
  ['directive after comment is comment', '# hello\n# escape=`\nRUN b `', [run('b `')]],
  ['unknown directive stops directives', '# foo=bar\n# escape=`\nRUN b `', [run('b `')]],
  [
    'escape backtick in env words',
    '# escape=`\nENV A="x`"y" B=c:\\d',
    [env(['A', '"x`"y"'], ['B', 'c:\\d'])],
  ],
  ['invalid escape token', '# escape=x\nRUN a', err(1, "invalid escape token 'x' does not match ` or \\")],
  [
    'duplicate escape',
    '# escape=\\\n# escape=`\nRUN a',
    err(2, 'only one escape parser directive can be used'),
  ],
  ['syntax any tag', '# syntax=docker/dockerfile:1.7-labs\nRUN a', [run('a')]],
  [
    'syntax docker.io with digest',
    `# syntax=docker.io/docker/dockerfile:1@sha256:${'a'.repeat(64)}\nRUN a`,
    [run('a')],
  ],
  [
    'syntax other frontend',
    '# syntax=example.com/my/frontend:1\nRUN a',
    err(
      1,
      'unsupported frontend "example.com/my/frontend:1": only docker/dockerfile syntax is built in and no other frontend image is run',
    ),
  ],
  ['syntax with frontend options', '# syntax=docker/dockerfile:1 --opt=x\nRUN a', [run('a')]],
  ['check directive', '# check=skip=JSONArgsRecommended\nCMD a', [cmd('a')]],

  // ---- heredocs
  ['heredoc run', 'RUN <<EOF\necho hello\nEOF', [run('<<EOF', { files: [file('EOF', 'echo hello\n')] })]],
  [
    'heredoc run multi line',
    'RUN <<EOF\napt-get update\napt-get install -y vim\nEOF',
    [run('<<EOF', { files: [file('EOF', 'apt-get update\napt-get install -y vim\n')] })],
  ],
  [
    'heredoc chomp kept raw for run',
    'RUN <<-EOF\n\techo hi\n\tEOF',
    [run('<<-EOF', { files: [file('EOF', '\techo hi\n', { chomp: true })] })],
  ],
  [
    'heredoc single quoted',
    "RUN <<'EOF'\necho $HOME\nEOF",
    [run("<<'EOF'", { files: [file('EOF', 'echo $HOME\n', { expand: false })] })],
  ],
  [
    'heredoc double quoted',
    'RUN <<"EOF"\necho $HOME\nEOF',
    [run('<<"EOF"', { files: [file('EOF', 'echo $HOME\n', { expand: false })] })],
  ],
  [
    'heredoc partly quoted',
    'RUN <<E"O"F\nx\nEOF',
    [run('<<E"O"F', { files: [file('EOF', 'x\n', { expand: false })] })],
  ],
  [
    'heredoc with program',
    'RUN python3 <<EOF\nprint("hi")\nEOF',
    [run('python3 <<EOF', { files: [file('EOF', 'print("hi")\n')] })],
  ],
  [
    'heredoc two on one line',
    'RUN cat <<A && cat <<B\na\nA\nb\nB',
    [run('cat <<A && cat <<B', { files: [file('A', 'a\n'), file('B', 'b\n')] })],
  ],
  ['heredoc redirect', 'RUN <<EOF > /out\nx\nEOF', [run('<<EOF > /out', { files: [file('EOF', 'x\n')] })]],
  [
    'heredoc fd',
    'RUN 3<<EOF cat /dev/fd/3\nx\nEOF',
    [run('3<<EOF cat /dev/fd/3', { files: [file('EOF', 'x\n')] })],
  ],
  [
    'heredoc then next instruction',
    'RUN <<EOF\na\nEOF\nRUN b',
    [run('<<EOF', { files: [file('EOF', 'a\n')] }), run('b')],
  ],
  ['heredoc empty body line', 'RUN <<EOF\n\nEOF', [run('<<EOF', { files: [file('EOF', '\n')] })]],
  [
    'heredoc body keeps comments and continuations',
    'RUN <<EOF\n# not a comment\necho a \\\nEOF',
    [run('<<EOF', { files: [file('EOF', '# not a comment\necho a \\\n')] })],
  ],
  ['heredoc crlf', 'RUN <<EOF\r\nhi\r\nEOF\r\n', [run('<<EOF', { files: [file('EOF', 'hi\r\n')] })]],
  [
    'heredoc terminator with trailing space is body',
    'RUN <<EOF\nEOF \nEOF',
    [run('<<EOF', { files: [file('EOF', 'EOF \n')] })],
  ],
  [
    'heredoc indented terminator needs chomp',
    'RUN <<EOF\n\tEOF\nEOF',
    [run('<<EOF', { files: [file('EOF', '\tEOF\n')] })],
  ],
  [
    'heredoc copy',
    'COPY <<EOF /etc/motd\nhello\nEOF',
    [copy([], '/etc/motd', { sourceContents: [file('EOF', 'hello\n')] })],
  ],
  [
    'heredoc copy two',
    'COPY <<A <<B /dst/\n1\nA\n2\nB',
    [copy([], '/dst/', { sourceContents: [file('A', '1\n'), file('B', '2\n')] })],
  ],
  [
    'heredoc copy chomped',
    'COPY <<-EOF /x\n\thi\n\t\tthere\n\tEOF',
    [copy([], '/x', { sourceContents: [file('EOF', 'hi\nthere\n', { chomp: true })] })],
  ],
  [
    'heredoc copy quoted no expand',
    "COPY <<'EOF' /x\n$A\nEOF",
    [copy([], '/x', { sourceContents: [file('EOF', '$A\n', { expand: false })] })],
  ],
  [
    'heredoc copy mixed with file',
    'COPY a.txt <<EOF /x/\nb\nEOF',
    [copy(['a.txt'], '/x/', { sourceContents: [file('EOF', 'b\n')] })],
  ],
  ['heredoc add', 'ADD <<EOF /x\nhi\nEOF', [add([], '/x', { sourceContents: [file('EOF', 'hi\n')] })]],
  [
    'heredoc as copy destination',
    'COPY a <<EOF\nx\nEOF',
    err(1, 'COPY cannot accept a heredoc as a destination'),
  ],
  ['heredoc not in exec form', 'RUN ["cat", "<<EOF"]', [run(['cat', '<<EOF'])]],
  ['heredoc not for env', 'ENV A=<<EOF', [env(['A', '<<EOF'])]],
  [
    'heredoc with a space after <<',
    'RUN cat << EOF > /x\nhi\nEOF',
    [run('cat << EOF > /x', { files: [file('EOF', 'hi\n')] })],
  ],
  ['heredoc must start a word', 'RUN cat<<EOF', [run('cat<<EOF')]],
  ['heredoc not for here-string', 'RUN cat <<<word', [run('cat <<<word')]],
  ['heredoc unterminated', 'RUN <<EOF\nhello', err(1, 'unterminated heredoc "EOF"')],
  ['heredoc unterminated second', 'RUN a\nRUN cat <<A <<B\nx\nA\ny', err(2, 'unterminated heredoc "B"')],
  ['heredoc onbuild', 'ONBUILD RUN <<EOF\necho hi\nEOF', [onbuild('RUN <<EOF\necho hi\nEOF')]],

  // ---- ENV
  ['env one', 'ENV A=1', [env(['A', '1'])]],
  [
    'env many',
    'ENV MY_NAME="John Doe" MY_DOG=Rex\\ The\\ Dog MY_CAT=fluffy',
    [env(['MY_NAME', '"John Doe"'], ['MY_DOG', 'Rex\\ The\\ Dog'], ['MY_CAT', 'fluffy'])],
  ],
  ['env legacy', 'ENV MY_VAR my-value', [envLegacy('MY_VAR', 'my-value')]],
  ['env legacy keeps rest', 'ENV ONE TWO= THREE=world', [envLegacy('ONE', 'TWO= THREE=world')]],
  ['env empty value', 'ENV A=', [env(['A', ''])]],
  ['env single quotes kept', "ENV A='x y' B=2", [env(['A', "'x y'"], ['B', '2'])]],
  ['env references kept', 'ENV PATH=/opt/bin:$PATH', [env(['PATH', '/opt/bin:$PATH'])]],
  ['env equals in value', 'ENV A=b=c', [env(['A', 'b=c'])]],
  ['env legacy one word', 'ENV A', err(1, 'ENV must have two arguments')],
  [
    'env missing equals',
    'ENV A=1 B',
    err(1, 'Syntax error - can\'t find = in "B". Must be of the form: name=value'),
  ],
  ['env blank name', 'ENV =x', err(1, 'ENV names can not be blank')],
  ['env nothing', 'ENV', err(1, 'ENV requires at least one argument')],
  ['env flag rejected', 'ENV --x A=1', err(1, 'unknown flag: x')],

  // ---- LABEL
  [
    'label quoted key',
    'LABEL "com.example.vendor"="ACME Incorporated"',
    [label(['"com.example.vendor"', '"ACME Incorporated"'])],
  ],
  [
    'label many',
    'LABEL version="1.0" description="This text"',
    [label(['version', '"1.0"'], ['description', '"This text"'])],
  ],
  [
    'label multiline',
    'LABEL multi.label1="value1" \\\n      multi.label2="value2"',
    [label(['multi.label1', '"value1"'], ['multi.label2', '"value2"'])],
  ],
  ['label legacy', 'LABEL maintainer someone', [labelLegacy('maintainer', 'someone')]],
  ['label nothing', 'LABEL', err(1, 'LABEL requires at least one argument')],
  ['label blank name', 'LABEL =x', err(1, 'LABEL names can not be blank')],

  // ---- ARG
  ['arg name', 'ARG user1', [arg(['user1'])]],
  ['arg default', 'ARG buildno=1', [arg(['buildno', '1'])]],
  ['arg several', 'ARG A=1 B C=3', [arg(['A', '1'], ['B'], ['C', '3'])]],
  ['arg quoted default', 'ARG A="x y"', [arg(['A', '"x y"'])]],
  ['arg empty default', 'ARG A=', [arg(['A', ''])]],
  ['arg reference kept', 'ARG A=$B', [arg(['A', '$B'])]],
  ['arg nothing', 'ARG', err(1, 'ARG requires at least one argument')],
  ['arg blank name', 'ARG =1', err(1, 'ARG names can not be blank')],

  // ---- COPY
  ['copy simple', 'COPY hom* /mydir/', [copy(['hom*'], '/mydir/')]],
  ['copy several', 'COPY a b c /d/', [copy(['a', 'b', 'c'], '/d/')]],
  ['copy relative dest', 'COPY test.txt relativeDir/', [copy(['test.txt'], 'relativeDir/')]],
  ['copy from stage', 'COPY --from=build /out /bin/', [copy(['/out'], '/bin/', { from: 'build' })]],
  ['copy from index', 'COPY --from=0 /a /b', [copy(['/a'], '/b', { from: '0' })]],
  [
    'copy from image',
    'COPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf',
    [copy(['/etc/nginx/nginx.conf'], '/nginx.conf', { from: 'nginx:latest' })],
  ],
  [
    'copy chown chmod',
    'COPY --chown=55:mygroup --chmod=644 files* /somedir/',
    [copy(['files*'], '/somedir/', { chown: '55:mygroup', chmod: '644' })],
  ],
  ['copy link', 'COPY --link /foo /bar', [copy(['/foo'], '/bar', { link: true })]],
  ['copy link false', 'COPY --link=false /foo /bar', [copy(['/foo'], '/bar')]],
  ['copy link TRUE', 'COPY --link=TRUE /foo /bar', [copy(['/foo'], '/bar', { link: true })]],
  ['copy parents', 'COPY --parents ./x/./a.txt /dst/', [copy(['./x/./a.txt'], '/dst/', { parents: true })]],
  [
    'copy exclude repeated',
    'COPY --exclude=*.md --exclude=*.txt . /app',
    [copy(['.'], '/app', { exclude: ['*.md', '*.txt'] })],
  ],
  ['copy exclude quoted', 'COPY --exclude="*.md" . /app', [copy(['.'], '/app', { exclude: ['*.md'] })]],
  ['copy chown quoted with space', 'COPY --chown="a b" x y', [copy(['x'], 'y', { chown: 'a b' })]],
  ['copy json', 'COPY ["a b", "/dst/"]', [copy(['a b'], '/dst/', { json: true })]],
  ['copy quotes are not grouping', 'COPY "a b" /c', [copy(['"a', 'b"'], '/c')]],
  ['copy variables kept', 'COPY $SRC ${DST:-/d}', [copy(['$SRC'], '${DST:-/d}')]],
  [
    'copy one arg',
    'COPY a',
    err(
      1,
      'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    ),
  ],
  ['copy checksum rejected', 'COPY --checksum=sha256:x a b', err(1, 'unknown flag: checksum')],
  ['copy misspelt flag', 'COPY --frm=x a b', err(1, 'unknown flag: frm (did you mean from?)')],
  ['copy flag without value', 'COPY --from a b', err(1, 'missing a value on flag: from')],
  [
    'copy bool flag bad value',
    'COPY --link=maybe a b',
    err(1, 'expecting boolean value for flag link, not: maybe'),
  ],
  ['copy bool flag empty value', 'COPY --link= a b', err(1, 'missing a value on flag: link')],
  ['copy duplicate flag', 'COPY --from=a --from=b x y', err(1, 'duplicate flag specified: from')],

  // ---- ADD
  [
    'add url',
    'ADD https://example.com/big.tar.xz /usr/src/things/',
    [add(['https://example.com/big.tar.xz'], '/usr/src/things/')],
  ],
  [
    'add checksum',
    'ADD --checksum=sha256:24454f830cdd https://mirrors.edge.kernel.org/linux.tar.xz /',
    [add(['https://mirrors.edge.kernel.org/linux.tar.xz'], '/', { checksum: 'sha256:24454f830cdd' })],
  ],
  [
    'add git keep dir',
    'ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit',
    [add(['https://github.com/moby/buildkit.git#v0.10.1'], '/buildkit', { keepGitDir: true })],
  ],
  ['add unpack false', 'ADD --unpack=false a.tar.gz /x/', [add(['a.tar.gz'], '/x/', { unpack: false })]],
  [
    'add chown chmod link exclude',
    'ADD --chown=1:2 --chmod=u+x --link --exclude=*.o src /src',
    [add(['src'], '/src', { chown: '1:2', chmod: 'u+x', link: true, exclude: ['*.o'] })],
  ],
  ['add json', 'ADD ["a", "b", "/c/"]', [add(['a', 'b'], '/c/', { json: true })]],
  ['add from rejected', 'ADD --from=x a b', err(1, 'unknown flag: from')],
  [
    'add one arg',
    'ADD a',
    err(
      1,
      'ADD requires at least two arguments, but only one was provided. Destination could not be determined',
    ),
  ],

  // ---- CMD / ENTRYPOINT / SHELL
  ['cmd exec', 'CMD ["executable","param1","param2"]', [cmd(['executable', 'param1', 'param2'])]],
  ['cmd params', 'CMD ["param1","param2"]', [cmd(['param1', 'param2'])]],
  ['cmd shell', 'CMD echo "This is a test." | wc -', [cmd('echo "This is a test." | wc -')]],
  ['cmd empty', 'CMD', [{ kind: 'CMD', cmdLine: [], prependShell: true }]],
  ['cmd empty json', 'CMD []', [cmd([])]],
  ['entrypoint exec', 'ENTRYPOINT ["top", "-b"]', [entrypoint(['top', '-b'])]],
  ['entrypoint shell', 'ENTRYPOINT exec top -b', [entrypoint('exec top -b')]],
  ['shell json', 'SHELL ["powershell", "-command"]', [shell('powershell', '-command')]],
  [
    'shell bash pipefail',
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    [shell('/bin/bash', '-o', 'pipefail', '-c')],
  ],
  ['shell not json', 'SHELL /bin/bash -c', err(1, 'SHELL requires the arguments to be in JSON form')],
  ['shell empty json', 'SHELL []', err(1, 'SHELL requires at least one argument')],

  // ---- EXPOSE / VOLUME / USER / WORKDIR / STOPSIGNAL / MAINTAINER
  ['expose', 'EXPOSE 80/udp', [expose('80/udp')]],
  ['expose several', 'EXPOSE 80/tcp 80/udp  8000-8010', [expose('80/tcp', '80/udp', '8000-8010')]],
  ['expose sorted as written', 'EXPOSE 8080 443 $PORT 80/udp', [expose('$PORT', '443', '80/udp', '8080')]],
  ['stopsignal flags dropped', 'STOPSIGNAL --x SIGINT', [stopsignal('SIGINT')]],
  ['expose variable kept', 'EXPOSE $PORT', [expose('$PORT')]],
  ['expose nothing', 'EXPOSE', err(1, 'EXPOSE requires at least one argument')],
  ['volume', 'VOLUME /myvol', [volume('/myvol')]],
  ['volume json', 'VOLUME ["/data", "/logs"]', [volume('/data', '/logs')]],
  ['volume list', 'VOLUME /var/log /var/db', [volume('/var/log', '/var/db')]],
  ['volume empty string', 'VOLUME [""]', err(1, 'VOLUME specified can not be an empty string')],
  ['volume nothing', 'VOLUME', err(1, 'VOLUME requires at least one argument')],
  ['user name', 'USER patrick', [user('patrick')]],
  ['user uid gid', 'USER 1000:1000', [user('1000:1000')]],
  ['user whole rest', 'USER a b', [user('a b')]],
  ['user nothing', 'USER', err(1, 'USER requires exactly one argument')],
  ['workdir', 'WORKDIR /path/to/workdir', [workdir('/path/to/workdir')]],
  ['workdir relative', 'WORKDIR b', [workdir('b')]],
  ['workdir with spaces', 'WORKDIR /a b', [workdir('/a b')]],
  ['workdir variables kept', 'WORKDIR $DIRPATH/$DIRNAME', [workdir('$DIRPATH/$DIRNAME')]],
  ['workdir nothing', 'WORKDIR', err(1, 'WORKDIR requires exactly one argument')],
  ['stopsignal name', 'STOPSIGNAL SIGKILL', [stopsignal('SIGKILL')]],
  ['stopsignal number', 'STOPSIGNAL 9', [stopsignal('9')]],
  ['stopsignal nothing', 'STOPSIGNAL', err(1, 'STOPSIGNAL requires exactly one argument')],
  ['maintainer', 'MAINTAINER John Doe <john@example.com>', [maintainer('John Doe <john@example.com>')]],
  ['maintainer nothing', 'MAINTAINER', err(1, 'MAINTAINER requires exactly one argument')],

  // ---- HEALTHCHECK
  ['healthcheck none', 'HEALTHCHECK NONE', [health(['NONE'])]],
  ['healthcheck none lowercase', 'healthcheck none', [health(['NONE'])]],
  [
    'healthcheck shell',
    'HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
    [health(['CMD-SHELL', 'curl -f http://localhost/ || exit 1'])],
  ],
  [
    'healthcheck exec',
    'HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]',
    [health(['CMD', 'curl', '-f', 'http://localhost/'])],
  ],
  [
    'healthcheck options',
    'HEALTHCHECK --interval=5m --timeout=3s CMD curl -f http://localhost/',
    [health(['CMD-SHELL', 'curl -f http://localhost/'], { interval: 300 * S, timeout: 3 * S })],
  ],
  [
    'healthcheck all options',
    'HEALTHCHECK --interval=1m30s --timeout=10s --start-period=1.5s --start-interval=500ms --retries=3 CMD true',
    [
      health(['CMD-SHELL', 'true'], {
        interval: 90 * S,
        timeout: 10 * S,
        startPeriod: 1.5 * S,
        startInterval: 0.5 * S,
        retries: 3,
      }),
    ],
  ],
  ['healthcheck zero interval', 'HEALTHCHECK --interval=0s CMD x', [health(['CMD-SHELL', 'x'])]],
  [
    'healthcheck tiny interval',
    'HEALTHCHECK --interval=1ns CMD x',
    err(1, 'Interval "interval" cannot be less than 1ms'),
  ],
  ['healthcheck bad duration', 'HEALTHCHECK --timeout=abc CMD x', err(1, 'time: invalid duration "abc"')],
  [
    'healthcheck negative retries',
    'HEALTHCHECK --retries=-1 CMD x',
    err(1, '--retries cannot be negative (-1)'),
  ],
  ['healthcheck missing command', 'HEALTHCHECK CMD', err(1, 'Missing command after HEALTHCHECK CMD')],
  ['healthcheck none with args', 'HEALTHCHECK NONE x', err(1, 'HEALTHCHECK NONE takes no arguments')],
  ['healthcheck unknown type', 'HEALTHCHECK RUN x', err(1, 'Unknown type "RUN" in HEALTHCHECK (try CMD)')],
  ['healthcheck nothing', 'HEALTHCHECK', err(1, 'HEALTHCHECK requires at least one argument')],
  ['healthcheck unknown flag', 'HEALTHCHECK --every=1s CMD x', err(1, 'unknown flag: every')],

  // ---- ONBUILD
  ['onbuild add', 'ONBUILD ADD . /app/src', [onbuild('ADD . /app/src')]],
  [
    'onbuild run',
    'ONBUILD RUN /usr/local/bin/python-build --dir /app/src',
    [onbuild('RUN /usr/local/bin/python-build --dir /app/src')],
  ],
  ['onbuild lowercase keeps text', 'onbuild run make', [onbuild('run make')]],
  ['onbuild continuation', 'ONBUILD RUN a \\\n  b', [onbuild('RUN a   b')]],
  [
    'onbuild onbuild',
    'ONBUILD ONBUILD RUN x',
    err(1, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
  ],
  ['onbuild from', 'ONBUILD FROM alpine', err(1, "FROM isn't allowed as an ONBUILD trigger")],
  ['onbuild maintainer', 'ONBUILD MAINTAINER me', err(1, "MAINTAINER isn't allowed as an ONBUILD trigger")],
  ['onbuild nothing', 'ONBUILD', err(1, 'ONBUILD requires at least one argument')],

  // ---- unknown instructions and error lines
  ['unknown with hint', 'COPPY a b', err(1, 'unknown instruction "COPPY" (did you mean COPY?)')],
  ['unknown with hint from', 'FORM alpine', err(1, 'unknown instruction "FORM" (did you mean FROM?)')],
  ['unknown lowercase hint', 'workdri /x', err(1, 'unknown instruction "WORKDRI" (did you mean WORKDIR?)')],
  ['unknown without hint', 'RUN a\nFOO bar', err(2, 'unknown instruction "FOO"')],
  [
    'error line after continuation',
    'RUN a \\\n b\nCOPY x',
    err(
      3,
      'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    ),
  ],
  ['error line after heredoc', 'RUN <<EOF\na\nb\nEOF\nUSER', err(5, 'USER requires exactly one argument')],
  ['error line after comments', '# a\n\n# b\nENV', err(4, 'ENV requires at least one argument')],
  ['continuation line of unknown instruction', 'RUN a \\\n  b \\\nCMDD x', [run('a   b CMDD x')]],
];

test('the corpus has at least 150 snippets', () => {
  assert.ok(CASES.length >= 150, `only ${CASES.length}`);
});

for (const [name, input, expected] of CASES) {
  test(`corpus: ${name}`, () => {
    assert.deepEqual(parseSnippet(input), expected);
  });
}
