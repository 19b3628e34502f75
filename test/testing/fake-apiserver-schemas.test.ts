// The kinds' schemas over HTTP: what the OpenAPI documents publish, and fieldValidation enforcing them on writes.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { createCrd, exampleCrd, PATCH, request, startServer, type Loose } from './fake-apiserver-helpers.ts';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

const WIDGET_SCHEMA = {
  type: 'object',
  description: 'A Widget is a thing with a size.',
  properties: {
    spec: {
      type: 'object',
      properties: { size: { type: 'integer', description: 'How big.' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  },
};

async function document(server: FakeApiServer, gv: string): Promise<Loose> {
  const index = await request(server, 'GET', '/openapi/v3');
  const url = index.body.paths[gv]?.serverRelativeURL as string | undefined;
  assert.ok(url !== undefined, `${gv} is in the v3 index`);
  return (await request(server, 'GET', url)).body;
}

void describe('schemas in the OpenAPI documents and on writes', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    await createCrd(server, exampleCrd({ plural: 'widgets', kind: 'Widget', schema: WIDGET_SCHEMA }));
  });
  after(() => server.stop());

  void it('publishes each built-in kind with its group-version-kind, fields, descriptions and required fields', async () => {
    const apps = await document(server, 'apis/apps/v1');
    const schemas = apps.components.schemas as Record<string, Loose>;
    const deployment = schemas['io.k8s.api.apps.v1.Deployment'];
    assert.deepEqual(deployment?.['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.deepEqual(deployment?.properties.spec, { $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' });
    const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    assert.deepEqual(spec?.required, ['selector', 'template']);
    assert.deepEqual(Object.keys(spec?.properties.replicas).sort(), ['description', 'format', 'type']);
    assert.equal(typeof spec?.description, 'string');
    assert.deepEqual(schemas['io.k8s.api.apps.v1.DeploymentList']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
    const scalePath = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    assert.deepEqual(scalePath.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    assert.ok(schemas['io.k8s.api.autoscaling.v1.Scale']);
    const core = await document(server, 'api/v1');
    assert.deepEqual(core.components.schemas['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
    assert.deepEqual(core.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind'], { group: 'policy', version: 'v1', kind: 'Eviction' });
  });

  void it('annotates list types, map keys, merge keys, list-map key defaults and atomic structs from the facts table', async () => {
    const schemas = (await document(server, 'api/v1')).components.schemas as Record<string, Loose>;
    const containers = schemas['io.k8s.api.core.v1.PodSpec']?.properties.containers;
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(schemas['io.k8s.api.core.v1.Container']?.properties.ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(schemas['io.k8s.api.core.v1.ContainerPort']?.properties.protocol.default, 'TCP', 'the default apply keys a port without protocol by');
    assert.equal(schemas['io.k8s.api.core.v1.PodSpec']?.properties.tolerations['x-kubernetes-list-type'], 'atomic');
    assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']?.['x-kubernetes-map-type'], 'atomic');
    assert.deepEqual(schemas['io.k8s.api.core.v1.ResourceRequirements']?.properties.limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  });

  void it('publishes a CRD version schema with apiVersion, kind and the standard metadata added', async () => {
    const doc = await document(server, 'apis/example.com/v1');
    const widget = doc.components.schemas['com.example.v1.Widget'];
    assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Widget', version: 'v1' }]);
    assert.equal(widget.description, 'A Widget is a thing with a size.');
    assert.deepEqual(Object.keys(widget.properties).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(widget.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels);
  });

  void it('serves the same definitions in the Swagger 2.0 JSON document, protobuf still empty', async () => {
    const v2 = await request(server, 'GET', '/openapi/v2', { headers: { accept: 'application/json' } });
    assert.equal(v2.body.swagger, '2.0');
    const containers = v2.body.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
    assert.deepEqual(containers.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
    const selector = v2.body.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.selector;
    assert.deepEqual([selector.$ref, selector.allOf], ['#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', undefined]);
    assert.deepEqual(v2.body.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.parameters.find((p: Loose) => p.name === 'fieldValidation'), {
      name: 'fieldValidation',
      in: 'query',
      type: 'string',
      uniqueItems: true,
    });
    const proto = await request(server, 'GET', '/openapi/v2', { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    assert.equal(proto.text, '');
  });

  void it('fails a Strict write naming every unknown field, with the decoder wording', async () => {
    const body = { metadata: { name: 'strict', labelz: {} }, data: { a: 'b' }, dataa: { c: 'd' } };
    const res = await request(server, 'POST', `${CONFIGMAPS}?fieldValidation=Strict`, { body });
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'BadRequest');
    assert.equal(res.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.labelz", unknown field "dataa"');
    assert.equal((await request(server, 'GET', `${CONFIGMAPS}/strict`)).status, 404);
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', imagee: 'typo' }] } };
    const nested = await request(server, 'POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', { body: pod });
    assert.match(nested.body.message, /unknown field "spec\.containers\[0\]\.imagee"$/);
  });

  void it('drops unknown fields with a Warning header by default, silently with Ignore, and on patches too, blaming a patch only for its own', async () => {
    const warned = await request(server, 'POST', CONFIGMAPS, { body: { metadata: { name: 'warned' }, data: { a: 'b' }, bogus: 1 } });
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.get('warning'), '299 - "unknown field \\"bogus\\""');
    assert.equal(warned.body.bogus, undefined);
    const ignored = await request(server, 'POST', `${CONFIGMAPS}?fieldValidation=Ignore`, { body: { metadata: { name: 'ignored' }, bogus: 1 } });
    assert.equal(ignored.headers.get('warning'), null);
    assert.equal(ignored.body.bogus, undefined);
    const patchWarned = await request(server, 'PATCH', `${CONFIGMAPS}/warned`, { body: { spec: { x: 1 } }, contentType: PATCH.merge });
    assert.equal(patchWarned.headers.get('warning'), '299 - "unknown field \\"spec\\""');
    server.objects.create('configmaps', { metadata: { name: 'seeded', namespace: 'default' }, legacy: true });
    const onSeeded = await request(server, 'PATCH', `${CONFIGMAPS}/seeded?fieldValidation=Strict`, { body: { data: { k: 'v' } }, contentType: PATCH.merge });
    assert.equal(onSeeded.status, 200, 'fields seeded through server.objects are not blamed on a patch');
    const bad = await request(server, 'POST', `${CONFIGMAPS}?fieldValidation=Loud`, { body: { metadata: { name: 'x' } } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "", "Ignore", "Strict", "Warn"');
  });

  void it('prunes a CustomResource to its schema, keeping what preserves unknown fields', async () => {
    const body = { metadata: { name: 'w1' }, spec: { size: 2, colour: 'red', extra: { anything: { goes: true } } }, status: { x: 1 } };
    const res = await request(server, 'POST', WIDGETS, { body });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.spec, { size: 2, extra: { anything: { goes: true } } });
    assert.equal(res.body.status, undefined);
    assert.deepEqual(res.headers.get('warning')?.split(', '), ['299 - "unknown field \\"spec.colour\\""', '299 - "unknown field \\"status\\""']);
    const strict = await request(server, 'POST', `${WIDGETS}?fieldValidation=Strict`, { body: { ...body, metadata: { name: 'w2' } } });
    assert.equal(strict.body.message, 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour", unknown field "status"');
  });
});
