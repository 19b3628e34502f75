import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/types.ts';
import type { ControllerEvent } from '../../src/controller/event-handlers.ts';
import {
  and,
  annotationChangedPredicate,
  generationChangedPredicate,
  labelChangedPredicate,
  not,
  or,
  resourceVersionChangedPredicate,
} from '../../src/controller/predicates.ts';

const obj = (meta: KubeObject['metadata']): KubeObject => ({ metadata: { name: 'a', namespace: 'ns', ...meta } });
const update = (oldMeta: KubeObject['metadata'], newMeta: KubeObject['metadata']): ControllerEvent<KubeObject> => ({
  type: 'update',
  oldObject: obj(oldMeta),
  object: obj(newMeta),
});
const create: ControllerEvent<KubeObject> = { type: 'create', object: obj({}), isInInitialList: false };
const del: ControllerEvent<KubeObject> = { type: 'delete', object: obj({}), key: 'ns/a', deleteStateUnknown: false };

void describe('predicates', () => {
  void it('filter updates only: creates and deletes always pass the "changed" predicates', () => {
    for (const p of [generationChangedPredicate(), resourceVersionChangedPredicate(), labelChangedPredicate(), annotationChangedPredicate()]) {
      assert.equal(p(create), true);
      assert.equal(p(del), true);
    }
  });

  void it('pass an update when generation, resourceVersion, labels or annotations changed, and not otherwise', () => {
    assert.equal(generationChangedPredicate()(update({ generation: 1 }, { generation: 2 })), true);
    assert.equal(generationChangedPredicate()(update({ generation: 1, resourceVersion: '1' }, { generation: 1, resourceVersion: '2' })), false, 'a status write');
    assert.equal(resourceVersionChangedPredicate()(update({ resourceVersion: '1' }, { resourceVersion: '2' })), true);
    assert.equal(resourceVersionChangedPredicate()(update({ resourceVersion: '1' }, { resourceVersion: '1' })), false, 'a resync');
    assert.equal(labelChangedPredicate()(update({ labels: { a: '1' } }, { labels: { a: '2' } })), true);
    assert.equal(labelChangedPredicate()(update({ labels: { a: '1' } }, { labels: { b: '1' } })), true);
    assert.equal(labelChangedPredicate()(update({}, { labels: {} })), false, 'absent and empty are equal');
    assert.equal(annotationChangedPredicate()(update({ annotations: { x: 'y' } }, {})), true);
    assert.equal(annotationChangedPredicate()(update({ annotations: { x: 'y' } }, { annotations: { x: 'y' } })), false);
  });

  void it('combine with and, or and not', () => {
    const spec = update({ generation: 1 }, { generation: 2 });
    const labels = update({ labels: { a: '1' } }, { labels: {} });
    const either = or(generationChangedPredicate(), labelChangedPredicate());
    assert.deepEqual([either(spec), either(labels), either(update({}, {}))], [true, true, false]);
    assert.equal(and(generationChangedPredicate(), labelChangedPredicate())(spec), false);
    assert.equal(not(generationChangedPredicate())(spec), false);
  });
});
