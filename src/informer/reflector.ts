// The Reflector: keeps a store in step with the server by list (or watch-list) then watch.

import type { ListerWatcher, WatchEvent, WatchOptions } from '../api/lister-watcher.ts';
import { errorFields, silentLogger, type Logger } from '../api/logger.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { Backoff } from './backoff.ts';
import { realClock, type Clock, type TimerHandle } from './clock.ts';
import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { ListError, VeryShortWatchError, WatchEventError } from './errors.ts';
import { asReadonly } from './object-helpers.ts';
import { paginatedList } from './pager.ts';
import { isExpiredError, isRetriableWatchError, isTooLargeResourceVersionError } from './reflector-errors.ts';
import { collectWatchList, type WatchListOutcome } from './watch-list.ts';
import { AbortableReader, consumeWatch, type WatchStream } from './watch-stream.ts';

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
  /** Page every list, whatever its resource version. @default false */
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

// The reflector's state machine: what to do next. `initial` lists (or watch-lists).
type Phase =
  | { readonly kind: 'initial' }
  | { readonly kind: 'list' }
  | { readonly kind: 'watch'; readonly stream?: WatchStream<unknown> }
  | { readonly kind: 'backoff'; readonly then: 'initial' | 'watch' }
  | { readonly kind: 'stopped' };

/**
 * client-go's Reflector. Lists (resourceVersion "0" first, paginated), replaces the store, then
 * watches from the list's version with bookmarks. A clean watch close re-watches from the last
 * version without relisting; 410 or any other failure relists after a backoff; 429 re-watches
 * after a backoff. Never gives up until the signal aborts; every failure reaches
 * `watchErrorHandler`.
 */
