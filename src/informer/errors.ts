// Typed errors of the informer layer; each names what a caller can act on.

import { ReasonedError } from '../api/reasoned-error.ts';
import { StatusError } from '../api/errors.ts';
import type { ResourceEventHandlerRegistration } from './informer-types.ts';
import type { Notification } from './notification.ts';

/** Reasons carried by {@link InformerError}s. */
export type InformerErrorReason =
  | 'InformerStopped'
  | 'InformerAlreadyStarted'
  | 'IndexerConflict'
  | 'IndexNotFound'
  | 'QueueClosed'
  | 'HandlerFailed'
  | 'VeryShortWatch'
  | 'UnexpectedWatchEvent'
  | 'ProcessFailed';

/** Base class of this layer's errors: `reason` says what happened; `code` is 0 (not an HTTP answer). */
export class InformerError extends ReasonedError<InformerErrorReason> {
  override readonly name: string = 'InformerError';
}

/** The informer has stopped: no handler or indexer can be added any more. Not retryable. */
export class InformerStoppedError extends InformerError {
  override readonly name = 'InformerStoppedError';
  constructor(message: string) {
    super('InformerStopped', message);
  }
}

/** The informer was already started: `run` twice, or a setting that must precede `run`. Not retryable. */
export class InformerAlreadyStartedError extends InformerError {
  override readonly name = 'InformerAlreadyStartedError';
  constructor(message = 'informer has already started') {
    super('InformerAlreadyStarted', message);
  }
}

/** `addIndexers` named an index that already exists; nothing was added. Not retryable. */
export class IndexerConflictError extends InformerError {
  override readonly name = 'IndexerConflictError';
  /** The index names that clashed. */
  readonly conflicts: readonly string[];
  constructor(conflicts: readonly string[]) {
    super('IndexerConflict', `indexer conflict: ${conflicts.join(', ')}`);
    this.conflicts = conflicts;
  }
}

/** A read named an index that was never added. Not retryable. */
export class IndexNotFoundError extends InformerError {
  override readonly name = 'IndexNotFoundError';
  readonly indexName: string;
  constructor(indexName: string) {
    super('IndexNotFound', `index with name ${indexName} does not exist`);
    this.indexName = indexName;
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
 */
export class ListError extends Error {
  override readonly name = 'ListError';
  readonly reason: string;
  readonly code: number;
  constructor(description: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`failed to list ${description}: ${detail}`, { cause });
    const status = cause instanceof StatusError ? cause : undefined;
    this.reason = status?.reason ?? 'ListFailed';
    this.code = status?.code ?? 0;
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
 * Applying an object's deltas to the store failed (a transform or an index function threw);
 * that object's remaining deltas were skipped. The next relist repairs the store.
 */
export class ProcessDeltasError extends InformerError {
  override readonly name = 'ProcessDeltasError';
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('ProcessFailed', `unable to process deltas: ${detail}`, { cause });
  }
}

/** A watch closed within a second without delivering anything; the reflector relists after backoff. */
export class VeryShortWatchError extends InformerError {
  override readonly name = 'VeryShortWatchError';
  constructor(description: string) {
    super(
      'VeryShortWatch',
      `very short watch: ${description}: unexpected watch close - watch lasted less than a second and no items received`,
    );
  }
}
