import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidReferenceError } from '../../../src/registry/errors.ts';
import { parseReference } from '../../../src/registry/reference.ts';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  const cases: Array<[string, string, string, string | undefined, string | undefined]> = [
    ['busybox', 'index.docker.io', 'library/busybox', 'latest', undefined],
    ['docker.io/library/busybox:1.36', 'index.docker.io', 'library/busybox', '1.36', undefined],
    ['user/app', 'index.docker.io', 'user/app', 'latest', undefined],
    ['localhost/app', 'localhost', 'app', 'latest', undefined],
    ['localhost:5000/a/b/c:v1', 'localhost:5000', 'a/b/c', 'v1', undefined],
    ['127.0.0.1:5000/x', '127.0.0.1:5000', 'x', 'latest', undefined],
    ['gcr.io/proj/img@' + D, 'gcr.io', 'proj/img', undefined, D],
    ['gcr.io/proj/img:t@' + D, 'gcr.io', 'proj/img', 't', D],
    ['registry-1.docker.io/x/y', 'index.docker.io', 'x/y', 'latest', undefined],
    ['[::1]:5000/img', '[::1]:5000', 'img', 'latest', undefined],
    ['a__b/c-d.e_f', 'index.docker.io', 'a__b/c-d.e_f', 'latest', undefined],
  ];
  for (const [input, registry, repository, tag, digest] of cases) {
    test(input, () => {
      const r = parseReference(input);
      assert.equal(r.registry, registry);
      assert.equal(r.repository, repository);
      assert.equal(r.tag, tag);
      assert.equal(r.digest, digest);
      assert.equal(r.name, `${registry}/${repository}`);
      assert.equal(r.identifier, digest ?? tag);
    });
  }

  test('toString is canonical and parses back to itself', () => {
    for (const [input] of cases) {
      const r = parseReference(input);
      assert.equal(parseReference(r.toString()).toString(), r.toString());
    }
    assert.equal(parseReference('busybox').toString(), 'index.docker.io/library/busybox:latest');
  });

  test('defaultRegistry applies to names without a host', () => {
    const r = parseReference('app:1', { defaultRegistry: 'mirror.local:5000' });
    assert.equal(r.name, 'mirror.local:5000/app');
    assert.equal(parseReference('other.io/app', { defaultRegistry: 'x.io' }).registry, 'other.io');
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['host.io/Upper/case', /must be lowercase/],
    ['app@sha256:abc', /64 lowercase hex/],
    ['app@md5:' + 'a'.repeat(32), /unsupported digest algorithm/],
    ['app:bad!tag', /invalid tag/],
    ['host.io//x', /empty path component/],
    ['host.io/a-/b', /invalid repository path component "a-"/],
    ['a b', /whitespace/],
    ['host.io:port/x', /invalid registry host/],
  ];
  for (const [input, why] of bad) {
    test(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseReference(input),
        (e: unknown) =>
          e instanceof InvalidReferenceError && why.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});
