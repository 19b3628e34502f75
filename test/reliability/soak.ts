// The long chaos run (`npm run soak`): thousands of operations, hundreds of faults, then a JSON summary line.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runChaos, seedFromEnv } from './chaos.ts';

const SEED = seedFromEnv(Date.now() % 1_000_000);
const OPERATIONS = Number(process.env['KUBECACHE_SOAK_OPERATIONS'] ?? 20_000);
const FAULTS = Number(process.env['KUBECACHE_SOAK_FAULTS'] ?? 1500);
// Paced so that watches time out server-side (every 1–2 s) many times during the run.
const PAUSE_MS = Number(process.env['KUBECACHE_SOAK_PAUSE_MS'] ?? 5);

void it(`every cache and replay converges after ${OPERATIONS} operations and ${FAULTS} faults`, async () => {
  const summary = await runChaos({ seed: SEED, operations: OPERATIONS, faults: FAULTS, convergeTimeoutMs: 60_000, pauseMs: PAUSE_MS });
  console.log(JSON.stringify({ ...summary, divergences: summary.divergences.length, firstDivergences: summary.divergences.slice(0, 10) }));
  assert.deepEqual(summary.divergences, [], `diverged with KUBECACHE_SEED=${SEED}`);
});
