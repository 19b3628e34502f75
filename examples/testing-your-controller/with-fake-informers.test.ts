// Unit tests of the controller with FakeInformers: no server, no HTTP; the test drives the events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pods } from '../../src/index.ts';
import { FakeInformers } from '../../src/testing/index.ts';
import { PodSummaryController, type SummaryWriter } from './pod-summary-controller.ts';

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

async function setup(): Promise<{ informers: FakeInformers; writer: RecordingWriter }> {
  const informers = new FakeInformers();
  const writer = new RecordingWriter();
  await new PodSummaryController(informers, writer).start();
  return { informers, writer };
}

void describe('PodSummaryController with FakeInformers', () => {
  void it('counts pods by phase in the namespace of an added pod', async () => {
    const { informers, writer } = await setup();
    const pods = informers.informerFor(Pods);
    // add() resolves once every handler has finished with the event, so no waiting is needed.
    await pods.add(pod('shop', 'web-0', 'Running'));
    await pods.add(pod('shop', 'web-1', 'Pending'));
    await pods.add(pod('other', 'x', 'Running'));
    assert.deepEqual(writer.last('shop'), { total: '2', running: '1', pending: '1' });
    assert.deepEqual(writer.last('other'), { total: '1', running: '1' });
  });

  void it('recounts when a pod changes phase', async () => {
    const { informers, writer } = await setup();
    const pods = informers.informerFor(Pods);
    await pods.add(pod('shop', 'web-0', 'Pending'));
    await pods.update(pod('shop', 'web-0', 'Running'));
    assert.deepEqual(writer.last('shop'), { total: '1', running: '1' });
  });

  void it('recounts after a deletion it only learned of from a relist (a tombstone)', async () => {
    const { informers, writer } = await setup();
    const pods = informers.informerFor(Pods);
    await pods.add(pod('shop', 'web-0', 'Running'));
    await pods.add(pod('shop', 'web-1', 'Running'));
    await pods.delete(pod('shop', 'web-1', 'Running'), { finalStateUnknown: true });
    assert.deepEqual(writer.last('shop'), { total: '1', running: '1' });
  });

  void it('reports a failing write as a handler error instead of losing it', async () => {
    const informers = new FakeInformers();
    const failing: SummaryWriter = { write: () => Promise.reject(new Error('api unavailable')) };
    await new PodSummaryController(informers, failing).start();
    await assert.rejects(informers.informerFor(Pods).add(pod('shop', 'web-0', 'Running')), /api unavailable/);
  });
});
