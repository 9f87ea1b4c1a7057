import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseChmod } from '../../../src/fs/chmod.ts';
import { CopyError } from '../../../src/fs/errors.ts';
import { goMatch } from '../../../src/fs/match.ts';

// Cases from the table of Go's path/filepath match_test.go semantics (re-expressed, not copied).
const cases: Array<[string, string, boolean]> = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abe', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a?b', 'a/b', false],
  ['a[^a]b', 'a☺b', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['*x', 'xxx', true],
];

describe('goMatch', () => {
  for (const [p, s, want] of cases) test(`${p} ~ ${s} → ${want}`, () => assert.equal(goMatch(p, s), want));
  test('malformed patterns are errors', () => {
    assert.throws(() => goMatch('[', 'a'), CopyError);
    assert.throws(() => goMatch('a\\', 'a'), CopyError);
    assert.throws(() => goMatch('[a-', 'a'), CopyError);
  });
});

describe('parseChmod', () => {
  test('octal', () => assert.equal(parseChmod('0755')(0o600, false), 0o755));
  test('symbolic with X only on directories and already-executable files', () => {
    const f = parseChmod('u=rwX,go=rX');
    assert.equal(f(0o600, false), 0o644);
    assert.equal(f(0o700, false), 0o755);
    assert.equal(f(0o700, true), 0o755);
  });
  test('+ and - clauses, a by default', () => {
    assert.equal(parseChmod('+x')(0o644, false), 0o755);
    assert.equal(parseChmod('go-rwx')(0o755, false), 0o700);
  });
  test('garbage is a CopyError', () => assert.throws(() => parseChmod('rwx'), CopyError));
});
