import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CacheSpecError, parseCacheSpec } from '../../../src/cache/spec.ts';

describe('--cache-from / --cache-to', () => {
  test('registry and local forms', () => {
    assert.deepEqual(parseCacheSpec('type=registry,ref=r.io/a/cache,mode=max', 'to'), {
      type: 'registry',
      ref: 'r.io/a/cache',
      mode: 'max',
    });
    assert.deepEqual(parseCacheSpec('r.io/a/cache', 'from'), {
      type: 'registry',
      ref: 'r.io/a/cache',
      mode: 'min',
    });
    assert.deepEqual(parseCacheSpec('type=local,src=/c', 'from'), { type: 'local', dir: '/c', mode: 'min' });
    assert.deepEqual(parseCacheSpec('type=local,dest=/c,mode=max', 'to'), {
      type: 'local',
      dir: '/c',
      mode: 'max',
    });
  });

  test('errors name the flag', () => {
    assert.throws(() => parseCacheSpec('type=local,dest=/c', 'from'), /--cache-from .*src=/);
    assert.throws(() => parseCacheSpec('type=gha', 'to'), CacheSpecError);
    assert.throws(() => parseCacheSpec('type=registry,ref=x,mode=all', 'to'), /mode must be min or max/);
  });
});
