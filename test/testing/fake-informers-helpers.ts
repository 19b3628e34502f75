// FakeInformers started as a real Cache is, for the tests of the test kit.

import type { TestContext } from 'node:test';
import { FakeInformers, type FakeInformersOptions } from '../../src/testing/fake-informers.ts';

/** New FakeInformers, started, and stopped when the test ends. */
export function startedFakeInformers(t: TestContext, options?: FakeInformersOptions): FakeInformers {
  const informers = new FakeInformers(options);
  const stop = new AbortController();
  const running = informers.start(stop.signal);
  t.after(async () => {
    stop.abort();
    await running;
  });
  return informers;
}
