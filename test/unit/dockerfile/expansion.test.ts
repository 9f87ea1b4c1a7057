// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile text is full of ${...} on purpose
// Word expansion: cases from the Dockerfile reference ("Environment replacement") and the POSIX shell
// rules BuildKit's lexer follows, expectations written by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpansionError, expandWord, expandWords, lex } from '../../../src/dockerfile/index.ts';

const env: Record<string, string> = {
  PWD: '/home',
  SHELL: 'bash',
  KOREAN: '한국어',
  NULL: '',
  string: 'foobarbaz',
  str: 'foobarbaz',
  SPACED: 'a  b\tc',
  path: '/usr/local/lib/app.tar.gz',
};
const lookup = (n: string) => (Object.hasOwn(env, n) ? env[n] : undefined);

const ERR = Symbol('error');

// input -> expected single word (ProcessWord), or ERR
const WORD_CASES: Array<[string, string | typeof ERR]> = [
  ['hello', 'hello'],
  ["he'll'o", 'hello'],
  ["he'llo", ERR],
  ["he\\'llo", "he'llo"],
  ["he\\\\'llo", ERR],
  ['abc\\tdef', 'abctdef'],
  ['"abc\\tdef"', 'abc\\tdef'],
  ['"abc\\\\tdef"', 'abc\\tdef'],
  ["'abc\\tdef'", 'abc\\tdef'],
  ['hello\\', 'hello'],
  ['hello\\\\', 'hello\\'],
  ['"hello', ERR],
  ['"hello\\"', ERR],
  ['"hel\'lo"', "hel'lo"],
  ["'hello", ERR],
  ["'hello\\'", 'hello\\'],
  ["'hello\\there'", 'hello\\there'],
  ['"\'\'"', "''"],
  ['$.', '$.'],
  ['he$1x', 'hex'],
  ['he$.x', 'he$.x'],
  ['he$pwd.', 'he.'],
  ['he$PWD', 'he/home'],
  ['he\\$PWD', 'he$PWD'],
  ['he\\\\$PWD', 'he\\/home'],
  ['"he\\$PWD"', 'he$PWD'],
  ['"he\\\\$PWD"', 'he\\/home'],
  ["'he\\$PWD'", 'he\\$PWD'],
  ['\\${}', '${}'],
  ['\\${}aaa', '${}aaa'],
  ['he\\${}xx', 'he${}xx'],
  ['${}', ERR],
  ['he${}xx', ERR],
  ['he${hi}', 'he'],
  ['he${hi}xx', 'hexx'],
  ['he${PWD}', 'he/home'],
  ['he${.}', ERR],
  // ${v:-word} / ${v-word}
  ['he${XXX:-000}xx', 'he000xx'],
  ['he${PWD:-000}xx', 'he/homexx'],
  ['he${XXX:-$PWD}xx', 'he/homexx'],
  ['he${XXX:-${PWD:-yyy}}xx', 'he/homexx'],
  ['he${XXX:-${YYY:-yyy}}xx', 'heyyyxx'],
  ['he${NULL:-000}xx', 'he000xx'],
  ['he${XXX-000}xx', 'he000xx'],
  ['he${NULL-000}xx', 'hexx'],
  ['${XXX:-\\$PWD:}xx', '$PWD:xx'],
  ['${XXX:-\\$PWD}xx', '$PWDxx'],
  ['${XXX:-\\${PWD}z}xx', '${PWDz}xx'],
  ['${aaa:-bbb}', 'bbb'],
  ['${aaa:-${bbb:-ccc}}', 'ccc'],
  ['${aaa:-bbb ${foo}', ERR],
  ['${aaa:-bbb {foo}', 'bbb {foo'],
  ['${XXX:-"a b"}', 'a b'],
  // ${v:+word} / ${v+word}
  ['he${XXX:+${PWD}}xx', 'hexx'],
  ['he${PWD:+${XXX}}xx', 'hexx'],
  ['he${PWD:+${SHELL}}xx', 'hebashxx'],
  ['he${XXX:+000}xx', 'hexx'],
  ['he${PWD:+000}xx', 'he000xx'],
  ['he${NULL:+000}xx', 'hexx'],
  ['he${PWD+000}xx', 'he000xx'],
  ['he${XXX+000}xx', 'hexx'],
  ['he${NULL+000}xx', 'he000xx'],
  // ${v:?msg} / ${v?msg}
  ['he${XXX:YYY}', ERR],
  ['he${XXX?}', ERR],
  ['he${XXX:?}', ERR],
  ['he${PWD?}', 'he/home'],
  ['he${PWD:?}', 'he/home'],
  ['he${NULL?}', 'he'],
  ['he${NULL:?}', ERR],
  // unsupported forms
  ['he${PWD=000}xx', ERR],
  ['he${PWD:=000}xx', ERR],
  ['he${PWD', ERR],
  ['${{aaa}', ERR],
  ['${aaa}}', '}'],
  ['${aaa', ERR],
  ['${{aaa}}', ERR],
  ['${aaa}}}', '}}'],
  ['${:}', ERR],
  ['${:-bbb}', ERR],
  ['${:+bbb}', ERR],
  // quotes
  ["'he${XX}'", 'he${XX}'],
  ['"he${PWD}"', 'he/home'],
  ['"he\'$PWD\'"', "he'/home'"],
  ['"$PWD"', '/home'],
  ["'$PWD'", '$PWD'],
  ["'\\$PWD'", '\\$PWD'],
  ['\'"hello"\'', '"hello"'],
  ['$KOREAN', '한국어'],
  ['안녕$KOREAN', '안녕한국어'],
  // pattern removal (Dockerfile reference examples use string=foobarbaz)
  ['${str#f*b}', 'arbaz'],
  ['${str##f*b}', 'az'],
  ['${string%b*}', 'foobar'],
  ['${string%%b*}', 'foo'],
  ['${string/ba/fo}', 'fooforbaz'],
  ['${string//ba/fo}', 'fooforfoz'],
  ['${path#*/}', 'usr/local/lib/app.tar.gz'],
  ['${path##*/}', 'app.tar.gz'],
  ['${path%.*}', '/usr/local/lib/app.tar'],
  ['${path%%.*}', '/usr/local/lib/app'],
  ['${path%/*}', '/usr/local/lib'],
  ['${string#x}', 'foobarbaz'],
  ['${string%x}', 'foobarbaz'],
  ['${string#foo?}', 'arbaz'],
  ['${string%?az}', 'foobar'],
  ['${XXX#foo}', ''],
  ['${string/x/y}', 'foobarbaz'],
  ['${string/b*/X}', 'fooX'],
  ['${string//[a]/X}', 'foobarbaz'],
  ['${string/o/}', 'fobarbaz'],
  ['${string/o}', ERR],
  ['${string#\\q}', ERR],
  ['${string/$NULL/X}', 'Xfoobarbaz'],
];

