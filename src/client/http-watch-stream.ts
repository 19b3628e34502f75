// HttpWatchStream: one HTTP watch request as an AsyncIterator of events, with prompt cancellation and backpressure.

import type { WatchEvent } from '../api/lister-watcher.ts';
import { TimeSlice } from '../api/time-slice.ts';
import type { StreamResponse } from './transport.ts';
import { WatchDecoder, type WatchDecoderOptions, type WatchEventSink } from './watch-decoder.ts';

/** Decoded events buffered before the socket is paused until the consumer catches up. */
const HIGH_WATER = 4096;
const LOW_WATER = 1024;

type State = 'idle' | 'opening' | 'open' | 'done';

/** Options of an {@link HttpWatchStream}. */
export interface HttpWatchStreamOptions<T> extends WatchDecoderOptions<T> {
  /** Aborting it closes the request. */
  readonly signal?: AbortSignal | undefined;
  /** Time source of the decoding slice (tests pass a step counter). @default performance.now */
  readonly now?: (() => number) | undefined;
}

interface Waiter<T> {
  resolve(result: IteratorResult<WatchEvent<T>>): void;
  reject(err: unknown): void;
}

const DONE: IteratorResult<never> = Object.freeze({ done: true, value: undefined });

/**
 * The events of one watch request.
 *
 * The request is sent on the first `next()`. Errors from opening it (a StatusError, a
 * transport error) reject a `next()`; so does a WatchDecodeError, after the events that came
 * before the bad line. A server-side end finishes the iteration. Aborting `signal` or calling
 * `return()` destroys the request at once, even while a `next()` is waiting, and settles that
 * `next()` with `done` — which a plain async generator cannot do while parked on a read.
 *
 * The body is paused (backpressure) while thousands of decoded events wait, and also, for the
 * rest of a turn of the event loop, once decoding in that turn has used its time slice: a burst
 * arriving faster than it is decoded then spreads over several turns instead of stalling one.
 */
export class HttpWatchStream<T> implements AsyncIterableIterator<WatchEvent<T>>, WatchEventSink<T> {
  readonly #open: (signal: AbortSignal) => Promise<StreamResponse>;
  readonly #decoderOptions: WatchDecoderOptions<T>;
  // Built once the response is there: it redacts that request's credentials from the errors it raises.
  #decoder: WatchDecoder<T> | undefined;
  readonly #controller = new AbortController();
  readonly #userSignal: AbortSignal | undefined;
  #state: State = 'idle';
  #queue: WatchEvent<T>[] = [];
  #head = 0;
  #waiter: Waiter<T> | undefined;
  #error: Error | undefined;
  #response: StreamResponse | undefined;
  // Paused because too many decoded events wait (backpressure)…
  #paused = false;
  // …or because decoding used this turn's slice; `#turnOpen` while a turn with data is under way.
  #yielding = false;
  #turnOpen = false;
  readonly #slice: TimeSlice;

  constructor(open: (signal: AbortSignal) => Promise<StreamResponse>, options: HttpWatchStreamOptions<T>) {
    this.#open = open;
    this.#decoderOptions = options;
    this.#slice = new TimeSlice(options.now ?? (() => performance.now()));
    this.#userSignal = options.signal;
    if (this.#userSignal?.aborted === true) this.#state = 'done';
    else this.#userSignal?.addEventListener('abort', this.#onUserAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<WatchEvent<T>>> {
    if (this.#head < this.#queue.length) return Promise.resolve(this.#shift());
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#error = undefined;
      return Promise.reject(error);
    }
    if (this.#state === 'done') return Promise.resolve(DONE);
    if (this.#waiter !== undefined) return Promise.reject(new Error('watch stream: next() called while another next() is pending'));
    if (this.#state === 'idle') this.#start();
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /**
   * The next event already received and decoded, without a promise turn; undefined when none is
   * buffered (then `next()` waits for one, or reports the end or an error). Lets a consumer apply
   * a burst of events in one synchronous loop.
   */
  takeBuffered(): WatchEvent<T> | undefined {
    return this.#head < this.#queue.length ? this.#take() : undefined;
  }

  /** Closes the request and ends the iteration. */
  return(): Promise<IteratorResult<WatchEvent<T>>> {
    this.#close();
    return Promise.resolve(DONE);
  }

  /** Receives decoded events from the decoder; not for callers. */
  onEvent(event: WatchEvent<T>): void {
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: event });
      return;
    }
    this.#queue.push(event);
    if (!this.#paused && this.#queue.length - this.#head > HIGH_WATER) {
      this.#paused = true;
      this.#updateFlow();
    }
  }

  #shift(): IteratorResult<WatchEvent<T>> {
    return { done: false, value: this.#take() };
  }

  #take(): WatchEvent<T> {
    const value = this.#queue[this.#head++] as WatchEvent<T>;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    if (this.#paused && this.#queue.length - this.#head < LOW_WATER) {
      this.#paused = false;
      this.#updateFlow();
    }
    return value;
  }

