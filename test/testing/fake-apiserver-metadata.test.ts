// Representations other than plain JSON: PartialObjectMetadata for list/get/watch, Table, 406.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { configMap, request, startServer, watch } from './fake-apiserver-helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const META_LIST =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const META =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

void describe('fake apiserver representations', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    server.objects.create('configmaps', configMap('m1', { labels: { a: 'b' }, data: { secret: 'x' } }));
    server.objects.create('configmaps', configMap('m2'));
  });
  after(() => server.stop());

  void it('lists PartialObjectMetadataList with metadata only and the list resourceVersion', async () => {
    const res = await request(server, 'GET', `${CM}?limit=1`, { headers: { accept: META_LIST } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.body.kind, 'PartialObjectMetadataList');
    assert.equal(res.body.apiVersion, 'meta.k8s.io/v1');
    assert.equal(res.body.metadata.resourceVersion, String(server.store.resourceVersion));
    assert.ok(res.body.metadata.continue);
    assert.deepEqual(Object.keys(res.body.items[0]).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.equal(res.body.items[0].kind, 'PartialObjectMetadata');
    assert.deepEqual(res.body.items[0].metadata.labels, { a: 'b' });
  });

  void it('gets a PartialObjectMetadata', async () => {
    const res = await request(server, 'GET', `${CM}/m1`, { headers: { accept: META } });
    assert.equal(res.body.kind, 'PartialObjectMetadata');
    assert.equal(res.body.metadata.name, 'm1');
    assert.equal(res.body.data, undefined);
  });

  void it('watches as PartialObjectMetadata, bookmarks included', async () => {
    const w = await watch(server, `${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, { accept: META });
    const first = await w.next();
    assert.equal(first?.object.kind, 'PartialObjectMetadata');
    assert.equal(first?.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(first?.object.data, undefined);
    const bookmark = await w.until((e) => e.type === 'BOOKMARK');
    assert.equal(bookmark.object.kind, 'PartialObjectMetadata');
    server.objects.create('configmaps', configMap('m3'));
    const live = await w.until((e) => e.type === 'ADDED');
    assert.equal(live.object.kind, 'PartialObjectMetadata');
    assert.equal(live.object.metadata.name, 'm3');
    w.close();
  });

  void it('answers a Table for kubectl with the list resourceVersion', async () => {
    const res = await request(server, 'GET', `${CM}?limit=500`, { headers: { accept: TABLE } });
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'Table');
    assert.equal(res.body.metadata.resourceVersion, String(server.store.resourceVersion));
    assert.ok(Array.isArray(res.body.columnDefinitions));
    assert.equal(res.body.rows.length, 3);
  });

  void it('answers 406 when no Accept clause can be served', async () => {
    const res = await request(server, 'GET', CM, { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
    assert.equal(res.status, 406);
    assert.equal(res.body.reason, 'NotAcceptable');
  });
});
