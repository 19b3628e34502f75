import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isForbidden, StatusError } from '../../src/api/errors.ts';
import type { ListPage } from '../../src/api/lister-watcher.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { ListError, VeryShortWatchError, WatchEventError } from '../../src/informer/errors.ts';
import { Reflector } from '../../src/informer/reflector.ts';
import { pod, RecordingStore, startReflector as start, type TestPod } from './scripted-lister-watcher.ts';
import { eventually } from '../helpers.ts';

/** A malformed watch line, as the HTTP client reports it. */
class WatchDecodeError extends Error {
  override readonly name = 'WatchDecodeError';
  readonly reason = 'MalformedWatchEvent';
  readonly code = 0;
}

const listOf = (rv: string, ...names: string[]) => (): ListPage<TestPod> => ({ items: names.map((n) => pod(n, rv)), resourceVersion: rv });

void describe('Reflector', () => {
  void it('lists from resource version "0" in pages of 500, then watches from the list version with bookmarks', async (t) => {
    const { lw, store } = start(t, listOf('10', 'a', 'b'));
    const w = await lw.watchAt(0);
    assert.deepEqual({ rv: lw.listCalls[0]?.resourceVersion, limit: lw.listCalls[0]?.limit }, { rv: '0', limit: 500 });
    assert.deepEqual(store.calls, ['replace [a,b]@10']);
    assert.equal(w.options.resourceVersion, '10');
    assert.equal(w.options.allowWatchBookmarks, true);
    assert.equal(w.options.sendInitialEvents, undefined);
    assert.equal(w.options.timeoutSeconds, 300);
  });

  void it('randomizes the watch timeout between five and ten minutes', async (t) => {
    const { lw } = start(t, listOf('10'), { random: () => 0.999 });
    const w = await lw.watchAt(0);
    assert.equal(w.options.timeoutSeconds, 599);
  });

  void it('applies watch events to the store in order and tracks their version', async (t) => {
    const { lw, store, reflector } = start(t, listOf('10', 'a'));
    const w = await lw.watchAt(0);
    w.push(
      { type: 'ADDED', object: pod('b', '11') },
      { type: 'MODIFIED', object: pod('a', '12') },
      { type: 'DELETED', object: pod('b', '13') },
    );
    await eventually(() => store.calls.length === 4, 'three events applied');
    assert.deepEqual(store.calls.slice(1), ['add b@11', 'update a@12', 'delete b']);
    assert.equal(reflector.lastSyncResourceVersion(), '13');
    assert.deepEqual(reflector.stats().events, { added: 1, modified: 1, deleted: 1, bookmark: 0, error: 0 });
  });

  void it('re-watches from the last version without relisting when the server closes the watch cleanly', async (t) => {
    const { lw, store, reflector } = start(t, listOf('10', 'a'));
    const w0 = await lw.watchAt(0);
    w0.push({ type: 'ADDED', object: pod('b', '11') });
    w0.end();
    const w1 = await lw.watchAt(1);
    assert.equal(w1.options.resourceVersion, '11');
    assert.equal(lw.listCalls.length, 1);
    assert.deepEqual(store.calls, ['replace [a]@10', 'add b@11']);
    assert.equal(reflector.stats().watchRestarts, 1);
  });

  void it('advances its version on bookmarks without touching the store', async (t) => {
    const { lw, store, reflector } = start(t, listOf('10', 'a'));
    const w0 = await lw.watchAt(0);
    w0.push({ type: 'BOOKMARK', resourceVersion: '25', initialEventsEnd: false });
    w0.end();
    const w1 = await lw.watchAt(1);
    assert.equal(w1.options.resourceVersion, '25');
    assert.equal(reflector.lastSyncResourceVersion(), '25');
    assert.deepEqual(store.calls, ['replace [a]@10']);
  });

  void it('relists from "" when the "0" list answers 410', async (t) => {
    let calls = 0;
    const { lw, store, errors } = start(t, (o) => {
      calls++;
      if (o.resourceVersion === '0') throw StatusError.of(410, 'Expired', 'too old');
      return listOf('30', 'a')();
    });
    await lw.watchAt(0);
    assert.equal(calls, 2);
    assert.deepEqual(lw.listCalls.map((c) => c.resourceVersion), ['0', '']);
    assert.deepEqual(store.calls, ['replace [a]@30']);
    assert.equal(errors.length, 1);
  });

  void it('relists after a backoff at its last version when the watch reports 410, and from "" if that list 410s too', async (t) => {
    const { lw, store, clock, errors } = start(t, (o) => {
      if (o.resourceVersion === '12') throw StatusError.of(410, 'Expired', 'too old');
      return listOf(o.resourceVersion === '' ? '40' : '10', 'a')();
    });
    const w0 = await lw.watchAt(0);
    w0.push({ type: 'MODIFIED', object: pod('a', '12') });
    w0.push({ type: 'ERROR', error: StatusError.of(410, 'Expired', 'too old resource version: 12') });
    await clock.waitForTimers(1);
    assert.deepEqual(clock.pendingDelays(), [800]);
    assert.equal(lw.listCalls.length, 1);
    await clock.advance(800);
    const w1 = await lw.watchAt(1);
    assert.deepEqual(lw.listCalls.map((c) => c.resourceVersion), ['0', '12', '']);
    assert.equal(w1.options.resourceVersion, '40');
    assert.deepEqual(store.calls, ['replace [a]@10', 'update a@12', 'replace [a]@40']);
    assert.ok(errors.length >= 2);
  });

  void it('keeps retrying a failing list forever with growing backoff delays', async (t) => {
    const { lw, clock, errors } = start(t, () => {
      throw StatusError.of(500, 'InternalError', 'etcd is down');
    });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await clock.waitForTimers(1);
      delays.push(...clock.pendingDelays());
      await clock.advance(clock.pendingDelays()[0] ?? 0);
    }
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12800, 25600]);
    await eventually(() => lw.listCalls.length === 7, 'seventh list');
    assert.ok(errors.length >= 6);
    assert.match(String((errors[0] as Error).message), /failed to list objects: etcd is down/);
    assert.ok(errors[0] instanceof ListError);
    assert.equal(errors[0].code, 500);
    assert.equal(errors[0].reason, 'InternalError');
    assert.ok(errors[0].cause instanceof StatusError);
  });

  void it('backs off and re-watches without relisting on 429 Too Many Requests', async (t) => {
    const { lw, clock, errors } = start(t, listOf('10', 'a'));
    const w0 = await lw.watchAt(0);
    w0.fail(StatusError.of(429, 'TooManyRequests', 'slow down'));
    await clock.waitForTimers(1);
    await clock.advance(800);
    const w1 = await lw.watchAt(1);
    assert.equal(w1.options.resourceVersion, '10');
    assert.equal(lw.listCalls.length, 1);
    assert.equal(errors.length, 1);
  });

  void it('reports a malformed watch line and recovers by relisting after a backoff', async (t) => {
    const { lw, clock, errors, store } = start(t, listOf('10', 'a'));
    const w0 = await lw.watchAt(0);
    w0.push({ type: 'ADDED', object: pod('b', '11') });
    w0.fail(new WatchDecodeError('malformed watch event: {"type":"ADDED","obj'));
    await clock.waitForTimers(1);
    assert.ok(errors[0] instanceof WatchDecodeError);
    await clock.advance(800);
    const w1 = await lw.watchAt(1);
    assert.equal(lw.listCalls.length, 2);
    assert.equal(lw.listCalls[1]?.resourceVersion, '11');
    assert.equal(w1.options.resourceVersion, '10');
    assert.equal(store.calls.length, 3);
  });

  void it('treats a watch that closes at once without events as a failure and relists', async (t) => {
    const { lw, clock, errors } = start(t, listOf('10', 'a'));
    const w0 = await lw.watchAt(0);
    w0.end();
    await clock.waitForTimers(1);
    assert.ok(errors[0] instanceof VeryShortWatchError);
    await clock.advance(800);
    await lw.watchAt(1);
    assert.equal(lw.listCalls.length, 2);
  });

  void it('builds the store with watch-list and continues the same stream as a watch', async (t) => {
    const { lw, store, reflector } = start(t, listOf('99', 'wrong'), { useWatchList: true });
    const w = await lw.watchAt(0);
    assert.equal(w.options.sendInitialEvents, true);
    assert.equal(w.options.resourceVersionMatch, 'NotOlderThan');
    assert.equal(w.options.resourceVersion, '');
    w.push(
      { type: 'ADDED', object: pod('a', '3') },
      { type: 'ADDED', object: pod('b', '4') },
      { type: 'BOOKMARK', resourceVersion: '5', initialEventsEnd: true },
      { type: 'MODIFIED', object: pod('a', '6') },
    );
    await eventually(() => store.calls.length === 2, 'replace and update');
    assert.deepEqual(store.calls, ['replace [a,b]@5', 'update a@6']);
    assert.equal(lw.listCalls.length, 0);
    assert.equal(lw.watches.length, 1);
    assert.equal(reflector.lastSyncResourceVersion(), '6');
  });

  void it('falls back to listing when the server refuses watch-list', async (t) => {
    const { lw, store, errors } = start(t, listOf('10', 'a'), { useWatchList: true }, (w) => {
      if (w.options.sendInitialEvents === true) w.fail(StatusError.of(422, 'Invalid', 'sendInitialEvents is forbidden'));
    });
    const w1 = await lw.watchAt(1);
    assert.equal(lw.watches[0]?.options.sendInitialEvents, true);
    assert.equal(w1.options.sendInitialEvents, undefined);
    assert.equal(w1.options.resourceVersion, '10');
    assert.deepEqual(store.calls, ['replace [a]@10']);
    assert.equal(lw.listCalls.length, 1);
    assert.equal(errors.length, 1);
  });

  void it('retries watch-list from "" after a 410 without falling back to a list', async (t) => {
    let failed = false;
    const { lw, store, errors } = start(t, listOf('99', 'wrong'), { useWatchList: true }, (w) => {
      if (!failed) w.fail(StatusError.of(410, 'Expired', 'too old'));
      failed = true;
    });
    const w1 = await lw.watchAt(1);
    assert.equal(w1.options.sendInitialEvents, true);
    w1.push({ type: 'ADDED', object: pod('a', '3') }, { type: 'BOOKMARK', resourceVersion: '3', initialEventsEnd: true });
    await eventually(() => store.calls.length === 1, 'watch-list replace');
    assert.deepEqual(store.calls, ['replace [a]@3']);
    assert.equal(lw.listCalls.length, 0);
    assert.equal(errors.length, 1);
  });

  void it('reports an event it cannot store and keeps watching', async (t) => {
    const { lw, store, errors } = start(t, listOf('10'));
    const w = await lw.watchAt(0);
    const broken = { metadata: { resourceVersion: '11' } } as unknown as TestPod;
    w.push({ type: 'ADDED', object: broken }, { type: 'ADDED', object: pod('b', '12') });
    await eventually(() => store.calls.includes('add b@12'), 'the next event');
    assert.equal(lw.watches.length, 1);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof WatchEventError);
    assert.match(errors[0].message, /unable to apply ADDED event of objects: object has no name/);
  });

  void it('reaches the same contents with watch-list as with a list', async (t) => {
    const names = ['a', 'b', 'c'];
    const listed = start(t, listOf('7', ...names));
    await listed.lw.watchAt(0);
    const streamed = start(t, listOf('7'), { useWatchList: true });
    const w = await streamed.lw.watchAt(0);
    w.push(...names.map((n) => ({ type: 'ADDED' as const, object: pod(n, '7') })));
    w.push({ type: 'BOOKMARK', resourceVersion: '7', initialEventsEnd: true });
    await eventually(() => streamed.store.calls.length === 1, 'watch-list replace');
    assert.deepEqual(streamed.store.calls, listed.store.calls);
  });

  void it('resyncs the store periodically while watching when asked to', async (t) => {
    let allow = true;
    const { lw, store, clock } = start(t, listOf('10', 'a'), { resyncPeriodMs: 1000, shouldResync: () => allow });
    await lw.watchAt(0);
    await clock.advance(1000);
    await clock.advance(1000);
    allow = false;
    await clock.advance(1000);
    assert.deepEqual(store.calls, ['replace [a]@10', 'resync', 'resync']);
  });

  void it('stops promptly on abort even while a watch is idle, leaving no timers behind', async (t) => {
    const { lw, controller, done, clock } = start(t, listOf('10', 'a'), { resyncPeriodMs: 5000 });
    const w = await lw.watchAt(0);
    assert.equal(clock.pendingTimers, 1);
    controller.abort();
    await done;
    assert.equal(w.stopped, true);
    assert.equal(clock.pendingTimers, 0);
  });

  void it('stops during a backoff sleep', async (t) => {
    const { clock, controller, done } = start(t, () => {
      throw new Error('connection reset');
    });
    await clock.waitForTimers(1);
    controller.abort();
    await done;
    assert.equal(clock.pendingTimers, 0);
  });
});

void describe('ListError', () => {
  void it('answers the api predicates like the StatusError it wraps', () => {
    const err = new ListError('pods', StatusError.of(403, 'Forbidden', 'pods is forbidden'));
    assert.equal(isForbidden(err), true);
    assert.equal(err.message, 'failed to list pods: pods is forbidden');
    const transport = new ListError('pods', new Error('ECONNRESET'));
    assert.deepEqual([transport.reason, transport.code], ['ListFailed', 0]);
  });
});

void describe('Reflector stop', () => {
  void it('stops even when a watch stream ignores the signal and never yields', async () => {
    const parked = new Promise<never>(() => undefined);
    let opened = false;
    const lw = {
      list: () => Promise.resolve({ items: [pod('a', '1')], resourceVersion: '1' }),
      watch: () => ({
        async *[Symbol.asyncIterator]() {
          opened = true;
          yield await parked;
        },
      }),
    };
    const clock = new FakeClock();
    const reflector = new Reflector<TestPod>(lw, new RecordingStore(), { clock });
    const controller = new AbortController();
    const done = reflector.run(controller.signal);
    await eventually(() => opened, 'the watch to open');
    controller.abort();
    await done;
    assert.equal(clock.pendingTimers, 0);
  });
});
