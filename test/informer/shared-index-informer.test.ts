import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import {
  HandlerError,
  IndexerConflictError,
  InformerAlreadyStartedError,
  InformerStoppedError,
  ProcessDeltasError,
} from '../../src/informer/errors.ts';
import { pod, recorder, setupInformer as setup} from './scripted-lister-watcher.ts';
import { eventually } from '../helpers.ts';

void describe('SharedIndexInformer', () => {
  void it('delivers the initial list, then creates, updates and deletes, in order, to every handler', async (t) => {
    const { lw, informer, run } = setup(t);
    const h1 = recorder();
    const h2 = recorder();
    const r1 = informer.addEventHandler(h1);
    const r2 = informer.addEventHandler(h2);
    void run();
    await informer.onSynced();
    const w = await lw.watchAt(0);
    w.push(
      { type: 'ADDED', object: pod('c', '11') },
      { type: 'MODIFIED', object: pod('a', '12') },
      { type: 'DELETED', object: pod('b', '13') },
    );
    const expected = ['add a@10 initial', 'add b@10 initial', 'add c@11', 'update a@10->a@12', 'delete b@13'];
    await eventually(() => h1.log.length === 5 && h2.log.length === 5, 'five notifications each');
    assert.deepEqual(h1.log, expected);
    assert.deepEqual(h2.log, expected);
    await r1.onSynced();
    assert.equal(r2.hasSynced(), true);
    assert.deepEqual(informer.getIndexer().listKeys().sort(), ['default/a', 'default/c']);
  });

  void it('is synced only once the initial list is stored, and says so once', async (t) => {
    const { informer, run } = setup(t);
    let synced = 0;
    const progress: number[] = [];
    informer.events.on('synced', () => synced++);
    informer.events.on('listProgress', (n) => progress.push(n));
    assert.equal(informer.hasSynced(), false);
    void run();
    await informer.onSynced();
    assert.equal(informer.hasSynced(), true);
    assert.equal(informer.getIndexer().size, 2);
    assert.equal(synced, 1);
    assert.deepEqual(progress, [2]);
    assert.equal(informer.lastSyncResourceVersion(), '10');
  });

  void it('gives a handler added after start the stored objects as initial adds', async (t) => {
    const { lw, informer, run } = setup(t);
    void run();
    await informer.onSynced();
    const late = recorder();
    const reg = informer.addEventHandler(late);
    await reg.onSynced();
    assert.deepEqual(late.log.sort(), ['add a@10 initial', 'add b@10 initial']);
    (await lw.watchAt(0)).push({ type: 'ADDED', object: pod('c', '11') });
    await eventually(() => late.log.length === 3, 'the later add');
    assert.equal(late.log[2], 'add c@11');
  });

  void it('keeps delivering to other handlers and later events when a handler throws or rejects', async (t) => {
    const { lw, informer, run } = setup(t);
    const errors: HandlerError[] = [];
    informer.events.on('handlerError', (e) => errors.push(e));
    const good = recorder();
    const seenByBad: string[] = [];
    const badReg = informer.addEventHandler({
      onAdd: (o) => {
        seenByBad.push(o.metadata.name);
        if (o.metadata.name === 'a') throw new Error('sync handler broke');
      },
      onUpdate: () => Promise.reject(new Error('async handler broke')),
    });
    informer.addEventHandler(good);
    void run();
    const w = await lw.watchAt(0);
    w.push({ type: 'ADDED', object: pod('c', '11') }, { type: 'MODIFIED', object: pod('c', '12') });
    await eventually(() => good.log.length === 4 && errors.length === 2, 'all notifications and two errors');
    assert.deepEqual(seenByBad, ['a', 'b', 'c']);
    assert.equal(errors[0]?.registration, badReg);
    assert.equal(errors[0]?.reason, 'HandlerFailed');
    assert.equal(errors[0]?.notification.type, 'add');
    assert.match(errors[1]?.message ?? '', /async handler broke/);
    assert.equal(informer.stats().handlerErrors, 2);
    assert.equal(badReg.hasSynced(), true);
  });

  void it('lets a slow handler fall behind without blocking another handler or reads', async (t) => {
    const { lw, informer, run } = setup(t);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = recorder();
    const slowReg = informer.addEventHandler({
      onAdd: async (o, initial) => {
        await gate;
        slow.log.push(`add ${o.metadata.name}@${o.metadata.resourceVersion}${initial ? ' initial' : ''}`);
      },
    });
    const fast = recorder();
    informer.addEventHandler(fast);
    void run();
    await informer.onSynced();
    const w = await lw.watchAt(0);
    w.push({ type: 'ADDED', object: pod('c', '11') }, { type: 'ADDED', object: pod('d', '12') });
    await eventually(() => fast.log.length === 4, 'fast handler caught up');
    assert.equal(informer.getIndexer().size, 4);
    assert.equal(slow.log.length, 0);
    assert.equal(slowReg.queueDepth, 4);
    assert.equal(slowReg.hasSynced(), false);
    release();
    await slowReg.onSynced();
    await eventually(() => slow.log.length === 4, 'slow handler caught up');
    assert.deepEqual(slow.log, fast.log);
  });

  void it('stores deep-frozen objects that throw when mutated', async (t) => {
    const { informer, run } = setup(t);
    void run();
    await informer.onSynced();
    const stored = informer.getIndexer().get('default/a');
    assert.ok(stored !== undefined);
    assert.equal(Object.isFrozen(stored), true);
    assert.equal(Object.isFrozen(stored.metadata), true);
    assert.throws(() => {
      (stored.metadata as { name: string }).name = 'mutated';
    }, TypeError);
  });

  void it('stores objects as they are when freezing is disabled', async (t) => {
    const { informer, run } = setup(t, undefined, { freeze: false });
    void run();
    await informer.onSynced();
    assert.equal(Object.isFrozen(informer.getIndexer().get('default/a')), false);
  });

  void it('applies the transform once, before storing and notifying', async (t) => {
    let calls = 0;
    const { lw, informer, run, clock } = setup(
      t,
      () => ({ items: [pod('a', '10', { labels: { big: 'x' } })], resourceVersion: '10' }),
      {
        resyncPeriodMs: 1000,
        transform: (p) => {
          calls++;
          return { ...p, metadata: { ...p.metadata, labels: { trimmed: 'yes' } } };
        },
      },
    );
    const seen: (Record<string, string> | undefined)[] = [];
    informer.addEventHandler({ onAdd: (o) => void seen.push({ ...o.metadata.labels }), onUpdate: (_a, b) => void seen.push({ ...b.metadata.labels }) });
    void run();
    await informer.onSynced();
    await lw.watchAt(0);
    await clock.advance(1000);
    await eventually(() => seen.length === 2, 'initial add and a resync update');
    assert.deepEqual(informer.getIndexer().get('default/a')?.metadata.labels, { trimmed: 'yes' });
    assert.deepEqual(seen, [{ trimmed: 'yes' }, { trimmed: 'yes' }]);
    assert.equal(calls, 1);
  });

  void it('transforms objects that arrive already frozen', async (t) => {
    const frozen = Object.freeze({ ...pod('a', '10'), metadata: Object.freeze({ ...pod('a', '10').metadata }) });
    const { informer, run } = setup(t, () => ({ items: [frozen], resourceVersion: '10' }), {
      transform: (p) => ({ ...p, metadata: { ...p.metadata, labels: { seen: 'yes' } } }),
    });
    void run();
    await informer.onSynced();
    assert.deepEqual(informer.getIndexer().get('default/a')?.metadata.labels, { seen: 'yes' });
  });

  void it('resyncs only the handlers whose period is due', async (t) => {
    const { lw, informer, run, clock } = setup(t, undefined, { resyncPeriodMs: 1000 });
    const resyncing = recorder();
    const quiet = recorder();
    informer.addEventHandler(resyncing);
    informer.addEventHandler(quiet, { resyncPeriodMs: 0 });
    void run();
    await informer.onSynced();
    await lw.watchAt(0);
    await clock.advance(1000);
    await eventually(() => resyncing.log.length === 4, 'two resync updates');
    assert.deepEqual(resyncing.log.slice(2).sort(), ['update a@10->a@10', 'update b@10->b@10']);
    assert.deepEqual(quiet.log.length, 2);
  });

  void it('reports a deletion missed while the watch was down as a tombstone after the relist', async (t) => {
    let listed = 0;
    const { lw, informer, run, clock } = setup(t, () =>
      listed++ === 0
        ? { items: [pod('a', '10'), pod('b', '10')], resourceVersion: '10' }
        : { items: [pod('a', '20')], resourceVersion: '20' },
    );
    const h = recorder();
    informer.addEventHandler(h);
    informer.events.on('watchError', () => undefined);
    void run();
    const w = await lw.watchAt(0);
    w.push({ type: 'ERROR', error: StatusError.of(410, 'Expired', 'too old') });
    await clock.waitForTimers(1);
    await clock.advance(1600);
    await eventually(() => h.log.length === 4, 'relist notifications');
    assert.deepEqual(h.log.slice(2).sort(), ['delete tombstone:default/b', 'update a@10->a@20']);
    assert.deepEqual(informer.getIndexer().listKeys(), ['default/a']);
    assert.equal(informer.stats().relists, 2);
  });

  void it('sends unchanged objects of a relist only to handlers whose resync is due', async (t) => {
    let listed = 0;
    const { lw, informer, run, clock } = setup(
      t,
      () => (listed++ === 0 ? { items: [pod('a', '10')], resourceVersion: '10' } : { items: [pod('a', '10')], resourceVersion: '20' }),
      { resyncPeriodMs: 10_000 },
    );
    const due = recorder();
    const notDue = recorder();
    informer.addEventHandler(due);
    informer.addEventHandler(notDue, { resyncPeriodMs: 0 });
    informer.events.on('watchError', () => undefined);
    void run();
    await informer.onSynced();
    const w = await lw.watchAt(0);
    // The first resync tick decides who is syncing: only the handler with a period.
    await clock.advance(10_000);
    await eventually(() => due.log.length === 2, 'the resync update');
    w.push({ type: 'ERROR', error: StatusError.of(410, 'Expired', 'too old') });
    await eventually(() => clock.pendingDelays().some((d) => d < 10_000), 'the relist backoff');
    await clock.advance(1600);
    await lw.watchAt(1);
    await eventually(() => due.log.length === 3, 'the relist update');
    assert.deepEqual(due.log, ['add a@10 initial', 'update a@10->a@10', 'update a@10->a@10']);
    assert.deepEqual(notDue.log, ['add a@10 initial']);
    assert.equal(lw.listCalls[1]?.limit, 500);
  });

  void it('reports an object it cannot index, stores it without that index entry, and goes on with the next ones', async (t) => {
    const { lw, informer, run } = setup(t, undefined, {
      indexers: {
        strict: (p) => {
          if (p.metadata.name === 'bad') throw new Error('cannot index bad');
          return [p.metadata.name];
        },
      },
    });
    const problems: unknown[] = [];
    informer.events.on('processError', (e) => problems.push(e));
    const h = recorder();
    informer.addEventHandler(h);
    void run();
    const w = await lw.watchAt(0);
    w.push({ type: 'ADDED', object: pod('bad', '11') }, { type: 'ADDED', object: pod('c', '12') });
    await eventually(() => h.log.length === 4, 'the next add');
    assert.ok(problems[0] instanceof ProcessDeltasError);
    assert.match(problems[0].message, /unable to process deltas: index function strict failed on default\/bad: cannot index bad/);
    assert.equal(informer.getIndexer().has('default/bad'), true);
    assert.deepEqual(informer.getIndexer().listIndexFuncValues('strict').sort(), ['a', 'b', 'c']);
    assert.deepEqual(h.log.slice(2), ['add bad@11', 'add c@12']);
  });

  void it('announces deletes of objects it never stored', async (t) => {
    const { lw, informer, run } = setup(t);
    const h = recorder();
    informer.addEventHandler(h);
    void run();
    const w = await lw.watchAt(0);
    w.push({ type: 'DELETED', object: pod('a', '11') });
    w.push({ type: 'DELETED', object: pod('a', '12') });
    await eventually(() => h.log.length === 3, 'the delete');
    assert.equal(h.log[2], 'delete a@11');
  });

  void it('drops the queued notifications of a removed handler; the removal resolves once the one in flight finished', async (t) => {
    const { lw, informer, run } = setup(t);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const reg = informer.addEventHandler({
      onAdd: async (o) => {
        seen.push(o.metadata.name);
        await gate;
      },
    });
    void run();
    await informer.onSynced();
    (await lw.watchAt(0)).push({ type: 'ADDED', object: pod('c', '11') });
    await eventually(() => reg.queueDepth === 3, 'three queued');
    let removedAt: number | undefined;
    const removed = informer.removeEventHandler(reg).then(() => (removedAt = seen.length));
    await informer.removeEventHandler(reg);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(removedAt, undefined, 'the removal waits for the notification in flight');
    release();
    await removed;
    assert.equal(reg.queueDepth, 0);
    assert.deepEqual(seen, ['a']);
    assert.equal(informer.stats().listenerQueueDepths.length, 0);
  });

  void it('back-fills an index added after start', async (t) => {
    const { informer, run } = setup(t);
    void run();
    await informer.onSynced();
    informer.addIndexers({ byName: (p) => [p.metadata.name] });
    assert.deepEqual(informer.getIndexer().indexKeys('byName', 'b'), ['default/b']);
    assert.throws(() => informer.addIndexers({ byName: () => [] }), IndexerConflictError);
  });

  void it('hands out a read-only indexer view', (t) => {
    const { informer } = setup(t);
    const view = informer.getIndexer();
    assert.equal('add' in view, false);
    assert.equal(informer.getStore(), view);
  });

  void it('refuses settings that must precede run, and a second run', async (t) => {
    const { informer, run, controller } = setup(t);
    const first = run();
    assert.throws(() => informer.setTransform((p) => p), InformerAlreadyStartedError);
    assert.throws(() => informer.setWatchErrorHandler(() => undefined), InformerAlreadyStartedError);
    await assert.rejects(informer.run(controller.signal), InformerAlreadyStartedError);
    controller.abort();
    await first;
  });

  void it('passes list and watch failures to the watch error handler and the watchError event', async (t) => {
    let fail = true;
    const { informer, run, clock } = setup(t, () => {
      if (fail) throw StatusError.of(503, 'ServiceUnavailable', 'try later');
      return { items: [], resourceVersion: '1' };
    });
    const handled: unknown[] = [];
    const emitted: unknown[] = [];
    informer.setWatchErrorHandler((e) => handled.push(e));
    informer.events.on('watchError', (e) => emitted.push(e));
    void run();
    await clock.waitForTimers(1);
    fail = false;
    await clock.advance(1600);
    await informer.onSynced();
    assert.equal(handled.length, 1);
    assert.equal(emitted[0], handled[0]);
    assert.equal(informer.stats().watchErrors, 1);
  });

  void it('rejects onSynced with the abort reason when its signal aborts', async (t) => {
    const { informer } = setup(t);
    const controller = new AbortController();
    const waiting = informer.onSynced({ signal: controller.signal });
    controller.abort(new Error('gave up'));
    await assert.rejects(waiting, /gave up/);
  });

  void it('releases everything on stop: run resolves, no timers remain, late additions are refused', async (t) => {
    const { lw, informer, run, controller, clock } = setup(t, undefined, { resyncPeriodMs: 5000 });
    const reg = informer.addEventHandler(recorder());
    let stopped = 0;
    informer.events.on('stopped', () => stopped++);
    const done = run();
    await informer.onSynced();
    const w = await lw.watchAt(0);
    controller.abort();
    await done;
    assert.equal(informer.isStopped(), true);
    assert.equal(stopped, 1);
    assert.equal(w.stopped, true);
    assert.equal(clock.pendingTimers, 0);
    assert.equal(reg.queueDepth, 0);
    assert.throws(() => informer.addEventHandler(recorder()), InformerStoppedError);
    assert.throws(() => informer.addIndexers({ x: () => [] }), InformerStoppedError);
  });

  void it('rejects onSynced waiters when it stops before syncing', async (t) => {
    const { informer, run, controller } = setup(t, () => {
      throw new Error('unreachable server');
    });
    informer.events.on('watchError', () => undefined);
    const done = run();
    const waiting = informer.onSynced();
    controller.abort();
    await done;
    await assert.rejects(waiting, InformerStoppedError);
  });

  void it('counts events, relists and objects in its stats', async (t) => {
    const { lw, informer, run } = setup(t);
    void run();
    const w = await lw.watchAt(0);
    w.push({ type: 'ADDED', object: pod('c', '11') }, { type: 'BOOKMARK', resourceVersion: '15', initialEventsEnd: false });
    await eventually(() => informer.lastSyncResourceVersion() === '15', 'bookmark');
    const s = informer.stats();
    assert.equal(s.objects, 3);
    assert.equal(s.events.added, 1);
    assert.equal(s.events.bookmark, 1);
    assert.equal(s.relists, 1);
    assert.equal(s.lastSyncResourceVersion, '15');
  });

  void it('stays responsive while syncing a large list', async (t) => {
    const items = Array.from({ length: 20_000 }, (_, i) => pod(`p${i}`, '5'));
    const { informer, run } = setup(t, (o) => {
      const start = Number(o.continue ?? 0);
      const end = Math.min(items.length, start + (o.limit ?? items.length));
      return end < items.length
        ? { items: items.slice(start, end), resourceVersion: '5', continue: String(end) }
        : { items: items.slice(start, end), resourceVersion: '5' };
    });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    t.after(() => clearInterval(ticker));
    void run();
    await informer.onSynced();
    assert.equal(informer.getIndexer().size, 20_000);
    assert.ok(ticks > 0, 'timers ran while the list was being processed');
  });
});
