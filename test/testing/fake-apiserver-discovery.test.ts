// Discovery documents and CustomResourceDefinitions registering and unregistering kinds.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineResource } from '../../src/testing/fake-apiserver/registry.ts';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { createCrd, CRDS, exampleCrd, PATCH, request, startServer, watch } from './fake-apiserver-helpers.ts';


function crd(scope: 'Namespaced' | 'Cluster', plural = 'widgets'): Record<string, unknown> {
  return exampleCrd({ plural, kind: plural === 'widgets' ? 'Widget' : 'Gadget', scope, shortNames: ['wd'], schema: { type: 'object' } });
}

void describe('fake apiserver discovery', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  void it('serves /version, /api and /apis with the real shapes', async () => {
    const version = await request(server, 'GET', '/version');
    assert.equal(version.body.major, '1');
    assert.match(version.body.gitVersion, /^v1\.\d+\.\d+$/);
    const api = await request(server, 'GET', '/api', { headers: { accept: 'application/json, */*' } });
    assert.equal(api.headers.get('content-type'), 'application/json');
    assert.equal(api.body.kind, 'APIVersions');
    assert.deepEqual(api.body.versions, ['v1']);
    const apis = await request(server, 'GET', '/apis');
    assert.equal(apis.body.kind, 'APIGroupList');
    const groups = apis.body.groups.map((g: { name: string }) => g.name);
    assert.deepEqual(groups, ['apps', 'batch', 'coordination.k8s.io', 'apiextensions.k8s.io']);
    assert.deepEqual(apis.body.groups[0].preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
    const group = await request(server, 'GET', '/apis/apps');
    assert.equal(group.body.kind, 'APIGroup');
  });

  void it('serves aggregated discovery on /api and /apis when asked, with the real content type and caching headers', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const api = await request(server, 'GET', '/api', { headers: { accept } });
    assert.equal(api.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.match(api.headers.get('etag') ?? '', /^"[0-9A-F]{128}"$/);
    assert.equal(api.headers.get('vary'), 'Accept');
    assert.equal(api.headers.get('cache-control'), 'public');
    assert.equal(api.body.kind, 'APIGroupDiscoveryList');
    assert.equal(api.body.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.deepEqual(api.body.metadata, {});
    assert.equal(api.body.items.length, 1);
    assert.deepEqual(api.body.items[0].metadata, { creationTimestamp: null });
    const [core] = api.body.items[0].versions;
    assert.equal(core.version, 'v1');
    assert.equal(core.freshness, 'Current');
    assert.deepEqual(
      core.resources.find((r: { resource: string }) => r.resource === 'pods'),
      {
        resource: 'pods',
        responseKind: { group: '', version: '', kind: 'Pod' },
        scope: 'Namespaced',
        singularResource: 'pod',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        shortNames: ['po'],
        categories: ['all'],
        subresources: [
          { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
          { subresource: 'status', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
        ],
      },
    );
    assert.equal(core.resources.find((r: { resource: string }) => r.resource === 'nodes').scope, 'Cluster');

    const apis = await request(server, 'GET', '/apis', { headers: { accept } });
    const legacy = await request(server, 'GET', '/apis');
    assert.deepEqual(
      apis.body.items.map((g: { metadata: { name: string } }) => g.metadata.name),
      legacy.body.groups.map((g: { name: string }) => g.name),
      'the same groups in the same order as the legacy APIGroupList',
    );
    assert.deepEqual(apis.body.items[0].metadata, { name: 'apps', creationTimestamp: null });
    const appsResources = apis.body.items[0].versions[0].resources as { resource: string; subresources?: { subresource: string; responseKind: unknown }[] }[];
    assert.deepEqual(appsResources.map((r) => r.resource), ['deployments', 'replicasets', 'statefulsets', 'daemonsets']);
    assert.deepEqual(appsResources[0]?.subresources?.[0], {
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });

    const unchanged = await request(server, 'GET', '/apis', { headers: { accept, 'if-none-match': apis.headers.get('etag') ?? '' } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.text, '');
    const beta = await request(server, 'GET', '/apis', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList' } });
    assert.equal(beta.body.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    assert.equal((await request(server, 'GET', '/apis', { headers: { accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' } })).status, 406);
  });

  void it('answers the health endpoints with ok', async () => {
    for (const path of ['/healthz', '/readyz', '/livez']) {
      const res = await request(server, 'GET', path);
      assert.equal(res.status, 200);
      assert.equal(res.text, 'ok');
    }
  });

  void it('lists every built-in kind with name, singularName, namespaced, kind, verbs and shortNames', async () => {
    const core = await request(server, 'GET', '/api/v1');
    assert.equal(core.body.kind, 'APIResourceList');
    assert.equal(core.body.groupVersion, 'v1');
    const byName = new Map<string, Record<string, unknown>>(core.body.resources.map((r: { name: string }) => [r.name, r]));
    for (const name of ['namespaces', 'pods', 'configmaps', 'secrets', 'services', 'nodes', 'events', 'serviceaccounts']) {
      assert.ok(byName.has(name), name);
    }
    assert.deepEqual(byName.get('configmaps'), {
      name: 'configmaps',
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['cm'],
    });
    assert.equal(byName.get('nodes')?.['namespaced'], false);
    const names = core.body.resources.map((r: { name: string }) => r.name);
    assert.ok(names.indexOf('pods') < names.indexOf('pods/status'));
    const apps = await request(server, 'GET', '/apis/apps/v1');
    assert.deepEqual(
      apps.body.resources.filter((r: { name: string }) => !r.name.includes('/')).map((r: { kind: string }) => r.kind),
      ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
    );
    assert.equal((await request(server, 'GET', '/apis/coordination.k8s.io/v1')).body.resources[0].kind, 'Lease');
    assert.equal((await request(server, 'GET', '/apis/nope/v1')).status, 404);
  });

  void it('registers a namespaced CRD in discovery and serving, and marks it Established', async () => {
    const created = await request(server, 'POST', CRDS, { body: crd('Namespaced') });
    assert.equal(created.status, 201);
    const conditions = created.body.status.conditions as { type: string; status: string }[];
    assert.ok(conditions.some((c) => c.type === 'Established' && c.status === 'True'));
    assert.equal(created.body.status.acceptedNames.kind, 'Widget');
    const apis = await request(server, 'GET', '/apis');
    assert.ok(apis.body.groups.some((g: { name: string }) => g.name === 'example.com'));
    const resources = await request(server, 'GET', '/apis/example.com/v1');
    assert.equal(resources.body.resources[0].name, 'widgets');
    assert.equal(resources.body.resources[0].namespaced, true);
    const w = await request(server, 'POST', '/apis/example.com/v1/namespaces/default/widgets', {
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1 } },
    });
    assert.equal(w.status, 201);
    assert.equal(w.body.metadata.generation, 1);
    const list = await request(server, 'GET', '/apis/example.com/v1/namespaces/default/widgets');
    assert.equal(list.body.kind, 'WidgetList');
    assert.equal(list.body.items[0].kind, 'Widget');
    assert.equal(list.body.items[0].apiVersion, 'example.com/v1');
  });

  void it('requires a resourceVersion on custom resource updates (422) and refuses strategic merge patch (415)', async () => {
    const put = await request(server, 'PUT', '/apis/example.com/v1/namespaces/default/widgets/w1', {
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 2 } },
    });
    assert.equal(put.status, 422);
    assert.match(put.body.message, /metadata.resourceVersion: Invalid value: 0x0: must be specified for an update/);
    const smp = await request(server, 'PATCH', '/apis/example.com/v1/namespaces/default/widgets/w1', {
      body: { spec: { size: 3 } },
      contentType: PATCH.strategic,
    });
    assert.equal(smp.status, 415);
  });

  void it('unregisters the kind and deletes its objects when the CRD is deleted, ending its watches', async () => {
    const w = await watch(server, `/apis/example.com/v1/widgets?watch=true&resourceVersion=${server.store.resourceVersion}`);
    const res = await request(server, 'DELETE', `${CRDS}/widgets.example.com`);
    assert.equal(res.status, 200);
    const events = await w.drain();
    assert.deepEqual(events.map((e) => e.type), ['DELETED']);
    assert.equal((await request(server, 'GET', '/apis/example.com/v1')).status, 404);
    assert.equal((await request(server, 'GET', '/apis/example.com/v1/namespaces/default/widgets')).status, 404);
    const apis = await request(server, 'GET', '/apis');
    assert.ok(!apis.body.groups.some((g: { name: string }) => g.name === 'example.com'));
  });

  void it('registers a cluster-scoped CRD', async () => {
    await createCrd(server, crd('Cluster', 'gadgets'));
    const resources = await request(server, 'GET', '/apis/example.com/v1');
    assert.equal(resources.body.resources[0].namespaced, false);
    const created = await request(server, 'POST', '/apis/example.com/v1/gadgets', { body: { metadata: { name: 'g1' } } });
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.namespace, undefined);
  });

  void it('serves a kind added to the registry directly', async () => {
    server.registry.add(defineResource({ group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, hasGeneration: true }));
    const apis = await request(server, 'GET', '/apis');
    assert.ok(apis.body.groups.some((g: { name: string }) => g.name === 'policy'));
    const created = await request(server, 'POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { body: { metadata: { name: 'j' }, spec: {} } });
    assert.equal(created.status, 201);
    assert.equal(created.body.kind, 'PodDisruptionBudget');
    assert.equal(created.body.metadata.generation, 1);
  });

  void it('answers 422 for a CRD whose name does not match its names and group', async () => {
    const bad = crd('Namespaced', 'things');
    (bad['metadata'] as { name: string }).name = 'wrong.example.com';
    const res = await request(server, 'POST', CRDS, { body: bad });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
  });

  void it('answers 422 for a CRD with a version entry that has no name, and serves nothing of it', async () => {
    const bad = crd('Namespaced', 'sprockets');
    (bad['spec'] as { versions: unknown[] }).versions.push({ served: true, storage: false });
    const res = await request(server, 'POST', CRDS, { body: bad });
    assert.equal(res.status, 422);
    assert.match(String(res.body.message), /spec\.versions\[1\]\.name: Required value/);
    const groups = await request(server, 'GET', '/apis/example.com');
    const versions = (groups.body.versions as { version: unknown }[] | undefined) ?? [];
    assert.ok(versions.every((v) => typeof v.version === 'string'), JSON.stringify(versions));
    assert.equal(server.registry.all().filter((rt) => rt.resource === 'sprockets').length, 0);
  });
});
