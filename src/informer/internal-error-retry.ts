// client-go's RetryWithDeadline for watch InternalErrors: re-watch at once, but only for a while.

import type { Clock } from '../api/clock.ts';

/** A quiet spell this long forgets earlier InternalErrors (client-go's minimum reset period). */
const RESET_AFTER_MS = 60_000;

/**
 * Decides whether a watch that ended with a 500 InternalError may be re-opened at once, without a
 * relist: yes while the InternalErrors have lasted at most `maxDurationMs` since the first of them;
 * a minute without one starts the count over. `maxDurationMs` 0 never retries (the default, as upstream).
 */
export class InternalErrorRetry {
  readonly #clock: Clock;
  readonly #maxDurationMs: number;
  #firstErrorAt: number | undefined;
  #lastErrorAt: number | undefined;

  constructor(clock: Clock, maxDurationMs: number) {
    this.#clock = clock;
    this.#maxDurationMs = maxDurationMs;
  }

  /** Records one InternalError; true when the watch may be re-opened at once. */
  shouldRetry(): boolean {
    if (this.#maxDurationMs <= 0) return false;
    const now = this.#clock.now();
    if (this.#lastErrorAt !== undefined && now - this.#lastErrorAt >= RESET_AFTER_MS) this.reset();
    this.#firstErrorAt ??= now;
    this.#lastErrorAt = now;
    if (now - this.#firstErrorAt <= this.#maxDurationMs) return true;
    this.reset();
    return false;
  }

  /** Forgets every earlier InternalError (after a relist). */
  reset(): void {
    this.#firstErrorAt = undefined;
    this.#lastErrorAt = undefined;
  }
}
