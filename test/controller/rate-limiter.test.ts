import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BucketRateLimiter } from '../../src/controller/bucket-rate-limiter.ts';
import {
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from '../../src/controller/rate-limiter.ts';
import { FakeClock } from '../../src/api/clock.ts';

void describe('rate limiters', () => {
  void it('backs an item off exponentially from 5 ms, reaching 655.36 s at the 18th failure and 1000 s from the 19th', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    const delays = Array.from({ length: 25 }, () => limiter.when('a'));
    assert.deepEqual(delays.slice(0, 4), [5, 10, 20, 40]);
    assert.equal(delays[17], 655_360);
    assert.equal(delays[18], 1_000_000);
    assert.equal(delays[24], 1_000_000);
    assert.equal(limiter.numRequeues('a'), 25);
    assert.equal(limiter.when('b'), 5, 'each item has its own history');
  });

  void it('starts an item over at the base delay once it is forgotten', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(1, 1000);
    limiter.when('a');
    limiter.when('a');
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0);
    assert.equal(limiter.when('a'), 1);
  });

  void it('lets a full bucket of 100 through at once, then spaces calls at 10 per second as a growing deficit', () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 100, clock);
    const delays = Array.from({ length: 150 }, (_, i) => bucket.when(`item-${i}`));
    assert.ok(delays.slice(0, 100).every((d) => d === 0));
    assert.equal(delays[100], 100);
    assert.equal(delays[149], 5000);
    assert.equal(bucket.numRequeues('item-0'), 0, 'the bucket keeps no per-item history');
  });

  void it('refills the bucket with time, never beyond its burst', async () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 2, clock);
    assert.deepEqual([bucket.when('a'), bucket.when('a'), bucket.when('a')], [0, 0, 100]);
    await clock.advance(100);
    assert.equal(bucket.when('a'), 100, 'the refill paid the deficit back; this call is the next one to wait');
    await clock.advance(60_000);
    assert.deepEqual([bucket.when('a'), bucket.when('a'), bucket.when('a')], [0, 0, 100]);
  });

  void it('takes the longest delay of its limiters, spends a token on every call, and forgets in all of them', () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 2, clock);
    const both = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 1000), bucket);
    assert.deepEqual([both.when('a'), both.when('a')], [5, 10]);
    assert.equal(both.when('b'), 100, 'the exponential delay was 5 ms, but the two earlier calls emptied the bucket');
    assert.equal(both.numRequeues('a'), 2);
    both.forget('a');
    assert.equal(both.numRequeues('a'), 0);
  });

  void it('combines 5 ms exponential backoff with a 10 qps, burst 100 bucket by default', () => {
    const limiter = defaultControllerRateLimiter<string>(new FakeClock());
    const first = Array.from({ length: 100 }, (_, i) => limiter.when(`k${i}`));
    assert.ok(first.every((d) => d === 5));
    assert.equal(limiter.when('k100'), 100, 'the 101st failure in the same instant waits for a token');
    assert.equal(limiter.when('k0'), 200, 'a second failure of k0 (10 ms) still waits for the bucket');
  });

  void it('rejects limiters that cannot work', () => {
    assert.throws(() => new ItemExponentialFailureRateLimiter(0, 10), TypeError);
    assert.throws(() => new ItemExponentialFailureRateLimiter(10, 5), TypeError);
    assert.throws(() => new BucketRateLimiter(0, 10), TypeError);
    assert.throws(() => new MaxOfRateLimiter(), TypeError);
  });
});
