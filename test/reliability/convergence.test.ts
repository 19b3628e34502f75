// Convergence under chaos: after a seeded random workload with faults, every cache and every replaying handler equals the server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChaos, seedFromEnv } from './chaos.ts';

const SEED = seedFromEnv(20261127);

void describe('convergence under chaos', () => {
  void it('every cache and every replaying handler ends equal to the server after 300 operations and 25 faults', async (t) => {
    const summary = await runChaos({ seed: SEED, operations: 300, faults: 25, convergeTimeoutMs: 20_000 });
    t.diagnostic(JSON.stringify(summary));
    const injected = Object.values(summary.faults).reduce((a, b) => a + b, 0);
    assert.ok(injected >= 20, `only ${injected} faults were injected (seed ${SEED})`);
    assert.ok(summary.watchErrors > 0, `the faults never reached the informers (seed ${SEED})`);
    assert.deepEqual(summary.divergences, [], `diverged with KUBECACHE_SEED=${SEED}`);
  });
});
