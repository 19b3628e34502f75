// Bounded resources: a stuck handler only grows its own queue, and stopping a cache releases every socket, timer and listener.

import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { Cache } from '../../src/cache/cache.ts';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { eventually, startCache, startServer, timeout } from '../helpers.ts';
import { deferCleanup } from '../cleanup.ts';

/** Active handles and requests by type (`process.getActiveResourcesInfo()`), e.g. { TCPSocketWrap: 2, Timeout: 1 }. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** The resource types whose count grew from `before` to `after`, with both counts. */
function grown(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([type, n]) => n > (before.get(type) ?? 0)).map(([type, n]) => `${type}: ${before.get(type) ?? 0} → ${n}`);
}

void describe('bounded resources', () => {
  void it('a handler that never finishes grows only its own queue; other handlers and reads stay live', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const informer = await cache.getInformer(ConfigMaps, { signal: timeout() });
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stuckRegistration = informer.addEventHandler({ onAdd: () => stuck });
    deferCleanup(t, () => release());
    const seen: string[] = [];
    const live = informer.addEventHandler({ onAdd: (obj) => void seen.push(obj.metadata?.name ?? '') });
    for (let i = 0; i < 50; i++) server.objects.create('configmaps', { metadata: { name: `cm${i}`, namespace: 'ns1' } });

    await eventually(() => seen.length === 50, 'the live handler to receive all 50 adds');
    assert.equal(stuckRegistration.queueDepth, 50, 'one notification in delivery and 49 queued');
    assert.equal(live.queueDepth, 0);
    assert.equal((await cache.list(ConfigMaps, { namespace: 'ns1' })).length, 50);
    server.objects.create('configmaps', { metadata: { name: 'late', namespace: 'ns1' } });
    await eventually(() => seen.includes('late'), 'a later add to reach the live handler');
    assert.equal(stuckRegistration.queueDepth, 51);

    const removed = informer.removeEventHandler(stuckRegistration);
    assert.equal(stuckRegistration.queueDepth, 1, 'removal drops the queue; only the delivery in progress remains');
    release();
    await removed;
    assert.equal(stuckRegistration.queueDepth, 0, 'the removal settles once the stuck delivery ended');
  });

  void it('starting and stopping a cache 100 times leaks no socket, timer, watch or abort listener', async (t) => {
    const server = await startServer(t);
    for (let i = 0; i < 3; i++) server.objects.create('configmaps', { metadata: { name: `cm${i}`, namespace: 'ns1' } });
    const shared = new AbortController();
    const cycle = async (): Promise<void> => {
      const cache = new Cache(server.kubeConfig());
      const stop = new AbortController();
      const running = cache.start(stop.signal);
      const informer = await cache.getInformer(ConfigMaps, { signal: shared.signal });
      informer.addEventHandler({ onAdd: () => undefined });
      assert.equal((await cache.list(ConfigMaps, { signal: shared.signal })).length, 3);
      stop.abort();
      await running;
    };
    await cycle();
    await eventually(() => server.watches.size === 0, 'the warm-up watch to close');
    const before = activeResources();
    for (let i = 0; i < 100; i++) await cycle();

    await eventually(() => server.watches.size === 0, 'every watch to be closed on the server');
    // Sockets close asynchronously on both ends; wait for the counts to settle back.
    await eventually(() => grown(before, activeResources()).length === 0, 'active resources to return to the baseline');
    assert.deepEqual(grown(before, activeResources()), []);
    assert.equal(getEventListeners(shared.signal, 'abort').length, 0, 'reads left abort listeners on the caller signal');
  });
});
