// The one retry of a request whose pooled keep-alive socket the server had just closed.

/**
 * A socket error on a reused keep-alive socket, before any response: the classic race where the
 * server closes an idle connection just as the client sends on it.
 */
export class StaleSocketError extends Error {
  override readonly name = 'StaleSocketError';
  readonly socketError: Error;
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.socketError = cause;
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * True for a failure to retry once on a fresh socket, as Go's net/http does: only idempotent
 * methods, only a reset or a closed pipe, and never after our own timeout or abort.
 */
export function isStaleKeepAliveFailure(err: unknown, request: { readonly method?: string; readonly signal?: AbortSignal | undefined }): boolean {
  if (!(err instanceof StaleSocketError) || request.signal?.aborted === true) return false;
  const code = (err.socketError as NodeJS.ErrnoException).code;
  return IDEMPOTENT.has(request.method ?? 'GET') && (code === 'ECONNRESET' || code === 'EPIPE');
}
