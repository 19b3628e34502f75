// The scale subresource over HTTP: workloads and CustomResources, discovery, and the real errors.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { CRDS, createCrd, exampleCrd, PATCH, request, startServer, watch, type Loose } from './fake-apiserver-helpers.ts';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const DATABASES = '/apis/example.com/v1/namespaces/default/databases';

function deployment(name: string, replicas?: number): Record<string, unknown> {
  return {
    metadata: { name },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }] },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

const SCALE_PATHS = { specReplicasPath: '.spec.instances', statusReplicasPath: '.status.ready', labelSelectorPath: '.status.selector' };
const DATABASE_CRD = exampleCrd({ plural: 'databases', kind: 'Database', subresources: { status: {}, scale: SCALE_PATHS } });

void describe('the scale subresource', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    await createCrd(server, DATABASE_CRD);
  });
  after(() => server.stop());

  void it('is listed in discovery with the autoscaling/v1 Scale kind for each scalable kind', async () => {
    const entry = { singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    const apps = (await request(server, 'GET', '/apis/apps/v1')).body.resources as { name: string }[];
    for (const name of ['deployments/scale', 'replicasets/scale', 'statefulsets/scale']) assert.deepEqual(apps.find((r) => r.name === name), { name, ...entry });
    assert.equal(apps.some((r) => r.name === 'daemonsets/scale'), false);
    const core = (await request(server, 'GET', '/api/v1')).body.resources as { name: string }[];
    assert.deepEqual(core.find((r) => r.name === 'replicationcontrollers/scale'), { name: 'replicationcontrollers/scale', ...entry });
    const custom = (await request(server, 'GET', '/apis/example.com/v1')).body.resources as { name: string }[];
    assert.deepEqual(custom.map((r) => r.name), ['databases', 'databases/scale', 'databases/status']);
  });

  void it('reads a Deployment as a Scale: parent metadata, desired and observed replicas, selector as a string', async () => {
    const created = await request(server, 'POST', DEPLOYMENTS, { body: deployment('web', 2) });
    const scale = await request(server, 'GET', `${DEPLOYMENTS}/web/scale`);
    assert.equal(scale.status, 200);
    const meta = created.body.metadata;
    assert.deepEqual(scale.body, {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default', uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web,tier in (edge,web)' },
    });
  });

  void it('writes a merge-patched Scale into the Deployment as an ordinary update', async () => {
    await request(server, 'POST', DEPLOYMENTS, { body: deployment('api', 1) });
    const before = await request(server, 'GET', `${DEPLOYMENTS}/api`);
    const events = await watch(server, `${DEPLOYMENTS}?watch=true&resourceVersion=${before.body.metadata.resourceVersion}`);
    const patched = await request(server, 'PATCH', `${DEPLOYMENTS}/api/scale`, { body: { spec: { replicas: 5 } }, contentType: PATCH.merge });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.spec.replicas, 5);
    const after = await request(server, 'GET', `${DEPLOYMENTS}/api`);
    assert.equal(after.body.spec.replicas, 5);
    assert.equal(after.body.metadata.generation, before.body.metadata.generation + 1);
    assert.equal(patched.body.metadata.resourceVersion, after.body.metadata.resourceVersion);
    const modified = await events.until((e) => e.type === 'MODIFIED');
    assert.equal(modified.object.spec.replicas, 5);
    events.close();
  });

  void it('takes a JSON patch and a PUT, and answers a Scale of zero replicas with an empty spec', async () => {
    await request(server, 'POST', DEPLOYMENTS, { body: deployment('zero', 3) });
    const json = await request(server, 'PATCH', `${DEPLOYMENTS}/zero/scale`, {
      body: [{ op: 'replace', path: '/spec/replicas', value: 1 }],
      contentType: PATCH.json,
    });
    assert.equal(json.body.spec.replicas, 1);
    const put = await request(server, 'PUT', `${DEPLOYMENTS}/zero/scale`, { body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'zero' }, spec: { replicas: 0 } } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.spec, {});
    assert.equal((await request(server, 'GET', `${DEPLOYMENTS}/zero`)).body.spec.replicas, 0);
  });

  void it('answers 409 for a stale resourceVersion or another uid, and 422 for negative replicas', async () => {
    await request(server, 'POST', DEPLOYMENTS, { body: deployment('guarded', 1) });
    const stale = await request(server, 'PUT', `${DEPLOYMENTS}/guarded/scale`, { body: { metadata: { name: 'guarded', resourceVersion: '1' }, spec: { replicas: 2 } } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.message, 'Operation cannot be fulfilled on deployments.apps "guarded": the object has been modified; please apply your changes to the latest version and try again');
    const uid = await request(server, 'PATCH', `${DEPLOYMENTS}/guarded/scale`, { body: { metadata: { uid: 'other' }, spec: { replicas: 2 } }, contentType: PATCH.merge });
    assert.equal(uid.status, 409);
    assert.match(uid.body.message, /^Operation cannot be fulfilled on deployments\/scale\.apps "guarded": Precondition failed: UID in precondition: other, UID in object meta: /);
    const negative = await request(server, 'PATCH', `${DEPLOYMENTS}/guarded/scale`, { body: { spec: { replicas: -1 } }, contentType: PATCH.merge });
    assert.equal(negative.status, 422);
    assert.deepEqual(negative.body, {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'Scale.autoscaling "guarded" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      reason: 'Invalid',
      code: 422,
      details: {
        name: 'guarded',
        group: 'autoscaling',
        kind: 'Scale',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
      },
    });
    assert.equal((await request(server, 'GET', `${DEPLOYMENTS}/guarded`)).body.spec.replicas, 1);
  });

  void it('records a scale write on the parent as its manager with subresource scale, owning only the replicas', async () => {
    await request(server, 'POST', `${DEPLOYMENTS}?fieldManager=creator`, { body: deployment('owned', 1) });
    const patched = await request(server, 'PATCH', `${DEPLOYMENTS}/owned/scale?fieldManager=scaler`, { body: { spec: { replicas: 4 } }, contentType: PATCH.merge });
    assert.equal(patched.body.metadata.managedFields, undefined, 'a Scale shows no managedFields');
    const entries = (await request(server, 'GET', `${DEPLOYMENTS}/owned`)).body.metadata.managedFields as Loose[];
    const creator = entries.find((e) => e.manager === 'creator');
    assert.equal(creator?.fieldsV1['f:spec']['f:replicas'], undefined, 'the replicas left their previous owner');
    assert.ok(creator?.fieldsV1['f:spec']['f:template'] !== undefined, 'which keeps the rest');
    // The server's ScaleHandler takes entry times from the parent only: a manager new to the object has none.
    assert.deepEqual(entries.find((e) => e.manager === 'scaler'), {
      manager: 'scaler',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      subresource: 'scale',
    });
    const put = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'owned' }, spec: { replicas: 2 } };
    await request(server, 'PUT', `${DEPLOYMENTS}/owned/scale`, { body: put, headers: { 'user-agent': 'kubectl/v1.32.0 (linux/amd64)' } });
    const after = (await request(server, 'GET', `${DEPLOYMENTS}/owned`)).body.metadata.managedFields as Loose[];
    assert.deepEqual(after.map((e): unknown[] => [e.manager, e.subresource]), [['kubectl', 'scale'], ['creator', undefined]], 'the previous scaler lost its only field (entries without a time sort first)');
  });

  void it('applies a Scale by field ownership: a conflict with the owner of the replicas, taken with force', async () => {
    const config = { apiVersion: 'apps/v1', kind: 'Deployment', ...deployment('applied', 3) };
    assert.equal((await request(server, 'PATCH', `${DEPLOYMENTS}/applied?fieldManager=kubectl`, { body: config, contentType: PATCH.apply })).status, 201);
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'applied' }, spec: { replicas: 6 } };
    const conflict = await request(server, 'PATCH', `${DEPLOYMENTS}/applied/scale?fieldManager=autoscaler`, { body: scale, contentType: PATCH.apply });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    const forced = await request(server, 'PATCH', `${DEPLOYMENTS}/applied/scale?fieldManager=autoscaler&force=true`, { body: scale, contentType: PATCH.apply });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.spec.replicas, 6);
    const entries = (await request(server, 'GET', `${DEPLOYMENTS}/applied`)).body.metadata.managedFields as Loose[];
    const autoscaler = entries.find((e) => e.manager === 'autoscaler');
    assert.deepEqual([autoscaler?.operation, autoscaler?.apiVersion, autoscaler?.subresource, autoscaler?.fieldsV1], ['Apply', 'apps/v1', 'scale', { 'f:spec': { 'f:replicas': {} } }]);
    assert.equal(entries.find((e) => e.manager === 'kubectl')?.fieldsV1['f:spec']['f:replicas'], undefined);
  });

  void it('decodes a Scale as its kind: a PUT of the wrong type is 400, a patch of the wrong type 422 on the field patch', async () => {
    await request(server, 'POST', DEPLOYMENTS, { body: deployment('typed', 1) });
    const put = await request(server, 'PUT', `${DEPLOYMENTS}/typed/scale`, { body: { metadata: { name: 'typed' }, spec: { replicas: '2' } } });
    assert.equal(put.status, 400);
    assert.equal(put.body.message, 'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal string into Go struct field ScaleSpec.spec.replicas of type int32');
    const patch = await request(server, 'PATCH', `${DEPLOYMENTS}/typed/scale`, { body: { spec: { replicas: '2' } }, contentType: PATCH.strategic });
    assert.equal(patch.status, 422);
    assert.equal(patch.body.message, ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:2]]": unrecognized type: int32');
  });

  void it('answers 404 Status JSON for a missing parent, worded per verb as the real handlers word it', async () => {
    const get = await request(server, 'GET', `${DEPLOYMENTS}/missing/scale`);
    assert.equal(get.status, 404);
    assert.equal(get.headers.get('content-type'), 'application/json');
    assert.equal(get.body.message, 'deployments.apps "missing" not found');
    const patch = await request(server, 'PATCH', `${DEPLOYMENTS}/missing/scale`, { body: { spec: { replicas: 1 } }, contentType: PATCH.merge });
    assert.deepEqual(patch.body.details, { name: 'missing', group: 'apps', kind: 'deployments/scale' });
    assert.equal(patch.body.message, 'deployments/scale.apps "missing" not found');
  });

  void it('is not served for kinds without one: the plain 404 for built-ins, the object NotFound for CustomResources', async () => {
    const cm = await request(server, 'GET', '/api/v1/namespaces/default/configmaps/x/scale');
    assert.equal(cm.status, 404);
    assert.equal(cm.text, '404 page not found\n');
    const ds = await request(server, 'GET', '/apis/apps/v1/namespaces/default/daemonsets/x/scale');
    assert.equal(ds.text, '404 page not found\n');
    await createCrd(server, exampleCrd({ plural: 'caches', kind: 'Cache', subresources: {} }));
    await request(server, 'POST', '/apis/example.com/v1/namespaces/default/caches', { body: { metadata: { name: 'c1' } } });
    const cr = await request(server, 'GET', '/apis/example.com/v1/namespaces/default/caches/c1/scale');
    assert.equal(cr.status, 404);
    assert.deepEqual(cr.body.details, { name: 'c1', group: 'example.com', kind: 'caches' });
  });

  void it('reads a ReplicationController selector map and a StatefulSet, and refuses methods it does not serve', async () => {
    const rcs = '/api/v1/namespaces/default/replicationcontrollers';
    await request(server, 'POST', rcs, { body: { metadata: { name: 'rc' }, spec: { replicas: 4, selector: { b: '2', a: '1' } } } });
    const rc = await request(server, 'GET', `${rcs}/rc/scale`);
    assert.deepEqual([rc.body.spec, rc.body.status], [{ replicas: 4 }, { replicas: 0, selector: 'a=1,b=2' }]);
    const sts = '/apis/apps/v1/namespaces/default/statefulsets';
    await request(server, 'POST', sts, { body: { metadata: { name: 'db' }, spec: { selector: { matchLabels: { app: 'db' } }, template: {} } } });
    // A real server defaults replicas to 1; the fake's Scale reports that default.
    assert.deepEqual((await request(server, 'GET', `${sts}/db/scale`)).body.spec, { replicas: 1 });
    assert.equal((await request(server, 'DELETE', `${sts}/db/scale`)).status, 405);
  });

  void it('maps a CustomResource through specReplicasPath, statusReplicasPath and labelSelectorPath, its scale manager owning the replicas path', async () => {
    assert.equal((await request(server, 'POST', DATABASES, { body: { metadata: { name: 'db1' }, spec: { instances: 2 } } })).status, 201);
    const status = { status: { ready: 1, selector: 'app=db1' } };
    assert.equal((await request(server, 'PATCH', `${DATABASES}/db1/status`, { body: status, contentType: PATCH.merge })).status, 200);
    const scale = await request(server, 'GET', `${DATABASES}/db1/scale`);
    assert.deepEqual([scale.body.apiVersion, scale.body.spec, scale.body.status], ['autoscaling/v1', { replicas: 2 }, { replicas: 1, selector: 'app=db1' }]);
    const patched = await request(server, 'PATCH', `${DATABASES}/db1/scale?fieldManager=scaler`, { body: { spec: { replicas: 7 } }, contentType: PATCH.merge });
    assert.equal(patched.status, 200);
    const db = (await request(server, 'GET', `${DATABASES}/db1`)).body;
    assert.equal(db.spec.instances, 7);
    const scaler = (db.metadata.managedFields as Loose[]).find((e) => e.manager === 'scaler');
    assert.deepEqual([scaler?.apiVersion, scaler?.subresource, scaler?.fieldsV1], ['example.com/v1', 'scale', { 'f:spec': { 'f:instances': {} } }]);
  });

  void it('answers a CustomResource without desired replicas with the 500 the real handler gives, and 422 for negative ones', async () => {
    await request(server, 'POST', DATABASES, { body: { metadata: { name: 'db2' }, spec: {} } });
    const missing = await request(server, 'GET', `${DATABASES}/db2/scale`);
    assert.equal(missing.status, 500);
    assert.equal(missing.body.reason, 'InternalError');
    assert.equal(missing.body.message, 'Internal error occurred: the spec replicas field ".spec.instances" does not exist');
    const unset = await request(server, 'PATCH', `${DATABASES}/db2/scale`, { body: { metadata: { labels: { a: 'b' } } }, contentType: PATCH.merge });
    assert.equal(unset.status, 400);
    assert.equal(unset.body.message, 'the spec replicas field ".spec.instances" cannot be empty');
    const negative = await request(server, 'PATCH', `${DATABASES}/db2/scale`, { body: { spec: { replicas: -2 } }, contentType: PATCH.merge });
    assert.equal(negative.status, 422);
    assert.equal(negative.body.message, 'Database.example.com "db2" is invalid: .spec.instances: Invalid value: -2: should be a non-negative integer');
  });

  void it('rejects a CRD whose scale paths are not under .spec and .status', async () => {
    const bad = exampleCrd({ plural: 'queues', kind: 'Queue', subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: 'status.replicas' } } });
    const res = await request(server, 'POST', CRDS, { body: bad });
    assert.equal(res.status, 422);
    assert.deepEqual(
      res.body.details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`),
      [
        'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
        'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
      ],
    );
  });
});
