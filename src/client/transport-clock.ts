// The time source of the transport: token ages, exec credential expiry and Retry-After waits.

import { realClock } from '../api/clock.ts';

/**
 * What the transport needs of a clock. The api layer's `realClock` and `FakeClock` (any `Clock`)
 * satisfy it, so tests drive token ages and Retry-After waits on virtual time.
 * @category Client
 */
export interface TransportClock {
  /** Milliseconds since an arbitrary epoch; only differences are meaningful. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock: `performance.now()` and an abortable sleep (the api layer's `realClock`). */
export const realTransportClock: TransportClock = realClock;

/**
 * Milliseconds since the Unix epoch as `clock` sees it: the wall time at creation plus the
 * clock's elapsed time, so RFC 3339 expiry timestamps compare correctly on a fake clock too.
 */
export function wallTimeOf(clock: TransportClock): () => number {
  const wallAtStart = Date.now();
  const clockAtStart = clock.now();
  return () => wallAtStart + (clock.now() - clockAtStart);
}
