// Write conversions over HTTP: Secret stringData folded into data, empty optional maps and lists
// omitted from built-in kinds (and from every kind's metadata), custom resources kept as sent.
/* eslint-disable @typescript-eslint/no-unsafe-member-access -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { createCrd, databaseCrd, PATCH, request, startServer, watch, type Loose } from './fake-apiserver-helpers.ts';

const SECRETS = '/api/v1/namespaces/default/secrets';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

void describe('fake apiserver write conversions', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  void it('folds Secret stringData into base64 data, defaults the type to Opaque, and never returns stringData', async () => {
    const stream = await watch(server, `${SECRETS}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    const created = await request(server, 'POST', SECRETS, { body: { metadata: { name: 's' }, data: { a: base64('x') }, stringData: { a: 'y', b: 'z' } } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.data, { a: base64('y'), b: base64('z') });
    assert.equal(created.body.type, 'Opaque');
    assert.equal(created.body.stringData, undefined);
    const event = await stream.next();
    stream.close();
    assert.equal(event?.object['stringData'], undefined);
    const put = await request(server, 'PUT', `${SECRETS}/s`, { body: { ...created.body, stringData: { c: 'w' } } });
    assert.deepEqual(put.body.data, { a: base64('y'), b: base64('z'), c: base64('w') });
    const listed = await request(server, 'GET', SECRETS);
    assert.ok((listed.body.items as Loose[]).every((s) => s['stringData'] === undefined));
  });

  void it('lets an applier own stringData keys while the values live in data', async () => {
    const config = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'applied' }, stringData: { token: 't0ken' } };
    const res = await request(server, 'PATCH', `${SECRETS}/applied?fieldManager=vault`, { body: config, contentType: 'application/apply-patch+yaml' });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.data, { token: base64('t0ken') });
    const entry = (res.body.metadata.managedFields as Loose[]).find((e) => e['manager'] === 'vault');
    assert.deepEqual(entry?.['fieldsV1'], { 'f:stringData': { 'f:token': {} } });
  });

  void it('omits empty optional maps and lists of built-in kinds: removing the last label leaves no labels', async () => {
    await request(server, 'POST', CONFIGMAPS, { body: { metadata: { name: 'empty', labels: { only: 'one' }, annotations: {}, finalizers: [] }, data: {} } });
    const created = await request(server, 'GET', `${CONFIGMAPS}/empty`);
    assert.equal(created.body.metadata.annotations, undefined);
    assert.equal(created.body.metadata.finalizers, undefined);
    assert.equal(created.body.data, undefined);
    const patched = await request(server, 'PATCH', `${CONFIGMAPS}/empty`, { body: { metadata: { labels: { only: null } } }, contentType: PATCH.merge });
    assert.equal(patched.status, 200);
    assert.equal('labels' in patched.body.metadata, false);
    assert.equal('labels' in (await request(server, 'GET', `${CONFIGMAPS}/empty`)).body.metadata, false);
    const nullLabel = await request(server, 'POST', CONFIGMAPS, { body: { metadata: { name: 'null-label', labels: { l: null } } } });
    assert.deepEqual(nullLabel.body.metadata.labels, { l: '' }, 'Go decodes a null map value as ""');
    const pod = await request(server, 'POST', '/api/v1/namespaces/default/pods', {
      body: { metadata: { name: 'lists' }, spec: { containers: [{ name: 'c', image: 'i', env: [], args: [] }], volumes: [], nodeSelector: {} } },
    });
    assert.deepEqual(pod.body.spec, { containers: [{ name: 'c', image: 'i' }] });
  });

  void it('keeps the empty maps and lists of custom resources but omits those of their metadata', async () => {
    await createCrd(server, databaseCrd(false));
    const res = await request(server, 'POST', '/apis/example.com/v1/namespaces/default/databases', {
      body: { apiVersion: 'example.com/v1', kind: 'Database', metadata: { name: 'd', labels: {} }, spec: { items: [], config: {}, replicas: null } },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.spec, { items: [], config: {} });
    assert.equal(res.body.metadata.labels, undefined);
  });
});
