import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/api/clock.ts';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from '../../examples/controller/rate-limiter.ts';
import { WorkQueue } from '../../examples/controller/work-queue.ts';
import { deferred, isPending, within } from './controller-helpers.ts';
import { eventually } from '../helpers.ts';

function fakeQueue(clock = new FakeClock()): { queue: WorkQueue<string>; clock: FakeClock } {
  const queue = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter<string>(5, 1_000_000) });
  return { queue, clock };
}

void describe('WorkQueue', () => {
  void it('queues a key only once while it waits, keeping first-added order', async () => {
    const { queue } = fakeQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.length, 2);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
    assert.equal(queue.length, 0);
  });

  void it('holds back a key added during its processing and hands it out once after done', async () => {
    const { queue } = fakeQueue();
    queue.add('a');
    assert.equal(await queue.get(), 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(queue.length, 0, 'a key being processed must not be queued again yet');
    const next = queue.get();
    assert.equal(await isPending(next), true);
    queue.done('a');
    assert.equal(await within(next, 'a to be handed out again'), 'a');
    queue.done('a');
    assert.equal(queue.length, 0, 'the two adds during processing collapse into one');
  });

  void it('never runs the same key concurrently while running other keys in parallel', async () => {
    const { queue } = fakeQueue();
    const release = deferred();
    const active = new Map<string, number>();
    let maxSameKey = 0;
    let maxTotal = 0;
    const calls: string[] = [];
    const stop = new AbortController();
    const running = queue.run(
      async (key) => {
        calls.push(key);
        active.set(key, (active.get(key) ?? 0) + 1);
        maxSameKey = Math.max(maxSameKey, active.get(key) ?? 0);
        maxTotal = Math.max(maxTotal, [...active.values()].reduce((a, b) => a + b, 0));
        if (key === 'a' && calls.filter((k) => k === 'a').length === 1) await release.promise;
        active.set(key, (active.get(key) ?? 1) - 1);
      },
      { concurrency: 4, signal: stop.signal },
    );
    queue.add('a');
    await eventually(() => calls.includes('a'), 'a to start');
    queue.add('a');
    queue.add('b');
    await eventually(() => calls.includes('b'), 'b to run beside a');
    assert.deepEqual(calls, ['a', 'b'], 'the second add of a must wait for the first to finish');
    release.resolve();
    await eventually(() => calls.length === 3, 'a to run a second time');
    stop.abort();
    await within(running, 'run to stop');
    assert.deepEqual(calls, ['a', 'b', 'a']);
    assert.equal(maxSameKey, 1);
    assert.equal(maxTotal, 2);
  });

  void it('delays rate-limited adds by 5 ms doubling per failure', async () => {
    const { queue, clock } = fakeQueue();
    queue.addRateLimited('a');
    assert.equal(queue.numRequeues('a'), 1);
    await clock.advance(4);
    assert.equal(queue.length, 0, 'not ready before 5 ms');
    await clock.advance(1);
    assert.equal(queue.length, 1);
    assert.equal(await queue.get(), 'a');
    queue.done('a');
    queue.addRateLimited('a');
    queue.addRateLimited('b');
    assert.deepEqual(clock.pendingDelays(), [5, 10], 'b starts at 5 ms, a second failure of a waits 10 ms');
  });

  void it('retries a failing reconcile with backoff and forgets the key once it succeeds', async () => {
    const { queue, clock } = fakeQueue();
    let attempts = 0;
    const errors: string[] = [];
    const stop = new AbortController();
    const running = queue.run(
      () => {
        attempts += 1;
        return attempts <= 2 ? Promise.reject(new Error(`attempt ${attempts}`)) : Promise.resolve();
      },
      { signal: stop.signal, onError: (key, error) => errors.push(`${key}: ${(error as Error).message}`) },
    );
    queue.add('a');
    await eventually(() => attempts === 1 && clock.pendingTimers === 1, 'the first failure to schedule a retry');
    assert.deepEqual(clock.pendingDelays(), [5]);
    await clock.advance(5);
    await eventually(() => attempts === 2 && clock.pendingTimers === 1, 'the second failure to schedule a retry');
    assert.deepEqual(clock.pendingDelays(), [10]);
    assert.equal(queue.numRequeues('a'), 2);
    await clock.advance(10);
    await eventually(() => attempts === 3 && queue.numRequeues('a') === 0, 'success to forget the key');
    assert.deepEqual(errors, ['a: attempt 1', 'a: attempt 2']);
    stop.abort();
    await within(running, 'run to stop');
  });

  void it('restarts the backoff from 5 ms after forget', async () => {
    const { queue, clock } = fakeQueue();
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    assert.equal(queue.numRequeues('a'), 3);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
    await clock.advance(5);
    assert.equal(queue.length, 1, 'the earliest pending delay (5 ms) wins');
    await queue.get();
    queue.done('a');
    queue.addRateLimited('a');
    assert.deepEqual(clock.pendingDelays(), [5]);
  });

  void it('caps the per-key backoff at its maximum', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
    const delays = Array.from({ length: 30 }, () => limiter.when('a'));
    assert.equal(delays[0], 5);
    assert.equal(delays[1], 10);
    assert.equal(delays[17], 655_360);
    assert.equal(delays[18], 1_000_000);
    assert.equal(delays[29], 1_000_000);
  });

  void it('lets a burst through the token bucket and then spaces retries at the bucket rate', () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 2, clock);
    assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => bucket.when(k)), [0, 0, 100, 200]);
    const both = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 1000), new BucketRateLimiter<string>(10, 100, clock));
    assert.deepEqual([both.when('a'), both.when('a')], [5, 10]);
    assert.equal(both.numRequeues('a'), 2);
  });

  void it('keeps the earliest of two delayed adds of one key and adds it once', async () => {
    const { queue, clock } = fakeQueue();
    queue.addAfter('a', 100);
    queue.addAfter('a', 50);
    queue.addAfter('a', 70);
    assert.deepEqual(clock.pendingDelays(), [50]);
    await clock.advance(50);
    assert.equal(queue.length, 1);
    await clock.advance(100);
    assert.equal(queue.length, 1);
  });

  void it('requeues after the requested delay when a reconcile asks for requeueAfter', async () => {
    const { queue, clock } = fakeQueue();
    let attempts = 0;
    const stop = new AbortController();
    const running = queue.run(
      () => {
        attempts += 1;
        return Promise.resolve(attempts === 1 ? { requeueAfter: 1000 } : {});
      },
      { signal: stop.signal },
    );
    queue.add('a');
    await eventually(() => clock.pendingTimers === 1, 'the requeue timer');
    assert.deepEqual(clock.pendingDelays(), [1000]);
    assert.equal(queue.numRequeues('a'), 0);
    await clock.advance(1000);
    await eventually(() => attempts === 2, 'the second reconcile');
    stop.abort();
    await within(running, 'run to stop');
  });

  void it('ignores adds after shutDown, cancels delayed adds and still hands out queued keys', async () => {
    const { queue, clock } = fakeQueue();
    queue.add('a');
    queue.addAfter('b', 10);
    const idle = new WorkQueue<string>({ clock });
    const idleGet = idle.get();
    idle.shutDown();
    assert.equal(await within(idleGet, 'an idle get to end'), undefined);
    queue.shutDown();
    queue.add('c');
    assert.equal(queue.shuttingDown(), true);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), undefined);
  });

  void it('resolves shutDownWithDrain only after in-process keys are done', async () => {
    const { queue } = fakeQueue();
    queue.add('a');
    await queue.get();
    const drained = queue.shutDownWithDrain();
    assert.equal(await isPending(drained), true);
    queue.done('a');
    await within(drained, 'drain to finish');
  });

  void it('stops taking keys when the run signal aborts and waits for the running reconcile', async () => {
    const { queue } = fakeQueue();
    const release = deferred();
    const seen: string[] = [];
    const stop = new AbortController();
    const running = queue.run(
      async (key, { signal }) => {
        seen.push(key);
        await release.promise;
        assert.equal(signal.aborted, true);
      },
      { concurrency: 1, signal: stop.signal },
    );
    queue.add('a');
    queue.add('b');
    await eventually(() => seen.length === 1, 'a to start');
    stop.abort();
    assert.equal(await isPending(running), true, 'run waits for the in-flight reconcile');
    release.resolve();
    await within(running, 'run to stop');
    assert.deepEqual(seen, ['a']);
    assert.equal(queue.length, 1, 'b stays queued for a later run');
  });

  void it('rejects a concurrency that is not a positive integer', async () => {
    const { queue } = fakeQueue();
    await assert.rejects(queue.run(() => Promise.resolve(), { concurrency: 0 }), TypeError);
  });
});
