// Unit tests of the controller with FakeInformers and a fake clock: no server, no HTTP; the test drives the events.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { Pods } from '../../src/index.ts'; // 'kubecache'
import { FakeClock, FakeInformers } from '../../src/testing/index.ts'; // 'kubecache/testing'
import type { Controller } from '../../src/controller/index.ts'; // 'kubecache/controller'
import { podSummaryController, type SummaryWriter } from './pod-summary-controller.ts';

// Records what the controller wrote instead of calling the API.
class RecordingWriter implements SummaryWriter {
  readonly writes: { namespace: string; data: Readonly<Record<string, string>> }[] = [];
  write(namespace: string, data: Readonly<Record<string, string>>): Promise<void> {
    this.writes.push({ namespace, data });
    return Promise.resolve();
  }
  last(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.writes.filter((w) => w.namespace === namespace).at(-1)?.data;
  }
}

// A pod as the informer would store it; only the fields the controller reads.
function pod(namespace: string, name: string, phase: string) {
  return { metadata: { namespace, name, resourceVersion: '1' }, status: { phase } };
}

/** FakeInformers and the controller, both started as in production, both stopped when the test ends. */
async function setup(t: TestContext): Promise<{ informers: FakeInformers; writer: RecordingWriter; controller: Controller; clock: FakeClock }> {
  const informers = new FakeInformers();
  const writer = new RecordingWriter();
  // The fake clock drives the controller's retry backoff.
  const clock = new FakeClock();
  const controller = podSummaryController(informers, writer, { clock });
  const stop = new AbortController();
  const running = Promise.all([informers.start(stop.signal), controller.start(stop.signal)]);
  t.after(async () => {
    stop.abort();
    await running;
  });
  await controller.onStarted();
  return { informers, writer, controller, clock };
}

void describe('the pod-summary Controller with FakeInformers', () => {
  void it('counts pods by phase in the namespace of an added pod', async (t) => {
    const { informers, writer, controller } = await setup(t);
    const pods = informers.informerFor(Pods);
    await pods.add(pod('shop', 'web-0', 'Running'));
    await pods.add(pod('shop', 'web-1', 'Pending'));
    await pods.add(pod('other', 'x', 'Running'));
    // add() resolves once the handler enqueued the request; onIdle() once the reconciles are done.
    await controller.onIdle();
    assert.deepEqual(writer.last('shop'), { total: '2', running: '1', pending: '1' });
    assert.deepEqual(writer.last('other'), { total: '1', running: '1' });
  });

  void it('recounts when a pod changes phase, and after a deletion learned from a relist (a tombstone)', async (t) => {
    const { informers, writer, controller } = await setup(t);
    const pods = informers.informerFor(Pods);
    await pods.add(pod('shop', 'web-0', 'Pending'));
    await pods.add(pod('shop', 'web-1', 'Running'));
    await pods.update(pod('shop', 'web-0', 'Running'));
    await pods.delete(pod('shop', 'web-1', 'Running'), { finalStateUnknown: true });
    await controller.onIdle();
    assert.deepEqual(writer.last('shop'), { total: '1', running: '1' });
  });

  void it('retries with backoff while the cache fails, and succeeds once it recovers', async (t) => {
    const { informers, writer, controller, clock } = await setup(t);
    const failures: string[] = [];
    controller.events.on('reconcileError', (request, err) => failures.push(`${request.namespace}: ${(err as Error).message}`));
    informers.error = new Error('cache unavailable'); // controller-runtime's FakeInformers.Error
    await informers.informerFor(Pods).add(pod('shop', 'web-0', 'Running'));
    await controller.onIdle();
    assert.deepEqual(failures, ['shop: cache unavailable']);
    assert.deepEqual(clock.pendingDelays(), [5], 'the first retry waits 5 ms');
    informers.error = undefined;
    await clock.advance(5);
    await controller.onIdle();
    assert.deepEqual(writer.last('shop'), { total: '1', running: '1' });
  });
});
