// RESTMapper against the fake APIServer's discovery: mappings, misses, CRDs added later, rate limiting, a down API group.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NoKindMatchError, NoResourceMatchError, RequestTimeoutError, StaleGroupVersionError } from '../../src/client/errors.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { RESTMapper } from '../../src/client/rest-mapper.ts';
import { Transport } from '../../src/client/transport.ts';
import { defineResource } from '../../src/testing/fake-apiserver/registry.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { StatusError } from '../../src/api/errors.ts';
import { crdOf, eventually } from '../helpers.ts';
import { startTinyServer, transportFor } from './helpers.ts';

const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

void describe('RESTMapper over the fake APIServer', () => {
  let server: FakeApiServer;
  let transport: Transport;
  let rest: RestClient;

  void before(async () => {
    server = await FakeApiServer.start();
    transport = Transport.fromKubeConfig(server.kubeConfig());
    rest = new RestClient(transport);
  });
  void after(async () => {
    transport.close();
    await server.stop();
  });

  function discoveryReads(): number {
    return server.requests.records.filter((r) => r.path === '/apis').length;
  }

  void it('maps built-in kinds to their resources and scopes', async () => {
    const mapper = new RESTMapper(transport);
    assert.deepEqual(await mapper.restMapping({ group: '', version: 'v1', kind: 'ConfigMap' }), {
      gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      scope: 'Namespace',
    });
    assert.equal((await mapper.restMapping({ group: '', version: 'v1', kind: 'Namespace' })).scope, 'Root');
    const deployment = await mapper.restMapping({ group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.deepEqual(deployment.resource, { group: 'apps', version: 'v1', resource: 'deployments' });
    assert.equal(await mapper.isNamespaced({ group: 'apps', version: 'v1', kind: 'Deployment' }), true);
  });

  void it('maps a kind to its main resource, never to a subresource such as pods/status', async () => {
    const mapper = new RESTMapper(transport);
    assert.equal((await mapper.restMapping({ group: '', version: 'v1', kind: 'Pod' })).resource.resource, 'pods');
    await assert.rejects(mapper.kindFor({ group: '', version: 'v1', resource: 'pods/status' }), NoResourceMatchError);
  });

  void it('finds kinds for plural and singular resource names and the preferred version for an empty one', async () => {
    const mapper = new RESTMapper(transport);
    const pod = { group: '', version: 'v1', kind: 'Pod' };
    assert.deepEqual(await mapper.kindFor({ group: '', version: 'v1', resource: 'pods' }), pod);
    assert.deepEqual(await mapper.kindFor({ group: '', version: 'v1', resource: 'pod' }), pod);
    assert.deepEqual(await mapper.kindFor({ group: 'apps', version: '', resource: 'deployments' }), { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal((await mapper.restMapping({ group: 'apps', version: '', kind: 'Deployment' })).gvk.version, 'v1');
  });

  void it('rejects an unknown kind with NoKindMatchError naming the kind and group version', async () => {
    const mapper = new RESTMapper(transport);
    const err = await mapper.restMapping({ group: 'nothing.example.com', version: 'v9', kind: 'Ghost' }).catch((e: unknown) => e);
    assert.ok(err instanceof NoKindMatchError);
    assert.equal(err.reason, 'NoKindMatch');
    assert.deepEqual(err.gvk, { group: 'nothing.example.com', version: 'v9', kind: 'Ghost' });
    assert.equal(err.message, 'no matches for kind "Ghost" in version "nothing.example.com/v9"');
  });

  void it('maps a CRD created after its first discovery read without a restart', async () => {
    const mapper = new RESTMapper(transport);
    await mapper.restMapping({ group: '', version: 'v1', kind: 'ConfigMap' });
    await rest.createObject(crds, crdOf('widgets', 'Widget', 'Namespaced'));
    const mapping = await mapper.restMapping({ group: 'example.com', version: 'v1', kind: 'Widget' });
    assert.deepEqual(mapping.resource, { group: 'example.com', version: 'v1', resource: 'widgets' });
    assert.equal(mapping.scope, 'Namespace');
  });

  void it('shares one discovery re-read among concurrent misses and re-reads at most once per interval', async () => {
    let now = 1_000_000;
    const mapper = new RESTMapper(transport, { minRefreshIntervalMs: 1000, now: () => now });
    await mapper.restMapping({ group: '', version: 'v1', kind: 'ConfigMap' });
    const before = discoveryReads();
    const ghost = { group: 'example.com', version: 'v1', kind: 'Gadget' };
    const storm = await Promise.allSettled(Array.from({ length: 10 }, () => mapper.restMapping(ghost)));
    assert.ok(storm.every((r) => r.status === 'rejected' && r.reason instanceof NoKindMatchError));
    assert.equal(discoveryReads() - before, 1, 'one re-read for the whole storm');

    await rest.createObject(crds, crdOf('gadgets', 'Gadget', 'Cluster'));
    now += 500;
    await assert.rejects(mapper.restMapping(ghost), NoKindMatchError, 'still inside the interval: no re-read');
    assert.equal(discoveryReads() - before, 1);
    now += 600;
    assert.equal((await mapper.restMapping(ghost)).scope, 'Root');
    assert.equal(discoveryReads() - before, 2);
  });

  void it('reads discovery once for a first lookup that misses', async () => {
    const mapper = new RESTMapper(transport);
    const before = discoveryReads();
    await assert.rejects(mapper.restMapping({ group: 'example.com', version: 'v1', kind: 'Nope' }), NoKindMatchError);
    assert.equal(discoveryReads() - before, 1);
  });
});

void describe('RESTMapper when a group version cannot be discovered', () => {
  // Core v1 serves ConfigMaps; metrics.k8s.io/v1beta1 is listed in /apis but answers 503, as an
  // aggregated API whose backend is down does; every other path is 404.
  const unavailable = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'service unavailable', reason: 'ServiceUnavailable', code: 503 };
  const documents: Record<string, [number, unknown]> = {
    '/api': [200, { kind: 'APIVersions', versions: ['v1'] }],
    '/api/v1': [200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['list'] }] }],
    '/apis': [200, { kind: 'APIGroupList', groups: [{ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } }] }],
    '/apis/metrics.k8s.io/v1beta1': [503, unavailable],
  };

  void it('rejects a kind of that group version with NoKindMatchError naming the failure and carrying it as cause', async (t) => {
    const server = await startTinyServer((req, res) => {
      const [code, body] = documents[req.url ?? ''] ?? [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }];
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    const transport = transportFor(server);
    t.after(async () => {
      transport.close();
      await server.stop();
    });
    const mapper = new RESTMapper(transport);
    assert.equal((await mapper.restMapping({ group: '', version: 'v1', kind: 'ConfigMap' })).resource.resource, 'configmaps');
    for (const version of ['v1beta1', '']) {
      const err: unknown = await mapper.restMapping({ group: 'metrics.k8s.io', version, kind: 'PodMetrics' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof NoKindMatchError, `version ${JSON.stringify(version)}: ${String(err)}`);
      assert.ok(err.cause instanceof StatusError && err.cause.code === 503, 'the 503 is the cause');
      assert.match(err.message, /discovery failed: service unavailable/);
    }
    const other: unknown = await mapper.restMapping({ group: 'example.com', version: 'v1', kind: 'Nope' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(other instanceof NoKindMatchError);
    assert.equal(other.cause, undefined, 'a kind of a group that discovered fine has no discovery cause');
  });
});

void describe('RESTMapper when one aggregated API is down', () => {
  const podMetrics = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' };

  void it('maps every other kind from aggregated discovery and names the stale version as the cause for its own kinds', async (t) => {
    const server = await FakeApiServer.start();
    server.registry.add(defineResource({ group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', kind: 'PodMetrics', namespaced: true }));
    server.faults.unavailable('metrics.k8s.io/v1beta1', { hang: true });
    const transport = Transport.fromKubeConfig(server.kubeConfig(), { requestTimeoutMs: 2000 });
    t.after(async () => {
      transport.close();
      await server.stop();
    });
    const mapper = new RESTMapper(transport);
    assert.equal((await mapper.restMapping({ group: '', version: 'v1', kind: 'ConfigMap' })).resource.resource, 'configmaps');
    assert.equal((await mapper.restMapping({ group: 'apps', version: '', kind: 'Deployment' })).scope, 'Namespace');
    for (const version of ['v1beta1', '']) {
      const err = await mapper.restMapping({ ...podMetrics, version }).catch((e: unknown) => e);
      assert.ok(err instanceof NoKindMatchError, String(err));
      assert.ok(err.cause instanceof StaleGroupVersionError);
      assert.equal(err.cause.groupVersion, 'metrics.k8s.io/v1beta1');
      assert.match(err.message, /discovery failed: stale GroupVersion discovery: metrics\.k8s\.io\/v1beta1/);
    }
    const paths = server.requests.records.map((r) => r.path);
    assert.ok(!paths.includes('/apis/metrics.k8s.io/v1beta1'), 'the down group version is never read on its own');
    assert.ok(!paths.includes('/api/v1'), 'aggregated discovery brought every resource');
  });
});

void describe('RESTMapper against a legacy server whose one group version never answers', () => {
  // A pre-aggregation server: /apis lists metrics.k8s.io/v1beta1, whose discovery request hangs.
  const documents: Record<string, unknown> = {
    '/api': { kind: 'APIVersions', versions: ['v1'] },
    '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['list'] }] },
    '/apis': {
      kind: 'APIGroupList',
      groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
        { name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } },
      ],
    },
    '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['list'] }] },
  };
  const podMetrics = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' };

  async function legacyServer(t: { after: (fn: () => Promise<void>) => void }, now?: () => number) {
    const server = await startTinyServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/apis/metrics.k8s.io/v1beta1') return; // never answered
      const doc = documents[path];
      res.writeHead(doc === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(doc ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    });
    const transport = transportFor(server, { requestTimeoutMs: 600 });
    t.after(async () => {
      transport.close();
      await server.stop();
    });
    const metricsReads = (): number => server.requests.filter((r) => r === 'GET /apis/metrics.k8s.io/v1beta1').length;
    return { mapper: new RESTMapper(transport, now === undefined ? {} : { now }), metricsReads };
  }

  void it('maps the kinds of other groups at once while the hanging group version is still being read', async (t) => {
    const { mapper, metricsReads } = await legacyServer(t);
    const pending = mapper.restMapping(podMetrics).catch((e: unknown) => e);
    await eventually(() => metricsReads() === 1, 'the metrics discovery request');
    assert.equal((await mapper.restMapping({ group: '', version: 'v1', kind: 'ConfigMap' })).resource.resource, 'configmaps');
    assert.equal((await mapper.restMapping({ group: 'apps', version: '', kind: 'Deployment' })).resource.resource, 'deployments');
    const err = await pending;
    assert.ok(err instanceof NoKindMatchError, String(err));
    assert.ok(err.cause instanceof RequestTimeoutError, 'the hang is the cause');
  });

  void it('stops waiting when the lookup is aborted, leaving the shared read to the others', async (t) => {
    const { mapper, metricsReads } = await legacyServer(t);
    const controller = new AbortController();
    const aborted = mapper.restMapping(podMetrics, { signal: controller.signal });
    const patient = mapper.restMapping(podMetrics).catch((e: unknown) => e);
    await eventually(() => metricsReads() === 1, 'the metrics discovery request');
    controller.abort(new Error('the reader gave up'));
    await assert.rejects(aborted, /the reader gave up/);
    assert.ok((await patient) instanceof NoKindMatchError, 'the other lookup still gets its answer');
    assert.equal(metricsReads(), 1, 'one read shared by both lookups');
  });

  void it('answers from the failure at once within the interval and reads the group version again after it', async (t) => {
    let now = 1_000_000;
    const { mapper, metricsReads } = await legacyServer(t, () => now);
    await assert.rejects(mapper.restMapping(podMetrics), NoKindMatchError);
    const again = await mapper.restMapping(podMetrics).catch((e: unknown) => e);
    assert.ok(again instanceof NoKindMatchError && again.cause instanceof RequestTimeoutError);
    assert.equal(metricsReads(), 1, 'no new read inside the interval');
    now += 1001;
    const later = mapper.restMapping(podMetrics).catch((e: unknown) => e);
    await eventually(() => metricsReads() === 2, 'a new read after the interval');
    assert.ok((await later) instanceof NoKindMatchError);
  });
});
