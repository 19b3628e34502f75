// The base of errors kubecache raises itself (as opposed to the server's StatusError).

/** Options of a {@link ReasonedError}: its cause, and the HTTP status it stands for, if any. */
interface ReasonedErrorOptions {
  readonly cause?: unknown;
  /** @default 0 */
  readonly code?: number;
}

/**
 * An error kubecache raises itself, with a machine-readable `reason` (one of a string union) and
 * a `code`: the HTTP status a server would answer for the same problem (400 for bad input, 504 for
 * a timeout), or 0 when there is none. Each layer derives its own base (CacheError, InformerError,
 * ControllerError, ClientError) so callers can catch one layer's errors with `instanceof`; one
 * `instanceof ReasonedError` covers them all.
 * @category Errors
 */
export class ReasonedError<R extends string> extends Error {
  override readonly name: string = 'ReasonedError';
  readonly reason: R;
  readonly code: number;

  constructor(reason: R, message: string, options: ReasonedErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.reason = reason;
    this.code = options.code ?? 0;
  }
}
