// A one-way "has synced" flag with abortable promise waiters.

import { waitUnlessAborted } from '../api/abortable.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Starts open; {@link SyncLatch.resolve} latches it done and wakes waiters. {@link SyncLatch.fail}
 * rejects the current and future waiters unless it is already done.
 */
export class SyncLatch {
  #done = false;
  #failure: { readonly error: Error } | undefined;
  readonly #waiters = new Set<Waiter>();

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
    return waitUnlessAborted<void>(signal, (resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.#waiters.add(waiter);
      return () => this.#waiters.delete(waiter);
    });
  }
}
