// One watch, plain or watch-list: open it, read it with one loop, and say how it ended and why.

import type { Clock, TimerHandle } from '../api/clock.ts';
import { isInternalError, isTooManyRequests, isTooOldResourceVersion, StatusError } from '../api/errors.ts';
import type { ListerWatcher, WatchEvent, WatchOptions } from '../api/lister-watcher.ts';
import type { Logger } from '../api/logger.ts';
import { TimeSlice, yieldToEventLoop } from '../api/time-slice.ts';

/** An open watch: the iterator of a ListerWatcher's watch iterable. */
export type WatchIterator<T> = AsyncIterator<WatchEvent<T>>;

/**
 * What a watch iterator may offer besides `next()`: the events it has already received, without a
 * promise turn each (the client's HTTP watch does). Optional: plain async iterators work unchanged.
 */
export interface BufferedWatchIterator<T> extends WatchIterator<T> {
  /** The next event already received, or undefined when none is buffered. */
  takeBuffered(): WatchEvent<T> | undefined;
}

/** How a watch ended. */
export type WatchOutcome =
  /** The server closed the stream. `veryShort`: within a second and with no event (client-go's VeryShortWatchError rule). */
  | { readonly kind: 'closed'; readonly events: number; readonly durationMs: number; readonly veryShort: boolean }
  /** Watch-list only: the bookmark ending the initial events arrived; the stream stays open. */
  | { readonly kind: 'initialEventsEnd'; readonly resourceVersion: string }
  /** Opening or reading failed, the server sent an ERROR event (`fromEvent`), or the reader was interrupted. */
  | { readonly kind: 'error'; readonly error: unknown; readonly fromEvent: boolean }
  | { readonly kind: 'aborted' };

/**
 * What a list or watch failure asks of the reflector (client-go's classifiers):
 * `expired` (410: the version left the server's history), `tooLarge` (the server has not reached
 * the version yet), `throttled` (429 or a refused connection: wait, then repeat the same request),
 * `internal` (500 InternalError), `other`.
 */
export type FailureKind = 'expired' | 'tooLarge' | 'throttled' | 'internal' | 'other';

/** Classifies a list or watch failure; see {@link FailureKind}. */
export function classifyFailure(err: unknown): FailureKind {
  if (isTooOldResourceVersion(err)) return 'expired';
  if (isTooLargeResourceVersion(err)) return 'tooLarge';
  if (isTooManyRequests(err) || isConnectionRefused(err)) return 'throttled';
  if (isInternalError(err)) return 'internal';
  return 'other';
}

function isTooLargeResourceVersion(err: unknown): boolean {
  if (!(err instanceof StatusError)) return false;
  const causes = err.status.details?.causes ?? [];
  if (causes.some((c) => c.reason === 'ResourceVersionTooLarge')) return true;
  const timeout = err.reason === 'Timeout' || (err.reason === 'Unknown' && err.code === 504);
  if (!timeout) return false;
  return (
    causes.some((c) => c.message === 'Too large resource version') ||
    (err.status.message ?? '').includes('Too large resource version')
  );
}

function isConnectionRefused(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === 'ECONNREFUSED' || e?.cause?.code === 'ECONNREFUSED';
}

/**
 * Opens a watch. A ListerWatcher that throws synchronously gets the same treatment as one whose
 * stream fails: the error comes back as a value, never escapes the reflector's loop.
 */
export function openWatch<T>(lw: ListerWatcher<T>, options: WatchOptions): WatchIterator<T> | { readonly failed: unknown } {
  try {
    return lw.watch(options)[Symbol.asyncIterator]();
  } catch (failed) {
    return { failed };
  }
}

/**
 * Asks the stream to end without waiting: `return()` on a generator parked in an idle read only
 * completes when that read does, which the aborted request makes happen.
 */
export function closeWatch<T>(stream: WatchIterator<T>): void {
  try {
    // Closing an already failed or aborted stream may reject; there is nothing left to recover.
    stream.return?.().catch((err: unknown) => void err);
  } catch (err) {
    void err;
  }
}

