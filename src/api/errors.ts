// Typed API errors shaped like metav1.Status, and the predicates callers branch on.

import type { Status, StatusReason } from './types.ts';

/**
 * An error the APIServer answered with (or one we raise in its shape).
 * `code` is the HTTP status and `reason` the Status reason, as in metav1.Status.
 * Retryable when `code` is 429, 500, 503 or 504; not for 4xx otherwise.
 * @category Errors
 */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;
  readonly reason: string;
  readonly code: number;

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message ?? `${status.reason ?? 'Unknown'} (${status.code ?? 0})`, options);
    this.status = status;
    this.reason = status.reason ?? 'Unknown';
    this.code = status.code ?? 0;
  }

  /** Builds a StatusError from its parts, filling the Status envelope. */
  static of(
    code: number,
    reason: StatusReason,
    message: string,
    details?: Status['details'],
  ): StatusError {
    const status: Status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, code };
    if (details !== undefined) status.details = details;
    return new StatusError(status);
  }
}

/**
 * True when `value` looks like a metav1.Status object.
 * @category Errors
 */
export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

// The reasons apimachinery knows. A Status with any other reason (none, "Unknown", or one newer
// than this list) is classified by its HTTP code, as apimachinery's Is* predicates do.
const KNOWN_REASONS: ReadonlySet<string> = new Set<Exclude<StatusReason, 'Unknown'>>([
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Expired',
  'Invalid',
  'ServerTimeout',
  'Timeout',
  'TooManyRequests',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'ServiceUnavailable',
]);

function codeAndReason(err: unknown): { code: number | undefined; reason: string | undefined } {
  // status.reason, not err.reason: the latter reads "Unknown" when the server sent none.
  if (err instanceof StatusError) return { code: err.code, reason: err.status.reason };
  if (typeof err !== 'object' || err === null) return { code: undefined, reason: undefined };
  // client-node's ApiException carries `code` and a `body` that is the Status (often as a string).
  const e = err as { code?: unknown; body?: unknown; reason?: unknown };
  let body: unknown = e.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      body = undefined; // not JSON: fall back to the HTTP code alone
    }
  }
  const reason = isStatus(body) ? body.reason : typeof e.reason === 'string' ? e.reason : undefined;
  const code = typeof e.code === 'number' ? e.code : isStatus(body) ? body.code : undefined;
  return { code, reason };
}

// True when `err` has `reason`, or has no known reason and the HTTP `code` that goes with it.
function hasReasonOrCode(err: unknown, reason: StatusReason, code: number): boolean {
  const found = codeAndReason(err);
  return found.reason === reason || (!KNOWN_REASONS.has(found.reason ?? '') && found.code === code);
}

/**
 * True for a 404 NotFound, ours or client-node's ApiException.
 * @category Errors
 */
export function isNotFound(err: unknown): boolean {
  return hasReasonOrCode(err, 'NotFound', 404);
}

/**
 * True for a 409 AlreadyExists.
 * @category Errors
 */
export function isAlreadyExists(err: unknown): boolean {
  return codeAndReason(err).reason === 'AlreadyExists';
}

/**
 * True for a 409 Conflict (a stale resourceVersion on update).
 * @category Errors
 */
export function isConflict(err: unknown): boolean {
  return hasReasonOrCode(err, 'Conflict', 409);
}

/**
 * True for a 410 Gone.
 * @category Errors
 */
export function isGone(err: unknown): boolean {
  return hasReasonOrCode(err, 'Gone', 410);
}

/**
 * True for 410 Expired: a resourceVersion or continue token older than the server's history.
 * @category Errors
 */
export function isResourceExpired(err: unknown): boolean {
  const { code, reason } = codeAndReason(err);
  return reason === 'Expired' || (code === 410 && reason !== 'Gone');
}

/**
 * True for 410 either way: the reflector must relist.
 * @category Errors
 */
export function isTooOldResourceVersion(err: unknown): boolean {
  return isGone(err) || isResourceExpired(err);
}

/**
 * True for a 403 Forbidden.
 * @category Errors
 */
export function isForbidden(err: unknown): boolean {
  return hasReasonOrCode(err, 'Forbidden', 403);
}

/**
 * True for a 422 Invalid.
 * @category Errors
 */
export function isInvalid(err: unknown): boolean {
  return hasReasonOrCode(err, 'Invalid', 422);
}

/**
 * True for a 400 BadRequest.
 * @category Errors
 */
export function isBadRequest(err: unknown): boolean {
  return hasReasonOrCode(err, 'BadRequest', 400);
}

/**
 * True for a 401 Unauthorized: the credential was refused (the transport has already refreshed it if it rotates).
 * @category Errors
 */
export function isUnauthorized(err: unknown): boolean {
  return hasReasonOrCode(err, 'Unauthorized', 401);
}

/**
 * True for a 429 TooManyRequests, by reason or by code (apimachinery matches either): the server
 * is throttling. It reaches a caller only once the transport's Retry-After retries are spent;
 * `status.details.retryAfterSeconds` says how long the server asked to wait.
 * @category Errors
 */
export function isTooManyRequests(err: unknown): boolean {
  const { code, reason } = codeAndReason(err);
  return reason === 'TooManyRequests' || code === 429;
}

/**
 * True for a 500 InternalError (also a 500 with no known reason).
 * @category Errors
 */
export function isInternalError(err: unknown): boolean {
  return hasReasonOrCode(err, 'InternalError', 500);
}
