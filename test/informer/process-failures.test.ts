// A failing index function or transform must not cost the store any other change of the object.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import type { ListOptions, ListPage } from '../../src/api/lister-watcher.ts';
import type { DeepReadonly } from '../../src/api/types.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { isDeletedFinalStateUnknown, type DeletedFinalStateUnknown } from '../../src/informer/deleted-final-state-unknown.ts';
import { IndexFuncError, ProcessDeltasError, TransformError } from '../../src/informer/errors.ts';
import type { SharedIndexInformerOptions } from '../../src/informer/informer-types.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { pod, ScriptedListerWatcher, type TestPod } from './scripted-lister-watcher.ts';
import { eventually } from '../helpers.ts';
import { runUntilTestEnds } from '../cleanup.ts';

const BAD = { bad: 'yes' };

/** An index function that throws on objects labelled bad=yes. */
function picky(p: DeepReadonly<TestPod>): readonly string[] {
  if (p.metadata.labels?.bad === 'yes') throw new Error(`cannot index ${p.metadata.name}`);
  return [p.metadata.name];
}

function start(t: TestContext, lists: ListPage<TestPod>[], options: SharedIndexInformerOptions<TestPod>) {
  let listed = 0;
  const onList = (_o: ListOptions): ListPage<TestPod> => lists[Math.min(listed++, lists.length - 1)] as ListPage<TestPod>;
  const lw = new ScriptedListerWatcher<TestPod>(onList);
  const clock = new FakeClock();
  const informer = new SharedIndexInformer<TestPod>(lw, { clock, ...options });
  const failures: ProcessDeltasError[] = [];
  const seen: string[] = [];
  const name = (o: DeepReadonly<TestPod> | DeletedFinalStateUnknown<TestPod>): string =>
    isDeletedFinalStateUnknown<TestPod>(o) ? `tombstone:${o.key}` : `${o.metadata.name}@${o.metadata.resourceVersion}`;
  informer.events.on('processError', (e) => failures.push(e));
  informer.events.on('watchError', () => undefined);
  informer.addEventHandler({
    onAdd: (o) => void seen.push(`add ${name(o)}`),
    onUpdate: (a, b) => void seen.push(`update ${name(a)}->${name(b)}`),
    onDelete: (o) => void seen.push(`delete ${name(o)}`),
  });
  runUntilTestEnds(t, (signal) => informer.run(signal));
  return { lw, clock, informer, failures, seen };
}

void describe('SharedIndexInformer with a failing index function or transform', () => {
  void it('applies the delete that follows an update its index function throws on', async (t) => {
    const { lw, informer, failures, seen } = start(t, [{ items: [pod('a', '10')], resourceVersion: '10' }], { indexers: { picky } });
    const w = await lw.watchAt(0);
    // One chunk: both deltas wait in the queue together and are handled in one go.
    w.push({ type: 'MODIFIED', object: pod('a', '11', { labels: BAD }) }, { type: 'DELETED', object: pod('a', '12') });
    await eventually(() => seen.length === 3, 'the update and the delete');
    assert.deepEqual(seen, ['add a@10', 'update a@10->a@11', 'delete a@12']);
    assert.equal(informer.getIndexer().has('default/a'), false);
    assert.deepEqual(informer.getIndexer().listIndexFuncValues('picky'), []);
    assert.equal(failures.length, 1);
    assert.ok(failures[0]?.cause instanceof IndexFuncError);
    assert.equal(failures[0].cause.key, 'default/a');
  });

  void it('announces the delete that follows an add its index function throws on', async (t) => {
    const { lw, informer, failures, seen } = start(t, [{ items: [], resourceVersion: '10' }], { indexers: { picky } });
    const w = await lw.watchAt(0);
    w.push({ type: 'ADDED', object: pod('x', '11', { labels: BAD }) }, { type: 'DELETED', object: pod('x', '12', { labels: BAD }) });
    await eventually(() => seen.length === 2, 'the add and the delete');
    assert.deepEqual(seen, ['add x@11', 'delete x@12']);
    assert.equal(informer.getIndexer().size, 0);
    // Once, for the add: the object was filed under no value, so its removal needs none.
    assert.equal(failures.length, 1);
  });

  void it('stores a listed object its index function throws on, and removes it when a relist lacks it', async (t) => {
    const first = { items: [pod('a', '10'), pod('bad', '10', { labels: BAD })], resourceVersion: '10' };
    const second = { items: [pod('a', '10')], resourceVersion: '20' };
    const { lw, clock, informer, failures, seen } = start(t, [first, second], { indexers: { picky } });
    await informer.onSynced();
    assert.deepEqual(informer.getIndexer().listKeys().sort(), ['default/a', 'default/bad']);
    assert.deepEqual(informer.getIndexer().listIndexFuncValues('picky'), ['a']);
    assert.equal(failures.length, 1);
    (await lw.watchAt(0)).push({ type: 'ERROR', error: StatusError.of(410, 'Expired', 'too old') });
    await clock.waitForTimers(1);
    await clock.advance(1600);
    await eventually(() => seen.includes('delete tombstone:default/bad'), 'the relist tombstone');
    assert.deepEqual(informer.getIndexer().listKeys(), ['default/a']);
  });

  void it('applies the delete that follows an update its transform throws on, and stores what it cannot transform as sent', async (t) => {
    const transform = (p: TestPod): TestPod => {
      if (p.metadata.labels?.bad === 'yes') throw new Error('cannot transform');
      return { ...p, metadata: { ...p.metadata, labels: { ...p.metadata.labels, transformed: 'yes' } } };
    };
    const list = { items: [pod('a', '10'), pod('b', '10')], resourceVersion: '10' };
    const { lw, informer, failures, seen } = start(t, [list], { transform });
    const w = await lw.watchAt(0);
    w.push({ type: 'MODIFIED', object: pod('a', '11', { labels: BAD }) }, { type: 'DELETED', object: pod('a', '12') });
    w.push({ type: 'MODIFIED', object: pod('b', '13', { labels: BAD }) });
    await eventually(() => seen.length === 5, 'two updates and a delete');
    assert.deepEqual(informer.getIndexer().listKeys(), ['default/b']);
    assert.deepEqual(informer.getIndexer().get('default/b')?.metadata.labels, BAD);
    assert.deepEqual(
      failures.map((f) => (f.cause instanceof TransformError ? f.cause.key : 'other')),
      ['default/a', 'default/b'],
    );
  });
});
