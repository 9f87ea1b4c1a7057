// .dockerignore: moby's pattern rules (Go filepath.Match syntax, **, ! exceptions, parents match,
// leading / and ./ cleaned), the skip-a-directory question, and which ignore file is loaded.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  cleanPath,
  IgnoreMatcher,
  loadDockerignore,
  readDockerignore,
} from '../../../src/dockerfile/index.ts';

const matches = (patterns: string[], file: string) =>
  new IgnoreMatcher(readDockerignore(patterns.join('\n'))).matches(file);

// [pattern, path, ignored] — single patterns, per moby/patternmatcher's documented behaviour
const SINGLE: Array<[string, string, boolean]> = [
  ['**', 'file', true],
  ['**', 'dir/file', true],
  ['**/', 'dir/file', true],
  ['**/**', 'dir/file', true],
  ['dir/**', 'dir/file', true],
  ['dir/**', 'dir/dir2/file', true],
  ['dir/**', 'dir', false],
  ['**/dir', 'dir', true],
  ['**/dir', 'dir/file', true],
  ['**/dir2/*', 'dir/dir2/file', true],
  ['**/dir2/**', 'dir/dir2/dir3/file', true],
  ['**file', 'file', true],
  ['**file', 'dir/file', true],
  ['**/file', 'dir/file', true],
  ['**file', 'dir/dir/file', true],
  ['**/file*', 'dir/dir/file.txt', true],
  ['**/file*txt', 'dir/dir/file.txt', true],
  ['**/file*.txt*', 'dir/dir/file.txt', true],
  ['**/**/*.txt', 'dir/dir/file.txt', true],
  ['**/**/*.txt2', 'dir/dir/file.txt', false],
  ['**/*.txt', 'file.txt', true],
  ['**/**/*.txt', 'file.txt', true],
  ['a**/*.txt', 'a/file.txt', true],
  ['a**/*.txt', 'a/dir/file.txt', true],
  ['a**/*.txt', 'a/dir/dir/file.txt', true],
  ['a/*.txt', 'a/dir/file.txt', false],
  ['a/*.txt', 'a/file.txt', true],
  ['a/*.txt**', 'a/file.txt', true],
  ['a[b-d]e', 'ae', false],
  ['a[b-d]e', 'ace', true],
  ['a[b-d]e', 'aae', false],
  ['a[^b-d]e', 'aze', true],
  ['.*', '.foo', true],
  ['.*', 'foo', false],
  ['abc.def', 'abcdef', false],
  ['abc.def', 'abc.def', true],
  ['abc.def', 'abcZdef', false],
  ['abc?def', 'abcZdef', true],
  ['abc?def', 'abcdef', false],
  ['abc?def', 'abc/def', false],
  ['a\\\\', 'a\\', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'axb', false],
  ['**/foo/bar', 'foo/bar', true],
  ['**/foo/bar', 'dir/foo/bar', true],
  ['**/foo/bar', 'dir/dir2/foo/bar', true],
  ['abc/**', 'abc/def/ghi', true],
  ['**/.foo', '.foo', true],
  ['**/.foo', 'bar.foo', false],
  ['a(b)c/def', 'a(b)c/def', true],
  ['a(b)c/def', 'a(b)c/xyz', false],
  ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
  ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
  // Dockerfile reference examples
  ['*/temp*', 'somedir/temporary.txt', true],
  ['*/temp*', 'somedir/temp', true],
  ['*/temp*', 'temp', false],
  ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
  ['temp?', 'tempa', true],
  ['temp?', 'temp', false],
  // a directory pattern covers everything below it
  ['node_modules', 'node_modules/x/y.js', true],
  ['node_modules', 'src/node_modules', false],
  ['*.md', 'docs/a.md', false],
  // leading / and ./ and trailing / are cleaned away
  ['/secret', 'secret', true],
  ['./secret', 'secret/key', true],
  ['build/', 'build/out.o', true],
  ['a/../b', 'b', true],
  ['  spaced  ', 'spaced', true],
];

for (const [pattern, file, want] of SINGLE) {
  test(`pattern ${JSON.stringify(pattern)} ${want ? 'ignores' : 'keeps'} ${file}`, () => {
    assert.equal(matches([pattern], file), want);
  });
}

