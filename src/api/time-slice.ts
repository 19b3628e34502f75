// Cooperative work: run synchronously for a bounded time, then let the event loop turn.

/**
 * How long one synchronous run of kubecache's own work (applying watch events, handling deltas,
 * delivering notifications) may last before it yields. Several such runs can share one turn of the
 * event loop, so each gets a fraction of the 50 ms stall budget.
 */
export const SLICE_BUDGET_MS = 5;

/** Resolves on the next turn of the event loop, after pending I/O and timers had their chance. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Bounds a synchronous run by time as well as by what is at hand: `start()` when the run begins,
 * `spent()` after each unit of work says whether the budget is used up (then yield and start again).
 * The time source is injectable so tests can count steps instead of measuring.
 */
export class TimeSlice {
  readonly #now: () => number;
  readonly #budgetMs: number;
  #startedAt = 0;

  /** @param now milliseconds from any epoch, e.g. a Clock's `now`. */
  constructor(now: () => number, budgetMs = SLICE_BUDGET_MS) {
    this.#now = now;
    this.#budgetMs = budgetMs;
  }

  /** Begins a run. */
  start(): void {
    this.#startedAt = this.#now();
  }

  /** True once the run has lasted its budget. */
  spent(): boolean {
    return this.#now() - this.#startedAt >= this.#budgetMs;
  }
}
