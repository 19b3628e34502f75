// The contract between the HTTP client and the informer machinery: list a page, open a watch.

import type { StatusError } from './errors.ts';

/**
 * Options of one LIST request (one page).
 * @category Informers
 */
export interface ListOptions {
  /** "" = most recent (quorum read), "0" = any (served from the watch cache), else a version. */
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  /** Page size; 0 or absent means no paging. */
  readonly limit?: number;
  /** The continue token of the previous page. */
  readonly continue?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly timeoutSeconds?: number;
  readonly signal?: AbortSignal;
}

/**
 * Options of one WATCH request.
 * @category Informers
 */
export interface WatchOptions {
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  readonly allowWatchBookmarks?: boolean;
  /** Watch-list: stream the current state as ADDED events, then a bookmark marking its end. */
  readonly sendInitialEvents?: boolean;
  /** The server closes the stream after this many seconds. */
  readonly timeoutSeconds?: number;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Aborting closes the HTTP stream and ends the iteration. */
  readonly signal?: AbortSignal;
}

/**
 * One page of a LIST response.
 * @category Informers
 */
export interface ListPage<T> {
  readonly items: T[];
  readonly resourceVersion: string;
  /** Set when more pages follow. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/**
 * A decoded watch event. Objects are already decoded to T; bookmarks carry only the version.
 * @category Informers
 */
export type WatchEvent<T> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T }
  | {
      readonly type: 'BOOKMARK';
      readonly resourceVersion: string;
      /** True on the bookmark annotated `k8s.io/initial-events-end` (watch-list). */
      readonly initialEventsEnd: boolean;
    }
  | { readonly type: 'ERROR'; readonly error: StatusError };

/**
 * Lists and watches one resource (client-go's ListerWatcher).
 *
 * `list` rejects with a StatusError (or a transport error) on failure. `watch` returns a
 * stream that opens the HTTP request on the first `next()`; a non-200 answer rejects that
 * `next()` with a StatusError, a malformed line rejects with a WatchDecodeError after which
 * the stream is closed, and a server-side close ends the iteration normally.
 * @category Informers
 */
export interface ListerWatcher<T> {
  list(options: ListOptions): Promise<ListPage<T>>;
  watch(options: WatchOptions): AsyncIterable<WatchEvent<T>>;
}