/** The value a read resolves with when the signal fired first. */
export const ABORTED: unique symbol = Symbol('aborted');

interface Interrupted {
  readonly interrupted: unknown;
}

/**
 * Reads watch streams one event at a time until a signal aborts or the reader is interrupted (a
 * failed resync ends the watch, as in client-go); either settles a pending read at once and asks
 * the stream to close. One abort listener serves every read (racing each read against a long-lived
 * promise would pile up a reaction per event on that promise for as long as the watch lives).
 */
export class WatchReader {
  readonly signal: AbortSignal;
  #settle: ((value: typeof ABORTED | Interrupted) => void) | undefined;
  #interrupt: Interrupted | undefined;

  constructor(signal: AbortSignal) {
    this.signal = signal;
    signal.addEventListener('abort', () => this.#settle?.(ABORTED), { once: true });
  }

  /** Ends the current watch with `error` (or the next one, if no read is pending). */
  interrupt(error: unknown): void {
    this.#interrupt = { interrupted: error };
    this.#settle?.(this.#interrupt);
  }

  /** The error of a pending interrupt, consumed; undefined when there is none. */
  takeInterrupt(): Interrupted | undefined {
    const pending = this.#interrupt;
    this.#interrupt = undefined;
    return pending;
  }

  /** The next event of `stream`, {@link ABORTED}, or an interruption. Only one read may be pending at a time. */
  next<T>(stream: WatchIterator<T>): Promise<IteratorResult<WatchEvent<T>> | typeof ABORTED | Interrupted> {
    if (this.signal.aborted) return Promise.resolve(ABORTED);
    const pending = this.takeInterrupt();
    if (pending !== undefined) return Promise.resolve(pending);
    return new Promise((resolve, reject) => {
      const settle = (value: typeof ABORTED | Interrupted): void => {
        if (value !== ABORTED) this.#interrupt = undefined;
        resolve(value);
      };
      // Only this read's own settle function is cleared: a late outcome of an abandoned read must
      // not disarm the read of the next watch.
      const done = (): void => {
        if (this.#settle === settle) this.#settle = undefined;
      };
      this.#settle = settle;
      // After an abort or interrupt the read settles late (usually failing with the aborted
      // request); settling an already resolved promise again is a no-op, so that is dropped.
      let read: Promise<IteratorResult<WatchEvent<T>>>;
      try {
        read = stream.next();
      } catch (err) {
        read = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      read.then(
        (result) => {
          done();
          resolve(result);
        },
        (err: unknown) => {
          done();
          reject(err instanceof Error ? err : new Error(String(err), { cause: err }));
        },
      );
    });
  }
}

/** Options of {@link readWatch}. */
export interface ReadWatchOptions<T> {
  readonly reader: WatchReader;
  readonly clock: Clock;
  /** Bounds each synchronous run of applied events; between runs the event loop turns. */
  readonly slice: TimeSlice;
  /** Whether ADDED events move the version before any other event type arrived. */
  readonly propagateFromStart: boolean;
  /** Applies an ADDED/MODIFIED/DELETED/BOOKMARK event; returns the version it carries. */
  readonly apply: (event: Exclude<WatchEvent<T>, { type: 'ERROR' }>) => string | undefined;
  /** Records the version the watch has reached. */
  readonly onResourceVersion: (rv: string) => void;
  /** Counts an ERROR event. */
  readonly onErrorEvent: () => void;
  /**
   * Watch-list: end at the bookmark annotated `k8s.io/initial-events-end`, and warn every
   * {@link INITIAL_EVENTS_WARNING_MS} while it has not come, as client-go does.
   */
  readonly initialEvents?: { readonly description: string; readonly logger: Logger } | undefined;
}

/** While a watch-list waits for its end bookmark, a warning this often. */
export const INITIAL_EVENTS_WARNING_MS = 10_000;

/**
 * The one read loop of the reflector. Applies events until the stream ends, fails, delivers an
 * ERROR event, is interrupted or aborted, or (watch-list) delivers its initial-events-end bookmark.
 * Events the stream already holds are applied in synchronous runs without a promise turn each, in
 * order; each run is bounded by `slice`, after which the event loop gets a turn.
 */
export async function readWatch<T>(stream: WatchIterator<T>, options: ReadWatchOptions<T>): Promise<WatchOutcome> {
  const { reader, clock, slice } = options;
  const startedAt = clock.now();
  const candidate = stream as Partial<BufferedWatchIterator<T>>;
  const take = typeof candidate.takeBuffered === 'function' ? () => (stream as BufferedWatchIterator<T>).takeBuffered() : undefined;
  const warner = options.initialEvents === undefined ? undefined : new BookmarkWaitWarner(clock, options.initialEvents);
  let events = 0;
  let besidesAdded = false;
  slice.start();
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.next<T>>>;
      try {
        result = await reader.next(stream);
      } catch (error) {
        return { kind: 'error', error, fromEvent: false };
      }
      if (result === ABORTED) return { kind: 'aborted' };
      if ('interrupted' in result) return interrupted(stream, result);
      if (result.done === true) break;
      let event: WatchEvent<T> | undefined = result.value;
      while (event !== undefined) {
        if (event.type === 'ERROR') {
          options.onErrorEvent();
          closeWatch(stream);
          return { kind: 'error', error: event.error, fromEvent: true };
        }
        events++;
        warner?.eventArrived();
        if (event.type === 'BOOKMARK' && event.initialEventsEnd && options.initialEvents !== undefined) {
          options.apply(event);
          return { kind: 'initialEventsEnd', resourceVersion: event.resourceVersion };
        }
        if (event.type !== 'ADDED') besidesAdded = true;
        const rv = options.apply(event);
        if (rv !== undefined && (options.propagateFromStart || besidesAdded)) options.onResourceVersion(rv);
        if (slice.spent()) {
          await yieldToEventLoop();
          slice.start();
        }
        // After an abort or an interrupt the next read reports it; buffered events are not applied any more.
        const pending = reader.signal.aborted ? undefined : reader.takeInterrupt();
        if (pending !== undefined) return interrupted(stream, pending);
        event = reader.signal.aborted ? undefined : take?.();
      }
    }
  } finally {
    warner?.stop();
  }
  const durationMs = clock.now() - startedAt;
  return { kind: 'closed', events, durationMs, veryShort: events === 0 && durationMs < 1000 };
}

function interrupted<T>(stream: WatchIterator<T>, pending: Interrupted): WatchOutcome {
  closeWatch(stream);
  return { kind: 'error', error: pending.interrupted, fromEvent: false };
}

/** Logs client-go's "awaiting required bookmark" warnings while a watch-list has not ended its initial events. */
class BookmarkWaitWarner {
  readonly #clock: Clock;
  readonly #description: string;
  readonly #logger: Logger;
  readonly #startedAt: number;
  #lastEventAt: number | undefined;
  #timer: TimerHandle | undefined;

  constructor(clock: Clock, options: { readonly description: string; readonly logger: Logger }) {
    this.#clock = clock;
    this.#description = options.description;
    this.#logger = options.logger;
    this.#startedAt = clock.now();
    this.#timer = clock.setTimeout(this.#tick, INITIAL_EVENTS_WARNING_MS);
  }

  eventArrived(): void {
    this.#lastEventAt = this.#clock.now();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #tick = (): void => {
    const now = this.#clock.now();
    if (this.#lastEventAt === undefined) {
      this.#logger.warn(`${this.#description}: awaiting required bookmark event for initial events stream, no events received`, {
        waitingMs: Math.round(now - this.#startedAt),
      });
    } else if (now - this.#lastEventAt >= INITIAL_EVENTS_WARNING_MS) {
      this.#logger.warn(`${this.#description}: hasn't received required bookmark event marking the end of initial events stream`, {
        lastEventAgoMs: Math.round(now - this.#lastEventAt),
      });
    }
    this.#timer = this.#clock.setTimeout(this.#tick, INITIAL_EVENTS_WARNING_MS);
  };
}
