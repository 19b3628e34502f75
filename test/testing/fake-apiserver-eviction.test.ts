// pods/eviction over HTTP: the pod is marked DisruptionTarget, then deleted, and the answer is 201 Success.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { request, startServer, watch } from './fake-apiserver-helpers.ts';

const PODS = '/api/v1/namespaces/default/pods';

function eviction(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...extra };
}

void describe('the pods/eviction subresource', () => {
  let server: FakeApiServer;
  let n = 0;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  async function createPod(extra: Record<string, unknown> = {}): Promise<{ name: string; uid: string; resourceVersion: string }> {
    n += 1;
    const name = `p${n}`;
    const created = await request(server, 'POST', PODS, { body: { metadata: { name, ...extra }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
    assert.equal(created.status, 201);
    return { name, uid: created.body.metadata.uid, resourceVersion: created.body.metadata.resourceVersion };
  }

  void it('is listed in discovery as a create-only subresource of kind policy/v1 Eviction', async () => {
    const core = (await request(server, 'GET', '/api/v1')).body.resources as { name: string }[];
    assert.deepEqual(core.find((r) => r.name === 'pods/eviction'), {
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    const names = core.map((r) => r.name);
    assert.ok(names.indexOf('pods') < names.indexOf('pods/eviction') && names.indexOf('pods/eviction') < names.indexOf('pods/status'));
  });

  void it('deletes the pod and answers 201 with a Success Status; watchers see the DisruptionTarget condition first', async () => {
    const pod = await createPod();
    const events = await watch(server, `${PODS}?watch=true&resourceVersion=${pod.resourceVersion}`);
    const res = await request(server, 'POST', `${PODS}/${pod.name}/eviction`, { body: eviction(pod.name) });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    assert.equal((await request(server, 'GET', `${PODS}/${pod.name}`)).status, 404);
    const modified = await events.next();
    assert.equal(modified?.type, 'MODIFIED');
    const condition = (modified?.object.status.conditions as Record<string, unknown>[]).find((c) => c['type'] === 'DisruptionTarget');
    assert.deepEqual({ ...condition, lastTransitionTime: undefined }, {
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: undefined,
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    });
    assert.equal((await events.next())?.type, 'DELETED');
    events.close();
  });

  void it('accepts a policy/v1beta1 body', async () => {
    const pod = await createPod();
    const res = await request(server, 'POST', `${PODS}/${pod.name}/eviction`, { body: { ...eviction(pod.name), apiVersion: 'policy/v1beta1' } });
    assert.equal(res.status, 201);
  });

  void it('answers 404 Status JSON for a missing pod and 400 for a body naming another pod', async () => {
    const missing = await request(server, 'POST', `${PODS}/nope/eviction`, { body: eviction('nope') });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body.details, { name: 'nope', kind: 'pods' });
    assert.equal(missing.body.message, 'pods "nope" not found');
    const pod = await createPod();
    const other = await request(server, 'POST', `${PODS}/${pod.name}/eviction`, { body: eviction('someone-else') });
    assert.equal(other.status, 400);
    assert.equal(other.body.message, 'name in URL does not match name in Eviction object');
    assert.equal((await request(server, 'GET', `${PODS}/${pod.name}`)).status, 200);
  });

  void it('honours deleteOptions: a dry run keeps the pod, a foreign uid precondition is a 409', async () => {
    const pod = await createPod();
    const dry = await request(server, 'POST', `${PODS}/${pod.name}/eviction`, { body: eviction(pod.name, { deleteOptions: { dryRun: ['All'] } }) });
    assert.equal(dry.status, 201);
    const kept = await request(server, 'GET', `${PODS}/${pod.name}`);
    assert.equal(kept.body.metadata.resourceVersion, pod.resourceVersion);
    const wrongUid = await request(server, 'POST', `${PODS}/${pod.name}/eviction`, { body: eviction(pod.name, { deleteOptions: { preconditions: { uid: 'other' } } }) });
    assert.equal(wrongUid.status, 409);
    assert.equal(
      wrongUid.body.message,
      `Operation cannot be fulfilled on Pod "${pod.name}": the UID in the precondition (other) does not match the UID in record (${pod.uid}). The object might have been deleted and then recreated`,
    );
    const rightRv = await request(server, 'POST', `${PODS}/${pod.name}/eviction`, {
      body: eviction(pod.name, { deleteOptions: { preconditions: { uid: pod.uid, resourceVersion: pod.resourceVersion } } }),
    });
    assert.equal(rightRv.status, 201);
    assert.equal((await request(server, 'GET', `${PODS}/${pod.name}`)).status, 404);
  });

  void it('leaves a pod with finalizers terminating, and refuses other methods', async () => {
    const pod = await createPod({ finalizers: ['example.com/keep'] });
    assert.equal((await request(server, 'POST', `${PODS}/${pod.name}/eviction`, { body: eviction(pod.name) })).status, 201);
    const terminating = await request(server, 'GET', `${PODS}/${pod.name}`);
    assert.equal(typeof terminating.body.metadata.deletionTimestamp, 'string');
    assert.equal((await request(server, 'GET', `${PODS}/${pod.name}/eviction`)).status, 405);
    assert.equal((await request(server, 'POST', '/api/v1/namespaces/default/configmaps/x/eviction', { body: eviction('x') })).status, 404);
  });
});