export class Reflector<T extends KubeObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #store: ReflectorStore<T>;
  readonly #options: ReflectorOptions;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #random: () => number;
  readonly #description: string;
  readonly #log: Logger;
  // Why the next list happens, for the log line that announces it.
  #relistReason = 'initial list';
  #lastSyncResourceVersion = '';
  #lastSyncUnavailable = false;
  #paginatedResult = false;
  #running = false;
  #resyncTimer: TimerHandle | undefined;
  readonly #stats: ReflectorStats = {
    relists: 0,
    watchRestarts: 0,
    watchErrors: 0,
    events: { added: 0, modified: 0, deleted: 0, bookmark: 0, error: 0 },
  };

  constructor(lw: ListerWatcher<T>, store: ReflectorStore<T>, options: ReflectorOptions = {}) {
    this.#lw = lw;
    this.#store = store;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#backoff = options.backoff ?? new Backoff({ clock: this.#clock });
    this.#random = options.random ?? Math.random;
    this.#description = options.objectDescription ?? 'objects';
    this.#log = options.logger ?? silentLogger;
  }

  /** The resource version of the last list, event or bookmark applied; "" before the first list. */
  lastSyncResourceVersion(): string {
    return this.#lastSyncResourceVersion;
  }

  /** A snapshot of the counters. */
  stats(): ReflectorStats {
    return { ...this.#stats, events: { ...this.#stats.events } };
  }

  /** Lists and watches until `signal` aborts; resolves once the watch is closed. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new TypeError('reflector is already running');
    this.#running = true;
    const reader = new AbortableReader(signal);
    let phase: Phase = { kind: 'initial' };
    try {
      while (phase.kind !== 'stopped' && !signal.aborted) {
        phase = await this.#step(phase, signal, reader);
        if (phase.kind === 'watch') this.#startResync();
        else this.#stopResync();
      }
    } finally {
      this.#stopResync();
      this.#running = false;
    }
  }

  async #step(phase: Phase, signal: AbortSignal, reader: AbortableReader): Promise<Phase> {
    switch (phase.kind) {
      case 'initial':
        return this.#options.useWatchList === true ? this.#watchListStep(signal, reader) : this.#listStep(signal);
      case 'list':
        return this.#listStep(signal);
      case 'watch':
        return this.#watchStep(phase.stream as WatchStream<T> | undefined, signal, reader);
      case 'backoff':
        try {
          const delayMs = this.#backoff.next();
          this.#log.info('backing off', { delayMs, then: phase.then === 'initial' ? 'relist' : 'watch' });
          await this.#clock.sleep(delayMs, signal);
        } catch (err) {
          if (signal.aborted) return { kind: 'stopped' };
          throw err;
        }
        return { kind: phase.then };
      case 'stopped':
        return phase;
    }
  }

  async #listStep(signal: AbortSignal): Promise<Phase> {
    this.#stats.relists++;
    this.#options.onRelist?.();
    try {
      await this.#list(signal);
      return { kind: 'watch' };
    } catch (err) {
      if (signal.aborted) return { kind: 'stopped' };
      this.#report(new ListError(this.#description, err));
      this.#relistReason = 'list failed';
      return { kind: 'backoff', then: 'initial' };
    }
  }

  async #list(signal: AbortSignal): Promise<void> {
    const rv = this.#relistResourceVersion();
    try {
      await this.#listAt(rv, signal);
    } catch (err) {
      if (signal.aborted || !(isExpiredError(err) || isTooLargeResourceVersionError(err))) throw err;
      this.#report(err);
      this.#lastSyncUnavailable = true;
      this.#log.info('resource version too old or too new: listing the latest instead', { resourceVersion: rv });
      await this.#listAt(this.#relistResourceVersion(), signal);
    }
  }

  async #listAt(rv: string, signal: AbortSignal): Promise<void> {
    const configured = this.#options.pageSize ?? 500;
    const paged = this.#options.alwaysPaginate === true || this.#paginatedResult || rv === '' || rv === '0';
    this.#log.info(`listing ${this.#description}`, { reason: this.#relistReason, resourceVersion: rv });
    const result = await paginatedList(
      this.#lw,
      { resourceVersion: rv, signal },
      { pageSize: paged ? configured : 0, onPage: (_items, total) => this.#options.onListProgress?.(total) },
    );
    if (rv === '0' && result.paginated) this.#paginatedResult = true;
    this.#lastSyncUnavailable = false;
    await this.#store.replace(asReadonly(result.items), result.resourceVersion);
    this.#lastSyncResourceVersion = result.resourceVersion;
    this.#log.info(`listed ${this.#description}`, {
      count: result.items.length,
      resourceVersion: result.resourceVersion,
      paginated: result.paginated,
    });
  }

  async #watchListStep(signal: AbortSignal, reader: AbortableReader): Promise<Phase> {
    this.#stats.relists++;
    this.#options.onRelist?.();
    this.#log.info(`streaming ${this.#description} (watch-list)`, { reason: this.#relistReason });
    const outcome: WatchListOutcome<T> = await collectWatchList({
      lw: this.#lw,
      signal,
      reader,
      clock: this.#clock,
      description: this.#description,
      watchOptions: () => this.#watchOptions(this.#rewatchResourceVersion(), signal, true),
      onProgress: (n) => this.#options.onListProgress?.(n),
      onEvent: (type) => this.#countEvent(type),
      onRetriableError: async (err) => {
        if (isExpiredError(err) || isTooLargeResourceVersionError(err)) {
          this.#report(err);
          this.#lastSyncUnavailable = true;
          return true;
        }
        if (!isRetriableWatchError(err)) return false;
        this.#report(err);
        await this.#clock.sleep(this.#backoff.next(), signal);
        return true;
      },
    });
    switch (outcome.kind) {
      case 'aborted':
        return { kind: 'stopped' };
      case 'failed':
        // The server cannot stream the initial state: fall back to a plain list right away.
        this.#report(outcome.error);
        this.#relistReason = 'watch-list not served';
        return { kind: 'list' };
      case 'synced':
        this.#lastSyncUnavailable = false;
        await this.#store.replace(asReadonly(outcome.items), outcome.resourceVersion);
        this.#lastSyncResourceVersion = outcome.resourceVersion;
        this.#log.info(`streamed ${this.#description}`, { count: outcome.items.length, resourceVersion: outcome.resourceVersion });
        return { kind: 'watch', stream: outcome.stream };
    }
  }

  async #watchStep(
    open: WatchStream<T> | undefined,
    signal: AbortSignal,
    reader: AbortableReader,
  ): Promise<Phase> {
    const startRv = this.#lastSyncResourceVersion;
    this.#log.debug(`watching ${this.#description}`, { resourceVersion: startRv, restarts: this.#stats.watchRestarts });
    const stream = open ?? this.#lw.watch(this.#watchOptions(startRv, signal, false))[Symbol.asyncIterator]();
    const outcome = await consumeWatch(stream, {
      reader,
      clock: this.#clock,
      // Synthetic ADDED events of a watch from "" or "0" are not ordered by version.
      propagateFromStart: open !== undefined || (startRv !== '' && startRv !== '0'),
      onEvent: (event) => this.#apply(event),
      onResourceVersion: (rv) => {
        this.#lastSyncResourceVersion = rv;
      },
      onErrorEvent: () => this.#countEvent('ERROR'),
    });
    switch (outcome.kind) {
      case 'aborted':
        return { kind: 'stopped' };
      case 'closed':
        if (outcome.events === 0 && outcome.durationMs < 1000) {
          this.#report(new VeryShortWatchError(this.#description));
          this.#relistReason = 'very short watch';
          return { kind: 'backoff', then: 'initial' };
        }
        this.#stats.watchRestarts++;
        this.#log.debug('watch closed by server; resuming', {
          resourceVersion: this.#lastSyncResourceVersion,
          events: outcome.events,
          durationMs: Math.round(outcome.durationMs),
        });
        return { kind: 'watch' };
      case 'error':
        this.#report(outcome.error);
        if (isRetriableWatchError(outcome.error)) return { kind: 'backoff', then: 'watch' };
        this.#relistReason = isExpiredError(outcome.error) ? 'resource version expired (410)' : 'watch failed';
        return { kind: 'backoff', then: 'initial' };
    }
  }

  /** Applies one watch event to the store; returns the version it carries. A store failure is reported and skipped. */
  #apply(event: Exclude<WatchEvent<T>, { type: 'ERROR' }>): string | undefined {
    this.#countEvent(event.type);
    if (event.type === 'BOOKMARK') {
      this.#log.debug('bookmark', { resourceVersion: event.resourceVersion });
      return event.resourceVersion;
    }
    try {
      const obj = asReadonly(event.object);
      if (event.type === 'ADDED') this.#store.add(obj);
      else if (event.type === 'MODIFIED') this.#store.update(obj);
      else this.#store.delete(obj);
    } catch (err) {
      this.#report(new WatchEventError(event.type, this.#description, err));
    }
    return event.object.metadata?.resourceVersion;
  }

  #countEvent(type: WatchEvent<T>['type']): void {
    const events = this.#stats.events;
    switch (type) {
      case 'ADDED':
        events.added++;
        break;
      case 'MODIFIED':
        events.modified++;
        break;
      case 'DELETED':
        events.deleted++;
        break;
      case 'BOOKMARK':
        events.bookmark++;
        break;
      case 'ERROR':
        events.error++;
        break;
    }
  }

  #watchOptions(rv: string, signal: AbortSignal, watchList: boolean): WatchOptions {
    const min = this.#options.minWatchTimeoutSeconds ?? 300;
    const timeoutSeconds = Math.floor(min + this.#random() * min);
    const base: WatchOptions = { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds, signal };
    return watchList ? { ...base, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' } : base;
  }

  #relistResourceVersion(): string {
    if (this.#lastSyncUnavailable) return '';
    return this.#lastSyncResourceVersion === '' ? '0' : this.#lastSyncResourceVersion;
  }

  #rewatchResourceVersion(): string {
    return this.#lastSyncUnavailable ? '' : this.#lastSyncResourceVersion;
  }

  #report(err: unknown): void {
    this.#stats.watchErrors++;
    this.#log.warn(`list/watch of ${this.#description} failed`, errorFields(err));
    this.#options.watchErrorHandler?.(err);
  }

  #startResync(): void {
    const period = this.#options.resyncPeriodMs ?? 0;
    if (period <= 0 || this.#resyncTimer !== undefined) return;
    const tick = (): void => {
      if (this.#options.shouldResync?.() ?? true) this.#store.resync();
      this.#resyncTimer = this.#clock.setTimeout(tick, period);
    };
    this.#resyncTimer = this.#clock.setTimeout(tick, period);
  }

  #stopResync(): void {
    if (this.#resyncTimer === undefined) return;
    this.#clock.clearTimeout(this.#resyncTimer);
    this.#resyncTimer = undefined;
  }
}