for (const [input, expected] of WORD_CASES) {
  test(`expandWord ${input}`, () => {
    if (expected === ERR) {
      assert.throws(() => expandWord(input, lookup), ExpansionError);
    } else {
      assert.equal(expandWord(input, lookup), expected);
    }
  });
}

// input -> fields after splitting (ProcessWords)
const WORDS_CASES: Array<[string, string[]]> = [
  ['hello', ['hello']],
  ['hello world', ['hello', 'world']],
  ['  hello   world  ', ['hello', 'world']],
  ['"hello world"', ['hello world']],
  ["'hello world'", ['hello world']],
  ['hello\\ world', ['hello world']],
  ['$SPACED', ['a', 'b', 'c']],
  ['"$SPACED"', ['a  b\tc']],
  ['x$SPACED', ['xa', 'b', 'c']],
  ['$NULL', []],
  ['""', []],
  ['a "" b', ['a', 'b']],
  ['80 443', ['80', '443']],
  ['${XXX:-8080} 9090', ['8080', '9090']],
  // BuildKit splits the result of any ${...} expansion, even text quoted inside the braces
  ['${XXX:-"80 81"}', ['80', '81']],
  ['${XXX:-80 81}', ['80', '81']],
];

for (const [input, expected] of WORDS_CASES) {
  test(`expandWords ${input}`, () => {
    assert.deepEqual(expandWords(input, lookup), expected);
  });
}

test('${v:?msg} and ${v?msg} errors carry the message', () => {
  assert.throws(() => expandWord('${XXX:?must be set}', lookup), /XXX: must be set/);
  assert.throws(() => expandWord('${NULL:?}', lookup), /NULL: is not allowed to be empty/);
  assert.throws(() => expandWord('${XXX?}', lookup), /XXX: is not allowed to be unset/);
  assert.throws(() => expandWord('${XXX', lookup), /failed to process "\$\{XXX": syntax error: missing '}'/);
});

test('an unsupported modifier that is a control character (a heredoc line break) stays on one line', () => {
  assert.throws(
    () => expandWord('${A\nrest', lookup),
    (e: Error) => e.message === 'failed to process "${A\\nrest": unsupported modifier (\\n) in substitution',
  );
});

test('the escape directive changes the escape character', () => {
  assert.equal(expandWord('a`$PWD', lookup, { escapeToken: '`' }), 'a$PWD');
  assert.equal(expandWord('C:\\path\\$PWD', lookup, { escapeToken: '`' }), 'C:\\path\\/home');
  assert.equal(expandWord('"a`"b"', lookup, { escapeToken: '`' }), 'a"b');
});

test('skipUnsetEnv leaves unset references as written', () => {
  const o = { skipUnsetEnv: true };
  assert.equal(expandWord('$PWD $XXX ${YYY} ${ZZZ:-d}', lookup, o), '/home $XXX ${YYY} ${ZZZ:-d}');
});

test('rawQuotes and rawEscapes keep quoting characters', () => {
  assert.equal(expandWord('"a b"\\ c', lookup, { rawQuotes: true, rawEscapes: true }), '"a b"\\ c');
});

test('skipProcessQuotes treats quotes as text (heredoc bodies)', () => {
  assert.equal(
    expandWord('echo "$PWD" \'$SHELL\'', lookup, { skipProcessQuotes: true }),
    'echo "/home" \'bash\'',
  );
});

test('lex reports what it looked up', () => {
  const r = lex('$PWD ${XXX:-1} ${NULL}', lookup);
  assert.deepEqual([...r.matched].sort(), ['NULL', 'PWD']);
  assert.deepEqual([...r.unmatched], ['XXX']);
});

test('special parameters and positional names are names, not text', () => {
  assert.equal(expandWord('a$@b', lookup), 'ab');
  assert.equal(expandWord('a$12b', lookup), 'ab');
  assert.equal(expandWord('$', lookup), '$');
  assert.equal(expandWord('a$ b', lookup), 'a$ b');
});

test('replacement text is not interpreted as a regular expression replacement', () => {
  assert.equal(
    expandWord('${string/foo/$$&}', (n) => (n === 'string' ? 'foobar' : n === '$' ? '' : undefined)),
    '&bar',
  );
  assert.equal(
    expandWord('${string/o.b/X}', (n) => (n === 'string' ? 'foobar o.b' : undefined)),
    'foobar X',
  );
});
