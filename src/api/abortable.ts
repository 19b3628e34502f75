// Waiting on shared work with a caller's AbortSignal: the caller stops waiting, the work goes on.

/**
 * The outcome of `promise`, or a rejection with `signal.reason` as soon as the signal aborts
 * (at once when it already has). The promise itself is not cancelled: it may be shared work
 * that other callers still wait for.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
