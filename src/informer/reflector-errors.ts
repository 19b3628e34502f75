// How the reflector classifies a list or watch failure: relist, re-watch, or give up on watch-list.

import { isTooOldResourceVersion, StatusError } from '../api/errors.ts';

function statusOf(err: unknown): { code: number | undefined; reason: string | undefined } {
  if (err instanceof StatusError) return { code: err.code, reason: err.reason };
  if (typeof err !== 'object' || err === null) return { code: undefined, reason: undefined };
  const e = err as { code?: unknown; reason?: unknown };
  return {
    code: typeof e.code === 'number' ? e.code : undefined,
    reason: typeof e.reason === 'string' ? e.reason : undefined,
  };
}

/** 410 Expired/Gone: the requested resource version is no longer in the server's history. */
export function isExpiredError(err: unknown): boolean {
  return isTooOldResourceVersion(err);
}

/** The server has not reached the requested resource version yet ("Too large resource version"). */
export function isTooLargeResourceVersionError(err: unknown): boolean {
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

/** 429 TooManyRequests, or a refused connection: wait, then try the same request again. */
export function isRetriableWatchError(err: unknown): boolean {
  const { code, reason } = statusOf(err);
  if (reason === 'TooManyRequests' || code === 429) return true;
  const sysCode = (err as { code?: unknown; cause?: { code?: unknown } } | null)?.cause?.code;
  return sysCode === 'ECONNREFUSED' || (err as { code?: unknown } | null)?.code === 'ECONNREFUSED';
}

