// Integration tests of the controller: a real Cache over HTTP against the fake APIServer, faults included.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { Cache, isResourceExpired, RestClient, Transport } from '../../src/index.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { apiSummaryWriter, PodSummaryController, SUMMARY_NAME } from './pod-summary-controller.ts';

// Generous: a slow machine must not fail the test; a hang fails it instead of the whole run.
const WAIT_MS = 10_000;

/** A fake APIServer, a running Cache and the controller, all stopped when the test ends. */
async function setup(t: TestContext): Promise<{ server: FakeApiServer; watchErrors: unknown[] }> {
  const server = await FakeApiServer.start();
  // node:test runs t.after hooks in the order they were added, so one hook stops everything in
  // reverse: the cache, then the transport, then the server (stopped first, the server would
  // break the cache's watches and the controller's writes while they shut down).
  const cleanups: (() => unknown)[] = [() => server.stop()];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  server.objects.create('namespaces', { metadata: { name: 'shop' } });
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeConfigYaml());
  const transport = Transport.fromKubeConfig(kc);
  cleanups.push(() => transport.close());
  // Short retry delays keep the fault test quick; the default first retry is 800 ms.
  // Collecting watch errors also keeps them out of process warnings (what happens with no handler).
  const watchErrors: unknown[] = [];
  const cache = new Cache(kc, { backoff: { initialMs: 50, capMs: 200 }, defaultWatchErrorHandler: (err) => watchErrors.push(err) });
  await new PodSummaryController(cache, apiSummaryWriter(new RestClient(transport))).start();
  const stop = new AbortController();
  const running = cache.start(stop.signal);
  cleanups.push(async () => {
    stop.abort();
    await running;
  });
  assert.equal(await cache.waitForCacheSync(AbortSignal.timeout(WAIT_MS)), true);
  return { server, watchErrors };
}

function pod(name: string, phase: string) {
  return { metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase } };
}

/** Waits until the summary ConfigMap on the server has `expected` as its data. */
async function summaryBecomes(server: FakeApiServer, expected: Record<string, string>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let last: unknown;
  for (;;) {
    const cm = server.objects.list('configmaps', { namespace: 'shop' }).find((c) => c.metadata.name === SUMMARY_NAME);
    last = cm?.['data'];
    if (cm !== undefined && isDeepStrictEqual(last, expected)) return;
    if (Date.now() > deadline) assert.fail(`summary is ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

void describe('PodSummaryController against the fake APIServer', () => {
  void it('writes the summary ConfigMap for pods created, changed and deleted on the server', async (t) => {
    const { server } = await setup(t);
    server.objects.create('pods', pod('web-0', 'Running'));
    server.objects.create('pods', pod('web-1', 'Pending'));
    await summaryBecomes(server, { total: '2', running: '1', pending: '1' });
    const web1 = server.objects.get('pods', 'web-1', { namespace: 'shop' });
    server.objects.update('pods', { ...web1, status: { phase: 'Running' } }, { subresource: 'status' });
    await summaryBecomes(server, { total: '2', running: '2' });
    server.objects.delete('pods', 'web-0', { namespace: 'shop' });
    await summaryBecomes(server, { total: '1', running: '1' });
  });

  void it('catches up on a deletion made while its watch was down and the history was compacted', async (t) => {
    const { server, watchErrors } = await setup(t);
    server.objects.create('pods', pod('web-0', 'Running'));
    server.objects.create('pods', pod('web-1', 'Running'));
    await summaryBecomes(server, { total: '2', running: '2' });
    // In one turn: the cache cannot see the delete, and its next watch gets 410 Gone, so it relists.
    server.faults.dropWatches({ abrupt: true });
    server.objects.delete('pods', 'web-1', { namespace: 'shop' });
    server.faults.compact();
    await summaryBecomes(server, { total: '1', running: '1' });
    assert.ok(watchErrors.some(isResourceExpired), 'the cache met 410 Gone and relisted');
  });
});
