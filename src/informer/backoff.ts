// The reflector's retry delays: exponential with jitter and a cap, reset after a quiet spell.

import { realClock, type Clock } from '../api/clock.ts';

/**
 * Options of {@link Backoff}; the defaults are client-go's reflector backoff.
 * @category Informers
 */
export interface BackoffOptions {
  /** First base delay. @default 800 */
  readonly initialMs?: number;
  /** Multiplier applied to the base delay after each step. @default 2 */
  readonly factor?: number;
  /** Each delay is `base + random() * jitter * base`. @default 1.0 */
  readonly jitter?: number;
  /** Upper bound of the base delay (so delays stay within [cap, cap·(1+jitter))). @default 30000 */
  readonly capMs?: number;
  /** Start over whenever this long has passed since the last start (client-go's DelayWithReset). @default 120000 */
  readonly resetAfterMs?: number;
  /** @default realClock */
  readonly clock?: Clock;
  /** A source of uniform numbers in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/**
 * Exponential backoff as client-go's reflector uses it: 800 ms, ×2 per failure, jitter +0–100 %,
 * base capped at 30 s, and back to 800 ms every two minutes: a delay asked for more than two
 * minutes after the last start (construction or reset) starts over, however many failures came in
 * between (HEAD's `DelayWithReset`; a flapping server thus never pins the delay at the cap).
 *
 * The backoff only computes delays; callers sleep on their own clock.
 * @category Informers
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #capMs: number;
  readonly #resetAfterMs: number;
  readonly #clock: Clock;
  readonly #random: () => number;
  #baseMs: number;
  #lastStartAt: number;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 800;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 1;
    this.#capMs = options.capMs ?? 30_000;
    this.#resetAfterMs = options.resetAfterMs ?? 120_000;
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? Math.random;
    if (!(this.#initialMs > 0) || !(this.#factor >= 1) || !(this.#capMs >= this.#initialMs)) {
      throw new TypeError(
        `backoff options invalid: initialMs=${this.#initialMs} factor=${this.#factor} capMs=${this.#capMs}`,
      );
    }
    this.#baseMs = this.#initialMs;
    this.#lastStartAt = this.#clock.now();
  }

  /** Returns the next delay in milliseconds and advances the sequence. */
  next(): number {
    if (this.#clock.now() - this.#lastStartAt > this.#resetAfterMs) this.reset();
    const base = this.#baseMs;
    this.#baseMs = Math.min(base * this.#factor, this.#capMs);
    return base + this.#random() * this.#jitter * base;
  }

  /** Starts the sequence over at the initial delay. */
  reset(): void {
    this.#baseMs = this.#initialMs;
    this.#lastStartAt = this.#clock.now();
  }
}
