// Watch-list: stream the initial state as ADDED events up to the initial-events-end bookmark.

import type { ListerWatcher, WatchEvent, WatchOptions } from '../api/lister-watcher.ts';
import type { KubeObject } from '../api/types.ts';
import type { Clock } from './clock.ts';
import { VeryShortWatchError } from './errors.ts';
import { objectKeyOf } from '../api/object-key.ts';
import { ABORTED, closeStream, type AbortableReader, type WatchStream } from './watch-stream.ts';

/** How a watch-list attempt ended. On `synced` the stream stays open and continues as a plain watch. */
export type WatchListOutcome<T> =
  | { readonly kind: 'synced'; readonly items: T[]; readonly resourceVersion: string; readonly stream: WatchStream<T> }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'aborted' };

/** Inputs of {@link collectWatchList}. */
export interface WatchListRequest<T> {
  readonly lw: ListerWatcher<T>;
  readonly signal: AbortSignal;
  readonly reader: AbortableReader;
  readonly clock: Clock;
  readonly description: string;
  /** Options of each attempt (computed per attempt: the version can change after a 410). */
  readonly watchOptions: () => WatchOptions;
  readonly onProgress: (received: number) => void;
  readonly onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR') => void;
  /** Decides whether to try again after `err` (after waiting if it must); false gives up. */
  readonly onRetriableError: (err: unknown) => Promise<boolean>;
}

// Report progress every this many initial events.
const PROGRESS_EVERY = 500;

type Attempt<T> = WatchListOutcome<T> | { readonly kind: 'retry' } | { readonly kind: 'error'; readonly error: unknown };

/**
 * Streams the initial state (sendInitialEvents=true, resourceVersionMatch=NotOlderThan) into a
 * temporary map until the bookmark annotated `k8s.io/initial-events-end`. A stream that closes
 * early is reopened; a retriable error is retried as `onRetriableError` decides; anything else
 * is `failed`, and the caller falls back to listing.
 */
export async function collectWatchList<T extends KubeObject>(req: WatchListRequest<T>): Promise<WatchListOutcome<T>> {
  for (;;) {
    const attempt = await attemptOnce(req);
    if (attempt.kind === 'retry') continue;
    if (attempt.kind !== 'error') return attempt;
    let again: boolean;
    try {
      again = await req.onRetriableError(attempt.error);
    } catch (err) {
      if (req.signal.aborted) return { kind: 'aborted' };
      throw err;
    }
    if (!again) return { kind: 'failed', error: attempt.error };
  }
}

async function attemptOnce<T extends KubeObject>(req: WatchListRequest<T>): Promise<Attempt<T>> {
  const stream = req.lw.watch(req.watchOptions())[Symbol.asyncIterator]();
  const startedAt = req.clock.now();
  const temp = new Map<string, T>();
  let events = 0;
  for (;;) {
    let result;
    try {
      result = await req.reader.next(stream);
    } catch (error) {
      return { kind: 'error', error };
    }
    if (result === ABORTED) return { kind: 'aborted' };
    if (result.done === true) break;
    req.onEvent(result.value.type);
    events++;
    const ended = collect(temp, result.value, stream, req);
    if (ended !== undefined) return ended;
  }
  if (events === 0 && req.clock.now() - startedAt < 1000) {
    return { kind: 'failed', error: new VeryShortWatchError(req.description) };
  }
  return { kind: 'retry' };
}

/** Folds one initial event into `temp`; returns how the attempt ends, or undefined to read on. */
function collect<T extends KubeObject>(
  temp: Map<string, T>,
  event: WatchEvent<T>,
  stream: WatchStream<T>,
  req: WatchListRequest<T>,
): Attempt<T> | undefined {
  switch (event.type) {
    case 'ERROR':
      closeStream(stream);
      return { kind: 'error', error: event.error };
    case 'BOOKMARK':
      if (!event.initialEventsEnd) return undefined;
      req.onProgress(temp.size);
      return { kind: 'synced', items: [...temp.values()], resourceVersion: event.resourceVersion, stream };
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED': {
      const key = keyOrError(event.object);
      if (typeof key !== 'string') {
        closeStream(stream);
        return { kind: 'error', error: key.error };
      }
      if (event.type === 'DELETED') temp.delete(key);
      else temp.set(key, event.object);
      if (temp.size % PROGRESS_EVERY === 0) req.onProgress(temp.size);
      return undefined;
    }
  }
}

function keyOrError(obj: KubeObject): string | { error: unknown } {
  try {
    return objectKeyOf(obj);
  } catch (error) {
    return { error };
  }
}
