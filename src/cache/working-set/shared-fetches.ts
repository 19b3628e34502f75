// Single flight per object: concurrent readers of the same missing object share one request.

import { waitUnlessAborted } from '../../api/abortable.ts';
import { isNotOlder } from './resource-version.ts';

/** How a caller joins a fetch. */
export interface JoinOptions {
  /** Stops this caller's wait (it rejects with the signal's reason); the request goes on while others wait. */
  readonly signal?: AbortSignal | undefined;
  /**
   * A fetch nobody waits for (a refresh): the caller is not counted as a waiter and `signal` is
   * ignored. A fetch it starts runs to completion unless `stop` aborts; one it joins ends as its
   * waiters decide.
   */
  readonly background?: boolean;
}

class Flight<R> {
  readonly minResourceVersion: string;
  readonly controller = new AbortController();
  readonly promise: Promise<R>;
  #waiters = 0;
  #settled = false;
  readonly #background: boolean;

  constructor(minResourceVersion: string, background: boolean, run: (signal: AbortSignal) => Promise<R>) {
    this.minResourceVersion = minResourceVersion;
    this.#background = background;
    this.promise = run(this.controller.signal);
    // Each waiter gets the outcome through its own chain; this only marks settling, so an
    // abandoned fetch's rejection (its waiters gave up) is not reported as unhandled.
    this.promise.then(
      () => void (this.#settled = true),
      () => void (this.#settled = true),
    );
  }

  /** The outcome, unless `signal` aborts first (then the signal's reason, and this waiter leaves). */
  wait(signal: AbortSignal | undefined): Promise<R> {
    return waitUnlessAborted<R>(signal, (resolve, reject) => {
      this.#waiters++;
      let waiting = true;
      const leave = (): void => {
        if (!waiting) return;
        waiting = false;
        this.#release();
      };
      this.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (err: unknown) => {
          leave();
          reject(err);
        },
      );
      return leave;
    });
  }

  #release(): void {
    this.#waiters--;
    if (this.#waiters === 0 && !this.#background && !this.#settled) {
      this.controller.abort(new DOMException('every reader of this object stopped waiting', 'AbortError'));
    }
  }
}

/**
 * Fetches by key with Go's singleflight rule, refined by version: a caller that needs an object
 * not older than version V joins the running fetch of that key if it asked for V or newer;
 * otherwise it starts a new one (which later callers join). The request is aborted once every
 * waiter has stopped waiting (a background fetch only when `stop` aborts).
 */
export class SharedFetches<R> {
  readonly #flights = new Map<string, Flight<R>>();
  readonly #stop: AbortSignal | undefined;

  /** `stop` aborts every fetch (the cache stopped). */
  constructor(stop?: AbortSignal) {
    this.#stop = stop;
  }

  /**
   * The outcome of the running fetch of `key` when it asked for at least `minResourceVersion`, else
   * of a new one `run` starts (given the fetch's own signal, which aborts when nobody waits anymore).
   */
  join(key: string, minResourceVersion: string, run: (signal: AbortSignal) => Promise<R>, options: JoinOptions = {}): Promise<R> {
    let flight = this.#flights.get(key);
    if (flight === undefined || flight.controller.signal.aborted || !isNotOlder(flight.minResourceVersion, minResourceVersion)) {
      flight = this.#start(key, minResourceVersion, run, options.background === true);
    }
    if (options.background === true) return flight.promise;
    return flight.wait(options.signal);
  }

  /** Fetches running now. */
  get running(): number {
    return this.#flights.size;
  }

  #start(key: string, minResourceVersion: string, run: (signal: AbortSignal) => Promise<R>, background: boolean): Flight<R> {
    const stop = this.#stop;
    const flight = new Flight<R>(minResourceVersion, background, (signal) =>
      run(stop === undefined ? signal : AbortSignal.any([signal, stop])),
    );
    this.#flights.set(key, flight);
    const forget = (): void => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    flight.promise.then(forget, forget);
    flight.controller.signal.addEventListener('abort', forget, { once: true });
    return flight;
  }
}
