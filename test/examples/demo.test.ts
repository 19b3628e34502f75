// `npm start` (examples/demo) as a child process: JSON lines show sync, events, recovery and a summary; text fits 80 columns.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from './run-example.ts';

interface Line {
  readonly type: string;
  readonly [field: string]: unknown;
}

void describe('the demo (npm start)', () => {
  void it('prints JSON lines showing synced informers, events, a recovered fault and a consistent summary', async () => {
    const run = await runExample('examples/demo/main.ts', ['--duration', '3', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    const podProgress = lines.filter((l) => l.type === 'progress' && l['kind'] === 'pods').map((l) => [l['listed'], l['total']]);
    assert.deepEqual(podProgress[0], [600, 600], 'the first list arrives whole (resourceVersion 0)');
    // A relist is one unpaged LIST, as client-go sends it: no page of 500 on the way.
    assert.ok(podProgress.length >= 2, 'the relist after 410 reported its progress');
    assert.ok(podProgress.slice(1).every(([listed]) => listed !== 500), 'the relist after 410 came in one body, not in pages of 500');
    const synced = new Set(lines.filter((l) => l.type === 'synced').map((l) => l['kind']));
    assert.deepEqual([...synced].sort(), ['configmaps', 'pods', 'pods(meta)', 'secrets(meta)', 'widgets']);
    const events = lines.filter((l) => l.type === 'event');
    assert.ok(events.some((e) => e['event'] === 'add' && e['kind'] === 'pods'), 'a pod add was reported');
    assert.ok(events.some((e) => e['event'] === 'update' && e['kind'] === 'widgets'), 'a widget update was reported');
    assert.ok(lines.some((l) => l.type === 'relist'), 'an informer relisted after the compaction');
    const index = lines.find((l) => l.type === 'index');
    assert.ok(index !== undefined && typeof index['count'] === 'number' && index['count'] > 0, 'the field index answered');
    const memory = new Map(lines.filter((l) => l.type === 'memory').map((l) => [l['kind'], l['bytesPerObject'] as number]));
    assert.ok((memory.get('pods(meta)') ?? Infinity) < (memory.get('pods') ?? 0), 'metadata-only pods are smaller');
    const summary = lines.at(-1);
    assert.equal(summary?.type, 'summary');
    const s = summary['summary'] as { consistent: boolean; faults: number; cached: Record<string, number>; events: Record<string, unknown> };
    assert.deepEqual(s.events['pods'], { add: 4, update: 3, delete: 6 }, 'every change once, the 2 missed deletes included');
    assert.deepEqual(s.events['widgets'], { add: 1, update: 1, delete: 0 });
    assert.equal(events.length, 28, 'JSON mode prints every event');
    assert.equal(s.consistent, true);
    assert.equal(s.faults, 2);
    assert.equal(s.cached['pods'], 598, '600 seeded, 4 created and 6 deleted');
  });

  void it('prints plain text no wider than 80 columns when stdout is not a terminal', async () => {
    const run = await runExample('examples/demo/main.ts', ['--duration', '2']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(lines.some((l) => l.includes('summary after')), 'the summary was printed');
    assert.ok(!run.stdout.includes('\u001b['), 'no color codes without a TTY');
    const wide = lines.filter((l) => [...l].length > 80);
    assert.deepEqual(wide, []);
  });

  void it('ends early with the summary and exit code 0 on SIGINT (Ctrl-C)', async () => {
    let interrupted = false;
    const run = await runExample('examples/demo/main.ts', ['--duration', '600', '--json'], {
      onStdout: (soFar, child) => {
        if (interrupted || !soFar.includes('"type":"memory"')) return;
        interrupted = true;
        child.kill('SIGINT');
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(interrupted, true);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Line;
    assert.equal(last.type, 'summary');
  });

  void it('rejects an unknown flag with usage and exit code 2', async () => {
    const run = await runExample('examples/demo/main.ts', ['--no-such-flag']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /usage: npm start/);
  });
});
