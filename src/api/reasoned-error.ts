// The base of errors a layer raises itself (as opposed to the server's StatusError).

/**
 * An error with a machine-readable `reason` (one of the layer's string union) and `code` 0,
 * as it is not an HTTP answer. Each layer derives its own base (CacheError, InformerError) so
 * callers can catch one layer's errors with `instanceof`.
 * @category Errors
 */
export class ReasonedError<R extends string> extends Error {
  override readonly name: string = 'ReasonedError';
  readonly reason: R;
  readonly code: number = 0;

  constructor(reason: R, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
