// Cleanups in Go's t.Cleanup order for node:test, whose t.after hooks run first-in first-out.

import type { TestContext } from 'node:test';

const stacks = new WeakMap<TestContext, (() => unknown)[]>();

/**
 * Runs `cleanup` when the test ends, after every cleanup deferred later in the same test (last in,
 * first out), so a cache or informer stops before the server it talks to. With `t.after` the server
 * registered first stops first, and what still uses it reports connection errors while stopping.
 * Every cleanup runs even if an earlier one throws; the first error is rethrown at the end.
 */
export function deferCleanup(t: TestContext, cleanup: () => unknown): void {
  let stack = stacks.get(t);
  if (stack === undefined) {
    const cleanups: (() => unknown)[] = [];
    stacks.set(t, cleanups);
    t.after(async () => {
      const failures: unknown[] = [];
      for (let next = cleanups.pop(); next !== undefined; next = cleanups.pop()) {
        try {
          await next();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length > 0) throw failures[0];
    });
    stack = cleanups;
  }
  stack.push(cleanup);
}

/**
 * Runs `run(signal)` — a cache's `start`, an informer's or a reflector's `run` — until the test
 * ends: then the signal aborts and the cleanup waits for `run` to return, before anything deferred
 * earlier (the server it talks to) stops. `stop` aborts it sooner; `done` is what `run` returned.
 */
export function runUntilTestEnds(t: TestContext, run: (signal: AbortSignal) => Promise<void>): { stop: AbortController; done: Promise<void> } {
  const stop = new AbortController();
  const done = run(stop.signal);
  deferCleanup(t, async () => {
    stop.abort();
    await done;
  });
  return { stop, done };
}
