// How long an informer's event handlers take: count, total, max and a small fixed-bucket histogram.

/**
 * Upper bounds (ms, inclusive) of the handler latency buckets; a last `+Inf` bucket is implied.
 * @category Observability
 */
export const HANDLER_LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([0.1, 0.5, 1, 5, 10, 50, 100, 500, 1000, 5000]);

/**
 * A snapshot of handler latencies. Bucket counts are cumulative, as in a Prometheus histogram.
 * @category Observability
 */
export interface HandlerLatencyStats {
  /** Handler calls measured (successful or not). */
  readonly count: number;
  /** Sum of their durations in milliseconds (a returned promise counts until it settles). */
  readonly totalMs: number;
  /** The longest one, in milliseconds; 0 before any call. */
  readonly maxMs: number;
  /** Calls that took at most `le` ms, for each of {@link HANDLER_LATENCY_BUCKETS_MS}. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

/**
 * Accumulates handler durations. Recording is a few additions and a short scan, cheap enough to
 * run around every notification.
 */
export class HandlerLatency {
  #count = 0;
  #totalMs = 0;
  #maxMs = 0;
  readonly #perBucket = new Array<number>(HANDLER_LATENCY_BUCKETS_MS.length).fill(0);

  /** Adds one handler call that took `ms` milliseconds. */
  record(ms: number): void {
    this.#count++;
    this.#totalMs += ms;
    if (ms > this.#maxMs) this.#maxMs = ms;
    // A plain loop: this runs once per handler call, and a findIndex callback would allocate each time.
    const bounds = HANDLER_LATENCY_BUCKETS_MS;
    for (let i = 0; i < bounds.length; i++) {
      if (ms <= (bounds[i] as number)) {
        this.#perBucket[i] = (this.#perBucket[i] ?? 0) + 1;
        return;
      }
    }
  }

  /** The numbers so far, buckets made cumulative. */
  snapshot(): HandlerLatencyStats {
    let running = 0;
    const buckets = HANDLER_LATENCY_BUCKETS_MS.map((le, i) => {
      running += this.#perBucket[i] ?? 0;
      return { le, count: running };
    });
    return { count: this.#count, totalMs: this.#totalMs, maxMs: this.#maxMs, buckets };
  }
}
