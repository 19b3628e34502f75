// CacheReader and the field-index key scheme over an in-memory Indexer (no HTTP: one layer isolated).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepFreeze } from '../../src/api/deep-freeze.ts';
import { isNotFound } from '../../src/api/errors.ts';
import { parseFieldSelector } from '../../src/api/field-selector.ts';
import { parseLabelSelector } from '../../src/api/label-selector.ts';
import type { DeepReadonly, KubeObject } from '../../src/api/types.ts';
import { CacheReader } from '../../src/cache/cache-reader.ts';
import { fieldIndexName, indexByField, keyToNamespacedKey } from '../../src/cache/field-index.ts';
import { Indexer, NAMESPACE_INDEX, namespaceIndexFunc } from '../../src/informer/indexer.ts';

interface Obj extends KubeObject {
  values?: string[];
}

function store(objs: Obj[]): Indexer<Obj> {
  const indexer = new Indexer<Obj>({ indexers: { [NAMESPACE_INDEX]: namespaceIndexFunc } });
  indexer.replace(
    objs.map((o) => deepFreeze(o)),
    '1',
  );
  return indexer;
}

const obj = (namespace: string, name: string, values: string[] = [], labels: Record<string, string> = {}): Obj => ({
  metadata: { namespace, name, labels },
  values,
});
const names = (items: readonly (DeepReadonly<Obj> | Obj)[]): string[] => items.map((i) => i.metadata?.name ?? '').sort();

void describe('field index keys', () => {
  void it('files namespaced objects under ns/value and __all_namespaces/value, cluster-scoped under the latter only', () => {
    const fn = indexByField<Obj>((o) => o.values ?? []);
    assert.deepEqual(fn(deepFreeze(obj('ns1', 'a', ['x', 'y']))), ['ns1/x', 'ns1/y', '__all_namespaces/x', '__all_namespaces/y']);
    assert.deepEqual(fn(deepFreeze(obj('', 'n', ['x']))), ['__all_namespaces/x']);
    assert.equal(fieldIndexName('spec.nodeName'), 'field:spec.nodeName');
    assert.equal(keyToNamespacedKey('', 'v'), '__all_namespaces/v');
    assert.equal(keyToNamespacedKey('ns', 'v'), 'ns/v');
  });

  void it('never mutates the array the extractor returns', () => {
    const shared: readonly string[] = Object.freeze(['x']);
    const fn = indexByField<Obj>(() => shared);
    assert.deepEqual(fn(deepFreeze(obj('ns1', 'a'))), ['ns1/x', '__all_namespaces/x']);
    assert.deepEqual(shared, ['x']);
  });
});

void describe('CacheReader', () => {
  const gvk = { group: 'example.com', version: 'v1', kind: 'Thing' };
  const make = (indexer: Indexer<Obj>, scope: 'Namespace' | 'Root' = 'Namespace') =>
    new CacheReader<Obj>({ indexer: indexer.readOnly(), gvk, resource: 'things', scope, deepCopy: false });

  void it('names the group-qualified resource in NotFound errors', () => {
    const reader = make(store([]));
    assert.throws(
      () => reader.get({ namespace: 'ns1', name: 'gone' }),
      (err: unknown) => isNotFound(err) && (err as Error).message === 'things.example.com "gone" not found',
    );
  });

  void it('matches any of several values and ANDs several field requirements', () => {
    const indexer = store([obj('ns1', 'a', ['x', 'y']), obj('ns1', 'b', ['y']), obj('ns2', 'c', ['x'])]);
    indexer.addIndexers({ [fieldIndexName('v')]: indexByField((o) => o.values ?? []) });
    indexer.addIndexers({ [fieldIndexName('n')]: indexByField((o) => [o.metadata?.name ?? '']) });
    const reader = make(indexer);
    assert.deepEqual(names(reader.list({ fieldSelector: parseFieldSelector('v=x') })), ['a', 'c']);
    assert.deepEqual(names(reader.list({ fieldSelector: parseFieldSelector('v=y'), namespace: 'ns1' })), ['a', 'b']);
    assert.deepEqual(names(reader.list({ fieldSelector: parseFieldSelector('v=y,n=b') })), ['b']);
    assert.deepEqual(names(reader.list({ fieldSelector: parseFieldSelector('v=x,metadata.namespace=ns2') })), ['c']);
  });

  void it('finds nothing for a namespace on a cluster-scoped kind, as controller-runtime does', () => {
    const reader = make(store([obj('', 'n1')]), 'Root');
    assert.deepEqual(reader.list({ namespace: 'ns1' }), []);
    assert.equal(reader.get({ namespace: 'ns1', name: 'n1' }).metadata?.name, 'n1');
  });

  void it('applies the label selector after the index lookup and stops at limit', () => {
    const reader = make(store([obj('ns1', 'a', [], { app: 'x' }), obj('ns1', 'b', [], { app: 'y' }), obj('ns1', 'c', [], { app: 'x' })]));
    assert.deepEqual(names(reader.list({ namespace: 'ns1', labelSelector: parseLabelSelector('app=x') })), ['a', 'c']);
    assert.equal(reader.list({ labelSelector: parseLabelSelector('app=x'), limit: 1 }).length, 1);
  });

  void it('copies per call or by policy, and otherwise returns the stored object', () => {
    const indexer = store([obj('ns1', 'a')]);
    const stored = indexer.get('ns1/a');
    assert.equal(make(indexer).get({ namespace: 'ns1', name: 'a' }), stored);
    const copy = make(indexer).get({ namespace: 'ns1', name: 'a' }, true);
    assert.notEqual(copy, stored);
    assert.deepEqual(copy, stored);
    const copying = new CacheReader<Obj>({ indexer: indexer.readOnly(), gvk, resource: 'things', scope: 'Namespace', deepCopy: true });
    assert.equal(Object.isFrozen(copying.list()[0]), false);
    assert.equal(copying.get({ namespace: 'ns1', name: 'a' }, false), stored);
  });
});
