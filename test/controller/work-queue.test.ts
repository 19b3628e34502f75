import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ItemExponentialFailureRateLimiter } from '../../src/controller/rate-limiter.ts';
import { WorkQueue } from '../../src/controller/work-queue.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { isPending } from '../helpers.ts';

function newQueue(): { queue: WorkQueue<string>; clock: FakeClock } {
  const clock = new FakeClock();
  const queue = new WorkQueue<string>({ name: 'test', clock, rateLimiter: new ItemExponentialFailureRateLimiter<string>(5, 1_000_000) });
  return { queue, clock };
}

void describe('WorkQueue', () => {
  void it('hands out an item added several times before it is processed once, in first-added order', async () => {
    const { queue } = newQueue();
    for (const item of ['a', 'b', 'a', 'c', 'b']) queue.add(item);
    assert.equal(queue.length, 3);
    assert.deepEqual([await queue.get(), await queue.get(), await queue.get()], ['a', 'b', 'c']);
    assert.equal(queue.length, 0);
  });

  void it('queues an item re-added while it is processed again after done, once, and never to two workers at once', async () => {
    const { queue } = newQueue();
    queue.add('a');
    assert.equal(await queue.get(), 'a');
    queue.add('a');
    queue.add('a');
    assert.equal(queue.length, 0, 'not handed out while processing');
    const second = queue.get();
    assert.equal(await isPending(second), true);
    queue.done('a');
    assert.equal(await second, 'a');
    queue.done('a');
    assert.equal(queue.length, 0, 'the two adds during processing made one more run');
  });

  void it('wakes waiting gets in the order they started waiting', async () => {
    const { queue } = newQueue();
    const first = queue.get();
    const second = queue.get();
    queue.add('a');
    queue.add('b');
    assert.deepEqual(await Promise.all([first, second]), ['a', 'b']);
  });

  void it('rejects a waiting get whose signal aborts, taking nothing, so the next get receives the item', async () => {
    const { queue } = newQueue();
    const stop = new AbortController();
    const aborted = queue.get({ signal: stop.signal });
    stop.abort(new Error('worker stopped'));
    await assert.rejects(aborted, /worker stopped/);
    queue.add('a');
    assert.equal(await queue.get(), 'a');
    await assert.rejects(queue.get({ signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  void it('adds an item after its delay, keeps the earliest of several delays, and adds at once for a zero delay', async () => {
    const { queue, clock } = newQueue();
    queue.addAfter('a', 100);
    queue.addAfter('a', 50);
    queue.addAfter('a', 70);
    assert.deepEqual(clock.pendingDelays(), [50]);
    await clock.advance(49);
    assert.equal(queue.length, 0);
    await clock.advance(1);
    assert.equal(queue.length, 1);
    await clock.advance(100);
    assert.equal(queue.length, 1, 'the later delays were dropped, not added again');
    queue.addAfter('b', 0);
    queue.addAfter('c', -5);
    assert.equal(queue.length, 3);
    assert.equal(queue.metrics().retries, 5, 'every addAfter counts as a retry, zero delays included');
  });

  void it('delays rate-limited adds by the limiter, counting requeues until the item is forgotten', async () => {
    const { queue, clock } = newQueue();
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    queue.addRateLimited('b');
    assert.equal(queue.numRequeues('a'), 2);
    assert.deepEqual(clock.pendingDelays(), [5, 5], 'a keeps its first, earlier delay (5 ms, not 10); b waits 5 ms');
    await clock.advance(5);
    assert.equal(queue.length, 2);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
    queue.addRateLimited('c');
    queue.addRateLimited('c');
    queue.addRateLimited('c');
    await clock.advance(4);
    assert.equal(queue.length, 2);
    await clock.advance(1);
    assert.equal(queue.length, 3, 'c was due at its first delay, 5 ms');
  });

  void it('after shutDown ignores adds, drops delayed adds, hands out what is queued and then resolves undefined', async () => {
    const { queue, clock } = newQueue();
    const idle = new WorkQueue<string>();
    const waiting = idle.get();
    idle.shutDown();
    assert.equal(await waiting, undefined, 'a waiting get ends');
    queue.add('a');
    queue.addAfter('b', 10);
    queue.shutDown();
    queue.add('c');
    queue.addAfter('d', 0);
    assert.equal(queue.shuttingDown(), true);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), undefined);
  });

  void it('still queues an item that was re-added during processing when it is done after shutDown', async () => {
    const { queue } = newQueue();
    queue.add('a');
    await queue.get();
    queue.add('a');
    queue.shutDown();
    queue.done('a');
    assert.equal(await queue.get(), 'a');
  });

  void it('resolves shutDownWithDrain once every handed-out item is done, or when shutDown is called meanwhile', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.add('b');
    await queue.get();
    await queue.get();
    const drained = queue.shutDownWithDrain();
    queue.done('a');
    assert.equal(await isPending(drained), true, 'b is still being processed');
    queue.done('b');
    await drained;

    const other = newQueue().queue;
    other.add('x');
    await other.get();
    const stuck = other.shutDownWithDrain();
    assert.equal(await isPending(stuck), true);
    other.shutDown();
    await stuck;
  });

  void it('resolves onIdle once nothing is queued or processing', async () => {
    const { queue } = newQueue();
    await queue.onIdle();
    queue.add('a');
    const idle = queue.onIdle();
    await queue.get();
    assert.equal(await isPending(idle), true);
    queue.done('a');
    await idle;
  });

  void it('measures depth, adds, time in queue, work time and the age of unfinished work on the clock', async () => {
    const { queue, clock } = newQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    assert.deepEqual([queue.metrics().depth, queue.metrics().adds], [2, 2]);
    await clock.advance(2000);
    await queue.get();
    queue.add('a');
    let m = queue.metrics();
    assert.equal(m.depth, 2, 'b queued, a dirty while processing');
    assert.equal(m.queueDuration.count, 1);
    assert.equal(m.queueDuration.sum, 2);
    await clock.advance(3000);
    m = queue.metrics();
    assert.equal(m.unfinishedWorkSeconds, 3);
    assert.equal(m.longestRunningProcessorSeconds, 3);
    queue.done('a');
    m = queue.metrics();
    assert.equal(m.workDuration.count, 1);
    assert.equal(m.workDuration.sum, 3);
    assert.equal(m.workDuration.buckets.find((b) => b.le === 10)?.count, 1);
    assert.equal(m.workDuration.buckets.find((b) => b.le === 1)?.count, 0);
    assert.equal(m.unfinishedWorkSeconds, 0);
    assert.equal(m.name, 'test');
  });
});
