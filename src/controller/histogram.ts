// A fixed-bucket histogram of durations in seconds, and the bucket bounds controller-runtime uses.

import type { HistogramSnapshot } from '../api/prometheus-text.ts';

/**
 * Work-queue duration buckets (seconds): 10 ns × 10ⁿ, twelve of them, 1e-8 … 1000 (client-go's).
 * @category Observability
 */
export const WORKQUEUE_DURATION_BUCKETS: readonly number[] = Object.freeze([1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10, 100, 1000]);

/**
 * Reconcile duration buckets (seconds), controller-runtime's `controller_runtime_reconcile_time_seconds`.
 * @category Observability
 */
export const RECONCILE_TIME_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5,
  3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
]);

/** Counts observations into fixed buckets; recording is one short scan. */
export class Histogram {
  readonly #bounds: readonly number[];
  readonly #perBucket: number[];
  #count = 0;
  #sum = 0;

  /** @param bounds ascending upper bounds (inclusive); a last `+Inf` bucket is implied. */
  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#perBucket = new Array<number>(bounds.length).fill(0);
  }

  /** Adds one observation. */
  observe(value: number): void {
    this.#count++;
    this.#sum += value;
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.#perBucket[i] = (this.#perBucket[i] ?? 0) + 1;
        return;
      }
    }
  }

  /** The numbers so far, bucket counts made cumulative. */
  snapshot(): HistogramSnapshot {
    let running = 0;
    const buckets = this.#bounds.map((le, i) => {
      running += this.#perBucket[i] ?? 0;
      return { le, count: running };
    });
    return { count: this.#count, sum: this.#sum, buckets };
  }
}
