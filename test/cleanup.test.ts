// The stop order every test and example relies on: what started last (a cache, an informer) stops
// before what it talks to (the fake APIServer), as Go's t.Cleanup orders it and node:test's
// first-in first-out t.after hooks do not.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { deferCleanup, runUntilTestEnds } from './cleanup.ts';

void describe('deferCleanup', () => {
  void it('runs cleanups last in, first out: a cache deferred after its server stops first', async (t) => {
    const order: string[] = [];
    await t.test('a test that starts a server, then a cache', (inner) => {
      deferCleanup(inner, () => order.push('server stopped'));
      deferCleanup(inner, () => order.push('cache stopped'));
    });
    assert.deepEqual(order, ['cache stopped', 'server stopped']);
  });

  void it('waits for a run to return before stopping what was deferred before it', async (t) => {
    const order: string[] = [];
    await t.test('a test that runs a cache until it ends', (inner) => {
      deferCleanup(inner, () => order.push('server stopped'));
      runUntilTestEnds(inner, async (signal) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        // A cache stopping still talks to the server: the server must be up until this returns.
        await Promise.resolve();
        order.push('run returned');
      });
    });
    assert.deepEqual(order, ['run returned', 'server stopped']);
  });

  void it('runs every cleanup when one throws, and rethrows the first failure at the end', async () => {
    // A context of our own, whose after-hooks this test runs: a failing subtest would fail this test too.
    const hooks: (() => unknown)[] = [];
    const context = { after: (hook: () => unknown) => hooks.push(hook) } as unknown as TestContext;
    const order: string[] = [];
    deferCleanup(context, () => order.push('server stopped'));
    deferCleanup(context, () => {
      throw new Error('informer failed to stop');
    });
    deferCleanup(context, () => {
      throw new Error('cache failed to stop');
    });
    assert.equal(hooks.length, 1);
    await assert.rejects(Promise.resolve().then(() => hooks[0]?.()), { message: 'cache failed to stop' });
    assert.deepEqual(order, ['server stopped']);
  });
});
