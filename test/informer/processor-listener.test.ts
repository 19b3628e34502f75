import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepReadonly } from '../../src/api/types.ts';
import { FakeClock } from '../../src/api/clock.ts';
import type { HandlerError } from '../../src/informer/errors.ts';
import { ProcessorListener, type ListenerContext } from '../../src/informer/processor-listener.ts';
import { pod, type TestPod } from './scripted-lister-watcher.ts';
import { eventually } from '../helpers.ts';

function context(errors: HandlerError[] = [], synced = () => true, clock = new FakeClock()): ListenerContext {
  return { clock, informerHasSynced: synced, onHandlerError: (e) => errors.push(e) };
}

const add = (name: string, initial = false) => ({ type: 'add' as const, obj: pod(name, '1') as DeepReadonly<TestPod>, isInInitialList: initial });

void describe('ProcessorListener', () => {
  void it('awaits an async handler before delivering the next notification', async () => {
    const log: string[] = [];
    const listener = new ProcessorListener<TestPod>(
      {
        onAdd: async (o) => {
          log.push(`start ${o.metadata.name}`);
          await new Promise((resolve) => setImmediate(resolve));
          log.push(`end ${o.metadata.name}`);
        },
      },
      0,
      0,
      context(),
    );
    listener.add(add('a'));
    listener.add(add('b'));
    assert.equal(listener.queueDepth, 2);
    await eventually(() => log.length === 4, 'both delivered');
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
    assert.equal(listener.queueDepth, 0);
  });

  void it('syncs only after the informer synced and every initial add was handled', async () => {
    let informerSynced = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const listener = new ProcessorListener<TestPod>({ onAdd: () => gate }, 0, 0, context([], () => informerSynced));
    listener.add(add('a', true));
    informerSynced = true;
    listener.checkSynced();
    assert.equal(listener.hasSynced(), false);
    release();
    await listener.onSynced();
    assert.equal(listener.hasSynced(), true);
  });

  void it('counts a failing initial add as handled, reports it, and still syncs', async () => {
    const errors: HandlerError[] = [];
    const listener = new ProcessorListener<TestPod>(
      {
        onAdd: () => {
          throw new Error('nope');
        },
      },
      0,
      0,
      context(errors),
    );
    listener.add(add('a', true));
    await listener.onSynced();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.registration, listener);
    assert.deepEqual(errors[0]?.notification, add('a', true));
  });

  void it('drops queued notifications on stop and lets the running one finish', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const listener = new ProcessorListener<TestPod>(
      {
        onAdd: async (o) => {
          await gate;
          log.push(o.metadata.name);
        },
      },
      0,
      0,
      context(),
    );
    listener.add(add('a'));
    listener.add(add('b'));
    await eventually(() => listener.queueDepth === 2, 'both queued');
    const stopped = listener.stop();
    listener.add(add('c'));
    release();
    await stopped;
    assert.deepEqual(log, ['a']);
  });

  void it('is due for resync once its period has passed, then again a period later', async () => {
    const clock = new FakeClock();
    const listener = new ProcessorListener<TestPod>({}, 1000, 1000, context([], () => true, clock));
    assert.equal(listener.shouldResync(clock.now()), false);
    assert.equal(listener.isSyncing, false);
    await clock.advance(1000);
    assert.equal(listener.shouldResync(clock.now()), true);
    assert.equal(listener.isSyncing, true);
    assert.equal(listener.shouldResync(clock.now()), false);
  });

  void it('never resyncs with a zero period', () => {
    const clock = new FakeClock();
    const listener = new ProcessorListener<TestPod>({}, 0, 0, context([], () => true, clock));
    assert.equal(listener.shouldResync(clock.now() + 1e9), false);
  });

  void it('rejects onSynced with the abort reason', async () => {
    const listener = new ProcessorListener<TestPod>({}, 0, 0, context([], () => false));
    const controller = new AbortController();
    const waiting = listener.onSynced({ signal: controller.signal });
    controller.abort(new Error('enough'));
    await assert.rejects(waiting, /enough/);
  });
});
