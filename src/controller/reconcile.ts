// What a controller's reconcile receives and returns: Request, Result, Reconciler, and TerminalError.

import { ReasonedError } from '../api/reasoned-error.ts';

/**
 * Names the object a reconcile should bring in line with its desired state (controller-runtime's
 * `reconcile.Request`). `namespace` is `''` for cluster-scoped objects.
 * @category Controller
 */
export interface Request {
  readonly namespace: string;
  readonly name: string;
}

/**
 * What a reconcile asks for besides success (controller-runtime's `reconcile.Result`).
 * @category Controller
 */
export interface Result {
  /** Run again after the rate limiter's backoff for this request (ignored when `requeueAfterMs` is set). */
  readonly requeue?: boolean;
  /** Run again after this many milliseconds; the request's backoff starts over. */
  readonly requeueAfterMs?: number;
}

/**
 * Reconciles one request. Resolve (with a {@link Result} or nothing) when done; throw or reject to
 * be retried with the rate limiter's backoff, or throw a {@link TerminalError} for a failure that
 * retrying cannot fix. `signal` aborts when the work must stop at once: the manager's graceful
 * shutdown timeout passed, or this replica lost its leadership (it must not write any more).
 * Reconciles of one request never overlap; different requests run in parallel up to
 * `maxConcurrentReconciles`.
 * @category Controller
 */
export type Reconciler = (request: Request, signal: AbortSignal) => Promise<Result | void> | Result | void;

/**
 * Thrown from a reconcile for an error that retrying cannot fix (an invalid spec, say): the
 * request is not requeued, and counted in `controller_runtime_terminal_reconcile_errors_total`.
 * It runs again only when a watched event enqueues it.
 * @category Errors
 */
export class TerminalError extends ReasonedError<'Terminal'> {
  override readonly name = 'TerminalError';

  constructor(cause: unknown) {
    super('Terminal', `terminal error: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * True when `err`, or an error in its `cause` chain, is a {@link TerminalError}.
 * @category Errors
 */
export function isTerminalError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}

/**
 * The work-queue key of a request: `namespace/name`, or `name` when cluster-scoped.
 * @category Controller
 */
export function requestKey(request: Request): string {
  return request.namespace === '' ? request.name : `${request.namespace}/${request.name}`;
}

/**
 * The request a work-queue key names (the inverse of {@link requestKey}).
 * @category Controller
 */
export function requestOfKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash === -1 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
