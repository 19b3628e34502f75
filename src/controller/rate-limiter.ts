// Rate limiters of the work queue: how long a failed item waits before its retry (client-go's workqueue limiters).

import { realClock, type Clock } from '../api/clock.ts';
import { BucketRateLimiter } from './bucket-rate-limiter.ts';

/**
 * Decides how long an item waits before it is retried, as client-go's `workqueue.TypedRateLimiter`.
 * `when` is called once per retry and counts it; `forget` ends the item's retry history. Items
 * are compared as Map keys (`SameValueZero`), so use strings or other primitives.
 * @category Controller
 */
export interface RateLimiter<T> {
  /** The delay in milliseconds before `item` may be processed again; records one more retry. */
  when(item: T): number;
  /** Clears the retry history of `item` (it succeeded, or was given up on). */
  forget(item: T): void;
  /** How many times `item` has been retried since it was last forgotten. */
  numRequeues(item: T): number;
}

/**
 * Per-item exponential backoff, client-go's `ItemExponentialFailureRateLimiter`: the n-th
 * consecutive failure of an item waits `baseDelayMs × 2^(n-1)`, capped at `maxDelayMs`. With the
 * defaults: 5 ms, 10 ms, 20 ms, … 655.36 s at the 18th failure, 1000 s from the 19th on.
 * @category Controller
 */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;

  /**
   * @param baseDelayMs the first retry's delay. @default 5
   * @param maxDelayMs the cap. @default 1_000_000 (1000 s)
   */
  constructor(baseDelayMs = 5, maxDelayMs = 1_000_000) {
    if (!(baseDelayMs > 0) || !(maxDelayMs >= baseDelayMs)) {
      throw new TypeError(`exponential rate limiter: need 0 < baseDelayMs <= maxDelayMs, got ${baseDelayMs} and ${maxDelayMs}`);
    }
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = maxDelayMs;
  }

  when(item: T): number {
    const failures = this.#failures.get(item) ?? 0;
    this.#failures.set(item, failures + 1);
    // 2 ** n becomes Infinity long after it passed any cap; Math.min keeps the cap exact either way.
    return Math.min(this.#baseDelayMs * 2 ** failures, this.#maxDelayMs);
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}

/**
 * The longest delay any of its limiters asks for, client-go's `MaxOfRateLimiter`. Every limiter
 * sees every call (a token bucket spends a token even when the exponential delay is longer);
 * `numRequeues` is the largest of theirs and `forget` reaches all of them.
 * @category Controller
 */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  readonly #limiters: readonly RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    if (limiters.length === 0) throw new TypeError('MaxOfRateLimiter needs at least one limiter');
    this.#limiters = limiters;
  }

  when(item: T): number {
    let longest = 0;
    for (const limiter of this.#limiters) longest = Math.max(longest, limiter.when(item));
    return longest;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const limiter of this.#limiters) most = Math.max(most, limiter.numRequeues(item));
    return most;
  }
}

/**
 * client-go's `DefaultControllerRateLimiter`, which controller-runtime's rate-limiting queue uses:
 * the max of per-item exponential backoff (5 ms → 1000 s) and one token bucket shared by all
 * items (10 retries per second, bursts of 100), so a mass failure cannot retry faster than 10/s.
 * (controller-runtime ≥ 0.23 defaults to its priority queue with the exponential limiter alone.)
 * @category Controller
 */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100, clock));
}
