// The OpenAPI answers kubectl's create validation reads, checked without a server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  serveOpenApi,
  type OpenApiResource,
} from '../../src/testing/fake-apiserver/openapi.ts';

const resources: OpenApiResource[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true },
];

interface V3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}
interface Operation {
  parameters: { name: string; in: string }[];
  'x-kubernetes-group-version-kind': { group: string; version: string; kind: string };
}
interface V3Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

function body<T>(pathname: string, accept?: string): T {
  const answer = serveOpenApi(pathname, accept, resources);
  assert.ok(answer !== undefined, `${pathname} is an OpenAPI path`);
  assert.equal(answer.status, 200);
  assert.equal(answer.contentType, 'application/json');
  return JSON.parse(answer.body) as T;
}

void describe('serveOpenApi', () => {
  void it('indexes every group-version with a hashed document URL', () => {
    const index = body<V3Index>('/openapi/v3');
    assert.deepEqual(Object.keys(index.paths).sort(), ['api/v1', 'apis/apps/v1']);
    assert.match(index.paths['api/v1']?.serverRelativeURL ?? '', /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  void it('changes the hash when the served resources change', () => {
    const before = body<V3Index>('/openapi/v3').paths['api/v1']?.serverRelativeURL;
    const more = [...resources, { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true }];
    const after = JSON.parse(serveOpenApi('/openapi/v3', undefined, more)?.body ?? '{}') as V3Index;
    assert.notEqual(after.paths['api/v1']?.serverRelativeURL, before);
  });

  void it('declares fieldValidation on the PATCH of each kind, tagged with its group-version-kind', () => {
    const doc = body<V3Document>('/openapi/v3/api/v1');
    assert.equal(doc.openapi, '3.0.0');
    const podPatch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.['patch'];
    assert.deepEqual(podPatch?.['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
    assert.ok(podPatch?.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
    assert.ok(doc.paths['/api/v1/namespaces/{name}']?.['patch'], 'cluster-scoped kinds have no namespace segment');
    const apps = body<V3Document>('/openapi/v3/apis/apps/v1');
    assert.ok(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.['post']);
  });

  void it('answers 404 for a group-version nobody serves and undefined for other paths', () => {
    assert.equal(serveOpenApi('/openapi/v3/apis/nope/v1', undefined, resources)?.status, 404);
    assert.equal(serveOpenApi('/api/v1', undefined, resources), undefined);
  });

  void it('serves an empty protobuf v2 document with the content type kubectl can parse', () => {
    const answer = serveOpenApi('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', resources);
    assert.deepEqual(answer, { status: 200, contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE, body: '' });
    assert.equal(body<{ swagger: string }>('/openapi/v2', 'application/json').swagger, '2.0');
  });
});
