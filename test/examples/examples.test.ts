// Each example's main.ts runs against its built-in fake APIServer, exits 0 and prints its key line.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runExample } from './run-example.ts';

void describe('the examples, each run as a user would run it', () => {
  void it('quickstart lists the pods on node-a through the field index, logs the add, and writes back through the Client', async () => {
    const run = await runExample('examples/quickstart/main.ts');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^added default web-0$/m);
    assert.match(run.stdout, /^pods on node-a: 1$/m);
    assert.match(run.stdout, /^wrote configmap default\/kubecache-quickstart: \{"podsOnNodeA":"1","checked":"yes"\}$/m);
  });

  void it('crd-unstructured sees adds, an update and a delete of a kind created after the cache started', async () => {
    const run = await runExample('examples/crd-unstructured/main.ts');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^update \(color=green\) gadget g1$/m);
    assert.match(run.stdout, /^delete gadget g2$/m);
    assert.match(run.stdout, /^cached gadgets: g1=green$/m);
  });

  void it('metadata-only caches every secret without data and lists them by label', async () => {
    const run = await runExample('examples/metadata-only/main.ts');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^secrets cached: 6, with data: 0$/m);
    assert.match(run.stdout, /^labelled app.kubernetes.io\/name=web: default\/creds-0, default\/creds-2, default\/creds-4$/m);
  });

  void it('controller mirrors a ConfigMap on the leader, hands over when the leader stops, and ends by itself', async () => {
    const run = await runExample('examples/controller/main.ts');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^replica-\d leads$/m);
    assert.match(run.stdout, /^settings-mirror follows: mode=safe$/m);
    assert.match(run.stdout, /^settings-mirror deleted by replica-\d$/m);
    const leaders = [...run.stdout.matchAll(/^(replica-\d) leads$/gm)].map((m) => m[1]);
    assert.equal(new Set(leaders).size, 2, `both replicas led in turn: ${run.stdout}`);
  });
});
