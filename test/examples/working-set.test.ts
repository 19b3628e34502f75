// The working-set example runs as a user would run it: reads only the referenced Secrets in full, and follows a rotation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from './run-example.ts';

void describe('the working-set example', () => {
  void it('holds 3 of 303 Secrets in full, reads the rotated one with one GET, and the next pass from memory', async () => {
    const run = await runExample('examples/working-set/main.ts');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^secrets on the server: 303 \(300 Helm releases of 16 KiB, 3 credentials\)$/m);
    for (const line of ['orders: connects as alice', 'billing: connects as bob ', 'search: connects as carol']) assert.ok(run.stdout.includes(`reconciled ${line}`), line);
    assert.match(run.stdout, /^rotated billing-credentials\nreconciled billing: connects as bob-2 /m);
    assert.match(run.stdout, /^working set: 3 full secrets held of 303 watched; 4 GETs, 3 hits, 4 misses$/m);
    const [, cached, full] = /^cached JSON: (\d+) KiB .* instead of (\d+) KiB/m.exec(run.stdout) ?? [];
    assert.ok(Number(cached) * 20 < Number(full), `cached ${cached} KiB, full ${full} KiB`);
  });
});
