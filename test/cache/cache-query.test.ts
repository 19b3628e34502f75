// List queries through the Cache: label selectors, field indexes, limit, and frozen versus copied results.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelSelector } from '../../src/api/label-selector.ts';
import { IndexerConflictError } from '../../src/informer/errors.ts';
import { Nodes, Pods } from '../../src/cache/kinds.ts';
import { newCache, pod, startCache, startServer, timeout } from '../helpers.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { runUntilTestEnds } from '../cleanup.ts';

function seed(server: FakeApiServer): void {
  server.objects.create('pods', pod('ns1', 'web-1', { app: 'web', tier: 'front' }, 'node-a'));
  server.objects.create('pods', pod('ns1', 'web-2', { app: 'web', tier: 'back' }, 'node-b'));
  server.objects.create('pods', pod('ns2', 'web-3', { app: 'web' }, 'node-a'));
  server.objects.create('pods', pod('ns2', 'db-1', { app: 'db' }, 'node-a'));
}

const names = (items: readonly { metadata?: { name?: string } }[]): string[] => items.map((i) => i.metadata?.name ?? '').sort();

void describe('Cache list queries', () => {
  void it('filters by equality and set-based label selectors in every accepted form', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server);
    await cache.getInformer(Pods, { signal: timeout() });
    assert.deepEqual(names(await cache.list(Pods, { labelSelector: 'app=web' })), ['web-1', 'web-2', 'web-3']);
    assert.deepEqual(names(await cache.list(Pods, { labelSelector: { app: 'web', tier: 'front' } })), ['web-1']);
    assert.deepEqual(names(await cache.list(Pods, { labelSelector: 'tier in (front,back),app!=db' })), ['web-1', 'web-2']);
    assert.deepEqual(names(await cache.list(Pods, { labelSelector: '!tier' })), ['db-1', 'web-3']);
    const parsed = parseLabelSelector('app notin (web)');
    assert.deepEqual(names(await cache.list(Pods, { labelSelector: parsed, namespace: 'ns2' })), ['db-1']);
  });

  void it('serves field selectors from a field index registered before start, with and without a namespace', async (t) => {
    const server = await startServer(t);
    seed(server);
    const cache = newCache(server);
    await cache.indexField(Pods, 'spec.nodeName', (p) => (p.spec?.nodeName === undefined ? [] : [p.spec.nodeName]));
    runUntilTestEnds(t, (signal) => cache.start(signal));
    assert.equal(await cache.waitForCacheSync(timeout()), true);
    assert.deepEqual(names(await cache.list(Pods, { fieldSelector: 'spec.nodeName=node-a' })), ['db-1', 'web-1', 'web-3']);
    assert.deepEqual(names(await cache.list(Pods, { fieldSelector: { 'spec.nodeName': 'node-a' }, namespace: 'ns1' })), ['web-1']);
    assert.deepEqual(
      names(await cache.list(Pods, { fieldSelector: 'spec.nodeName=node-a', labelSelector: 'app=web', namespace: 'ns2' })),
      ['web-3'],
    );
    assert.deepEqual(await cache.list(Pods, { fieldSelector: 'spec.nodeName=node-z' }), []);
  });

  void it('accepts a field index registered after start, and rejects registering it twice', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server);
    await cache.getInformer(Pods, { signal: timeout() });
    await cache.indexField(Pods, 'spec.nodeName', (p) => [p.spec?.nodeName ?? '']);
    assert.deepEqual(names(await cache.list(Pods, { fieldSelector: 'spec.nodeName=node-b' })), ['web-2']);
    await assert.rejects(cache.indexField(Pods, 'spec.nodeName', () => []), IndexerConflictError);
  });

  void it('indexes cluster-scoped objects under all namespaces only', async (t) => {
    const server = await startServer(t);
    server.objects.create('nodes', { metadata: { name: 'n1', labels: { zone: 'a' } } });
    server.objects.create('nodes', { metadata: { name: 'n2', labels: { zone: 'b' } } });
    const { cache } = startCache(t, server);
    await cache.indexField(Nodes, 'zone', (n) => [n.metadata?.labels?.['zone'] ?? '']);
    await cache.getInformer(Nodes, { signal: timeout() });
    assert.deepEqual(names(await cache.list(Nodes, { fieldSelector: 'zone=b' })), ['n2']);
  });

  void it('answers metadata.name and metadata.namespace field selectors without an index', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server);
    assert.deepEqual(names(await cache.list(Pods, { fieldSelector: 'metadata.name=web-3', signal: timeout() })), ['web-3']);
    assert.deepEqual(names(await cache.list(Pods, { fieldSelector: 'metadata.namespace=ns1' })), ['web-1', 'web-2']);
  });

  void it('honours limit after label filtering', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server);
    assert.equal((await cache.list(Pods, { limit: 2, signal: timeout() })).length, 2);
    const limited = await cache.list(Pods, { limit: 1, labelSelector: 'app=db' });
    assert.deepEqual(names(limited), ['db-1']);
    assert.equal((await cache.list(Pods, { limit: 0 })).length, 4);
  });

  void it('returns frozen stored objects that throw on mutation, and the same object to every reader', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server);
    const a = await cache.get(Pods, { namespace: 'ns1', name: 'web-1' }, { signal: timeout() });
    const b = await cache.get(Pods, { namespace: 'ns1', name: 'web-1' });
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a.metadata?.labels));
    assert.throws(() => {
      (a.metadata?.labels as Record<string, string>)['app'] = 'changed';
    }, TypeError);
  });

  void it('returns independent mutable copies with deepCopy, per call or per cache', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server);
    const copy = await cache.get(Pods, { namespace: 'ns1', name: 'web-1' }, { deepCopy: true, signal: timeout() });
    copy.metadata = { ...copy.metadata, labels: { app: 'changed' } };
    if (copy.spec !== undefined) copy.spec.nodeName = 'elsewhere';
    const again = await cache.get(Pods, { namespace: 'ns1', name: 'web-1' });
    assert.equal(again.metadata?.labels?.['app'], 'web');
    assert.equal(again.spec?.nodeName, 'node-a');
    const listed = await cache.list(Pods, { deepCopy: true, namespace: 'ns1' });
    assert.ok(listed.every((p) => !Object.isFrozen(p)));

    const copying = startCache(t, server, { defaultDeepCopy: true }).cache;
    const c1 = await copying.get(Pods, { namespace: 'ns2', name: 'db-1' }, { signal: timeout() });
    const c2 = await copying.get(Pods, { namespace: 'ns2', name: 'db-1' });
    assert.notEqual(c1, c2);
    assert.equal(Object.isFrozen(c1), false);
  });
});
