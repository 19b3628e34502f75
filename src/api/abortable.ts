// Waiting unless aborted: the one helper behind every abortable sleep and wait in kubecache.

/** The reason an aborted signal carries, as an Error (the default reason already is one). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const message = typeof reason === 'string' ? reason : 'This operation was aborted';
  return new DOMException(message, 'AbortError');
}

/**
 * Waits for something unless `signal` aborts first. `start` begins the wait with the promise's
 * settle functions and returns how to cancel it; on abort the wait is cancelled and the promise
 * rejects with the signal's reason ({@link abortReason}). An already aborted signal rejects at once
 * without starting anything. The abort listener is removed as soon as the wait settles, so waits on
 * a long-lived signal do not pile up listeners.
 */
export function waitUnlessAborted<T>(
  signal: AbortSignal | undefined,
  start: (resolve: (value: T) => void, reject: (err: unknown) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(abortReason(signal));
    };
    const cancel = start(
      (value) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        // Passed on as the waited-for operation raised it.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(err);
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The timer half of a Clock, which is all a sleep needs. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): object;
  clearTimeout(handle: object): void;
}

/**
 * Resolves after `ms` milliseconds on `timers` (a Clock, so tests can use virtual time); rejects
 * with the signal's reason if it aborts first, and the timer is released.
 */
export function sleep(ms: number, options: { readonly timers: Timers; readonly signal?: AbortSignal | undefined }): Promise<void> {
  const { timers, signal } = options;
  return waitUnlessAborted<void>(signal, (resolve) => {
    const handle = timers.setTimeout(() => resolve(), ms);
    return () => timers.clearTimeout(handle);
  });
}

/** Resolves when `signal` aborts (at once if it already has). Never rejects. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * The outcome of `promise`, or a rejection with the signal's reason as soon as `signal` aborts (at
 * once when it already has). The promise itself is not cancelled: it may be shared work (a
 * discovery read, an informer's sync) that other callers still wait for.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return waitUnlessAborted<T>(signal, (resolve, reject) => {
    promise.then(resolve, reject);
    // Nothing to cancel: only this caller stops waiting.
    return () => undefined;
  });
}
