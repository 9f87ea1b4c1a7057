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

describe('--cache-from / --cache-to on the command line', () => {
  test('a bad value is a usage error', async () => {
    const { parseFlags, UsageError } = await import('../../../src/cli/flags.ts');
    const { toBuildOptions } = await import('../../../src/cli/options.ts');
    assert.throws(() => toBuildOptions(parseFlags(['--no-push', '--cache-to', 'type=gha'])), UsageError);
    const ok = toBuildOptions(parseFlags(['--no-push', '--cache-from', 'type=local,src=/c', '--no-cache']));
    assert.deepEqual(ok.cache.from, ['type=local,src=/c']);
    assert.equal(ok.cache.noCache, true);
  });
});
