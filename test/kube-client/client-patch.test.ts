// Client.patch over HTTP (merge, JSON, strategic, mergeFrom with and without an optimistic lock), and the merge-patch diff.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConflict, StatusError } from '../../src/api/errors.ts';
import { ConfigMaps, metadataOnly, Pods } from '../../src/cache/kinds.ts';
import { InvalidPatchError } from '../../src/kube-client/errors.ts';
import { mutable } from '../../src/kube-client/mutable.ts';
import { createMergePatch, mergeFrom, Patch } from '../../src/kube-client/patch.ts';
import { cachedClient, liveClient, startServer, timeout, WIDGET_CRD, Widgets } from './helpers.ts';

void describe('createMergePatch and mergeFrom', () => {
  void it('diffs two objects into an RFC 7386 merge patch: changes, additions, removals as null, lists whole', () => {
    const before = { a: 1, b: { c: 'x', d: 'y' }, list: [1, 2], same: { k: 'v' }, gone: true };
    const after = { a: 2, b: { c: 'x' }, list: [1, 2, 3], same: { k: 'v' }, added: { n: null } };
    assert.deepEqual(createMergePatch(before, after), { a: 2, b: { d: null }, list: [1, 2, 3], added: { n: null }, gone: null });
    assert.deepEqual(createMergePatch(after, structuredClone(after)), {});
  });

  void it('keeps a __proto__ key as data instead of changing the patch prototype', () => {
    const after = JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}') as Record<string, unknown>;
    const patch = createMergePatch({ metadata: { labels: {} } }, after);
    assert.equal(JSON.stringify(patch), '{"metadata":{"labels":{"__proto__":"x"}}}');
    assert.equal(Object.getPrototypeOf(patch), Object.prototype);
  });

  void it('adds the original resourceVersion under optimisticLock, and refuses an original without one', () => {
    const original = { metadata: { name: 'a', resourceVersion: '7' }, data: { v: '1' } };
    const patch = mergeFrom(original, { ...original, data: { v: '2' } }, { optimisticLock: true });
    assert.equal(patch.type, 'merge');
    assert.deepEqual(patch.data, { metadata: { resourceVersion: '7' }, data: { v: '2' } });
    assert.deepEqual(mergeFrom(original, { ...original, data: { v: '2' } }).data, { data: { v: '2' } });
    assert.throws(() => mergeFrom({ metadata: { name: 'a' } }, { metadata: { name: 'b' } }, { optimisticLock: true }), InvalidPatchError);
  });
});

void describe('Client.patch', () => {
  void it('patches a cached object with mergeFrom(cached, edited copy): only the changed fields are in the patch', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'ns1', labels: { app: 'web' } }, data: { k: 'v', drop: 'me' } });
    const { client } = cachedClient(t, server);
    const cached = await client.get(ConfigMaps, { namespace: 'ns1', name: 'a' }, { signal: timeout() });
    const edited = mutable(cached);
    edited.metadata = { ...edited.metadata, labels: { app: 'web', tier: 'front' } };
    edited.data = { k: 'v' };
    const patch = mergeFrom(cached, edited);
    assert.deepEqual(patch.data, { metadata: { labels: { tier: 'front' } }, data: { drop: null } });
    const patched = await client.patch(ConfigMaps, edited, patch);
    assert.deepEqual(patched.data, { k: 'v' });
    assert.deepEqual(patched.metadata?.labels, { app: 'web', tier: 'front' });
    assert.equal(server.requests.count({ verb: 'patch' }), 1);
  });

  void it('fails an optimistic-lock patch on a changed object with 409, where a plain one goes through', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const original = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' }, data: { v: '1', other: 'x' } });
    server.objects.update('configmaps', { ...server.objects.get('configmaps', 'a', { namespace: 'ns1' }), data: { v: '1', other: 'changed' } });
    const edited = { ...original, data: { ...original.data, v: '2' } };

    const locked = await client.patch(ConfigMaps, original, mergeFrom(original, edited, { optimisticLock: true })).catch((e: unknown) => e);
    assert.ok(isConflict(locked), String(locked));
    const plain = await client.patch(ConfigMaps, original, mergeFrom(original, edited));
    assert.deepEqual(plain.data, { v: '2', other: 'changed' }, 'the other writer change survives a patch');
  });

  void it('applies bare merge and JSON patches, Patch.json, and a strategic patch that merges containers by name', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    await client.create(Pods, { metadata: { name: 'p', namespace: 'ns1', labels: { a: '1' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'envoy:1' }] } });

    const merged = await client.patch(Pods, { namespace: 'ns1', name: 'p' }, { metadata: { labels: { a: null, b: '2' } } });
    assert.deepEqual(merged.metadata?.labels, { b: '2' });

    const jsonPatched = await client.patch(Pods, { namespace: 'ns1', name: 'p' }, [{ op: 'add', path: '/metadata/labels/c', value: '3' }], { type: 'json' });
    assert.deepEqual(jsonPatched.metadata?.labels, { b: '2', c: '3' });
    const viaClass = await client.patch(Pods, { namespace: 'ns1', name: 'p' }, Patch.json([{ op: 'remove', path: '/metadata/labels/c' }]));
    assert.deepEqual(viaClass.metadata?.labels, { b: '2' });

    const strategic = await client.patch(Pods, { namespace: 'ns1', name: 'p' }, Patch.strategic({ spec: { containers: [{ name: 'app', image: 'nginx:2' }] } }));
    assert.deepEqual(strategic.spec?.containers.map((c) => `${c.name}=${c.image ?? ''}`), ['app=nginx:2', 'side=envoy:1'], 'containers merged by name');
  });

  void it('refuses a strategic patch of a custom resource with the server 415, and mismatched patch types before sending', async (t) => {
    const server = await startServer(t);
    server.objects.create('customresourcedefinitions', WIDGET_CRD);
    const client = liveClient(t, server);
    await client.create(Widgets, { metadata: { name: 'g', namespace: 'ns1' }, spec: { size: 1 } });
    const err = await client.patch(Widgets, { namespace: 'ns1', name: 'g' }, { spec: { size: 2 } }, { type: 'strategic' }).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError && err.code === 415, String(err));
    await assert.rejects(client.patch(Widgets, { namespace: 'ns1', name: 'g' }, Patch.merge({}), { type: 'json' }), InvalidPatchError);
    await assert.rejects(client.patch(Widgets, { namespace: 'ns1', name: 'g' }, { spec: {} }, { type: 'json' }), InvalidPatchError);
    const merged = await client.patch(Widgets, { namespace: 'ns1', name: 'g' }, { spec: { size: 2 } });
    assert.deepEqual(merged['spec'], { size: 2 });
  });

  void it('patches the labels of a metadata-only object and answers with metadata only', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', { metadata: { name: 'p', namespace: 'ns1' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    const PodMeta = metadataOnly(Pods.gvk);
    const client = liveClient(t, server);
    const patched = await client.patch(PodMeta, { namespace: 'ns1', name: 'p' }, { metadata: { labels: { seen: 'yes' } } });
    assert.deepEqual([patched.apiVersion, patched.kind, patched.metadata.labels], ['v1', 'Pod', { seen: 'yes' }]);
    assert.equal('spec' in patched, false);
    assert.equal(server.objects.get('pods', 'p', { namespace: 'ns1' })['spec'] !== undefined, true, 'the spec is still stored');
  });
});
