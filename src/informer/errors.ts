// Typed errors of the informer layer; each names what a caller can act on.

import { ReasonedError } from '../api/reasoned-error.ts';
import { StatusError } from '../api/errors.ts';
import type { ResourceEventHandlerRegistration } from './handler.ts';
import type { Notification } from './notification.ts';

/**
 * Reasons carried by {@link InformerError}s.
 * @category Errors
 */
export type InformerErrorReason =
  | 'InformerStopped'
  | 'InformerAlreadyStarted'
  | 'IndexerConflict'
  | 'IndexNotFound'
  | 'IndexFuncFailed'
  | 'TransformFailed'
  | 'QueueClosed'
  | 'HandlerFailed'
  | 'VeryShortWatch'
  | 'MissingInitialEventsEnd'
  | 'ResyncFailed'
  | 'UnexpectedWatchEvent'
  | 'ProcessFailed';

/**
 * Base class of this layer's errors: `reason` says what happened; `code` is 0 (not an HTTP answer).
 * @category Errors
 */
export class InformerError extends ReasonedError<InformerErrorReason> {
  override readonly name: string = 'InformerError';
}

/**
 * The informer has stopped: no handler or indexer can be added any more. Not retryable.
 * @category Errors
 */
export class InformerStoppedError extends InformerError {
  override readonly name = 'InformerStoppedError';
  constructor(message: string) {
    super('InformerStopped', message);
  }
}

/**
 * The informer was already started: `run` twice, or a setting that must precede `run`. Not retryable.
 * @category Errors
 */
export class InformerAlreadyStartedError extends InformerError {
  override readonly name = 'InformerAlreadyStartedError';
  constructor(message = 'informer has already started') {
    super('InformerAlreadyStarted', message);
  }
}

/**
 * `addIndexers` named an index that already exists; nothing was added. Not retryable.
 * @category Errors
 */
export class IndexerConflictError extends InformerError {
  override readonly name = 'IndexerConflictError';
  /** The index names that clashed. */
  readonly conflicts: readonly string[];
  constructor(conflicts: readonly string[]) {
    super('IndexerConflict', `indexer conflict: ${conflicts.join(', ')}`);
    this.conflicts = conflicts;
  }
}

/**
 * A read named an index that was never added. Not retryable.
 * @category Errors
 */
export class IndexNotFoundError extends InformerError {
  override readonly name = 'IndexNotFoundError';
  readonly indexName: string;
  constructor(indexName: string) {
    super('IndexNotFound', `index with name ${indexName} does not exist`);
    this.indexName = indexName;
  }
}

/**
 * An index function threw on an object. The write went ahead: the object is stored (or removed)
 * without an entry in that index until a later version of it indexes cleanly. Not retryable: fix
 * the index function.
 * @category Errors
 */
export class IndexFuncError extends InformerError {
  override readonly name = 'IndexFuncError';
  /** The index whose function threw. */
  readonly indexName: string;
  /** The store key of the object. */
  readonly key: string;
  constructor(indexName: string, key: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('IndexFuncFailed', `index function ${indexName} failed on ${key}: ${detail}; the object is stored without an entry in that index`, { cause });
    this.indexName = indexName;
    this.key = key;
  }
}

/**
 * The informer's transform threw on an object. The object is stored as the server sent it
 * (untransformed), so the store still holds every object the server has. Not retryable: fix the
 * transform.
 * @category Errors
 */
export class TransformError extends InformerError {
  override readonly name = 'TransformError';
  /** The store key of the object. */
  readonly key: string;
  constructor(key: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('TransformFailed', `transform failed on ${key}: ${detail}; the object is stored untransformed`, { cause });
    this.key = key;
  }
}

/** A DeltaFIFO was closed and is empty: the consumer should stop. */
export class DeltaFIFOClosedError extends InformerError {
  override readonly name = 'DeltaFIFOClosedError';
  constructor() {
    super('QueueClosed', 'DeltaFIFO: manipulating with closed queue');
  }
}

/**
 * A resource event handler threw or rejected. Delivery to that handler continues with the next
 * notification; `cause` is what the handler threw.
 * @category Errors
 */
export class HandlerError extends InformerError {
  override readonly name = 'HandlerError';
  /** The registration whose handler failed. */
  readonly registration: ResourceEventHandlerRegistration;
  /** The notification being delivered. */
  readonly notification: Notification<unknown>;
  constructor(
    registration: ResourceEventHandlerRegistration,
    notification: Notification<unknown>,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('HandlerFailed', `event handler failed on ${notification.type}: ${detail}`, { cause });
    this.registration = registration;
    this.notification = notification;
  }
}

/**
 * A LIST by the reflector failed. `reason` and `code` are those of the underlying StatusError
 * (so `isForbidden(err)`, `isNotFound(err)` and friends answer for it), or `ListFailed`/0 for a
 * transport failure; `cause` is the original error. The reflector retries after a backoff.
 * @category Errors
 */
export class ListError extends ReasonedError<string> {
  override readonly name = 'ListError';
  constructor(description: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const status = cause instanceof StatusError ? cause : undefined;
    super(status?.reason ?? 'ListFailed', `failed to list ${description}: ${detail}`, { cause, code: status?.code ?? 0 });
  }
}

/** A watch event could not be applied (for example an object without a name); it was skipped. */
export class WatchEventError extends InformerError {
  override readonly name = 'WatchEventError';
  constructor(eventType: string, description: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('UnexpectedWatchEvent', `unable to apply ${eventType} event of ${description}: ${detail}`, { cause });
  }
}

/**
 * Applying one change to the store met a failure. `cause` says which and what the store holds:
 * an {@link IndexFuncError} (stored without that index entry) or a {@link TransformError} (stored
 * untransformed); anything else means that one change was skipped. The object's other changes are
 * applied all the same, so a later delete is never lost.
 * @category Errors
 */
export class ProcessDeltasError extends InformerError {
  override readonly name = 'ProcessDeltasError';
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('ProcessFailed', `unable to process deltas: ${detail}`, { cause });
  }
}

/**
 * A watch closed within a second without delivering anything; the reflector relists after backoff.
 * @category Errors
 */
export class VeryShortWatchError extends InformerError {
  override readonly name = 'VeryShortWatchError';
  constructor(description: string) {
    super(
      'VeryShortWatch',
      `very short watch: ${description}: unexpected watch close - watch lasted less than a second and no items received`,
    );
  }
}

/**
 * A watch-list stream ended without the bookmark annotated `k8s.io/initial-events-end`, so the
 * initial state it streamed cannot be trusted to be complete. The reflector asks again; after
 * `maxAttempts` such streams in a row it lists instead, from then on.
 * @category Errors
 */
export class MissingInitialEventsEndError extends InformerError {
  override readonly name = 'MissingInitialEventsEndError';
  /** Streams in a row that ended without the bookmark, this one included. */
  readonly attempt: number;
  readonly maxAttempts: number;
  constructor(description: string, attempt: number, maxAttempts: number) {
    super(
      'MissingInitialEventsEnd',
      `watch-list of ${description} ended without the k8s.io/initial-events-end bookmark (attempt ${attempt} of ${maxAttempts})`,
    );
    this.attempt = attempt;
    this.maxAttempts = maxAttempts;
  }
}

/**
 * The store's resync failed; the reflector ended the watch and relists after a backoff, as client-go does.
 * @category Errors
 */
export class ResyncError extends InformerError {
  override readonly name = 'ResyncError';
  constructor(description: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('ResyncFailed', `resync of ${description} failed: ${detail}`, { cause });
  }
}
