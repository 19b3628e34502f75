// Smoke test of `npm run bench`: a tiny run prints well-formed JSON lines and the Markdown report.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const RUN_SCRIPT = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));

interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBench(args: readonly string[], signal: AbortSignal): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', RUN_SCRIPT, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a tiny bench run prints one JSON line per applicable scenario and contender, then the target table', async (t) => {
  const abort = new AbortController();
  t.after(() => abort.abort());
  const args = ['--only', 'watch-ingest,read-get,read-index,reconcile-10', '--contenders', 'kubecache,floor'];
  const out = await runBench([...args, '--pods', '200', '--events', '400', '--sync-pods', '200', '--runs', '1', '--read-ms', '2'], abort.signal);
  assert.equal(out.code, 0, out.stderr);

  const lines = out.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const pairs = lines.map((l) => `${String(l.scenario)}/${String(l.contender)}`).sort();
  // read-index is kubecache-only: the floor keeps no field index, so it gets no line.
  assert.deepEqual(pairs, ['read-get/floor', 'read-get/kubecache', 'read-index/kubecache', 'reconcile-10/kubecache', 'watch-ingest/floor', 'watch-ingest/kubecache']);
  for (const line of lines) {
    const required = ['contender', 'max', 'median', 'min', 'runs', 'scenario', 'unit'];
    const extras =
      line.scenario === 'watch-ingest'
        ? ['perCpuSecond', 'perCpuSecondMax', 'maxStallMs', 'maxStallMsMax', 'maxCpuStallMs', 'maxCpuStallMsMax']
        : line.contender === 'kubecache' && line.scenario !== 'reconcile-10'
          ? ['viaCache', 'viaCacheMax']
          : [];
    assert.deepEqual(Object.keys(line).sort(), [...required, ...extras].sort());
    assert.equal(line.runs, 1);
    for (const field of ['median', 'min', 'max', ...extras]) {
      const v = line[field];
      // A stall below the histogram's 10 ms resolution reads 0 (seen for the floor's tiny run under load).
      const least = field.includes('Stall') ? 0 : Number.MIN_VALUE;
      assert.ok(typeof v === 'number' && Number.isFinite(v) && v >= least, `${field} of ${JSON.stringify(line)}`);
    }
  }
  const unitOf = (s: string): unknown => lines.find((l) => l.scenario === s)?.unit;
  assert.equal(unitOf('watch-ingest'), 'events/s');
  assert.equal(unitOf('read-get'), 'ns/op');
  assert.equal(unitOf('read-index'), 'µs/op');
  assert.equal(unitOf('reconcile-10'), 'reconciles/s');

  assert.match(out.stdout, /\| scenario \| unit \| kubecache \| client-node \| floor \|/);
  assert.match(out.stdout, /\| watch-ingest >= 0\.85x floor \| [\d.]+x \| (met|missed) \|/);
  assert.match(out.stdout, new RegExp(`Node ${process.version.replaceAll('.', '\\.')}, \\d+ cores`));
});

test('an unknown scenario name is rejected before any process starts', async (t) => {
  const abort = new AbortController();
  t.after(() => abort.abort());
  const out = await runBench(['--only', 'watch-everything'], abort.signal);
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /unknown scenario "watch-everything"/);
});
