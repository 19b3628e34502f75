// The long chaos run (`npm run soak`): thousands of operations, hundreds of faults, then a JSON summary line.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runChaos, seedFromEnv } from './chaos.ts';

const SEED = seedFromEnv(Date.now() % 1_000_000);
const OPERATIONS = Number(process.env['KUBECACHE_SOAK_OPERATIONS'] ?? 5000);
const FAULTS = Number(process.env['KUBECACHE_SOAK_FAULTS'] ?? 400);

void it(`every cache and replay converges after ${OPERATIONS} operations and ${FAULTS} faults`, async () => {
  const summary = await runChaos({ seed: SEED, operations: OPERATIONS, faults: FAULTS, convergeTimeoutMs: 60_000 });
  console.log(JSON.stringify({ ...summary, divergences: summary.divergences.length, firstDivergences: summary.divergences.slice(0, 10) }));
  assert.deepEqual(summary.divergences, [], `diverged with KUBECACHE_SEED=${SEED}`);
});
