// The time source of the transport: token ages, exec credential expiry and Retry-After waits.

/**
 * What the transport needs of a clock. The informer layer's `realClock` and `FakeClock`
 * satisfy it, so tests drive token ages and Retry-After waits on virtual time.
 */
export interface TransportClock {
  /** Milliseconds since an arbitrary epoch; only differences are meaningful. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock: `performance.now()` and a timer that an AbortSignal cancels. */
export const realTransportClock: TransportClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  return new DOMException(typeof reason === 'string' ? reason : 'This operation was aborted', 'AbortError');
}

/**
 * Milliseconds since the Unix epoch as `clock` sees it: the wall time at creation plus the
 * clock's elapsed time, so RFC 3339 expiry timestamps compare correctly on a fake clock too.
 */
export function wallTimeOf(clock: TransportClock): () => number {
  const wallAtStart = Date.now();
  const clockAtStart = clock.now();
  return () => wallAtStart + (clock.now() - clockAtStart);
}
