import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashKey, isCacheKey, stageRootKey, stepKey } from '../../../src/cache/key.ts';

const settings = { compression: 'gzip', reproducible: false, ignorePaths: [] };
const linux = { os: 'linux', architecture: 'amd64' };

describe('cache keys', () => {
  test('object key order does not matter; values do', () => {
    assert.equal(hashKey({ a: 1, b: [1, 2] }), hashKey({ b: [1, 2], a: 1 }));
    assert.notEqual(hashKey({ a: 1, b: [1, 2] }), hashKey({ a: 1, b: [2, 1] }));
    assert.equal(hashKey({ a: 1, b: undefined }), hashKey({ a: 1 }));
  });

  test('keys are 64 hex characters (a valid tag and file name)', () => {
    const k = stepKey('0'.repeat(64), { kind: 'RUN' }, null);
    assert.ok(isCacheKey(k));
    assert.ok(!isCacheKey('../etc/passwd'));
  });

  test('a stage root depends on the base, platform and layer settings', () => {
    const a = stageRootKey({ image: 'sha256:aa' }, linux, settings);
    assert.equal(a, stageRootKey({ image: 'sha256:aa' }, linux, settings));
    assert.notEqual(a, stageRootKey({ image: 'sha256:bb' }, linux, settings));
    assert.notEqual(a, stageRootKey({ image: 'sha256:aa' }, { ...linux, architecture: 'arm64' }, settings));
    assert.notEqual(a, stageRootKey({ image: 'sha256:aa' }, linux, { ...settings, compression: 'zstd' }));
    assert.notEqual(a, stageRootKey('scratch', linux, settings));
  });

  test('a step key chains on its parent', () => {
    const root = stageRootKey('scratch', linux, settings);
    const one = stepKey(root, { kind: 'RUN', cmdLine: ['true'] }, { env: [] });
    const other = stepKey(
      stageRootKey({ image: 'sha256:aa' }, linux, settings),
      { kind: 'RUN', cmdLine: ['true'] },
      { env: [] },
    );
    assert.notEqual(one, other);
    assert.notEqual(one, stepKey(root, { kind: 'RUN', cmdLine: ['true'] }, { env: ['A=1'] }));
  });
});
