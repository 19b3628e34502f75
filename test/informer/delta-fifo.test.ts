import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../src/api/types.ts';
import { DeltaFIFO, type Deltas, type KnownObjects } from '../../src/informer/delta-fifo.ts';
import { DeletedFinalStateUnknown, isDeletedFinalStateUnknown } from '../../src/informer/deleted-final-state-unknown.ts';
import { DeltaFIFOClosedError } from '../../src/informer/errors.ts';
import { pod, type TestPod } from './scripted-lister-watcher.ts';

function known(...pods: TestPod[]): KnownObjects<TestPod> {
  const map = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p as DeepReadonly<TestPod>]));
  return { listKeys: () => [...map.keys()], get: (key) => map.get(key) };
}

/** Pops everything queued, returning [key, types, isInInitialList] per pop. */
function drain(fifo: DeltaFIFO<TestPod>): [string, string[], boolean][] {
  const out: [string, string[], boolean][] = [];
  for (;;) {
    const got = fifo.tryPop((deltas: Deltas<TestPod>, initial) => {
      const last = deltas[deltas.length - 1];
      assert.ok(last !== undefined);
      out.push([fifo.keyOf(last.object), deltas.map((d) => d.type), initial]);
    });
    if (got === undefined) return out;
  }
}

void describe('DeltaFIFO', () => {
  void it('keeps a key at its first position while deltas accumulate on it', () => {
    const fifo = new DeltaFIFO<TestPod>();
    fifo.add(pod('a', '1'));
    fifo.add(pod('b', '1'));
    fifo.update(pod('a', '2'));
    assert.deepEqual(drain(fifo), [
      ['default/a', ['Added', 'Updated'], false],
      ['default/b', ['Added'], false],
    ]);
  });

  void it('collapses two trailing deletions into one, keeping the one that is not a tombstone', () => {
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: known(pod('a', '1')) });
    const real = pod('a', '2');
    fifo.delete(new DeletedFinalStateUnknown<TestPod>('default/a', undefined));
    fifo.delete(real);
    let seen: Deltas<TestPod> = [];
    fifo.tryPop((d) => (seen = d));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.object, real);
  });

  void it('keeps the older of two real deletions', () => {
    const fifo = new DeltaFIFO<TestPod>();
    const first = pod('a', '2');
    fifo.add(pod('a', '1'));
    fifo.delete(first);
    fifo.delete(pod('a', '3'));
    let seen: Deltas<TestPod> = [];
    fifo.tryPop((d) => (seen = d));
    assert.deepEqual(seen.map((d) => d.type), ['Added', 'Deleted']);
    assert.equal(seen[1]?.object, first);
  });

  void it('ignores the deletion of an object that is neither queued nor known', () => {
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: known() });
    fifo.delete(pod('ghost', '1'));
    assert.equal(fifo.length, 0);
  });

  void it('queues the deletion of a known object even when nothing is queued for it', () => {
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: known(pod('a', '1')) });
    fifo.delete(pod('a', '2'));
    assert.deepEqual(drain(fifo), [['default/a', ['Deleted'], false]]);
  });

  void it('emits Replaced deltas and tombstones for known objects the relist lacks', () => {
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: known(pod('a', '1'), pod('gone', '1')), emitDeltaTypeReplaced: true });
    fifo.replace([pod('a', '2'), pod('b', '2')], '2');
    const pops: Deltas<TestPod>[] = [];
    while (fifo.tryPop((d) => pops.push(d)) !== undefined);
    assert.deepEqual(pops.map((d) => d.map((x) => x.type)), [['Replaced'], ['Replaced'], ['Deleted']]);
    const tomb = pops[2]?.[0]?.object;
    assert.ok(isDeletedFinalStateUnknown<TestPod>(tomb));
    assert.equal(tomb.key, 'default/gone');
    assert.equal(tomb.obj?.metadata.resourceVersion, '1');
  });

  void it('emits Sync deltas for the relisted items unless told to emit Replaced', () => {
    const fifo = new DeltaFIFO<TestPod>();
    fifo.replace([pod('a', '1')], '1');
    assert.deepEqual(drain(fifo)[0]?.[1], ['Sync']);
  });

  void it('turns queued keys missing from a relist into tombstones holding the newest queued object', () => {
    const fifo = new DeltaFIFO<TestPod>({ emitDeltaTypeReplaced: true });
    fifo.add(pod('a', '1'));
    fifo.update(pod('a', '2'));
    fifo.replace([], '3');
    let seen: Deltas<TestPod> = [];
    fifo.tryPop((d) => (seen = d));
    assert.deepEqual(seen.map((d) => d.type), ['Added', 'Updated', 'Deleted']);
    const tomb = seen[2]?.object;
    assert.ok(isDeletedFinalStateUnknown<TestPod>(tomb));
    assert.equal(tomb.obj?.metadata.resourceVersion, '2');
  });

  void it('gives a known object a tombstone without an object when it vanished from the known store', () => {
    const keys = ['default/a'];
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: { listKeys: () => keys, get: () => undefined } });
    fifo.replace([], '1');
    let seen: Deltas<TestPod> = [];
    fifo.tryPop((d) => (seen = d));
    const tomb = seen[0]?.object;
    assert.ok(isDeletedFinalStateUnknown<TestPod>(tomb));
    assert.equal(tomb.obj, undefined);
  });

  void it('is not synced before anything happened', () => {
    assert.equal(new DeltaFIFO<TestPod>().hasSynced(), false);
  });

  void it('is synced only after the first replace items (and its deletions) were all popped and processed', () => {
    let syncedCalls = 0;
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: known(pod('gone', '1')), onSynced: () => syncedCalls++ });
    fifo.replace([pod('a', '1'), pod('b', '1'), pod('a', '1')], '1');
    const flags: boolean[] = [];
    const syncedDuring: boolean[] = [];
    while (
      fifo.tryPop((_d, initial) => {
        flags.push(initial);
        syncedDuring.push(fifo.hasSynced());
      }) !== undefined
    );
    assert.deepEqual(flags, [true, true, true]);
    assert.deepEqual(syncedDuring, [false, false, false]);
    assert.equal(fifo.hasSynced(), true);
    assert.equal(syncedCalls, 1);
  });

  void it('is synced at once by an empty first replace or by a first add', () => {
    const a = new DeltaFIFO<TestPod>();
    a.replace([], '1');
    assert.equal(a.hasSynced(), true);
    const b = new DeltaFIFO<TestPod>();
    b.add(pod('x', '1'));
    assert.equal(b.hasSynced(), true);
    assert.deepEqual(drain(b)[0]?.[2], false);
  });

  void it('counts later replaces as no new initial population', () => {
    const fifo = new DeltaFIFO<TestPod>();
    fifo.replace([pod('a', '1')], '1');
    drain(fifo);
    fifo.replace([pod('b', '2')], '2');
    assert.deepEqual(drain(fifo), [['default/b', ['Sync'], false]]);
  });

  void it('resyncs known objects that have no pending delta and skips those that do', () => {
    const fifo = new DeltaFIFO<TestPod>({ knownObjects: known(pod('a', '1'), pod('b', '1')) });
    fifo.update(pod('b', '2'));
    fifo.resync();
    const out = drain(fifo);
    assert.deepEqual(out.map(([k, t]) => [k, t]), [
      ['default/b', ['Updated']],
      ['default/a', ['Sync']],
    ]);
  });

  void it('still delivers the deltas when processing throws, and counts them towards sync', () => {
    const fifo = new DeltaFIFO<TestPod>();
    fifo.replace([pod('a', '1')], '1');
    assert.throws(() => fifo.tryPop(() => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(fifo.length, 0);
    assert.equal(fifo.hasSynced(), true);
  });

  void it('wakes a waiting pop when an item arrives', async () => {
    const fifo = new DeltaFIFO<TestPod>();
    const keys: string[] = [];
    const popped = fifo.pop((d) => keys.push(fifo.keyOf(d[0]!.object)));
    fifo.add(pod('a', '1'));
    await popped;
    assert.deepEqual(keys, ['default/a']);
  });

  void it('lets consumers drain after close and then rejects pops with DeltaFIFOClosedError', async () => {
    const fifo = new DeltaFIFO<TestPod>();
    fifo.add(pod('a', '1'));
    fifo.close();
    assert.equal(fifo.isClosed, true);
    await fifo.pop(() => undefined);
    await assert.rejects(fifo.pop(() => undefined), DeltaFIFOClosedError);
    assert.equal(await fifo.waitForItems(), false);
  });

  void it('rejects a pop that is waiting when the queue closes', async () => {
    const fifo = new DeltaFIFO<TestPod>();
    const popped = fifo.pop(() => undefined);
    fifo.close();
    await assert.rejects(popped, (e: unknown) => e instanceof DeltaFIFOClosedError && e.reason === 'QueueClosed');
  });

  void it('pops thousands of keys in arrival order', () => {
    const fifo = new DeltaFIFO<TestPod>();
    for (let i = 0; i < 5000; i++) fifo.add(pod(`p${i}`, '1'));
    const keys = drain(fifo).map(([k]) => k);
    assert.equal(keys.length, 5000);
    assert.equal(keys[0], 'default/p0');
    assert.equal(keys[4999], 'default/p4999');
  });
});

