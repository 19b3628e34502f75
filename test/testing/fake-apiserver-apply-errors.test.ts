// The errors of writes with field management as the real server words them: apply options and
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- wire JSON of unknown shape, asserted field by field */
// bodies, configurations the schema rejects, managedFields sent by clients.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { apply, PATCH, request, startServer, type JsonResponse, type Loose } from './fake-apiserver-helpers.ts';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function web(spec: Loose, metadata: Loose = {}): Loose {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...metadata }, spec };
}

function assertStatus(res: JsonResponse, code: number, message: string, reason?: string): void {
  assert.equal(res.status, code, res.text);
  assert.equal(res.body.message, message);
  assert.equal(res.body.reason, reason);
}

void describe('fake apiserver write errors with field management', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  void it('refuses an apply without fieldManager and force on a non-apply patch with 422 PatchOptions', async () => {
    const res = await apply(server, `${CONFIGMAPS}/x`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, 'force=true');
    assertStatus(res, 422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', 'Invalid');
    assert.deepEqual(res.body.details, {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
    const forced = await request(server, 'PATCH', `${CONFIGMAPS}/x?force=false`, { body: {}, contentType: PATCH.merge });
    assertStatus(forced, 422, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', 'Invalid');
  });

  void it('refuses a field manager longer than 128 bytes or with unprintable characters', async () => {
    const long = await request(server, 'POST', `${CONFIGMAPS}?fieldManager=${'m'.repeat(129)}`, { body: { metadata: { name: 'long' } } });
    assertStatus(long, 422, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes', 'Invalid');
    const control = await request(server, 'PUT', `${CONFIGMAPS}/x?fieldManager=a%01`, { body: { metadata: { name: 'x' } } });
    assertStatus(control, 422, 'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\x01": invalid character U+0001 (at position 1)', 'Invalid');
  });

  void it('refuses an apply of another kind or version, or carrying managedFields, with 400', async () => {
    const kind = await apply(server, `${DEPLOYMENTS}/web`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } });
    assertStatus(kind, 400, 'invalid object type: /v1, Kind=ConfigMap', 'BadRequest');
    const version = await apply(server, `${DEPLOYMENTS}/web`, { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'web' } });
    assertStatus(version, 400, 'invalid object type: apps/v1beta1, Kind=Deployment', 'BadRequest');
    const managed = await apply(server, `${DEPLOYMENTS}/web`, web({}, { managedFields: [] }));
    assertStatus(managed, 400, 'metadata.managedFields must be nil', 'BadRequest');
  });

  void it('refuses an apply whose name differs from the URL, or that creates without a name, with 400', async () => {
    const other = await apply(server, `${DEPLOYMENTS}/other`, web({ replicas: 1 }));
    assertStatus(other, 400, 'the name of the object (web) does not match the name on the URL (other)', 'BadRequest');
    const nameless = await apply(server, `${DEPLOYMENTS}/nameless`, { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1 } });
    assertStatus(nameless, 400, 'the name of the object (nameless based on URL) was undeterminable: name must be provided', 'BadRequest');
  });

  void it('answers 500 without a reason for a configuration the schema rejects, as the real server does', async () => {
    const prefix = 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): ';
    const undeclared = await apply(server, `${DEPLOYMENTS}/web`, web({ replicaz: 1 }));
    assertStatus(undeclared, 500, `${prefix}.spec.replicaz: field not declared in schema`);
    const keyless = await apply(server, `${DEPLOYMENTS}/web`, web({ template: { spec: { containers: [{ image: 'x' }] } } }));
    assertStatus(
      keyless,
      500,
      `${prefix}.spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn't have default values for any key fields)`,
    );
    const duplicate = await apply(server, `${DEPLOYMENTS}/web`, web({ template: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } } }));
    assertStatus(duplicate, 500, `${prefix}.spec.template.spec.containers: duplicate entries for key [name="a"]`);
    const wrongType = await apply(server, `${DEPLOYMENTS}/web`, web({ replicas: 'three' }));
    assertStatus(wrongType, 500, `${prefix}.spec.replicas: expected numeric (int or float), got string`);
    assert.equal((await request(server, 'GET', `${DEPLOYMENTS}/web`)).status, 404);
  });

  void it('answers 400 for an apply body that is not JSON', async () => {
    const res = await request(server, 'PATCH', `${CONFIGMAPS}/x?fieldManager=test`, { body: 'kind: [', contentType: PATCH.apply });
    assert.equal(res.status, 400);
    assert.match(String(res.body.message), /^error decoding patch: /);
  });

  void it('answers 404 for an apply to the status of an object that does not exist', async () => {
    const res = await apply(server, `${DEPLOYMENTS}/missing/status`, web({}, { name: 'missing' }));
    assertStatus(res, 404, 'deployments.apps "missing" not found', 'NotFound');
  });

  void it('refuses managedFields entries the object validation rejects with 422', async () => {
    const entry = { manager: 'bad\u0002', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:old': {} } } } };
    const res = await request(server, 'POST', CONFIGMAPS, { body: { metadata: { name: 'mf', managedFields: [entry] }, data: { a: '1' } } });
    assertStatus(
      res,
      422,
      'ConfigMap "mf" is invalid: metadata.managedFields[0].manager: Invalid value: "bad\\x02": invalid character U+0002 (at position 3)',
      'Invalid',
    );
  });

  void it('keeps the stored managedFields when a write sends undecodable ones, and resets them on an explicit empty list', async () => {
    const created = await request(server, 'POST', `${CONFIGMAPS}?fieldManager=owner`, { body: { metadata: { name: 'keep' }, data: { a: '1' } } });
    const stored = created.body.metadata.managedFields as Loose[];
    const bogus = [{ manager: 'x', operation: 'Bogus', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
    const kept = await request(server, 'PATCH', `${CONFIGMAPS}/keep?fieldManager=owner`, {
      body: { metadata: { managedFields: bogus } },
      contentType: PATCH.merge,
    });
    assert.deepEqual(kept.body.metadata.managedFields, stored);
    const reset = await request(server, 'PATCH', `${CONFIGMAPS}/keep?fieldManager=owner`, {
      body: { metadata: { managedFields: [] }, data: { b: '2' } },
      contentType: PATCH.merge,
    });
    assert.equal(reset.status, 200);
    assert.equal(reset.body.metadata.managedFields, undefined, 'a reset object stays untracked until an apply');
  });
});
