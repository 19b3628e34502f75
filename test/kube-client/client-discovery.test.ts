// Client calls while their kind's API group never answers discovery: the caller's AbortSignal ends the wait.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ConfigMaps, unstructured } from '../../src/cache/kinds.ts';
import { Client } from '../../src/kube-client/client.ts';
import { defineResource } from '../../src/testing/fake-apiserver/registry.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { startLegacyDiscoveryProxy } from '../cache/legacy-discovery-proxy.ts';
import { deferCleanup } from '../cleanup.ts';
import { eventually, startServer, timeout } from './helpers.ts';

const PodMetrics = unstructured({ group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' });
const key = { namespace: 'ns1', name: 'web' };
const metrics = { metadata: { ...key, resourceVersion: '1' } };

/** Every Client call that has to map its kind to a resource before it can send anything. */
const calls: readonly [string, (client: Client, signal: AbortSignal) => Promise<unknown>][] = [
  ['get', (client, signal) => client.get(PodMetrics, key, { signal })],
  ['list', (client, signal) => client.list(PodMetrics, { namespace: 'ns1', signal })],
  ['create', (client, signal) => client.create(PodMetrics, metrics, { signal })],
  ['update', (client, signal) => client.update(PodMetrics, metrics, { signal })],
  ['patch', (client, signal) => client.patch(PodMetrics, key, { metadata: { labels: { a: 'b' } } }, { signal })],
  ['apply', (client, signal) => client.apply(PodMetrics, metrics, { fieldManager: 'test', signal })],
  ['delete', (client, signal) => client.delete(PodMetrics, key, { signal })],
  ['deleteAllOf', (client, signal) => client.deleteAllOf(PodMetrics, { namespace: 'ns1', signal })],
  ['status().update', (client, signal) => client.status().update(PodMetrics, metrics, { signal })],
  ['subResource().get', (client, signal) => client.subResource('scale').get(PodMetrics, key, { signal })],
  ['isNamespaced', (client, signal) => client.isNamespaced(PodMetrics, { signal })],
];

/** A live Client behind a server without aggregated discovery, whose metrics.k8s.io/v1beta1 never answers. */
async function clientWithHangingMetrics(t: TestContext): Promise<{ server: FakeApiServer; client: Client }> {
  const server = await startServer(t);
  server.registry.add(defineResource({ group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', kind: 'PodMetrics', namespaced: true }));
  server.faults.unavailable('metrics.k8s.io/v1beta1', { hang: true });
  server.objects.create('configmaps', { metadata: { namespace: 'ns1', name: 'settings' }, data: {} });
  const client = new Client(await startLegacyDiscoveryProxy(t, server), { transport: { requestTimeoutMs: 60_000 } });
  deferCleanup(t, () => client.close());
  return { server, client };
}

void describe('Client calls on a kind whose API group hangs in discovery', () => {
  void it('reject with the signal\'s reason when aborted, for every call, and other kinds are served meanwhile', async (t) => {
    const { server, client } = await clientWithHangingMetrics(t);
    for (const [name, call] of calls) {
      const controller = new AbortController();
      const settled = call(client, controller.signal).then(
        () => new Error(`${name} resolved`),
        (err: unknown) => err,
      );
      await eventually(() => server.requests.records.some((r) => r.path === '/apis/metrics.k8s.io/v1beta1'), 'the metrics discovery request');
      const settings = await client.get(ConfigMaps, { namespace: 'ns1', name: 'settings' }, { signal: timeout() });
      assert.equal(settings.metadata?.name, 'settings', `a ConfigMap read while ${name} waits`);
      const reason = new Error(`the reconciler gave up on ${name}`);
      controller.abort(reason);
      assert.equal(await settled, reason, `${name} rejects with the abort reason`);
    }
  });
});
