// How long an informer's event handlers take: count, total, max and a small fixed-bucket histogram.

import type { Histogram } from '../api/histogram.ts';

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

/** The handler latencies `histogram` (in milliseconds, over {@link HANDLER_LATENCY_BUCKETS_MS}) has recorded. */
export function handlerLatencyStats(histogram: Histogram): HandlerLatencyStats {
  const { count, sum, max, buckets } = histogram.snapshot();
  return { count, totalMs: sum, maxMs: max, buckets };
}