  #updateFlow(): void {
    const body = this.#response?.body;
    if (body === undefined) return;
    if (this.#paused || this.#yielding) body.pause();
    else body.resume();
  }

  // The first chunk of a turn starts the slice; the next turn resumes a body paused to yield.
  #beginTurn(): void {
    if (this.#turnOpen) return;
    this.#turnOpen = true;
    this.#slice.start();
    setImmediate(this.#endTurn);
  }

  readonly #endTurn = (): void => {
    this.#turnOpen = false;
    if (!this.#yielding) return;
    this.#yielding = false;
    if (this.#state === 'open') this.#updateFlow();
  };

  #start(): void {
    this.#state = 'opening';
    this.#open(this.#controller.signal).then(
      (response) => {
        if (this.#state === 'done') {
          response.abort();
          return;
        }
        this.#state = 'open';
        this.#response = response;
        this.#attach(response);
      },
      (err: unknown) => {
        if (this.#state !== 'done') this.#fail(err);
      },
    );
  }

  #attach(response: StreamResponse): void {
    this.#decoder = new WatchDecoder(this, { ...this.#decoderOptions, redact: response.redact });
    const body = response.body;
    body.on('data', this.#onData);
    body.once('end', this.#onEnd);
    // A reset connection after the last full line ends the watch like a server close (client-go
    // treats an unexpected EOF the same way); a partial line still becomes a WatchDecodeError.
    body.on('error', this.#onEnd);
    body.once('close', this.#onEnd);
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#state !== 'open') return;
    this.#beginTurn();
    try {
      this.#decoder?.write(chunk);
    } catch (err) {
      this.#fail(err);
      return;
    }
    if (!this.#yielding && this.#slice.spent()) {
      this.#yielding = true;
      this.#updateFlow();
    }
  };

  readonly #onEnd = (): void => {
    if (this.#state !== 'open') return;
    try {
      this.#decoder?.end();
    } catch (err) {
      this.#fail(err);
      return;
    }
    this.#finish();
  };

  readonly #onUserAbort = (): void => {
    this.#close();
  };

  #fail(cause: unknown): void {
    const err = cause instanceof Error ? cause : new Error(`watch stream failed: ${String(cause)}`);
    const waiter = this.#waiter;
    this.#waiter = undefined;
    this.#finish();
    if (waiter !== undefined) {
      waiter.reject(err);
    } else {
      this.#error = err;
    }
  }

  /** Stops reading and settles a waiting next() with done; queued events stay deliverable. */
  #finish(): void {
    this.#state = 'done';
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
    // A body read to its end has handed its socket back to the keep-alive pool: leave it there.
    if (this.#response === undefined || !this.#response.body.complete) {
      this.#controller.abort();
      this.#response?.abort();
    }
    const waiter = this.#waiter;
    if (waiter !== undefined && this.#head >= this.#queue.length) {
      this.#waiter = undefined;
      waiter.resolve(DONE);
    }
  }

  /** Cancellation by the consumer: drops whatever is queued as well. */
  #close(): void {
    this.#queue = [];
    this.#head = 0;
    this.#error = undefined;
    this.#finish();
  }
}
