// The reflector never stops and never loops silently: thrown failures, watch-lists without their
// end bookmark, failing resyncs, InternalErrors, and a burst that must leave the event loop room.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/api/clock.ts';
import { StatusError } from '../../src/api/errors.ts';
import type { ListPage } from '../../src/api/lister-watcher.ts';
import type { LogFields } from '../../src/api/logger.ts';
import { ListError, MissingInitialEventsEndError, ResyncError } from '../../src/informer/errors.ts';
import { Backoff } from '../../src/informer/backoff.ts';
import { Reflector } from '../../src/informer/reflector.ts';
import { pod, RecordingStore, ScriptedListerWatcher, startReflector, type TestPod } from './scripted-lister-watcher.ts';
import { eventually } from '../helpers.ts';
import { runUntilTestEnds } from '../cleanup.ts';

const listOf = (rv: string, ...names: string[]) => (): ListPage<TestPod> => ({ items: names.map((n) => pod(n, rv)), resourceVersion: rv });

/** A logger keeping its warnings. */
function warningLogger() {
  const warnings: string[] = [];
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg: string, _fields?: LogFields) => void warnings.push(msg),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, warnings };
}

/** A fake clock whose every reading is one millisecond later than the last: a step counter. */
class SteppingClock extends FakeClock {
  #steps = 0;
  override now(): number {
    return super.now() + this.#steps++;
  }
}

