import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidObjectKeyError, MissingMetadataError, formatObjectKey, objectKeyOf, splitObjectKey } from '../../src/api/object-key.ts';
import { deepFreeze } from '../../src/api/deep-freeze.ts';

void test('namespaced objects key as namespace/name and cluster-scoped ones as name', () => {
  assert.equal(objectKeyOf({ metadata: { namespace: 'ns', name: 'p' } }), 'ns/p');
  assert.equal(objectKeyOf({ metadata: { name: 'node-1' } }), 'node-1');
  assert.equal(objectKeyOf({ metadata: { namespace: '', name: 'node-1' } }), 'node-1');
  assert.equal(objectKeyOf(deepFreeze({ metadata: { namespace: 'ns', name: 'p', finalizers: ['x'] } })), 'ns/p');
});

void test('an object without metadata.name cannot be keyed', () => {
  for (const obj of [{}, { metadata: {} }, { metadata: { namespace: 'ns', name: '' } }]) {
    assert.throws(() => objectKeyOf(obj), (err: unknown) => err instanceof MissingMetadataError && err.reason === 'MissingMetadata');
  }
});

void test('formatObjectKey and splitObjectKey round-trip', () => {
  for (const key of ['ns/p', 'node-1']) assert.equal(formatObjectKey(splitObjectKey(key)), key);
  assert.deepEqual(splitObjectKey('ns/p'), { namespace: 'ns', name: 'p' });
  assert.deepEqual(splitObjectKey('node-1'), { name: 'node-1' });
  assert.equal(formatObjectKey({ namespace: '', name: 'n' }), 'n');
});

void test('splitObjectKey rejects a key with more than one slash', () => {
  assert.throws(() => splitObjectKey('a/b/c'), (err: unknown) => err instanceof InvalidObjectKeyError && err.key === 'a/b/c');
});
