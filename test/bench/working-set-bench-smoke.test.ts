// Smoke test of `npm run bench:working-set`: a tiny run prints one JSON line per mode and the Markdown rows.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '../examples/run-example.ts';

test('a tiny working-set bench run prints a JSON line per mode and the rows with the goals', async () => {
  const out = await runExample('bench/working-set/run.ts', ['--secrets', '40', '--size', '2048', '--reads', '4', '--read-ms', '2'], { timeoutMs: 120_000 });
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l['mode']), ['full', 'metadata', 'working-set', 'working-set-refresh']);
  for (const line of lines) {
    for (const field of ['retainedBytes', 'syncMs', 'getNs']) assert.ok(typeof line[field] === 'number' && Number.isFinite(line[field]), `${field} of ${JSON.stringify(line)}`);
  }
  const [, , invalidate, refresh] = lines;
  // Counts, not timings: each first read is one GET; an update costs a GET when read (invalidate) or always (refresh).
  assert.deepEqual([invalidate?.['getsPerMiss'], invalidate?.['requestsPerReadUpdate'], invalidate?.['requestsPerUnreadUpdate']], [1, 1, 0]);
  assert.deepEqual([refresh?.['getsPerMiss'], refresh?.['requestsPerReadUpdate'], refresh?.['requestsPerUnreadUpdate']], [1, 1, 1]);
  assert.match(out.stdout, /\| retained heap, working set \(metadata \+ the read Secrets\) \| [\d.]+ MiB \| [\d.]+×, goal ≤ 0\.05× \((met|missed)\) \|/);
  assert.match(out.stdout, /\| get, working-set hit \| [\d,]+ ns \| [\d.]+× of the plain get beside it, goal ≤ 2× \((met|missed)\) \|/);
});
