// The wait before a retry: a registry's Retry-After (seconds or an HTTP date) is honoured up to
// its cap; without one the backoff doubles per attempt, capped, with bounded jitter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { retryAfterMs, retryDelayMs } from '../../../src/registry/transport.ts';

describe('retry delays', () => {
  test('Retry-After in seconds or as an HTTP date, in milliseconds', () => {
    assert.equal(retryAfterMs('1'), 1000);
    assert.equal(retryAfterMs(' 30 '), 30_000);
    assert.equal(retryAfterMs('0'), 0);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', now), 5000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now), 0, 'a past date means now');
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
  });

  test("the registry's Retry-After is the wait, whatever the attempt and the base", () => {
    const opts = { retryBaseMs: 5 };
    assert.equal(retryDelayMs(0, 1000, opts), 1000);
    assert.equal(retryDelayMs(3, 1000, opts), 1000);
    assert.equal(retryDelayMs(0, 0, { retryBaseMs: 500 }), 0, 'Retry-After: 0 retries at once');
  });

  test('a long Retry-After is capped at maxRetryAfterMs (default 60 s)', () => {
    assert.equal(retryDelayMs(0, 3_600_000, {}), 60_000);
    assert.equal(retryDelayMs(0, 3_600_000, { maxRetryAfterMs: 2000 }), 2000);
    assert.equal(retryDelayMs(0, 1500, { maxRetryAfterMs: 2000 }), 1500);
  });

  test('without Retry-After: base doubled per attempt, ±25% jitter, capped at 10 s', () => {
    const low = () => 0;
    const high = () => 1;
    const opts = { retryBaseMs: 100 };
    assert.equal(retryDelayMs(0, undefined, opts, low), 75);
    assert.equal(retryDelayMs(0, undefined, opts, high), 125);
    assert.equal(retryDelayMs(3, undefined, opts, low), 600);
    assert.equal(retryDelayMs(3, undefined, opts, high), 1000);
    assert.equal(retryDelayMs(20, undefined, opts, high), 12_500, 'the 10 s cap, plus jitter');
    assert.equal(
      retryDelayMs(1, undefined, {}, () => 0.5),
      1000,
      'default base 500 ms',
    );
  });
});
