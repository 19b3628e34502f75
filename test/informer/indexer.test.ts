import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../src/api/types.ts';
import { DeletedFinalStateUnknown } from '../../src/informer/deleted-final-state-unknown.ts';
import { IndexerConflictError, IndexFuncError, IndexNotFoundError } from '../../src/informer/errors.ts';
import { Indexer, NAMESPACE_INDEX, namespaceIndexFunc } from '../../src/informer/indexer.ts';
import { pod, type TestPod } from './scripted-lister-watcher.ts';

const byNode = (p: DeepReadonly<TestPod>): readonly string[] => (p.spec?.node === undefined ? [] : [p.spec.node]);
const byLabels = (p: DeepReadonly<TestPod>): readonly string[] => Object.values(p.metadata.labels ?? {});

function newIndexer(): Indexer<TestPod> {
  return new Indexer<TestPod>({ indexers: { [NAMESPACE_INDEX]: namespaceIndexFunc, node: byNode } });
}

const picky = (p: DeepReadonly<TestPod>): string[] => {
  if (p.metadata.name === 'bad') throw new Error('no');
  return [p.metadata.name];
};

void describe('Indexer', () => {
  void it('stores objects under "namespace/name" and cluster-scoped ones under "name"', () => {
    const store = newIndexer();
    store.add(pod('a', '1'));
    const node: TestPod = { metadata: { name: 'n1' } };
    store.add(node);
    assert.deepEqual(store.listKeys().sort(), ['default/a', 'n1']);
    assert.equal(store.get('default/a')?.metadata.resourceVersion, '1');
    assert.equal(store.has('n1'), true);
    assert.equal(store.size, 2);
  });

  void it('updateByKey hands back the object it replaced, and nothing for a new key', () => {
    const store = newIndexer();
    const first = pod('a', '1');
    assert.equal(store.updateByKey('default/a', first), undefined);
    assert.equal(store.updateByKey('default/a', pod('a', '2')), first);
    assert.equal(store.get('default/a')?.metadata.resourceVersion, '2');
  });

  void it('moves an object between index values when an update changes them', () => {
    const store = newIndexer();
    store.add(pod('a', '1', { node: 'n1' }));
    store.add(pod('b', '1', { node: 'n1' }));
    store.update(pod('a', '2', { node: 'n2' }));
    assert.deepEqual(store.indexKeys('node', 'n1'), ['default/b']);
    assert.deepEqual(store.indexKeys('node', 'n2'), ['default/a']);
    assert.equal(store.byIndex('node', 'n2')[0]?.metadata.resourceVersion, '2');
  });

  void it('drops index values nobody uses any more', () => {
    const store = newIndexer();
    store.add(pod('a', '1', { node: 'n1' }));
    store.update(pod('a', '2', { node: 'n2' }));
    assert.deepEqual(store.listIndexFuncValues('node'), ['n2']);
    store.delete(pod('a', '3', { node: 'n2' }));
    assert.deepEqual(store.listIndexFuncValues('node'), []);
    assert.deepEqual(store.byIndex('node', 'n2'), []);
  });

  void it('removes the index entries of a deleted object, also when given its tombstone', () => {
    const store = newIndexer();
    store.add(pod('a', '1', { ns: 'x' }));
    store.add(pod('b', '1', { ns: 'x' }));
    store.delete(new DeletedFinalStateUnknown<TestPod>('x/a', undefined));
    assert.deepEqual(store.indexKeys(NAMESPACE_INDEX, 'x'), ['x/b']);
    assert.equal(store.get('x/a'), undefined);
  });

  void it('indexes an object under each of several values and none for an empty list', () => {
    const store = new Indexer<TestPod>({ indexers: { labels: byLabels } });
    store.add(pod('a', '1', { labels: { app: 'web', tier: 'front' } }));
    store.add(pod('b', '1'));
    assert.deepEqual(store.indexKeys('labels', 'web'), ['default/a']);
    assert.deepEqual(store.indexKeys('labels', 'front'), ['default/a']);
    assert.deepEqual(store.listIndexFuncValues('labels').sort(), ['front', 'web']);
  });

  void it('rebuilds every index on replace', () => {
    const store = newIndexer();
    store.add(pod('old', '1', { node: 'n1' }));
    store.replace([pod('a', '5', { node: 'n2' }), pod('b', '5', { ns: 'x', node: 'n2' })], '5');
    assert.deepEqual(store.listKeys().sort(), ['default/a', 'x/b']);
    assert.deepEqual(store.indexKeys('node', 'n1'), []);
    assert.deepEqual(store.indexKeys('node', 'n2'), ['default/a', 'x/b']);
    assert.equal(store.resourceVersion, '5');
  });

  void it('back-fills indexes added after objects were stored', () => {
    const store = new Indexer<TestPod>();
    store.add(pod('a', '1', { node: 'n1' }));
    store.add(pod('b', '1', { node: 'n2' }));
    store.addIndexers({ node: byNode });
    assert.deepEqual(store.indexKeys('node', 'n1'), ['default/a']);
    assert.equal(store.hasIndex('node'), true);
    store.add(pod('c', '1', { node: 'n1' }));
    assert.deepEqual(store.indexKeys('node', 'n1'), ['default/a', 'default/c']);
  });

  void it('rejects an index name that already exists and adds none of the batch', () => {
    const store = newIndexer();
    assert.throws(
      () => store.addIndexers({ fresh: byNode, node: byNode }),
      (e: unknown) => e instanceof IndexerConflictError && e.reason === 'IndexerConflict' && e.conflicts[0] === 'node',
    );
    assert.equal(store.hasIndex('fresh'), false);
  });

  void it('throws IndexNotFoundError for reads of an unknown index, except listIndexFuncValues', () => {
    const store = newIndexer();
    assert.throws(() => store.byIndex('nope', 'x'), IndexNotFoundError);
    assert.throws(() => store.indexKeys('nope', 'x'), IndexNotFoundError);
    assert.deepEqual(store.listIndexFuncValues('nope'), []);
  });

  void it('stores an object its index function throws on without that index entry, then throws the failure', () => {
    const store = new Indexer<TestPod>({ indexers: { picky } });
    store.add(pod('good', '1'));
    assert.throws(() => store.add(pod('bad', '1')), (err: unknown) => {
      assert.ok(err instanceof IndexFuncError);
      assert.equal(err.indexName, 'picky');
      assert.equal(err.key, 'default/bad');
      assert.equal(err.reason, 'IndexFuncFailed');
      return true;
    });
    assert.deepEqual(store.listKeys().sort(), ['default/bad', 'default/good']);
    assert.deepEqual(store.listIndexFuncValues('picky'), ['good']);
    store.delete(pod('bad', '2'));
    assert.deepEqual(store.listKeys(), ['default/good']);
  });

  void it('hands index function failures to onIndexError instead of throwing, on every write path', () => {
    const failures: string[] = [];
    const store = new Indexer<TestPod>({ indexers: { picky }, onIndexError: (e) => failures.push(`${e.indexName} ${e.key}`) });
    store.add(pod('bad', '1'));
    store.replace([pod('bad', '2'), pod('good', '2')], '2');
    store.addIndexers({ other: picky });
    assert.deepEqual(failures, ['picky default/bad', 'picky default/bad', 'other default/bad']);
    assert.deepEqual(store.byIndex('other', 'good').length, 1);
    assert.equal(store.size, 2);
  });

  void it('hands readers a live view without writers', () => {
    const store = newIndexer();
    const view = store.readOnly();
    store.add(pod('a', '1', { node: 'n1' }));
    assert.equal(view.size, 1);
    assert.deepEqual(view.indexKeys('node', 'n1'), ['default/a']);
    assert.equal('add' in view, false);
    assert.equal('replace' in view, false);
    assert.equal(Object.isFrozen(view), true);
  });

  void it('keeps the namespace index correct for cluster-scoped objects', () => {
    const store = newIndexer();
    store.add({ metadata: { name: 'n1' } });
    assert.deepEqual(store.indexKeys(NAMESPACE_INDEX, ''), ['n1']);
  });
});
