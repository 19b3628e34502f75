// The deadline of one request, from credentials and the wait for a socket to the last byte.

import type http from 'node:http';
import { StatusError } from '../api/errors.ts';
import { ConnectionError, RedirectError, RequestTimeoutError, TransportConfigError } from './errors.ts';

/**
 * Arms the request timeout once for the whole exchange (credentials, a wait for a free socket,
 * Retry-After waits and retries, headers, and the body of an ordinary request), and tells our own
 * timeout and the caller's abort apart from socket errors. `signal` aborts on either, so every
 * wait of the exchange ends with it, including a request still queued for a socket (Node's
 * `destroy()` alone does not settle one).
 */
export class RequestTimer {
  /** Aborts when the timeout fires or the caller's signal aborts. */
  readonly signal: AbortSignal;
  readonly #timeoutMs: number;
  readonly #method: string;
  readonly #path: string;
  readonly #maxSockets: number;
  readonly #deadline: number;
  readonly #controller = new AbortController();
  #handle: NodeJS.Timeout | undefined;
  #req: http.ClientRequest | undefined;
  #fired: RequestTimeoutError | undefined;

  constructor(request: { readonly method?: string; readonly path: string; readonly signal?: AbortSignal | undefined }, timeoutMs: number, maxSockets: number) {
    this.#timeoutMs = timeoutMs;
    this.#method = request.method ?? 'GET';
    this.#path = request.path;
    this.#maxSockets = maxSockets;
    this.#deadline = timeoutMs > 0 ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
    this.signal = request.signal === undefined ? this.#controller.signal : AbortSignal.any([request.signal, this.#controller.signal]);
    if (timeoutMs > 0) this.#handle = setTimeout(() => this.#fire(), timeoutMs);
  }

  /** The request now on the wire; the timeout destroys it. */
  attach(req: http.ClientRequest): void {
    this.#req = req;
  }

  /** Milliseconds left before the timeout (Infinity without one). */
  remainingMs(): number {
    return this.#deadline - performance.now();
  }

  /** Stops the timer (a watch's body is not covered). */
  clear(): void {
    clearTimeout(this.#handle);
  }

  /** The error to report for `err`: our timeout, the caller's abort reason, a typed error, or a ConnectionError. */
  translate(err: unknown, request: { readonly path: string; readonly signal?: AbortSignal | undefined }): unknown {
    if (this.#fired !== undefined) return this.#fired;
    if (request.signal?.aborted === true) return request.signal.reason;
    const known = err instanceof StatusError || err instanceof RedirectError || err instanceof TransportConfigError;
    if (known || (err instanceof Error && 'reason' in err)) return err;
    return new ConnectionError(this.#method, request.path, err);
  }

  #fire(): void {
    const req = this.#req;
    // A request with no socket yet sits in the agent's queue behind maxSockets busy ones.
    const queued = req !== undefined && !req.destroyed && req.socket === null;
    this.#fired = new RequestTimeoutError(this.#method, req?.path ?? this.#path, this.#timeoutMs, queued ? { maxSockets: this.#maxSockets } : undefined);
    req?.destroy(this.#fired);
    this.#controller.abort(this.#fired);
  }
}
