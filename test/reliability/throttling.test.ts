// A cache under priority-and-fairness throttling resumes as soon as the server lets it, on a fake clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { startCache, startServer } from '../helpers.ts';

void describe('throttling', { timeout: 30_000 }, () => {
  void it('syncs an informer throttled for 8 s of 429s with Retry-After: 1 at 8 s, without one list error', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'ns1' } });
    // One clock for the transport's Retry-After waits and the informers' backoff.
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const { cache } = startCache(t, server, {
      transport: { clock },
      backoff: { clock, jitter: 0 },
      defaultWatchErrorHandler: (err) => void errors.push(err),
    });
    server.faults.throttle({ verb: 'list', resource: 'configmaps', retryAfterSeconds: 1, count: 8 });
    let synced = false;
    const informer = cache.getInformer(ConfigMaps).then(() => (synced = true));
    // Every wait on the clock (a Retry-After or a backoff) is let through as soon as it is taken.
    while (!synced) {
      await Promise.race([clock.waitForTimers(1), informer]);
      const next = clock.pendingDelays()[0];
      if (next !== undefined) await clock.advance(next);
    }
    assert.equal(server.requests.count({ verb: 'throttled' }), 8);
    assert.deepEqual(errors, []);
    assert.equal(clock.now(), 8000);
    assert.equal((await cache.list(ConfigMaps)).length, 1);
    console.log(`informer under 8 s of 429s (Retry-After: 1): synced ${clock.now() / 1000} s after the first 429, list errors: ${errors.length}`);
  });
});
