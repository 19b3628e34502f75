// Smoke test of `npm run bench:working-set`: a tiny run prints one JSON line per mode and the Markdown rows.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const RUN_SCRIPT = fileURLToPath(new URL('../../bench/working-set/run.ts', import.meta.url));

function runBench(args: readonly string[], signal: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', RUN_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a tiny working-set bench run prints a JSON line per mode and the rows with the goals', async (t) => {
  const abort = new AbortController();
  t.after(() => abort.abort());
  const out = await runBench(['--secrets', '40', '--size', '2048', '--reads', '4', '--read-ms', '2'], abort.signal);
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
