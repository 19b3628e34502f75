// retryOnConflict: client-go's retry.RetryOnConflict / retry.OnError over a wait.Backoff.

import { isConflict } from '../api/errors.ts';
import { Backoff } from '../informer/backoff.ts';
import { realClock, type Clock } from '../api/clock.ts';

/**
 * apimachinery's `wait.Backoff`: how many attempts, and the delays between them.
 * @category Client
 */
export interface RetryBackoff {
  /** Attempts in all (the first included); at least 1. */
  readonly steps: number;
  /** The first delay. */
  readonly durationMs: number;
  /** Each delay is the previous base times this (1: constant). */
  readonly factor: number;
  /** Each delay is `base + random() * jitter * base`. */
  readonly jitter: number;
  /** Upper bound of the base delay. @default no bound */
  readonly capMs?: number;
}

/**
 * client-go's `retry.DefaultRetry`, the backoff of {@link retryOnConflict}: 5 attempts, 10 ms
 * apart (+ up to 10 % jitter). Meant for conflicts between writers making unrelated changes.
 * @category Client
 */
export const DEFAULT_RETRY: RetryBackoff = Object.freeze({ steps: 5, durationMs: 10, factor: 1, jitter: 0.1 });

/**
 * client-go's `retry.DefaultBackoff`: 4 attempts, 10 ms ×5 per step (10, 50, 250 ms, + jitter).
 * Meant for a write to an object that controllers are actively changing.
 * @category Client
 */
export const DEFAULT_BACKOFF: RetryBackoff = Object.freeze({ steps: 4, durationMs: 10, factor: 5, jitter: 0.1 });

/**
 * Options of {@link retryOnConflict} and {@link retryOnError}.
 * @category Client
 */
export interface RetryOptions {
  /** @default DEFAULT_RETRY */
  readonly backoff?: RetryBackoff;
  /** Aborting stops the waiting between attempts; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** The clock the delays are slept on (tests pass a fake one). @default the real clock */
  readonly clock?: Clock;
}

/**
 * Runs `fn` until it resolves, or until it rejects with an error `retriable` refuses, or until
 * `backoff.steps` attempts have failed, sleeping the backoff's delay between attempts (client-go's
 * `retry.OnError`). Resolves with `fn`'s result; rejects with the refused error, or with the last
 * retriable one when the attempts run out.
 * @category Client
 */
export async function retryOnError<R>(retriable: (err: unknown) => boolean, fn: () => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const { steps, durationMs, factor, jitter, capMs } = options.backoff ?? DEFAULT_RETRY;
  if (!Number.isInteger(steps) || steps < 1) throw new TypeError(`retry backoff steps must be an integer >= 1, got ${steps}`);
  const clock = options.clock ?? realClock;
  const delays = new Backoff({ initialMs: durationMs, factor, jitter, capMs: capMs ?? Number.POSITIVE_INFINITY, clock });
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!retriable(err) || attempt >= steps) throw err;
    }
    await clock.sleep(delays.next(), options.signal);
  }
}

/**
 * Re-runs a read-modify-write `fn` while it fails with a 409 Conflict (client-go's
 * `retry.RetryOnConflict`), with {@link DEFAULT_RETRY} unless told otherwise. `fn` must read the
 * object afresh on every attempt (a conflict means the copy it edited is stale) and let the
 * write's error through unwrapped, so the conflict is recognised. Any other error ends the retries
 * at once; after the last attempt the last 409 is rethrown.
 *
 * @example
 * await retryOnConflict(async () => {
 *   const cm = mutable(await client.get(ConfigMaps, key, { live: true }));
 *   cm.data = { ...cm.data, count: String(Number(cm.data?.count ?? 0) + 1) };
 *   return client.update(ConfigMaps, cm);
 * });
 * @category Client
 */
export function retryOnConflict<R>(fn: () => Promise<R>, options: RetryOptions = {}): Promise<R> {
  return retryOnError(isConflict, fn, options);
}
