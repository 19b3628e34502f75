// The shapes around a Reflector: the store it writes, its options, its counters.

import type { Clock } from '../api/clock.ts';
import type { Logger } from '../api/logger.ts';
import type { DeepReadonly } from '../api/types.ts';
import type { Backoff } from './backoff.ts';
import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/** What the reflector writes to: a DeltaFIFO in an informer. A returned promise of `replace` is awaited. */
export interface ReflectorStore<T> {
  add(obj: DeepReadonly<T>): void;
  update(obj: DeepReadonly<T>): void;
  delete(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void;
  replace(list: readonly DeepReadonly<T>[], resourceVersion: string): void | Promise<void>;
  resync(): void;
}

/** Options of {@link Reflector}. */
export interface ReflectorOptions {
  /** LIST page size for lists from "" or "0" (later relists ask the watch cache unpaginated unless `alwaysPaginate`). @default 500 */
  readonly pageSize?: number;
  /** Page every list, whatever its resource version (relists then ask for `resourceVersionMatch=NotOlderThan`). @default false */
  readonly alwaysPaginate?: boolean;
  /** Stream the initial state with sendInitialEvents instead of listing. @default false */
  readonly useWatchList?: boolean;
  /** @default realClock */
  readonly clock?: Clock;
  /** Delays between attempts. @default client-go's (800 ms ×2 … 30 s) on `clock` */
  readonly backoff?: Backoff;
  /** Uniform [0,1) source for the watch timeout. @default Math.random */
  readonly random?: () => number;
  /** Calls `store.resync()` this often while watching, when `shouldResync` agrees; 0 disables. @default 0 */
  readonly resyncPeriodMs?: number;
  readonly shouldResync?: () => boolean;
  /** Receives every failure; the reflector recovers by itself. */
  readonly watchErrorHandler?: (err: unknown) => void;
  /** What is reflected, for messages. @default "objects" */
  readonly objectDescription?: string;
  /** Watches last a random whole number of seconds in [min, 2·min). @default 300 */
  readonly minWatchTimeoutSeconds?: number;
  /**
   * A watch ending with a 500 InternalError ERROR event is re-opened at once, without a relist,
   * while such errors have lasted at most this long; 0 relists after a backoff. @default 0 (client-go's)
   */
  readonly maxInternalErrorRetryDurationMs?: number;
  /** Called when a (re)list or watch-list begins. */
  readonly onRelist?: () => void;
  /** Called with the number of objects received so far by the list in progress. */
  readonly onListProgress?: (listed: number) => void;
  /** Receives lists, relists and why, watch starts and ends, backoff delays (debug/info) and failures (warn). @default silentLogger */
  readonly logger?: Logger;
}

/** Counters of a {@link Reflector}. */
export interface ReflectorStats {
  relists: number;
  watchRestarts: number;
  watchErrors: number;
  events: { added: number; modified: number; deleted: number; bookmark: number; error: number };
}
