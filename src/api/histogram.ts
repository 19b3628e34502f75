// A fixed-bucket histogram: count, sum, max and cumulative bucket counts, as Prometheus exposes them.

import type { HistogramSnapshot } from './prometheus-text.ts';

/** A {@link Histogram}'s numbers: Prometheus' count, sum and cumulative buckets, and the largest value. */
export interface HistogramValues extends HistogramSnapshot {
  /** The largest observation; 0 before any. */
  readonly max: number;
}

/**
 * Counts observations into fixed buckets. Recording is a few additions and a short scan, cheap
 * enough for the informer's hot path (it runs around every handler call).
 */
export class Histogram {
  readonly #bounds: readonly number[];
  readonly #perBucket: number[];
  #count = 0;
  #sum = 0;
  #max = 0;

  /** @param bounds ascending upper bounds (inclusive); a last `+Inf` bucket is implied. */
  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#perBucket = new Array<number>(bounds.length).fill(0);
  }

  /** Adds one observation. */
  observe(value: number): void {
    this.#count++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
    // A plain loop: a findIndex callback would allocate on every observation.
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.#perBucket[i] = (this.#perBucket[i] ?? 0) + 1;
        return;
      }
    }
  }

  /** The numbers so far, bucket counts made cumulative. */
  snapshot(): HistogramValues {
    let running = 0;
    const buckets = this.#bounds.map((le, i) => {
      running += this.#perBucket[i] ?? 0;
      return { le, count: running };
    });
    return { count: this.#count, sum: this.#sum, max: this.#max, buckets };
  }
}