void describe('Reflector recovery', () => {
  void it('reports a watch() that throws synchronously and relists after a backoff instead of stopping', async (t) => {
    let watches = 0;
    const { lw, clock, errors } = startReflector(t, listOf('10', 'a'), {}, () => {
      if (watches++ === 0) throw new TypeError('watch() broke');
    });
    await clock.waitForTimers(1);
    assert.ok(errors[0] instanceof TypeError);
    assert.deepEqual(clock.pendingDelays(), [800]);
    await clock.advance(800);
    const w1 = await lw.watchAt(1);
    assert.equal(lw.listCalls.length, 2);
    assert.equal(w1.options.resourceVersion, '10');
  });

  void it('reports a list() that throws synchronously and lists again after a backoff', async (t) => {
    const lw = new ScriptedListerWatcher<TestPod>(listOf('10', 'a'));
    const scriptedList = lw.list.bind(lw);
    let lists = 0;
    lw.list = (options) => {
      if (lists++ === 0) throw new TypeError('list() broke');
      return scriptedList(options);
    };
    const clock = new FakeClock();
    const store = new RecordingStore();
    const errors: unknown[] = [];
    const reflector = new Reflector<TestPod>(lw, store, {
      clock,
      backoff: new Backoff({ clock, random: () => 0 }),
      watchErrorHandler: (e) => errors.push(e),
    });
    runUntilTestEnds(t, (signal) => reflector.run(signal));
    await clock.waitForTimers(1);
    assert.ok(errors[0] instanceof ListError);
    assert.ok(errors[0].cause instanceof TypeError);
    await clock.advance(800);
    await lw.watchAt(0);
    assert.deepEqual(store.calls, ['replace [a]@10']);
  });

  void it('reports a watch-list whose watch() throws synchronously and lists instead', async (t) => {
    let watches = 0;
    const { lw, errors, store } = startReflector(t, listOf('10', 'a'), { useWatchList: true }, () => {
      if (watches++ === 0) throw new TypeError('watch() broke');
    });
    const w1 = await lw.watchAt(1);
    assert.ok(errors[0] instanceof TypeError);
    assert.equal(lw.listCalls.length, 1);
    assert.equal(w1.options.sendInitialEvents, undefined);
    assert.deepEqual(store.calls, ['replace [a]@10']);
  });

  void it('reports a watch-list that ends without its end bookmark, warns while it waits, and lists after three such streams', async (t) => {
    const { logger, warnings } = warningLogger();
    const { lw, clock, errors, store } = startReflector(t, listOf('50', 'a', 'b'), { useWatchList: true, logger });
    const w0 = await lw.watchAt(0);
    await clock.advance(10_000);
    assert.ok(warnings.some((w) => w.includes('awaiting required bookmark event for initial events stream, no events received')));
    for (let attempt = 0; attempt < 3; attempt++) {
      const w = attempt === 0 ? w0 : await lw.watchAt(attempt);
      assert.equal(w.options.sendInitialEvents, true);
      w.push({ type: 'ADDED', object: pod('a', '40') });
      w.end();
    }
    const w3 = await lw.watchAt(3);
    const missing = errors.filter((e) => e instanceof MissingInitialEventsEndError);
    assert.deepEqual(missing.map((e) => e.attempt), [1, 2, 3]);
    assert.equal(missing[0]?.reason, 'MissingInitialEventsEnd');
    assert.equal(lw.listCalls.length, 1);
    assert.deepEqual(store.calls, ['replace [a,b]@50']);
    assert.equal(w3.options.sendInitialEvents, undefined);
    assert.equal(w3.options.resourceVersion, '50');
    // Later relists list directly: the server does not end its initial events.
    w3.push({ type: 'ERROR', error: StatusError.of(410, 'Expired', 'too old') });
    await clock.waitForTimers(1);
    await clock.advance(clock.pendingDelays()[0] ?? 0);
    const w4 = await lw.watchAt(4);
    assert.equal(lw.listCalls.length, 2);
    assert.equal(w4.options.sendInitialEvents, undefined);
  });

  void it('ends the watch and relists after a backoff when the store fails to resync, and resyncs again afterwards', async (t) => {
    const { lw, clock, errors, store } = startReflector(t, listOf('10', 'a'), { resyncPeriodMs: 1000 });
    store.resync = () => {
      throw new Error('resync broke');
    };
    const w0 = await lw.watchAt(0);
    await clock.advance(1000);
    await eventually(() => errors.length === 1, 'the resync failure');
    assert.ok(errors[0] instanceof ResyncError);
    assert.equal(errors[0].reason, 'ResyncFailed');
    assert.equal(w0.stopped, true);
    assert.deepEqual(clock.pendingDelays(), [800]);
    await clock.advance(800);
    await lw.watchAt(1);
    assert.equal(lw.listCalls.length, 2);
    await clock.advance(1000);
    await eventually(() => errors.length === 2, 'the resync of the next watch');
  });

  void it('re-watches at once after an InternalError event while such errors last at most maxInternalErrorRetryDurationMs, then relists', async (t) => {
    const { lw, clock } = startReflector(t, listOf('10', 'a'), { maxInternalErrorRetryDurationMs: 30_000 });
    const w0 = await lw.watchAt(0);
    w0.push({ type: 'MODIFIED', object: pod('a', '11') });
    w0.push({ type: 'ERROR', error: StatusError.of(500, 'InternalError', 'etcd hiccup') });
    const w1 = await lw.watchAt(1);
    assert.equal(w1.options.resourceVersion, '11');
    assert.equal(lw.listCalls.length, 1);
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(31_000);
    w1.push({ type: 'ERROR', error: StatusError.of(500, 'InternalError', 'etcd hiccup') });
    await clock.waitForTimers(1);
    await clock.advance(800);
    await lw.watchAt(2);
    assert.equal(lw.listCalls.length, 2);
  });

  void it('relists after a backoff on an InternalError event by default, as client-go does', async (t) => {
    const { lw, clock } = startReflector(t, listOf('10', 'a'));
    (await lw.watchAt(0)).push({ type: 'ERROR', error: StatusError.of(500, 'InternalError', 'etcd hiccup') });
    await clock.waitForTimers(1);
    assert.equal(lw.watches.length, 1);
    await clock.advance(800);
    await lw.watchAt(1);
    assert.equal(lw.listCalls.length, 2);
  });

  void it('yields to the event loop once a run of buffered events has used its time budget', async (t) => {
    // Each reading of this clock is 1 ms later, so the 5 ms budget is spent after a few events.
    const clock = new SteppingClock();
    const { lw, store } = startReflector(t, listOf('10'), { clock });
    const w = await lw.watchAt(0);
    const burst = Array.from({ length: 50 }, (_, i) => ({ type: 'ADDED' as const, object: pod(`p${i}`, String(11 + i)) }));
    w.push(...burst);
    let appliedWhenTheLoopTurned = -1;
    setImmediate(() => (appliedWhenTheLoopTurned = store.calls.length - 1));
    await eventually(() => store.calls.length === 51, 'every event applied');
    assert.ok(appliedWhenTheLoopTurned >= 0 && appliedWhenTheLoopTurned < 50, `the loop turned after ${appliedWhenTheLoopTurned} of 50 events`);
    assert.deepEqual(store.calls.slice(1), burst.map((e) => `add ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`));
  });
});
