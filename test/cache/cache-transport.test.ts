// CacheOptions.transport reaches the cache's HTTP client.

import { describe, it } from 'node:test';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { RequestTimeoutError } from '../../src/client/errors.ts';
import { eventually, startCache, startServer } from '../helpers.ts';

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

void describe('CacheOptions.transport', () => {
  void it('applies its request timeout to every informer\'s requests, which recover once the server answers in time', async (t) => {
    const server = await startServer(t);
    const errors: unknown[] = [];
    const { cache } = startCache(t, server, {
      // Not shorter: discovery must answer within it on a loaded two-core machine.
      transport: { requestTimeoutMs: 500 },
      backoff: { initialMs: 20, capMs: 100 },
      defaultWatchErrorHandler: (err) => void errors.push(err),
    });
    // Discovery shares the request timeout; on a busy machine its first answer can miss it.
    await eventually(() => cache.getInformer(ConfigMaps), 'the informer, once discovery answered in time');
    // The re-watch after the drop waits 2 s for its headers: past the 500 ms timeout.
    server.faults.latency(2000);
    server.faults.dropWatches();
    await eventually(() => errors.some((e) => causes(e).some((c) => c instanceof RequestTimeoutError)), 'a request timing out');
    server.faults.latency(0);
    server.objects.create('configmaps', { metadata: { namespace: 'ns1', name: 'after' } });
    await eventually(async () => (await cache.list(ConfigMaps, { namespace: 'ns1' })).length === 1, 'recovery');
  });
});
