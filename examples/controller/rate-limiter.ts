// Rate limiters for the work queue: per-item exponential backoff, an overall token bucket, and the max of both.

import { realClock, type Clock } from '../../src/index.ts';

/**
 * Decides how long a key waits before it is retried, as client-go's workqueue `RateLimiter` does.
 * `when` is called once per retry and counts it; `forget` ends the key's retry history.
 */
export interface RateLimiter<K> {
  /** The delay in milliseconds before `key` may be processed again; records one more failure. */
  when(key: K): number;
  /** Clears the failure history of `key` (it was processed successfully or given up on). */
  forget(key: K): void;
  /** How many times `when` was called for `key` since the last `forget`. */
  numRequeues(key: K): number;
}

/**
 * Per-key exponential backoff: `baseDelay × 2^failures`, capped at `maxDelay`, like client-go's
 * `ItemExponentialFailureRateLimiter`. The first retry waits `baseDelay`.
 */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  readonly #failures = new Map<K, number>();
  readonly #baseDelay: number;
  readonly #maxDelay: number;

  /**
   * @param baseDelay milliseconds for the first retry. @default 5
   * @param maxDelay the cap in milliseconds. @default 1_000_000 (1000 s)
   */
  constructor(baseDelay = 5, maxDelay = 1_000_000) {
    if (!(baseDelay > 0) || !(maxDelay >= baseDelay)) {
      throw new TypeError(`invalid backoff: baseDelay ${baseDelay} ms, maxDelay ${maxDelay} ms`);
    }
    this.#baseDelay = baseDelay;
    this.#maxDelay = maxDelay;
  }

  when(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2^failures overflows to Infinity long before it matters; Math.min keeps the cap exact.
    return Math.min(this.#baseDelay * 2 ** failures, this.#maxDelay);
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * One token bucket shared by all keys (client-go's `BucketRateLimiter`): `burst` retries may go at
 * once, then `qps` per second. It bounds the total retry rate when many keys fail together.
 */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  /**
   * @param qps tokens added per second. @default 10
   * @param burst the bucket size. @default 100
   * @param clock the time source. @default realClock
   */
  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    if (!(qps > 0) || !(burst >= 1)) throw new TypeError(`invalid token bucket: qps ${qps}, burst ${burst}`);
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  when(_key: K): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) * this.#qps) / 1000);
    this.#last = now;
    // Taking a token may drive the balance negative: that is a reservation paid back over time.
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  forget(_key: K): void {
    // The bucket is shared; one key's success returns no tokens.
  }

  numRequeues(_key: K): number {
    return 0;
  }
}

/** The longest delay any of its limiters asks for (client-go's `MaxOfRateLimiter`). */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  readonly #limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    if (limiters.length === 0) throw new TypeError('MaxOfRateLimiter needs at least one limiter');
    this.#limiters = limiters;
  }

  when(key: K): number {
    // Every limiter must see the call, so no short-circuiting.
    return Math.max(...this.#limiters.map((l) => l.when(key)));
  }

  forget(key: K): void {
    for (const l of this.#limiters) l.forget(key);
  }

  numRequeues(key: K): number {
    return Math.max(...this.#limiters.map((l) => l.numRequeues(key)));
  }
}

/**
 * controller-runtime's default: 5 ms × 2^n per key up to 1000 s, and at most 10 retries per second
 * overall with bursts of 100.
 */
export function defaultControllerRateLimiter<K>(clock: Clock = realClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(
    new ItemExponentialFailureRateLimiter<K>(5, 1_000_000),
    new BucketRateLimiter<K>(10, 100, clock),
  );
}
