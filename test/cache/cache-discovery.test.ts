// Cache reads while one aggregated API is down: its kinds fail alone, the others are served, every wait honours the signal.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import { Cache } from '../../src/cache/cache.ts';
import { ConfigMaps, unstructured } from '../../src/cache/kinds.ts';
import type { CacheOptions } from '../../src/cache/options.ts';
import { NoKindMatchError, StaleGroupVersionError } from '../../src/client/errors.ts';
import { defineResource } from '../../src/testing/fake-apiserver/registry.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { eventually, startServer, timeout } from '../helpers.ts';
import { startLegacyDiscoveryProxy } from './legacy-discovery-proxy.ts';
import { runUntilTestEnds } from '../cleanup.ts';

const PodMetrics = unstructured({ group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' });

// A request timeout far below the default: were discovery not isolated, every read would wait for it.
const transport = { requestTimeoutMs: 3000 };

/** A fake APIServer serving metrics.k8s.io/v1beta1 from an aggregated API whose backend hangs. */
async function serverWithHangingMetrics(t: TestContext): Promise<FakeApiServer> {
  const server = await startServer(t);
  server.registry.add(defineResource({ group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', kind: 'PodMetrics', namespaced: true }));
  server.faults.unavailable('metrics.k8s.io/v1beta1', { hang: true });
  server.objects.create('configmaps', { metadata: { namespace: 'ns1', name: 'settings' }, data: {} });
  return server;
}

function started(t: TestContext, cache: Cache): Cache {
  runUntilTestEnds(t, (signal) => cache.start(signal));
  return cache;
}

const layouts: readonly [string, CacheOptions][] = [
  ['an all-namespaces cache', { transport }],
  ['a multi-namespace cache', { transport, defaultNamespaces: { ns1: {}, ns2: {} } }],
];

for (const [layout, options] of layouts) {
  void describe(`${layout} while one aggregated API hangs`, () => {
    void it('serves other kinds at once and rejects the hanging API\'s kind with NoKindMatchError caused by its stale discovery', async (t) => {
      const server = await serverWithHangingMetrics(t);
      const cache = started(t, new Cache(server.kubeConfig(), options));
      const configMaps = await cache.list(ConfigMaps, { namespace: 'ns1', signal: timeout() });
      assert.deepEqual(configMaps.map((cm) => cm.metadata?.name), ['settings']);
      const err = await cache.list(PodMetrics, { namespace: 'ns1', signal: timeout() }).catch((e: unknown) => e);
      assert.ok(err instanceof NoKindMatchError, String(err));
      assert.ok(err.cause instanceof StaleGroupVersionError);
    });

    void it('on a server without aggregated discovery, settles a read aborted while its kind is discovered, and serves others meanwhile', async (t) => {
      const server = await serverWithHangingMetrics(t);
      const cache = started(t, new Cache(await startLegacyDiscoveryProxy(t, server), options));
      const controller = new AbortController();
      const metrics = cache.list(PodMetrics, { namespace: 'ns1', signal: controller.signal }).catch((e: unknown) => e);
      await eventually(() => server.requests.records.some((r) => r.path === '/apis/metrics.k8s.io/v1beta1'), 'the metrics discovery request');
      const configMaps = await cache.list(ConfigMaps, { namespace: 'ns1', signal: timeout() });
      assert.equal(configMaps.length, 1);
      controller.abort(new Error('the reconciler gave up'));
      const err = await metrics;
      assert.ok(err instanceof StatusError, String(err));
      assert.equal(err.code, 504);
      assert.match(err.message, /^Timeout: failed waiting for unstructured metrics\.k8s\.io\/v1beta1, Kind=PodMetrics Informer to sync$/);
      assert.match(String((err.cause as Error).message), /the reconciler gave up/);
    });
  });
}
