// A token bucket shared by every item: client-go's BucketRateLimiter over golang.org/x/time/rate's reservations.

import { realClock, type Clock } from '../api/clock.ts';
import type { RateLimiter } from './rate-limiter.ts';

/**
 * One token bucket for all items, client-go's `BucketRateLimiter`: it starts full with `burst`
 * tokens and refills at `qps` per second up to `burst`. Every `when` reserves a token: while
 * tokens remain the delay is 0; past that the balance goes negative and the delay is the time
 * the refill takes to pay the deficit back. Reservations are never cancelled, so deficits add up:
 * at 10 qps and burst 100, 100 calls at once get 0, the 101st 100 ms, the 150th 5 s.
 * @category Controller
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastRefillMs: number;

  /**
   * @param qps tokens added per second. @default 10
   * @param burst the bucket's size. @default 100
   * @param clock the time source. @default realClock
   */
  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    if (!(qps > 0) || !(burst >= 1)) throw new TypeError(`token bucket: need qps > 0 and burst >= 1, got ${qps} and ${burst}`);
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#lastRefillMs = clock.now();
  }

  when(_item: T): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#lastRefillMs) * this.#qps) / 1000);
    this.#lastRefillMs = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens * 1000) / this.#qps;
  }

  forget(_item: T): void {
    // The bucket is shared: one item's success gives no tokens back.
  }

  numRequeues(_item: T): number {
    return 0;
  }
}
