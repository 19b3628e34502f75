import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopy, deepFreeze, deepFreezeCompact } from '../../src/api/deep-freeze.ts';

interface Pod {
  metadata: { name: string; labels: Record<string, string>; finalizers: string[]; created?: Date };
  spec: { containers: { name: string; ports: { containerPort: number }[] }[] };
}

function pod(): Pod {
  return {
    metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['f'], created: new Date(1_000) },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
  };
}

void test('deepFreeze makes nested mutation throw in strict mode', () => {
  const frozen = deepFreeze(pod());
  const mutable = frozen as unknown as Pod;
  assert.throws(() => {
    mutable.metadata.labels['app'] = 'db';
  }, TypeError);
  assert.throws(() => {
    mutable.metadata.finalizers.push('g');
  }, TypeError);
  assert.throws(() => {
    mutable.spec.containers[0]!.ports[0]!.containerPort = 81;
  }, TypeError);
  assert.throws(() => {
    delete (mutable.metadata as Partial<Pod['metadata']>).name;
  }, TypeError);
  assert.equal(frozen.spec.containers[0]?.ports[0]?.containerPort, 80);
});

void test('deepFreeze returns the same object and leaves primitives alone', () => {
  const p = pod();
  assert.equal(deepFreeze(p), p);
  assert.equal(deepFreeze(5), 5);
  assert.equal(deepFreeze(null), null);
  assert.equal(deepFreeze('s'), 's');
});

void test('deepFreeze freezes a Date wrapper without failing and tolerates typed arrays', () => {
  const p = deepFreeze(pod());
  assert.ok(Object.isFrozen(p.metadata.created));
  const withBytes = deepFreeze({ bytes: new Uint8Array([1, 2]) });
  assert.ok(Object.isFrozen(withBytes));
});

void test('deepFreeze skips subtrees that are already frozen and survives cycles', () => {
  const shared = Object.freeze({ inner: { x: 1 } });
  deepFreeze({ a: shared });
  assert.equal(Object.isFrozen(shared.inner), false, 'an already-frozen subtree is trusted, not walked');
  const cyclic: { self?: unknown; list: unknown[] } = { list: [] };
  cyclic.self = cyclic;
  cyclic.list.push(cyclic);
  deepFreeze(cyclic);
  assert.ok(Object.isFrozen(cyclic.list));
});

void test('deepCopy of a frozen object is mutable and independent of the original', () => {
  const original = deepFreeze(pod());
  // The cache holds DeepReadonly<T> and names T when it copies, as here.
  const copy = deepCopy<Pod>(original);
  copy.metadata.labels['app'] = 'db';
  copy.metadata.finalizers.push('g');
  copy.spec.containers[0]!.ports[0]!.containerPort = 81;
  assert.equal(original.metadata.labels['app'], 'web');
  assert.deepEqual(original.metadata.finalizers, ['f']);
  assert.equal(original.spec.containers[0]?.ports[0]?.containerPort, 80);
  assert.equal(Object.isFrozen(copy.metadata), false);
});

void test('deepCopy preserves structure, copies Dates as Dates and keeps a __proto__ key as data', () => {
  const original = pod();
  const copy = deepCopy(original);
  assert.deepEqual(copy, original);
  assert.ok(copy.metadata.created instanceof Date);
  assert.notEqual(copy.metadata.created, original.metadata.created);
  assert.equal(copy.metadata.created.getTime(), 1_000);
  const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
  const parsedCopy = deepCopy(parsed);
  assert.equal(Object.getPrototypeOf(parsedCopy), Object.prototype);
  assert.deepEqual(Object.keys(parsedCopy), ['__proto__', 'a']);
  assert.equal((parsedCopy as { polluted?: boolean }).polluted, undefined);
});

void test('deepFreezeCompact freezes like deepFreeze and shares one frozen instance for every empty object and array', () => {
  const obj = {
    metadata: { name: 'p', managedFields: [{ fieldsV1: { 'f:spec': { 'f:a': {}, 'f:b': {} } } }], finalizers: [] as string[] },
    status: { lastState: {}, list: [{}, { x: 1 }], created: new Date(5) },
  };
  const frozen = deepFreezeCompact(obj);
  assert.equal(frozen, obj);
  const fields = frozen.metadata.managedFields[0]?.fieldsV1['f:spec'];
  assert.ok(fields !== undefined);
  assert.equal(fields['f:a'], fields['f:b']);
  assert.equal(frozen.status.lastState, fields['f:a']);
  assert.equal(frozen.status.list[0], fields['f:a']);
  assert.deepEqual(frozen.status.list[1], { x: 1 });
  assert.ok(Object.isFrozen(fields['f:a']) && Object.isFrozen(frozen.metadata.finalizers) && Object.isFrozen(frozen.status.created));
  assert.equal(frozen.metadata.finalizers.length, 0);
  assert.deepEqual(JSON.parse(JSON.stringify(frozen)), JSON.parse(JSON.stringify(obj)));
  assert.throws(() => {
    (frozen.status.lastState as Record<string, unknown>)['x'] = 1;
  }, TypeError);
});

void test('deepFreezeCompact keeps empty class instances and a root that is empty, and survives cycles', () => {
  class Marker {}
  const marker = new Marker();
  const root: Record<string, unknown> = {};
  assert.equal(deepFreezeCompact(root), root);
  const holder = { marker, date: new Date(0) };
  deepFreezeCompact(holder);
  assert.equal(holder.marker, marker);
  type Node = { next?: Node; empty: object };
  const a: Node = { empty: {} };
  let tail = a;
  for (let i = 0; i < 200; i++) tail = tail.next = { empty: {} };
  tail.next = a;
  deepFreezeCompact(a);
  assert.ok(Object.isFrozen(tail) && Object.isFrozen(a.empty));
});
