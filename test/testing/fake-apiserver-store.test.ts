// The store alone: sorted keys across writes, rewinding to past versions, compaction.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactedError, ObjectStore } from '../../src/testing/fake-apiserver/store.ts';

const GVR = { group: '', version: 'v1', resource: 'configmaps' };

function put(store: ObjectStore, name: string): void {
  store.commit(GVR, `default/${name}`, store.get(GVR, `default/${name}`) === undefined ? 'ADDED' : 'MODIFIED', {
    metadata: { name, namespace: 'default' },
  });
}

void describe('fake apiserver store', () => {
  void it('keeps keys sorted when objects are added and removed after a read', () => {
    const store = new ObjectStore(1000);
    for (const n of ['m', 'c', 'x']) put(store, n);
    assert.deepEqual(store.current(GVR).keys, ['default/c', 'default/m', 'default/x']);
    const held = store.current(GVR).keys;
    put(store, 'a');
    put(store, 'n');
    const gone = store.get(GVR, 'default/m');
    assert.ok(gone);
    store.commit(GVR, 'default/m', 'DELETED', gone);
    assert.deepEqual(store.current(GVR).keys, ['default/a', 'default/c', 'default/n', 'default/x']);
    assert.deepEqual(held, ['default/c', 'default/m', 'default/x']);
  });

  void it('stays sorted through many inserts after a read', () => {
    const store = new ObjectStore(10000);
    put(store, 'seed');
    store.current(GVR);
    const names = Array.from({ length: 600 }, (_, i) => `n-${(i * 7919) % 600}`);
    for (const n of names) put(store, n);
    const keys = store.current(GVR).keys;
    assert.equal(keys.length, 601);
    assert.deepEqual([...keys], [...keys].sort());
  });

  void it('rewinds to a past version and refuses one older than the history window', () => {
    const store = new ObjectStore(3);
    put(store, 'a');
    const rv = store.resourceVersion;
    put(store, 'b');
    put(store, 'a');
    const past = store.at(GVR, rv);
    assert.deepEqual(past.keys, ['default/a']);
    assert.equal(past.get('default/a')?.metadata.resourceVersion, String(rv));
    put(store, 'c');
    put(store, 'd');
    assert.throws(() => store.at(GVR, rv), CompactedError);
    store.compact();
    assert.throws(() => store.eventsAfter(GVR, store.resourceVersion - 1), CompactedError);
    assert.deepEqual(store.eventsAfter(GVR, store.resourceVersion), []);
  });

  void it('rejects a history window that is not a positive integer', () => {
    assert.throws(() => new ObjectStore(0), TypeError);
  });
});
