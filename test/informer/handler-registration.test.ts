// A handler's registration: when it syncs, when it can no longer sync, and how often it resyncs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogFields } from '../../src/api/logger.ts';
import { InformerStoppedError } from '../../src/informer/errors.ts';
import { recorder, setupInformer} from './scripted-lister-watcher.ts';
import { eventually } from '../helpers.ts';

void describe('ResourceEventHandlerRegistration', () => {
  void it('rejects onSynced with InformerStoppedError when the informer stops before the handler synced', async (t) => {
    const { informer, run, controller } = setupInformer(t, () => {
      throw new Error('unreachable server');
    });
    informer.events.on('watchError', () => undefined);
    const registration = informer.addEventHandler(recorder());
    const done = run();
    const waiting = registration.onSynced();
    controller.abort();
    await done;
    await assert.rejects(waiting, (err: unknown) => err instanceof InformerStoppedError && /informer stopped/.test(err.message));
    await assert.rejects(registration.onSynced(), InformerStoppedError);
  });

  void it('rejects onSynced with InformerStoppedError when the handler is removed before it synced', async (t) => {
    const { informer, run } = setupInformer(t, () => ({ items: [], resourceVersion: '1' }));
    const registration = informer.addEventHandler(recorder());
    void run();
    const waiting = registration.onSynced();
    await informer.removeEventHandler(registration);
    await assert.rejects(waiting, (err: unknown) => err instanceof InformerStoppedError && /handler was removed/.test(err.message));
  });

  void it('keeps a synced registration synced after removal', async (t) => {
    const { informer, run } = setupInformer(t);
    const registration = informer.addEventHandler(recorder());
    void run();
    await registration.onSynced();
    await informer.removeEventHandler(registration);
    await registration.onSynced();
    assert.equal(registration.hasSynced(), true);
  });

  void it('never resyncs, and warns about a handler resync period, when the informer was built without resync', async (t) => {
    const warnings: [string, LogFields | undefined][] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (msg: string, fields?: LogFields) => void warnings.push([msg, fields]),
      error: () => undefined,
      child: () => logger,
    };
    const { lw, informer, run, clock } = setupInformer(t, undefined, { logger });
    const handler = recorder();
    informer.addEventHandler(handler, { resyncPeriodMs: 1000 });
    void run();
    await informer.onSynced();
    await lw.watchAt(0);
    await clock.advance(10_000);
    await eventually(() => handler.log.length === 2, 'the initial adds');
    assert.deepEqual(handler.log, ['add a@10 initial', 'add b@10 initial']);
    assert.equal(clock.pendingTimers, 0, 'no resync timer runs');
    assert.deepEqual(warnings.map(([msg]) => msg), [
      'a handler resync period is ignored: this informer was built without resync (resyncPeriodMs 0)',
    ]);
  });

  void it('lets a handler shorten the resync period of an informer built with one', async (t) => {
    const { lw, informer, run, clock } = setupInformer(t, undefined, { resyncPeriodMs: 60_000 });
    const handler = recorder();
    informer.addEventHandler(handler, { resyncPeriodMs: 1000 });
    void run();
    await informer.onSynced();
    await lw.watchAt(0);
    await clock.advance(1000);
    await eventually(() => handler.log.length === 4, 'a resync after one second');
  });
});
