// Object lifecycle: finalizers, generation, namespace deletion, the status subresource.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { configMap, PATCH, request, startServer, watch } from './fake-apiserver-helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, replicas: number): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas } };
}

void describe('fake apiserver object lifecycle', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  void it('marks an object with finalizers as deleting and removes it when the last finalizer goes', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    const created = await request(server, 'POST', CM, { body: { metadata: { name: 'fin', finalizers: ['a/b'] }, data: {} } });
    const del = await request(server, 'DELETE', `${CM}/fin`);
    assert.equal(del.status, 200);
    assert.equal(del.body.kind, 'ConfigMap');
    assert.ok(del.body.metadata.deletionTimestamp);
    assert.equal(del.body.metadata.deletionGracePeriodSeconds, 0);
    const again = await request(server, 'DELETE', `${CM}/fin`);
    assert.equal(again.body.metadata.resourceVersion, del.body.metadata.resourceVersion);
    const still = await request(server, 'GET', `${CM}/fin`);
    assert.equal(still.status, 200);
    const recreate = await request(server, 'POST', CM, { body: configMap('fin') });
    assert.equal(recreate.status, 409);
    assert.match(recreate.body.message, /^object is being deleted: /);
    const grown = await request(server, 'PATCH', `${CM}/fin`, {
      body: { metadata: { finalizers: ['a/b', 'c/d'] } },
      contentType: PATCH.merge,
    });
    assert.equal(grown.status, 422);
    assert.match(grown.body.message, /no new finalizers can be added if the object is being deleted/);
    const patched = await request(server, 'PATCH', `${CM}/fin`, {
      body: { metadata: { finalizers: null } },
      contentType: PATCH.merge,
    });
    assert.equal(patched.status, 200);
    assert.equal((await request(server, 'GET', `${CM}/fin`)).status, 404);
    const types = [await w.next(), await w.next(), await w.next()].map((e) => e?.type);
    assert.deepEqual(types, ['ADDED', 'MODIFIED', 'DELETED']);
    assert.equal(created.status, 201);
    w.close();
  });

  void it('sends the DELETED of a finalized object with its last stored finalizers and deletionTimestamp', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', { metadata: { name: 'fin2', namespace: 'default', finalizers: ['x'] } });
    server.objects.delete('configmaps', 'fin2', { namespace: 'default' });
    const current = server.objects.get('configmaps', 'fin2', { namespace: 'default' });
    server.objects.update('configmaps', { ...current, metadata: { ...current.metadata, finalizers: [] } });
    const deleted = await w.until((e) => e.type === 'DELETED');
    assert.deepEqual(deleted.object.metadata.finalizers, ['x']);
    assert.ok(deleted.object.metadata.deletionTimestamp);
    w.close();
  });

  void it('starts generation at 1 and bumps it only on spec changes', async () => {
    const created = await request(server, 'POST', DEPLOY, { body: deployment('web', 1) });
    assert.equal(created.body.metadata.generation, 1);
    const labelled = await request(server, 'PATCH', `${DEPLOY}/web`, {
      body: { metadata: { labels: { a: 'b' } } },
      contentType: PATCH.merge,
    });
    assert.equal(labelled.body.metadata.generation, 1);
    const scaled = await request(server, 'PATCH', `${DEPLOY}/web`, {
      body: { spec: { replicas: 3 } },
      contentType: PATCH.merge,
    });
    assert.equal(scaled.body.metadata.generation, 2);
  });

  void it('keeps status out of main-resource writes and changes only status through /status', async () => {
    const main = await request(server, 'PATCH', `${DEPLOY}/web`, {
      body: { status: { replicas: 9 } },
      contentType: PATCH.merge,
    });
    assert.equal(main.body.status, undefined);
    const status = await request(server, 'PATCH', `${DEPLOY}/web/status`, {
      body: { status: { replicas: 3 }, spec: { replicas: 100 } },
      contentType: PATCH.merge,
    });
    assert.equal(status.status, 200);
    assert.equal(status.body.status.replicas, 3);
    assert.equal(status.body.spec.replicas, 3);
    assert.equal(status.body.metadata.generation, 2);
  });

  void it('does not bump the resourceVersion or emit an event for a no-op patch', async () => {
    const rv = server.store.resourceVersion;
    const res = await request(server, 'PATCH', `${DEPLOY}/web`, {
      body: { spec: { replicas: 3 } },
      contentType: PATCH.merge,
    });
    assert.equal(res.status, 200);
    assert.equal(server.store.resourceVersion, rv);
  });

  void it('deletes every object of a namespace with the namespace', async () => {
    await request(server, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'doomed' } } });
    const ns = await request(server, 'GET', '/api/v1/namespaces/doomed');
    assert.equal(ns.body.status.phase, 'Active');
    await request(server, 'POST', '/api/v1/namespaces/doomed/configmaps', { body: configMap('c1') });
    await request(server, 'POST', '/apis/apps/v1/namespaces/doomed/deployments', { body: deployment('d1', 1) });
    const w = await watch(server, `/api/v1/namespaces/doomed/configmaps?watch=true&resourceVersion=${server.store.resourceVersion}`);
    const del = await request(server, 'DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.status, 200);
    assert.equal(del.body.kind, 'Namespace');
    assert.equal((await w.next())?.type, 'DELETED');
    assert.equal((await request(server, 'GET', '/api/v1/namespaces/doomed/configmaps')).body.items.length, 0);
    assert.equal((await request(server, 'GET', '/apis/apps/v1/namespaces/doomed/deployments')).body.items.length, 0);
    assert.equal((await request(server, 'GET', '/api/v1/namespaces/doomed')).status, 404);
    w.close();
  });

  void it('refuses new objects in a namespace that is terminating (403) until its finalizers go', async () => {
    await request(server, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'closing', finalizers: ['hold'] } } });
    await request(server, 'POST', '/api/v1/namespaces/closing/configmaps', { body: configMap('old') });
    const del = await request(server, 'DELETE', '/api/v1/namespaces/closing');
    assert.ok(del.body.metadata.deletionTimestamp);
    assert.equal((await request(server, 'GET', '/api/v1/namespaces/closing/configmaps')).body.items.length, 0);
    const refused = await request(server, 'POST', '/api/v1/namespaces/closing/configmaps', { body: configMap('new') });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /unable to create new content in namespace closing because it is being terminated/);
    await request(server, 'PATCH', '/api/v1/namespaces/closing', {
      body: { metadata: { finalizers: [] } },
      contentType: PATCH.merge,
    });
    assert.equal((await request(server, 'GET', '/api/v1/namespaces/closing')).status, 404);
  });

  void it('deletes a collection by selector', async () => {
    await request(server, 'POST', CM, { body: configMap('dc1', { labels: { batch: 'b' } }) });
    await request(server, 'POST', CM, { body: configMap('dc2', { labels: { batch: 'b' } }) });
    const res = await request(server, 'DELETE', `${CM}?labelSelector=batch%3Db`);
    assert.equal(res.status, 200);
    assert.equal(res.body.items.length, 2);
    assert.equal((await request(server, 'GET', `${CM}?labelSelector=batch%3Db`)).body.items.length, 0);
  });

  void it('gives direct object access without HTTP, with the same rules', () => {
    const created = server.objects.create('cm', { metadata: { name: 'direct', namespace: 'default' }, data: { a: '1' } });
    assert.equal(created.kind, 'ConfigMap');
    assert.equal(server.objects.list('configmaps', { namespace: 'default' }).some((o) => o.metadata.name === 'direct'), true);
    assert.throws(() => server.objects.create('configmaps', { metadata: { name: 'direct', namespace: 'default' } }), { code: 409 });
    assert.throws(() => server.objects.get('configmaps', 'missing', { namespace: 'default' }), { code: 404, reason: 'NotFound' });
    assert.throws(() => {
      (created.metadata as { name: string }).name = 'mutated';
    }, TypeError);
  });
});
