// Convergence under chaos: after a seeded random workload with faults, every cache and every replaying handler equals the server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diff, runChaos, seedFromEnv } from './chaos.ts';

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

void describe('the convergence check', () => {
  void it('reports a missed delete as a phantom, a missed add as missing, and a missed update as stale', () => {
    const server = new Map([
      ['ns1/a', '5'],
      ['ns1/b', '7'],
    ]);
    const cache = new Map([
      ['ns1/a', '4'],
      ['ns1/gone', '3'],
    ]);
    assert.deepEqual(diff('c', server, cache), ['c: ns1/a at 4, server at 5', 'c: missing ns1/b@7', 'c: phantom ns1/gone@3']);
    assert.deepEqual(diff('c', server, new Map(server)), []);
  });
});
