// Retry-After as client-go's REST client reads it: which answers ask for a retry, and after how long.

import { StatusError } from '../api/errors.ts';

/** client-go's `maxRetries`: a request is sent at most 11 times. */
export const DEFAULT_MAX_RETRIES = 10;
/** The longest Retry-After wait honoured: the reflector's backoff cap. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 30_000;

// Go's strconv.Atoi: an optional sign and decimal digits, nothing else (an HTTP-date is no number).
const INTEGER = /^[+-]?\d+$/;

/**
 * The seconds a 429 or 5xx answer asks the client to wait (client-go's `checkWait`), or
 * undefined when the answer is not to be retried: another code, no `Retry-After`, or one that is
 * not an integer. Zero and negative values mean "at once".
 */
export function retryAfterSeconds(code: number, header: string | string[] | undefined): number | undefined {
  if (code !== 429 && code < 500) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !INTEGER.test(value)) return undefined;
  const seconds = Number.parseInt(value, 10);
  return Number.isSafeInteger(seconds) ? Math.max(0, seconds) : undefined;
}

/**
 * An error answer that carried a usable Retry-After: the transport waits and sends the request
 * again, or, once the budget is spent, reports `error`.
 */
export class RetryAfterAnswer extends Error {
  override readonly name = 'RetryAfterAnswer';
  readonly error: StatusError;
  readonly seconds: number;

  constructor(error: StatusError, seconds: number) {
    super(error.message, { cause: error });
    this.error = error;
    this.seconds = seconds;
  }
}

/**
 * `error` with `details.retryAfterSeconds` set from the header when the server's body did not
 * say it (a priority-and-fairness 429 is plain text), as client-go fills it.
 */
export function withRetryAfterDetails(error: StatusError, seconds: number): StatusError {
  if (error.status.details?.retryAfterSeconds !== undefined) return error;
  return new StatusError({ ...error.status, details: { ...error.status.details, retryAfterSeconds: seconds } }, { cause: error.cause });
}
