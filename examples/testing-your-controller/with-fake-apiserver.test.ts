// Integration tests of the controller: a Manager (a real Cache and Client) over HTTP against the fake APIServer, faults included.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { isResourceExpired } from '../../src/index.ts'; // 'kubecache'
import { Manager } from '../../src/controller/index.ts'; // 'kubecache/controller'
import { FakeApiServer } from '../../src/testing/index.ts'; // 'kubecache/testing'
import { clientSummaryWriter, podSummaryController, SUMMARY_NAME } from './pod-summary-controller.ts';

// Generous: a slow machine must not fail the test; a hang fails it instead of the whole run.
const WAIT_MS = 10_000;

/** A fake APIServer and a Manager running the controller, all stopped when the test ends. */
async function setup(t: TestContext): Promise<{ server: FakeApiServer; watchErrors: unknown[] }> {
  const server = await FakeApiServer.start();
  // node:test runs t.after hooks in the order they were added, so one hook stops everything in
  // reverse: the manager (cache, controller, connections), then the server. Stopped first, the
  // server would break the cache's watches and the controller's writes while they shut down.
  const cleanups: (() => unknown)[] = [() => server.stop()];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  server.objects.create('namespaces', { metadata: { name: 'shop' } });
  // Short retry delays keep the fault test quick (the default first retry is 800 ms). Collecting
  // watch errors lets the test assert on them and keeps them out of the process warnings.
  const watchErrors: unknown[] = [];
  const manager = new Manager(server.kubeConfig(), {
    cache: { backoff: { initialMs: 50, capMs: 200 }, defaultWatchErrorHandler: (err) => watchErrors.push(err) },
  });
  const controller = podSummaryController(manager.cache, clientSummaryWriter(manager.client));
  manager.add(controller);
  const stop = new AbortController();
  const running = manager.start(stop.signal);
  cleanups.push(async () => {
    stop.abort();
    await running;
  });
  await controller.onStarted();
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

void describe('the pod-summary Controller in a Manager against the fake APIServer', () => {
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

  void it('retries a write the server refused, with backoff, until it lands', async (t) => {
    const { server } = await setup(t);
    server.faults.failNext({ verb: 'create', resource: 'configmaps', status: 500, count: 2 });
    server.objects.create('pods', pod('web-0', 'Pending'));
    await summaryBecomes(server, { total: '1', pending: '1' });
    assert.equal(server.requests.count({ verb: 'create', resource: 'configmaps' }), 3, 'two refused creates, then one that landed');
  });
});
