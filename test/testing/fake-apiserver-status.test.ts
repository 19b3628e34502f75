// The status subresource over HTTP: creates drop status, the main resource ignores status changes,
// `/status` changes nothing else, generation counts spec changes; under PUT, patch and apply alike.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { apply, createCrd, databaseCrd, PATCH, request, startServer, type Loose } from './fake-apiserver-helpers.ts';

const DBS = '/apis/example.com/v1/namespaces/default/databases';
const PLAIN = '/apis/example.com/v1/namespaces/default/plaindbs';

function db(name: string, spec: Loose, status?: Loose, kind = 'Database'): Loose {
  return { apiVersion: 'example.com/v1', kind, metadata: { name }, spec, ...(status === undefined ? {} : { status }) };
}

void describe('fake apiserver status subresource and generation', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    await createCrd(server, databaseCrd(true));
    await createCrd(server, databaseCrd(false, 'plaindbs', 'PlainDb'));
  });
  after(async () => {
    await server.stop();
  });

  void it('drops the status a create sends when the kind has a status subresource; a Pod starts Pending with its QoS class', async () => {
    const created = await request(server, 'POST', DBS, { body: db('a', { replicas: 1 }, { phase: 'Ready' }) });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, undefined);
    const applied = await apply(server, `${DBS}/b`, db('b', { replicas: 1 }, { phase: 'Ready' }), 'fieldManager=creator');
    assert.equal(applied.status, 201);
    assert.equal(applied.body.status, undefined);
    const pods = '/api/v1/namespaces/default/pods';
    const bestEffort = await request(server, 'POST', pods, { body: { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running' } } });
    assert.deepEqual(bestEffort.body.status, { phase: 'Pending', qosClass: 'BestEffort' });
    const resources = { limits: { cpu: '1', memory: '1Gi' } };
    const guaranteed = await request(server, 'POST', pods, { body: { metadata: { name: 'p2' }, spec: { containers: [{ name: 'c', image: 'i', resources }] } } });
    assert.deepEqual(guaranteed.body.status, { phase: 'Pending', qosClass: 'Guaranteed' });
    const plain = await request(server, 'POST', PLAIN, { body: db('p', { replicas: 1 }, { phase: 'Kept' }, 'PlainDb') });
    assert.deepEqual(plain.body.status, { phase: 'Kept' }, 'without a status subresource status is ordinary content');
  });

  void it('ignores status changes through the main resource under PUT, merge patch and apply (a status-only write is a no-op)', async () => {
    const fresh = (await request(server, 'GET', `${DBS}/a`)).body;
    assert.equal((await request(server, 'PUT', `${DBS}/a/status`, { body: { ...fresh, status: { phase: 'Ready' } } })).status, 200);
    const current = (await request(server, 'GET', `${DBS}/a`)).body;
    const put = await request(server, 'PUT', `${DBS}/a`, { body: { ...current, status: { phase: 'Broken' } } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.status, { phase: 'Ready' });
    assert.equal(put.body.metadata.resourceVersion, current.metadata.resourceVersion);
    const patched = await request(server, 'PATCH', `${DBS}/a`, { body: { status: { phase: 'Broken' } }, contentType: PATCH.merge });
    assert.deepEqual(patched.body.status, { phase: 'Ready' });
    assert.equal(patched.body.metadata.resourceVersion, current.metadata.resourceVersion);
    const applied = await apply(server, `${DBS}/a`, db('a', { tags: ['x'] }, { phase: 'Broken' }), 'fieldManager=spec-owner');
    assert.deepEqual(applied.body.status, { phase: 'Ready' });
    const owned = (applied.body.metadata.managedFields as Loose[]).find((e) => e['manager'] === 'spec-owner');
    assert.deepEqual(owned?.['fieldsV1'], { 'f:spec': { 'f:tags': { 'v:"x"': {} } } }, 'status is neither written nor owned through the main resource');
  });

  void it('changes only status through /status under PUT, patch and apply, recording the manager with its subresource', async () => {
    const before = (await request(server, 'GET', `${DBS}/a`)).body;
    const put = await request(server, 'PUT', `${DBS}/a/status`, {
      body: { ...before, metadata: { ...before.metadata, labels: { ignored: 'yes' } }, spec: { replicas: 9 }, status: { phase: 'Degraded' } },
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.spec, before.spec);
    assert.equal(put.body.metadata.labels, undefined);
    assert.deepEqual(put.body.status, { phase: 'Degraded' });
    assert.equal(put.body.metadata.generation, before.metadata.generation);
    const patched = await request(server, 'PATCH', `${DBS}/a/status?fieldManager=patcher`, { body: { spec: { replicas: 7 }, status: { phase: 'Ready' } }, contentType: PATCH.merge });
    assert.deepEqual(patched.body.spec, before.spec);
    assert.deepEqual(patched.body.status, { phase: 'Ready' });
    const applied = await apply(server, `${DBS}/a/status`, db('a', { replicas: 5 }, { conditions: [{ type: 'Available', status: 'True' }] }), 'fieldManager=controller');
    assert.equal(applied.status, 200);
    assert.deepEqual(applied.body.spec, before.spec);
    assert.deepEqual(applied.body.status.conditions, [{ type: 'Available', status: 'True' }]);
    const entry = (applied.body.metadata.managedFields as Loose[]).find((e) => e['manager'] === 'controller');
    assert.equal(entry?.['subresource'], 'status');
    assert.deepEqual(entry?.['fieldsV1'], { 'f:status': { 'f:conditions': { 'k:{"type":"Available"}': { '.': {}, 'f:status': {}, 'f:type': {} } } } });
    const patcher = (applied.body.metadata.managedFields as Loose[]).find((e) => e['manager'] === 'patcher');
    assert.deepEqual([patcher?.['operation'], patcher?.['subresource']], ['Update', 'status']);
  });

  void it('answers a conflicting status apply with 409 naming the owner and its subresource', async () => {
    const res = await apply(server, `${DBS}/a/status`, db('a', {}, { conditions: [{ type: 'Available', status: 'False' }] }), 'fieldManager=other-controller');
    assert.equal(res.status, 409);
    assert.equal(res.body.message, 'Apply failed with 1 conflict: conflict with "controller" with subresource "status": .status.conditions[type="Available"].status');
  });

  void it('bumps generation on spec changes only; without a status subresource status counts too', async () => {
    const start = (await request(server, 'GET', `${DBS}/a`)).body.metadata.generation as number;
    const labelled = await request(server, 'PATCH', `${DBS}/a`, { body: { metadata: { labels: { l: '1' } } }, contentType: PATCH.merge });
    assert.equal(labelled.body.metadata.generation, start);
    const scaled = await request(server, 'PATCH', `${DBS}/a`, { body: { spec: { replicas: 4 } }, contentType: PATCH.merge });
    assert.equal(scaled.body.metadata.generation, start + 1);
    const plain = await request(server, 'PATCH', `${PLAIN}/p`, { body: { status: { phase: 'Changed' } }, contentType: PATCH.merge });
    assert.equal(plain.body.metadata.generation, 2);
    assert.equal((await request(server, 'GET', `${PLAIN}/p/status`)).status, 404);
    const deployments = '/apis/apps/v1/namespaces/default/deployments';
    await request(server, 'POST', deployments, { body: { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } } } });
    const annotated = await request(server, 'PATCH', `${deployments}/d`, { body: { metadata: { annotations: { note: 'x' } } }, contentType: PATCH.merge });
    assert.equal(annotated.body.metadata.generation, 2, "a Deployment's annotations count (they are copied to its ReplicaSets)");
    const labelledDeployment = await request(server, 'PATCH', `${deployments}/d`, { body: { metadata: { labels: { x: 'y' } } }, contentType: PATCH.merge });
    assert.equal(labelledDeployment.body.metadata.generation, 2);
  });
});
