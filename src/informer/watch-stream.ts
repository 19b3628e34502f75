// Reading a watch stream: one event at a time, abortable, with the outcome as a value.

import type { WatchEvent } from '../api/lister-watcher.ts';
import type { Clock } from './clock.ts';

/** An open watch: the iterator of a ListerWatcher's watch iterable. */
export type WatchStream<T> = AsyncIterator<WatchEvent<T>>;

/**
 * What a watch iterator may offer besides `next()`: the events it has already received, without a
 * promise turn each (the client's HTTP watch does). Optional: plain async iterators work unchanged.
 */
export interface BufferedWatchStream<T> extends WatchStream<T> {
  /** The next event already received, or undefined when none is buffered. */
  takeBuffered(): WatchEvent<T> | undefined;
}

function bufferedTaker<T>(stream: WatchStream<T>): (() => WatchEvent<T> | undefined) | undefined {
  const candidate = stream as Partial<BufferedWatchStream<T>>;
  return typeof candidate.takeBuffered === 'function' ? () => (stream as BufferedWatchStream<T>).takeBuffered() : undefined;
}

/** The value an abortable wait resolves with when the signal fired first. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Reads watch streams one event at a time until a signal aborts; on abort the pending read
 * resolves with {@link ABORTED} at once and the stream is asked to close. One abort listener
 * serves every read (racing each read against a long-lived promise would pile up a reaction per
 * event on that promise for as long as the watch lives).
 */
export class AbortableReader {
  readonly signal: AbortSignal;
  #onAbort: (() => void) | undefined;

  constructor(signal: AbortSignal) {
    this.signal = signal;
    signal.addEventListener('abort', () => this.#onAbort?.(), { once: true });
  }

  /** The next event of `stream`, or {@link ABORTED}. Only one read may be pending at a time. */
  next<T>(stream: WatchStream<T>): Promise<IteratorResult<WatchEvent<T>> | typeof ABORTED> {
    if (this.signal.aborted) {
      closeStream(stream);
      return Promise.resolve(ABORTED);
    }
    return new Promise((resolve, reject) => {
      this.#onAbort = () => {
        closeStream(stream);
        resolve(ABORTED);
      };
      // After an abort the read settles late (usually failing with the aborted request); settling an
      // already resolved promise again is a no-op, so that late outcome is deliberately dropped.
      stream.next().then(
        (result) => {
          this.#onAbort = undefined;
          resolve(result);
        },
        (err: unknown) => {
          this.#onAbort = undefined;
          reject(err instanceof Error ? err : new Error(String(err), { cause: err }));
        },
      );
    });
  }
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
  readonly reader: AbortableReader;
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

/**
 * Applies events until the stream ends, fails, delivers an ERROR event or the signal aborts.
 * Events the stream already holds are applied in one synchronous run after each awaited read,
 * in order, so a burst costs one promise turn instead of one per event.
 */
export async function consumeWatch<T>(stream: WatchStream<T>, options: ConsumeWatchOptions<T>): Promise<WatchOutcome> {
  const startedAt = options.clock.now();
  const take = bufferedTaker(stream);
  const signal = options.reader.signal;
  let events = 0;
  let besidesAdded = false;
  for (;;) {
    let result: IteratorResult<WatchEvent<T>> | typeof ABORTED;
    try {
      result = await options.reader.next(stream);
    } catch (error) {
      return { kind: 'error', error };
    }
    if (result === ABORTED) return { kind: 'aborted' };
    if (result.done === true) break;
    let event: WatchEvent<T> | undefined = result.value;
    while (event !== undefined) {
      if (event.type === 'ERROR') {
        options.onErrorEvent?.();
        closeStream(stream);
        return { kind: 'error', error: event.error };
      }
      if (event.type !== 'ADDED') besidesAdded = true;
      const rv = options.onEvent(event);
      if (rv !== undefined && (options.propagateFromStart || besidesAdded)) options.onResourceVersion(rv);
      events++;
      // After an abort the next read reports it; buffered events are not applied any more.
      event = signal.aborted ? undefined : take?.();
    }
  }
  return { kind: 'closed', events, durationMs: options.clock.now() - startedAt };
}
