// CRUD over HTTP against the fake APIServer: create/get/update/patch/delete and their error codes.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { configMap, PATCH, request, startServer } from './fake-apiserver-helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';

void describe('fake apiserver CRUD', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  void it('creates an object with uid, creationTimestamp and a resourceVersion from the global counter', async () => {
    const before = server.store.resourceVersion;
    const res = await request(server, 'POST', CM, { body: configMap('create-a') });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.body.kind, 'ConfigMap');
    assert.equal(res.body.apiVersion, 'v1');
    assert.equal(res.body.metadata.namespace, 'default');
    assert.match(res.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(res.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(res.body.metadata.resourceVersion, String(before + 1));
    assert.equal(res.body.metadata.generation, undefined);
  });

  void it('generates a name from generateName', async () => {
    const res = await request(server, 'POST', CM, { body: { metadata: { generateName: 'gen-' }, data: {} } });
    assert.equal(res.status, 201);
    assert.match(res.body.metadata.name, /^gen-[a-z0-9]{5}$/);
  });

  void it('answers 409 AlreadyExists for a duplicate name', async () => {
    await request(server, 'POST', CM, { body: configMap('dup') });
    const res = await request(server, 'POST', CM, { body: configMap('dup') });
    assert.equal(res.status, 409);
    assert.equal(res.body.kind, 'Status');
    assert.equal(res.body.reason, 'AlreadyExists');
    assert.equal(res.body.message, 'configmaps "dup" already exists');
    assert.deepEqual(res.body.details, { name: 'dup', kind: 'configmaps' });
  });

  void it('answers 404 when creating in a namespace that does not exist', async () => {
    const res = await request(server, 'POST', '/api/v1/namespaces/nope/configmaps', { body: configMap('x') });
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'namespaces "nope" not found');
  });

  void it('answers 400 when the body namespace conflicts with the URL', async () => {
    const res = await request(server, 'POST', CM, { body: configMap('x', { namespace: 'kube-system' }) });
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'BadRequest');
    assert.equal(res.body.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  void it('answers 422 Invalid for a bad name and for a missing name', async () => {
    const bad = await request(server, 'POST', CM, { body: configMap('Bad_Name') });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.reason, 'Invalid');
    assert.match(bad.body.message, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value/);
    const badLabel = await request(server, 'POST', CM, { body: configMap('lbl', { labels: { 'bad key': 'v' } }) });
    assert.equal(badLabel.status, 422);
    assert.match(badLabel.body.message, /metadata.labels: Invalid value: "bad key"/);
    const missing = await request(server, 'POST', CM, { body: { data: {} } });
    assert.equal(missing.status, 422);
    assert.match(missing.body.message, /name or generateName is required/);
  });

  void it('answers 500 when a create carries a resourceVersion', async () => {
    const res = await request(server, 'POST', CM, { body: { metadata: { name: 'rv', resourceVersion: '5' } } });
    assert.equal(res.status, 500);
    assert.equal(res.body.message, 'resourceVersion should not be set on objects to be created');
  });

  void it('gets an object and answers 404 NotFound for a missing one', async () => {
    await request(server, 'POST', CM, { body: configMap('get-a') });
    const ok = await request(server, 'GET', `${CM}/get-a`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.metadata.name, 'get-a');
    const missing = await request(server, 'GET', `${CM}/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps' },
      code: 404,
    });
    const grouped = await request(server, 'GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.equal(grouped.body.message, 'deployments.apps "web" not found');
    assert.equal(grouped.body.details.group, 'apps');
  });

  void it('answers a plain-text 404 for a path it does not serve', async () => {
    const res = await request(server, 'GET', '/apis/nope.example.com/v1/things');
    assert.equal(res.status, 404);
    assert.equal(res.text, '404 page not found\n');
  });

  void it('updates with optimistic concurrency: a stale resourceVersion is 409 Conflict', async () => {
    const created = (await request(server, 'POST', CM, { body: configMap('upd') })).body;
    const updated = await request(server, 'PUT', `${CM}/upd`, { body: { ...created, data: { k: 'new' } } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.data.k, 'new');
    assert.ok(Number(updated.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    assert.equal(updated.body.metadata.uid, created.metadata.uid);
    const stale = await request(server, 'PUT', `${CM}/upd`, { body: { ...created, data: { k: 'lost' } } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal(
      stale.body.message,
      'Operation cannot be fulfilled on configmaps "upd": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  void it('answers 400 when the body name differs from the URL name on PUT', async () => {
    const res = await request(server, 'PUT', `${CM}/upd`, { body: configMap('other') });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'the name of the object (other) does not match the name on the URL (upd)');
  });

  void it('treats an identical update as a no-op: same resourceVersion, no new revision', async () => {
    const created = (await request(server, 'POST', CM, { body: configMap('noop') })).body;
    const rv = server.store.resourceVersion;
    const res = await request(server, 'PUT', `${CM}/noop`, { body: created });
    assert.equal(res.status, 200);
    assert.equal(res.body.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(server.store.resourceVersion, rv);
  });

  void it('applies merge, strategic-merge and JSON patches', async () => {
    await request(server, 'POST', CM, { body: configMap('patch', { data: { a: '1', b: '2' } }) });
    const merge = await request(server, 'PATCH', `${CM}/patch`, {
      body: { data: { a: null, c: '3' } },
      contentType: PATCH.merge,
    });
    assert.equal(merge.status, 200);
    assert.deepEqual(merge.body.data, { b: '2', c: '3' });
    const smp = await request(server, 'PATCH', `${CM}/patch`, {
      body: { metadata: { labels: { l: 'x' } } },
      contentType: PATCH.strategic,
    });
    assert.equal(smp.status, 200);
    assert.deepEqual(smp.body.metadata.labels, { l: 'x' });
    const json = await request(server, 'PATCH', `${CM}/patch`, {
      body: [
        { op: 'test', path: '/data/b', value: '2' },
        { op: 'replace', path: '/data/b', value: '22' },
        { op: 'add', path: '/data/d', value: '4' },
      ],
      contentType: PATCH.json,
    });
    assert.equal(json.status, 200);
    assert.deepEqual(json.body.data, { b: '22', c: '3', d: '4' });
  });

  void it('answers 422 for a failing JSON patch, 415 for an unknown patch type, 404 for a missing object', async () => {
    const failing = await request(server, 'PATCH', `${CM}/patch`, {
      body: [{ op: 'test', path: '/data/b', value: 'nope' }],
      contentType: PATCH.json,
    });
    assert.equal(failing.status, 422);
    assert.equal(failing.body.reason, 'Invalid');
    const unknown = await request(server, 'PATCH', `${CM}/patch`, { body: {}, contentType: 'text/plain' });
    assert.equal(unknown.status, 415);
    assert.equal(unknown.body.reason, 'UnsupportedMediaType');
    const missing = await request(server, 'PATCH', `${CM}/none`, { body: {}, contentType: PATCH.merge });
    assert.equal(missing.status, 404);
  });

  void it('answers a patch setting a stale resourceVersion with 409 Conflict', async () => {
    const res = await request(server, 'PATCH', `${CM}/patch`, {
      body: { metadata: { resourceVersion: '1' } },
      contentType: PATCH.merge,
    });
    assert.equal(res.status, 409);
  });

  void it('deletes a ConfigMap with a Success Status and a Pod by returning the object', async () => {
    const cm = (await request(server, 'POST', CM, { body: configMap('del') })).body;
    const res = await request(server, 'DELETE', `${CM}/del`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'del', kind: 'configmaps', uid: cm.metadata.uid },
    });
    assert.equal((await request(server, 'GET', `${CM}/del`)).status, 404);
    await request(server, 'POST', '/api/v1/namespaces/default/pods', {
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    });
    const pod = await request(server, 'DELETE', '/api/v1/namespaces/default/pods/p');
    assert.equal(pod.status, 200);
    assert.equal(pod.body.kind, 'Pod');
    assert.equal((await request(server, 'DELETE', `${CM}/del`)).status, 404);
  });

  void it('answers 409 when a delete precondition does not match', async () => {
    await request(server, 'POST', CM, { body: configMap('pre') });
    const res = await request(server, 'DELETE', `${CM}/pre`, { body: { preconditions: { uid: 'other' } } });
    assert.equal(res.status, 409);
    assert.equal(res.body.reason, 'Conflict');
  });

  void it('answers 405 for a method the collection does not take', async () => {
    const res = await request(server, 'PUT', CM, { body: configMap('x') });
    assert.equal(res.status, 405);
    assert.equal(res.body.reason, 'MethodNotAllowed');
  });

  void it('answers 400 for a body that is not JSON', async () => {
    const res = await request(server, 'POST', CM, { body: '{nope' });
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'BadRequest');
  });

  void it('answers dryRun=All writes as if done, storing nothing and emitting no revision', async () => {
    const rv = server.store.resourceVersion;
    const created = await request(server, 'POST', `${CM}?dryRun=All`, { body: configMap('dry') });
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.name, 'dry');
    assert.ok(created.body.metadata.uid);
    assert.equal((await request(server, 'GET', `${CM}/dry`)).status, 404);
    await request(server, 'POST', CM, { body: configMap('dry2') });
    const rv2 = server.store.resourceVersion;
    const patched = await request(server, 'PATCH', `${CM}/dry2?dryRun=All`, {
      body: { data: { k: 'changed' } },
      contentType: PATCH.merge,
    });
    assert.equal(patched.body.data.k, 'changed');
    assert.equal((await request(server, 'GET', `${CM}/dry2`)).body.data.k, 'v');
    assert.equal((await request(server, 'DELETE', `${CM}/dry2?dryRun=All`)).status, 200);
    assert.equal((await request(server, 'GET', `${CM}/dry2`)).status, 200);
    assert.equal(server.store.resourceVersion, rv2);
    assert.equal(rv2, rv + 1);
    const bad = await request(server, 'POST', `${CM}?dryRun=Some`, { body: configMap('dry3') });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.message, 'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Some"]: supported values: "All"');
  });

  void it('serves cluster-scoped kinds without a namespace', async () => {
    const res = await request(server, 'POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' } } });
    assert.equal(res.status, 201);
    assert.equal(res.body.metadata.namespace, undefined);
    assert.equal((await request(server, 'GET', '/api/v1/nodes/n1')).status, 200);
  });
});
