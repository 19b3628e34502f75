// Client writes over HTTP: create, update (of a frozen cached object after mutable), delete with preconditions, deleteAllOf.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAlreadyExists, isConflict, isInvalid, isNotFound, StatusError } from '../../src/api/errors.ts';
import { MissingMetadataError } from '../../src/api/object-key.ts';
import { ConfigMaps, metadataOnly, Namespaces, Pods } from '../../src/cache/kinds.ts';
import { MetadataOnlyWriteError, MissingNamespaceError } from '../../src/kube-client/errors.ts';
import { mutable } from '../../src/kube-client/mutable.ts';
import { cachedClient, eventually, liveClient, startServer, timeout } from './helpers.ts';

void describe('Client writes', () => {
  void it('creates an object and answers with what the server stored; a second create of the name is AlreadyExists', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const created = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1', labels: { app: 'web' } }, data: { k: 'v' } });
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
    assert.equal(created.kind, 'ConfigMap');
    assert.deepEqual(server.objects.get('configmaps', 'a', { namespace: 'ns1' }).data, { k: 'v' });
    const again = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' } }).catch((e: unknown) => e);
    assert.ok(isAlreadyExists(again) && again instanceof StatusError && again.code === 409, String(again));
  });

  void it('names a created object by generateName, and stores nothing on a dry run', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const generated = await client.create(ConfigMaps, { metadata: { generateName: 'job-', namespace: 'ns1' } });
    assert.match(generated.metadata?.name ?? '', /^job-[a-z0-9]{5}$/);
    const dry = await client.create(ConfigMaps, { metadata: { name: 'dry', namespace: 'ns1' } }, { dryRun: true });
    assert.equal(dry.metadata?.name, 'dry');
    assert.throws(() => server.objects.get('configmaps', 'dry', { namespace: 'ns1' }), (e: unknown) => isNotFound(e));
    assert.equal(server.requests.filter({ verb: 'create' }).at(-1)?.query.get('dryRun'), 'All');
  });

  void it('updates a frozen object read from the cache after mutable(), and the cache then sees the new version', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'settings', namespace: 'ns1' }, data: { mode: 'slow' } });
    const { client } = cachedClient(t, server);

    const cached = await client.get(ConfigMaps, { namespace: 'ns1', name: 'settings' }, { signal: timeout() });
    assert.throws(() => {
      (cached.data as Record<string, string>)['mode'] = 'fast';
    }, TypeError);
    const edited = mutable(cached);
    edited.data = { ...edited.data, mode: 'fast' };
    const updated = await client.update(ConfigMaps, edited);

    assert.equal(updated.data?.['mode'], 'fast');
    assert.notEqual(updated.metadata?.resourceVersion, cached.metadata?.resourceVersion);
    assert.equal(cached.data?.['mode'], 'slow', 'the cached original is untouched');
    await eventually(async () => (await client.get(ConfigMaps, { namespace: 'ns1', name: 'settings' })).data?.['mode'] === 'fast', 'the cache to see the update');
  });

  void it('rejects an update carrying a stale resourceVersion with 409 Conflict', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const created = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' }, data: { v: '1' } });
    await client.update(ConfigMaps, { ...created, data: { v: '2' } });
    const stale = await client.update(ConfigMaps, { ...created, data: { v: '3' } }).catch((e: unknown) => e);
    assert.ok(isConflict(stale), String(stale));
    assert.deepEqual(server.objects.get('configmaps', 'a', { namespace: 'ns1' }).data, { v: '2' });
  });

  void it('deletes with preconditions: a uid or resourceVersion that no longer matches is a 409 and the object stays', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const created = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' } });
    const uid = created.metadata?.uid ?? '';
    const resourceVersion = created.metadata?.resourceVersion ?? '';

    const wrongUid = await client.delete(ConfigMaps, created, { preconditions: { uid: 'not-the-uid' } }).catch((e: unknown) => e);
    assert.ok(isConflict(wrongUid), String(wrongUid));
    assert.match((wrongUid as Error).message, /Precondition failed: UID in precondition: not-the-uid/);

    await client.update(ConfigMaps, { ...created, data: { changed: 'yes' } });
    const staleVersion = await client.delete(ConfigMaps, created, { preconditions: { resourceVersion } }).catch((e: unknown) => e);
    assert.ok(isConflict(staleVersion), String(staleVersion));
    assert.equal(server.objects.get('configmaps', 'a', { namespace: 'ns1' }).metadata.uid, uid, 'still there');

    await client.delete(ConfigMaps, { namespace: 'ns1', name: 'a' }, { preconditions: { uid } });
    assert.throws(() => server.objects.get('configmaps', 'a', { namespace: 'ns1' }), (e: unknown) => isNotFound(e));
    const gone = await client.delete(ConfigMaps, { namespace: 'ns1', name: 'a' }).catch((e: unknown) => e);
    assert.ok(isNotFound(gone), String(gone));
  });

  void it('deletes every object of a namespace that a label selector matches, and nothing on a dry run', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    for (const [name, ns, app] of [['a', 'ns1', 'web'], ['b', 'ns1', 'db'], ['c', 'ns1', 'web'], ['d', 'ns2', 'web']] as const) {
      await client.create(ConfigMaps, { metadata: { name, namespace: ns, labels: { app } } });
    }
    await client.deleteAllOf(ConfigMaps, { namespace: 'ns1', labelSelector: { app: 'web' }, dryRun: true });
    assert.equal(server.objects.list('configmaps', { namespace: 'ns1' }).filter((cm) => cm.metadata.name !== 'kube-root-ca.crt').length, 3);

    await client.deleteAllOf(ConfigMaps, { namespace: 'ns1', labelSelector: 'app=web' });
    const left = server.objects.list('configmaps').map((cm) => `${cm.metadata.namespace}/${cm.metadata.name}`);
    assert.ok(left.includes('ns1/b') && left.includes('ns2/d'));
    assert.ok(!left.includes('ns1/a') && !left.includes('ns1/c'));
    const all = await client.deleteAllOf(ConfigMaps, {}).catch((e: unknown) => e);
    assert.ok(all instanceof MissingNamespaceError, String(all));
  });

  void it('refuses calls it cannot send: a namespaced object without namespace, an object without name, a metadata-only create', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    await assert.rejects(client.create(ConfigMaps, { metadata: { name: 'a' } }), MissingNamespaceError);
    await assert.rejects(client.update(ConfigMaps, { metadata: { namespace: 'ns1' } }), MissingMetadataError);
    await assert.rejects(client.get(Pods, { name: 'p' }, { live: true }), MissingNamespaceError);
    const PodMeta = metadataOnly(Pods.gvk);
    await assert.rejects(client.create(PodMeta, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns1' } }), MetadataOnlyWriteError);
    await assert.rejects(client.update(PodMeta, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns1' } }), MetadataOnlyWriteError);
    assert.equal(server.requests.count({ verb: 'create' }) + server.requests.count({ verb: 'update' }), 0, 'nothing was sent');
    // A cluster-scoped kind needs no namespace.
    const ns = await client.create(Namespaces, { metadata: { name: 'ns9' } });
    assert.equal(ns.metadata?.namespace, undefined);
  });

  void it('passes on the server Invalid answer with its causes', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const err = await client.create(ConfigMaps, { metadata: { name: 'Not_A_Name', namespace: 'ns1' } }).catch((e: unknown) => e);
    assert.ok(isInvalid(err), String(err));
    assert.equal((err as StatusError).status.details?.causes?.[0]?.field, 'metadata.name');
  });

  void it('records the client fieldOwner, or the call fieldManager, as the manager of each write', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server, { fieldOwner: 'my-operator' });
    const created = await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' } });
    await client.update(ConfigMaps, { ...created, data: { x: 'y' } }, { fieldManager: 'other' });
    const managers = server.requests.records.filter((r) => r.verb === 'create' || r.verb === 'update').map((r) => r.query.get('fieldManager'));
    assert.deepEqual(managers, ['my-operator', 'other']);
  });
});
