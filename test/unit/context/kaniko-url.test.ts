// kaniko's --context syntax and the --git flag, parsed without I/O.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContextError } from '../../../src/build/errors.ts';
import {
  isCommitHash,
  parseContext,
  parseGitOptions,
  redactContext,
} from '../../../src/context/kaniko-url.ts';

const HASH = '0123456789abcdef0123456789abcdef01234567';

describe('parseContext', () => {
  test('directories: plain paths (relative or absolute) and dir://', () => {
    assert.deepEqual(parseContext('/workspace/'), { kind: 'dir', path: '/workspace/' });
    assert.deepEqual(parseContext('.'), { kind: 'dir', path: '.' });
    assert.deepEqual(parseContext('dir:///src/app'), { kind: 'dir', path: '/src/app' });
    assert.deepEqual(parseContext('dir://relative/app'), { kind: 'dir', path: 'relative/app' });
  });

  test('tar:// files and tar://stdin', () => {
    assert.deepEqual(parseContext('tar:///tmp/ctx.tar.gz'), { kind: 'tar', path: '/tmp/ctx.tar.gz' });
    assert.deepEqual(parseContext('tar://ctx.tar.gz'), { kind: 'tar', path: 'ctx.tar.gz' });
    assert.deepEqual(parseContext('tar://stdin'), { kind: 'stdin' });
  });

  test('git://: GIT_PULL_METHOD picks the transport (https by default, as kaniko)', () => {
    assert.deepEqual(parseContext('git://github.com/org/repo.git', {}), {
      kind: 'git',
      url: 'https://github.com/org/repo.git',
    });
    assert.deepEqual(parseContext('git://h:8080/r.git#refs/heads/dev', { GIT_PULL_METHOD: 'http' }), {
      kind: 'git',
      url: 'http://h:8080/r.git',
      ref: 'refs/heads/dev',
    });
    assert.equal(
      (parseContext('git://h/r.git', { GIT_PULL_METHOD: 'git' }) as { url: string }).url,
      'git://h/r.git',
    );
    // An unsupported method falls back to https, as kaniko does.
    assert.equal(
      (parseContext('git://h/r.git', { GIT_PULL_METHOD: 'ssh' }) as { url: string }).url,
      'https://h/r.git',
    );
  });

  test('git refs and commits after #', () => {
    assert.deepEqual(parseContext(`git://h/r.git#refs/pull/12/head#${HASH}`, {}), {
      kind: 'git',
      url: 'https://h/r.git',
      ref: 'refs/pull/12/head',
      commit: HASH,
    });
    assert.deepEqual(parseContext(`git://h/r.git#${HASH}`, {}), {
      kind: 'git',
      url: 'https://h/r.git',
      ref: HASH,
    });
    assert.throws(() => parseContext('git://h/r.git#refs/heads/x#not-a-hash', {}), ContextError);
    assert.throws(() => parseContext('git://h/r.git#a#b#c', {}), /at most two # parts/);
  });

  test('https URLs ending in .git are git; credentials move out of the URL', () => {
    assert.deepEqual(parseContext('https://user:tok@git.example/org/repo.git#refs/tags/v1'), {
      kind: 'git',
      url: 'https://git.example/org/repo.git',
      userinfo: { username: 'user', password: 'tok' },
      ref: 'refs/tags/v1',
    });
  });

  test('Azure Blob hosts of every cloud kaniko knows; other https URLs are tarballs', () => {
    assert.deepEqual(parseContext('https://acct.blob.core.windows.net/ctr/dir/ctx.tar.gz'), {
      kind: 'azure',
      url: 'https://acct.blob.core.windows.net/ctr/dir/ctx.tar.gz',
      account: 'acct',
      container: 'ctr',
      blob: 'dir/ctx.tar.gz',
    });
    for (const suffix of ['chinacloudapi.cn', 'cloudapi.de', 'usgovcloudapi.net'])
      assert.equal(parseContext(`https://a.blob.core.${suffix}/c/b.tgz`).kind, 'azure');
    assert.throws(() => parseContext('https://acct.blob.core.windows.net/only-container'), /CONTAINER\/BLOB/);
    // A shared access signature stays with the blob; a blob named *.git is still a blob.
    assert.equal(
      (parseContext('https://acct.blob.core.windows.net/c/ctx.tgz?sv=2024&sig=abc') as { sas?: string }).sas,
      '?sv=2024&sig=abc',
    );
    assert.equal(parseContext('https://acct.blob.core.windows.net/c/repo.git').kind, 'azure');
    assert.deepEqual(parseContext('https://example.com/ctx.tar.gz?sig=1'), {
      kind: 'https',
      url: 'https://example.com/ctx.tar.gz?sig=1',
    });
    assert.throws(() => parseContext('https://example.com/ctx.tar.gz#frag'), /only for git URLs/);
  });

  test('buckets: gs:// and s3://, context.tar.gz when no object is named', () => {
    assert.deepEqual(parseContext('gs://bucket/path/ctx.tar.gz'), {
      kind: 'gcs',
      bucket: 'bucket',
      object: 'path/ctx.tar.gz',
    });
    assert.deepEqual(parseContext('gs://bucket'), {
      kind: 'gcs',
      bucket: 'bucket',
      object: 'context.tar.gz',
    });
    assert.deepEqual(parseContext('s3://bucket/'), { kind: 's3', bucket: 'bucket', key: 'context.tar.gz' });
    assert.deepEqual(parseContext('s3://b/a%20b.tgz'), { kind: 's3', bucket: 'b', key: 'a b.tgz' });
  });

  test('unknown schemes are context errors naming the context, without credentials', () => {
    assert.throws(
      () => parseContext('ftp://u:secret@host/x.tgz'),
      (e: Error) => {
        assert.ok(e instanceof ContextError);
        assert.equal(e.message.includes('secret'), false);
        assert.match(e.message, /^context ftp:\/\/\*\*\*@host\/x\.tgz: unknown scheme ftp:\/\//);
        return true;
      },
    );
    assert.throws(() => parseContext('http://example.com/ctx.tar.gz'), /unknown scheme http:\/\//);
  });
});

describe('--git options', () => {
  test('defaults, every key, kaniko booleans', () => {
    assert.deepEqual(parseGitOptions(undefined), {
      singleBranch: false,
      recurseSubmodules: false,
      insecureSkipTLS: false,
    });
    assert.deepEqual(
      parseGitOptions('branch=dev,single-branch=true,recurse-submodules=TRUE,insecure-skip-tls=1'),
      {
        branch: 'dev',
        singleBranch: true,
        recurseSubmodules: true,
        insecureSkipTLS: true,
      },
    );
    assert.throws(() => parseGitOptions('depth=1'), /unknown option/);
    assert.throws(() => parseGitOptions('single-branch=maybe'), /not true or false/);
    assert.throws(() => parseGitOptions('branch'), /key=value/);
  });
});

test('redactContext and isCommitHash', () => {
  assert.equal(redactContext('https://a:b@h/x'), 'https://***@h/x');
  // Presigned URLs and SAS tokens carry their signatures in the query.
  assert.equal(redactContext('https://h/ctx.tgz?X-Amz-Signature=abc&b=c'), 'https://h/ctx.tgz?***');
  assert.equal(redactContext('git://h/r.git?x=1#refs/heads/a'), 'git://h/r.git?***#refs/heads/a');
  assert.equal(redactContext('https://h/x@y'), 'https://h/x@y');
  assert.equal(redactContext('/plain/path'), '/plain/path');
  assert.ok(isCommitHash(HASH));
  assert.ok(!isCommitHash('refs/heads/main'));
});