void describe('DeltaFIFO.replaceGradually', () => {
  void it('ends in the same queue as replace, with tombstones, while letting the event loop run', async () => {
    const items = Array.from({ length: 2500 }, (_, i) => pod(`p${i}`, '2'));
    const knownPods = [pod('gone', '1'), pod('p1', '1')];
    const atomic = new DeltaFIFO<TestPod>({ knownObjects: known(...knownPods), emitDeltaTypeReplaced: true });
    atomic.replace(items, '2');
    const gradual = new DeltaFIFO<TestPod>({ knownObjects: known(...knownPods), emitDeltaTypeReplaced: true });
    // Counts turns of the event loop, not timer firings: a 1 ms interval fires only if the replace
    // takes a millisecond or more (about 2 ms here, once warm), so it would fail on a faster machine.
    let turns = 0;
    let ticker = setImmediate(function tick() {
      turns++;
      ticker = setImmediate(tick);
    });
    await gradual.replaceGradually(items, '2', 100);
    clearImmediate(ticker);
    assert.ok(turns > 0, 'the event loop turned during the replace');
    assert.deepEqual(drain(gradual), drain(atomic));
  });

  void it('keeps consumers waiting until it completes', async () => {
    const fifo = new DeltaFIFO<TestPod>({ emitDeltaTypeReplaced: true });
    const queuedAtFirstPop: number[] = [];
    const consumer = fifo.pop(() => queuedAtFirstPop.push(fifo.length));
    await fifo.replaceGradually(Array.from({ length: 300 }, (_, i) => pod(`p${i}`, '1')), '1', 10);
    await consumer;
    // The first pop happened only once all 300 were queued (299 remain after it).
    assert.deepEqual(queuedAtFirstPop, [299]);
  });
});
