// How server-side apply follows list and map types: CRD openAPIV3Schema markers (list maps, sets,
// atomic maps, preserved unknown fields) and the built-in kinds' merge keys.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineResource } from '../../src/testing/fake-apiserver/registry.ts';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { apply, createCrd, databaseCrd, managedEntry, request, startServer, type Loose } from './fake-apiserver-helpers.ts';

const DBS = '/apis/example.com/v1/namespaces/default/databases';

function db(name: string, spec: Loose): Loose {
  return { apiVersion: 'example.com/v1', kind: 'Database', metadata: { name }, spec };
}

function fieldsOf(obj: Loose, manager: string): Loose | undefined {
  return managedEntry(obj, manager)?.['fieldsV1'];
}

void describe('fake apiserver server-side apply list and map types', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    await createCrd(server, databaseCrd(true));
  });
  after(async () => {
    await server.stop();
  });

  void it('keys x-kubernetes-list-type=map items by their list-map keys and merges sets item by item', async () => {
    await apply(server, `${DBS}/lists`, db('lists', { items: [{ name: 'a', size: 1 }], tags: ['blue'] }), 'fieldManager=first');
    const res = await apply(server, `${DBS}/lists`, db('lists', { items: [{ name: 'b', size: 2 }], tags: ['green'] }), 'fieldManager=second');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.spec.items, [{ name: 'a', size: 1 }, { name: 'b', size: 2 }]);
    assert.deepEqual(res.body.spec.tags, ['blue', 'green']);
    assert.deepEqual(fieldsOf(res.body, 'second'), {
      'f:spec': { 'f:items': { 'k:{"name":"b"}': { '.': {}, 'f:name': {}, 'f:size': {} } }, 'f:tags': { 'v:"green"': {} } },
    });
    const conflict = await apply(server, `${DBS}/lists`, db('lists', { items: [{ name: 'a', size: 5 }] }), 'fieldManager=second');
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "first": .spec.items[name="a"].size');
  });

  void it('replaces an x-kubernetes-map-type=atomic map as one value owned by one manager', async () => {
    await apply(server, `${DBS}/atomic`, db('atomic', { config: { a: '1', b: '2' } }), 'fieldManager=first');
    const conflict = await apply(server, `${DBS}/atomic`, db('atomic', { config: { c: '3' } }), 'fieldManager=second');
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "first": .spec.config');
    const forced = await apply(server, `${DBS}/atomic`, db('atomic', { config: { c: '3' } }), 'fieldManager=second&force=true');
    assert.deepEqual(forced.body.spec.config, { c: '3' });
    assert.deepEqual(fieldsOf(forced.body, 'second'), { 'f:spec': { 'f:config': {} } });
  });

  void it('accepts undeclared fields only under x-kubernetes-preserve-unknown-fields, answering 500 elsewhere', async () => {
    const preserved = await apply(server, `${DBS}/unknown`, db('unknown', { extra: { anything: { goes: [1, 2] } } }), 'fieldManager=first');
    assert.equal(preserved.status, 201);
    assert.deepEqual(fieldsOf(preserved.body, 'first'), { 'f:spec': { 'f:extra': { 'f:anything': { '.': {}, 'f:goes': {} } } } });
    const undeclared = await apply(server, `${DBS}/unknown`, db('unknown', { nope: true }), 'fieldManager=first');
    assert.equal(undeclared.status, 500);
    assert.equal(undeclared.body.message, 'failed to create typed patch object (/unknown; example.com/v1, Kind=Database): .spec.nope: field not declared in schema');
  });

  void it('records a created custom resource as an Update that owns spec itself (its empty object has none)', async () => {
    const res = await request(server, 'POST', `${DBS}?fieldManager=creator`, { body: db('posted', { replicas: 1 }) });
    assert.deepEqual(fieldsOf(res.body, 'creator'), { 'f:spec': { '.': {}, 'f:replicas': {} } });
  });

  void it('keys built-in Service ports by port and protocol, defaulting the protocol to TCP', async () => {
    const service = (ports: Loose[]): Loose => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports } });
    const path = '/api/v1/namespaces/default/services/svc';
    await apply(server, path, service([{ port: 80, targetPort: 8080 }]), 'fieldManager=web');
    const res = await apply(server, path, service([{ port: 80, protocol: 'UDP' }, { port: 443 }]), 'fieldManager=tls');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.spec.ports, [{ port: 80, targetPort: 8080 }, { port: 80, protocol: 'UDP' }, { port: 443 }]);
    assert.deepEqual(Object.keys(fieldsOf(res.body, 'tls')?.['f:spec']['f:ports']), ['k:{"port":80,"protocol":"UDP"}', 'k:{"port":443,"protocol":"TCP"}']);
  });

  void it('owns atomic built-in fields (a label selector, tolerations, a node selector map) as one leaf', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments/atomic';
    const spec = {
      selector: { matchLabels: { app: 'a' } },
      template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { zone: 'a' }, tolerations: [{ operator: 'Exists' }] } },
    };
    const res = await apply(server, path, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'atomic' }, spec }, 'fieldManager=web');
    const owned = fieldsOf(res.body, 'web')?.['f:spec'];
    assert.deepEqual(owned['f:selector'], {});
    assert.deepEqual(owned['f:template']['f:spec']['f:nodeSelector'], {});
    assert.deepEqual(owned['f:template']['f:spec']['f:tolerations'], {});
  });

  void it('merges a registry-defined kind by the schema its OpenAPI document publishes, as it does custom resources', async () => {
    const items = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } } } };
    const openApiV3Schema = { type: 'object', properties: { spec: { type: 'object', properties: { items } } } };
    server.registry.add(defineResource({ group: 'example.com', version: 'v1', resource: 'gadgets', kind: 'Gadget', namespaced: true, openApiV3Schema }));
    const doc = await request(server, 'GET', '/openapi/v3/apis/example.com/v1');
    assert.equal(doc.body.components.schemas['com.example.v1.Gadget'].properties.spec.properties.items['x-kubernetes-list-type'], 'map');
    const path = '/apis/example.com/v1/namespaces/default/gadgets/g';
    const gadget = (item: Loose): Loose => ({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { items: [item] } });
    await apply(server, path, gadget({ name: 'a', size: 1 }), 'fieldManager=first');
    const res = await apply(server, path, gadget({ name: 'b', size: 2 }), 'fieldManager=second');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.spec.items, [{ name: 'a', size: 1 }, { name: 'b', size: 2 }]);
    assert.deepEqual(fieldsOf(res.body, 'second'), { 'f:spec': { 'f:items': { 'k:{"name":"b"}': { '.': {}, 'f:name': {}, 'f:size': {} } } } });
  });
});
