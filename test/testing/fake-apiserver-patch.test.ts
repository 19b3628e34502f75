// Patch application alone: RFC 7386 merge patch, RFC 6902 JSON patch, the strategic-merge approximation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatch, patchTypeOf } from '../../src/testing/fake-apiserver/patch.ts';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const SERVICE = { group: '', version: 'v1', kind: 'Service' };
const CONFIG_MAP = { group: '', version: 'v1', kind: 'ConfigMap' };
const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment' };

void describe('fake apiserver patches', () => {
  void it('merge patch merges objects, deletes on null and replaces lists', () => {
    const out = applyPatch('merge', { a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] });
    assert.deepEqual(out, { a: { c: 2, d: 3 }, l: [3] });
  });

  void it('JSON patch supports add, remove, replace, move, copy and test, on objects and arrays', () => {
    const doc = { a: [1, 2, 3], o: { x: 'y' } };
    const out = applyPatch('json', doc, [
      { op: 'add', path: '/a/1', value: 9 },
      { op: 'remove', path: '/a/0' },
      { op: 'add', path: '/a/-', value: 4 },
      { op: 'replace', path: '/o/x', value: 'z' },
      { op: 'copy', from: '/o/x', path: '/c' },
      { op: 'move', from: '/c', path: '/o/m' },
      { op: 'test', path: '/a', value: [9, 2, 3, 4] },
    ]);
    assert.deepEqual(out, { a: [9, 2, 3, 4], o: { x: 'z', m: 'z' } });
    assert.deepEqual(doc, { a: [1, 2, 3], o: { x: 'y' } });
  });

  void it('JSON patch failures are 422 and malformed patches 400', () => {
    assert.throws(() => applyPatch('json', { a: 1 }, [{ op: 'remove', path: '/b' }]), { code: 422 });
    assert.throws(() => applyPatch('json', { a: [] }, [{ op: 'add', path: '/a/5', value: 1 }]), { code: 422 });
    assert.throws(() => applyPatch('json', { a: 1 }, { op: 'add' }), { code: 400 });
    assert.throws(() => applyPatch('json', { a: 1 }, [{ op: 'frobnicate', path: '/a' }]), { code: 400 });
  });

  void it('strategic merge merges containers by name, honours $patch: delete and $setElementOrder', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } };
    const out = applyPatch(
      'strategic',
      pod,
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'c' }, { name: 'b' }],
          containers: [{ name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }, { name: 'a', $patch: 'delete' }],
        },
      },
      POD,
    );
    assert.deepEqual(out, { spec: { containers: [{ name: 'c', image: 'c:1' }, { name: 'b', image: 'b:2' }] } });
  });

  void it('strategic merge keys Service ports by port and replaces lists without a strategy', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }], externalIPs: ['1.1.1.1'] } };
    const out = applyPatch('strategic', svc, { spec: { ports: [{ port: 443 }, { port: 80, name: 'http' }], externalIPs: ['2.2.2.2'] } }, SERVICE);
    assert.deepEqual(out, {
      spec: { ports: [{ port: 443 }, { port: 80, targetPort: 8080, name: 'http' }], externalIPs: ['2.2.2.2'] },
    });
  });

  void it('strategic merge unions primitive merge lists (new items first) and deletes with $deleteFromPrimitiveList', () => {
    const cm = { metadata: { finalizers: ['a', 'b'] } };
    const out = applyPatch('strategic', cm, { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, CONFIG_MAP);
    assert.deepEqual(out, { metadata: { finalizers: ['c', 'b'] } });
  });

  void it('strategic merge rejects a $retainKeys list that omits a patched key with 400', () => {
    const deployment = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const retained = applyPatch('strategic', deployment, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, DEPLOYMENT);
    assert.deepEqual(retained, { spec: { strategy: { type: 'Recreate' } } });
    assert.throws(() => applyPatch('strategic', deployment, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, DEPLOYMENT), {
      code: 400,
      message: 'invalid patch format of retainKeys',
    });
  });

  void it('maps content types to patch types, refusing strategic merge on custom resources', () => {
    assert.equal(patchTypeOf('application/merge-patch+json; charset=utf-8', false), 'merge');
    assert.equal(patchTypeOf('application/strategic-merge-patch+json', false), 'strategic');
    assert.throws(() => patchTypeOf('application/strategic-merge-patch+json', true), { code: 415 });
    assert.throws(() => patchTypeOf('text/plain', false), { code: 415 });
  });
});
