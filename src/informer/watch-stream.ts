// Reading a watch stream: one event at a time, abortable, with the outcome as a value.

import type { WatchEvent } from '../api/lister-watcher.ts';
import type { Clock } from './clock.ts';

/** An open watch: the iterator of a ListerWatcher's watch iterable. */
export type WatchStream<T> = AsyncIterator<WatchEvent<T>>;

/** The value an abortable wait resolves with when the signal fired first. */
export const ABORTED: unique symbol = Symbol('aborted');

/** A promise that resolves with {@link ABORTED} once `signal` aborts (never rejects). */
export function abortedPromise(signal: AbortSignal): Promise<typeof ABORTED> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });
}

/** The next event of `stream`, or {@link ABORTED} if `aborted` settles first (the stream is then closed). */
export async function nextOrAbort<T>(
  stream: WatchStream<T>,
  aborted: Promise<typeof ABORTED>,
): Promise<IteratorResult<WatchEvent<T>> | typeof ABORTED> {
  const next = stream.next();
  const result = await Promise.race([next, aborted]);
  if (result === ABORTED) {
    // The pending read is abandoned; its eventual failure (the aborted request) is expected.
    next.catch((err: unknown) => void err);
    closeStream(stream);
  }
  return result;
}

/**
 * Asks the stream to end without waiting: `return()` on a generator parked in an idle read only
 * completes when that read does, which the aborted request makes happen.
 */
export function closeStream<T>(stream: WatchStream<T>): void {
  const done = stream.return?.();
  // Closing an already failed or aborted stream may reject; there is nothing left to recover.
  done?.catch((err: unknown) => void err);
}

/** How a watch ended. */
export type WatchOutcome =
  | { readonly kind: 'closed'; readonly events: number; readonly durationMs: number }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'aborted' };

/** Options of {@link consumeWatch}. */
export interface ConsumeWatchOptions<T> {
  readonly aborted: Promise<typeof ABORTED>;
  readonly clock: Clock;
  /** Whether ADDED events move the version before any other event type arrived. */
  readonly propagateFromStart: boolean;
  /** Applies an ADDED/MODIFIED/DELETED/BOOKMARK event; returns the version it carries. */
  readonly onEvent: (event: Exclude<WatchEvent<T>, { type: 'ERROR' }>) => string | undefined;
  /** Records the version the watch has reached. */
  readonly onResourceVersion: (rv: string) => void;
  /** Counts an ERROR event. */
  readonly onErrorEvent?: () => void;
}

/** Applies events until the stream ends, fails, delivers an ERROR event or the signal aborts. */
export async function consumeWatch<T>(stream: WatchStream<T>, options: ConsumeWatchOptions<T>): Promise<WatchOutcome> {
  const startedAt = options.clock.now();
  let events = 0;
  let besidesAdded = false;
  for (;;) {
    let result: IteratorResult<WatchEvent<T>> | typeof ABORTED;
    try {
      result = await nextOrAbort(stream, options.aborted);
    } catch (error) {
      return { kind: 'error', error };
    }
    if (result === ABORTED) return { kind: 'aborted' };
    if (result.done === true) break;
    const event = result.value;
    if (event.type === 'ERROR') {
      options.onErrorEvent?.();
      closeStream(stream);
      return { kind: 'error', error: event.error };
    }
    if (event.type !== 'ADDED') besidesAdded = true;
    const rv = options.onEvent(event);
    if (rv !== undefined && (options.propagateFromStart || besidesAdded)) options.onResourceVersion(rv);
    events++;
  }
  return { kind: 'closed', events, durationMs: options.clock.now() - startedAt };
}