test('exceptions: the last matching line wins (Dockerfile reference)', () => {
  assert.equal(matches(['*.md', '!README.md'], 'README.md'), false);
  assert.equal(matches(['*.md', '!README.md'], 'CHANGES.md'), true);
  assert.equal(matches(['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md'), false);
  assert.equal(matches(['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md'), true);
  assert.equal(matches(['docs', '!docs/keep.md'], 'docs/keep.md'), false);
  assert.equal(matches(['docs', '!docs/keep.md'], 'docs/other.md'), true);
  assert.equal(matches(['**', '!src/**', 'src/**/*.test.ts'], 'src/a/b.test.ts'), true);
  assert.equal(matches(['**', '!src/**', 'src/**/*.test.ts'], 'src/a/b.ts'), false);
});

test('reading: comments only in column 1, blanks skipped, paths cleaned, ! kept', () => {
  const text =
    'test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n  # indented is a pattern\r\n./x/\n';
  assert.deepEqual(readDockerignore(text), [
    'test1',
    'test2',
    'a/file/here',
    'lastfile',
    '!inverted/abs/path',
    '# indented is a pattern',
    'x',
  ]);
  assert.deepEqual(readDockerignore('\ufeff*.log\n'), ['*.log']);
});

test('malformed patterns are errors', () => {
  assert.throws(() => new IgnoreMatcher(['!']), /illegal exclusion pattern/);
  assert.throws(() => new IgnoreMatcher(['a[']), /syntax error in pattern/);
  assert.throws(() => new IgnoreMatcher(['a[]']), /syntax error in pattern/);
  assert.throws(() => new IgnoreMatcher(['a\\']), /syntax error in pattern/);
  assert.throws(() => new IgnoreMatcher(['[z-a]']), /syntax error in pattern/);
});

test('canSkipDir: only when the directory is ignored and no exception can reach inside', () => {
  const m = (p: string[]) => new IgnoreMatcher(p);
  assert.equal(m(['node_modules']).canSkipDir('node_modules'), true);
  assert.equal(m(['node_modules', '!node_modules/keep']).canSkipDir('node_modules'), false);
  assert.equal(m(['build', '!*/keep']).canSkipDir('build'), false);
  assert.equal(m(['build', '!other/keep']).canSkipDir('build'), true);
  assert.equal(m(['build', '!**/keep']).canSkipDir('build'), false);
  assert.equal(m(['build', '!build']).canSkipDir('build'), false);
  assert.equal(m(['a/b', '!a/c/d']).canSkipDir('a/b'), true);
  assert.equal(m(['a/b', '!a/b?/d']).canSkipDir('a/b'), true);
  assert.equal(m(['a', '!a/b?/d']).canSkipDir('a'), false);
  assert.equal(m(['*.md']).canSkipDir('src'), false);
});

test('cleanPath is Go path.Clean', () => {
  assert.equal(cleanPath(''), '.');
  assert.equal(cleanPath('./a//b/'), 'a/b');
  assert.equal(cleanPath('/../a'), '/a');
  assert.equal(cleanPath('../a/..'), '..');
  assert.equal(cleanPath('a/./b/../../..'), '..');
});

test('loadDockerignore: <Dockerfile>.dockerignore beside a named Dockerfile wins over the root one', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kaniko-ts-dockerignore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'docker'));
  await writeFile(path.join(dir, '.dockerignore'), 'root-only\n');
  await writeFile(path.join(dir, 'docker', 'app.Dockerfile'), 'FROM scratch\n');
  await writeFile(path.join(dir, 'docker', 'app.Dockerfile.dockerignore'), '*\n!src\n');

  const specific = await loadDockerignore(dir, 'docker/app.Dockerfile');
  assert.equal(specific.path, path.join(dir, 'docker', 'app.Dockerfile.dockerignore'));
  assert.deepEqual(specific.patterns, ['*', '!src']);
  assert.equal(specific.matcher.matches('src/a.ts'), false);
  assert.equal(specific.matcher.matches('root-only'), true);

  const other = await loadDockerignore(dir, 'Dockerfile');
  assert.equal(other.path, path.join(dir, '.dockerignore'));
  assert.equal(other.matcher.matches('root-only'), true);

  const abs = await loadDockerignore(dir, path.join(dir, 'docker', 'app.Dockerfile'));
  assert.equal(abs.path, path.join(dir, 'docker', 'app.Dockerfile.dockerignore'));

  await rm(path.join(dir, '.dockerignore'));
  const none = await loadDockerignore(dir);
  assert.equal(none.path, undefined);
  assert.equal(none.matcher.matches('anything'), false);

  await writeFile(path.join(dir, '.dockerignore'), 'ok\n\nbad[\n');
  await assert.rejects(loadDockerignore(dir), (e: Error) =>
    e.message.startsWith(`${path.join(dir, '.dockerignore')}:3: `),
  );
});
