// A one-way "has synced" flag with abortable promise waiters.

import { abortReason } from './clock.ts';

/**
 * Starts open; {@link SyncLatch.resolve} latches it done and wakes waiters. {@link SyncLatch.fail}
 * rejects the current and future waiters unless it is already done.
 */
export class SyncLatch {
  #done = false;
  #failure: { readonly error: Error } | undefined;
  #waiters = new Set<{ resolve: () => void; reject: (err: Error) => void }>();

  get done(): boolean {
    return this.#done;
  }

  resolve(): void {
    if (this.#done || this.#failure !== undefined) return;
    this.#done = true;
    for (const w of this.#waiters) w.resolve();
    this.#waiters.clear();
  }

  fail(error: Error): void {
    if (this.#done || this.#failure !== undefined) return;
    this.#failure = { error };
    for (const w of this.#waiters) w.reject(error);
    this.#waiters.clear();
  }

  /** Resolves when done; rejects with the failure, or with the signal's reason on abort. */
  wait(signal?: AbortSignal): Promise<void> {
    if (this.#done) return Promise.resolve();
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        reject(abortReason(signal));
      };
      const waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (err: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
