// The public shapes of a SharedIndexInformer: options, events, stats (handlers are in handler.ts).

import type { Logger } from '../api/logger.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Clock } from '../api/clock.ts';
import type { HandlerError, ProcessDeltasError } from './errors.ts';
import type { HandlerLatencyStats } from './handler-latency.ts';
import type { Indexers } from './indexer.ts';

/**
 * Options of a SharedIndexInformer.
 * @category Informers
 */
export interface SharedIndexInformerOptions<T> {
  /** Default resync period of handlers; 0 disables resync. @default 0 */
  readonly resyncPeriodMs?: number;
  /** Indexes to maintain besides the store key. @default {} */
  readonly indexers?: Indexers<T>;
  /** Applied once to every object before it is stored (must be idempotent). */
  readonly transform?: (obj: T) => T;
  /** Stream the initial state with a watch (sendInitialEvents) instead of listing. @default false */
  readonly useWatchList?: boolean;
  /** LIST page size (the `limit` of each page); every list is paged, relists included. @default 500 */
  readonly pageSize?: number;
  /** Deep-freeze objects before storing them. @default true */
  readonly freeze?: boolean;
  /** @default realClock */
  readonly clock?: Clock;
  /** Retry delays of the reflector (its `clock` defaults to this informer's). @default client-go's: 800 ms ×2 … 30 s */
  readonly backoff?: BackoffOptions;
  /** Watches ask the server to end them after a random whole number of seconds in [min, 2·min). @default 300 */
  readonly minWatchTimeoutSeconds?: number;
  /**
   * A watch ending with a 500 InternalError event is re-opened at once, without a relist, while
   * such errors have lasted at most this long (client-go's MaxInternalErrorRetryDuration); 0
   * relists after a backoff. @default 0
   */
  readonly maxInternalErrorRetryDurationMs?: number;
  /** Called with every list/watch failure (also emitted as the `watchError` event). */
  readonly watchErrorHandler?: (err: unknown) => void;
  /** What the informer holds, for messages (e.g. "pods"). @default "objects" */
  readonly objectDescription?: string;
  /**
   * Receives the informer's log lines: lists, relists and why, watch (re)starts, backoff delays
   * and bookmarks at debug/info, list/watch failures at warn, handler and store failures at error.
   * When absent, nothing is logged, and a failure with no handler and no event listener for it
   * becomes a `process.emitWarning` instead, so it is never silent. @default silentLogger
   */
  readonly logger?: Logger;
}

/**
 * The lifecycle events of a SharedIndexInformer (eventemitter3 typed map).
 * @category Informers
 */
export interface InformerEvents {
  /** The initial list has been stored and handed to the handlers. Emitted once. */
  synced: [];
  /** A list or watch failed; the informer recovers on its own (relist or re-watch with backoff). */
  watchError: [error: unknown];
  /** A handler threw or rejected; delivery continues. */
  handlerError: [error: HandlerError];
  /** Applying a change to the store failed (for example an index function threw); the change was skipped. */
  processError: [error: ProcessDeltasError];
  /** A (re)list started. */
  relist: [];
  /** `run()` has finished: the watch is closed and every listener stopped. */
  stopped: [];
  /** Objects received so far by the list in progress (after each page or watch-list batch). */
  listProgress: [listed: number];
}

/**
 * Counters of one informer, as plain numbers.
 * @category Observability
 */
export interface InformerStats {
  readonly objects: number;
  readonly events: {
    readonly added: number;
    readonly modified: number;
    readonly deleted: number;
    readonly bookmark: number;
    readonly error: number;
  };
  readonly relists: number;
  readonly watchRestarts: number;
  readonly watchErrors: number;
  readonly handlerErrors: number;
  readonly lastSyncResourceVersion: string;
  readonly listenerQueueDepths: readonly number[];
  /** Durations of handler calls, over every handler this informer ever had. */
  readonly handlerLatency: HandlerLatencyStats;
}
