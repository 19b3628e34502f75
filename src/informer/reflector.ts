// The Reflector: keeps a store in step with the server by list (or watch-list) then watch.

import { sleep } from '../api/abortable.ts';
import { realClock, type Clock, type TimerHandle } from '../api/clock.ts';
import type { ListerWatcher, ListOptions, WatchEvent, WatchOptions } from '../api/lister-watcher.ts';
import { errorFields, silentLogger, type Logger } from '../api/logger.ts';
import { objectKeyOf } from '../api/object-key.ts';
import { TimeSlice } from '../api/time-slice.ts';
import type { KubeObject } from '../api/types.ts';
import { Backoff } from './backoff.ts';
import { ListError, MissingInitialEventsEndError, ResyncError, VeryShortWatchError, WatchEventError } from './errors.ts';
import { InternalErrorRetry } from './internal-error-retry.ts';
import { asReadonly } from './object-helpers.ts';
import { paginatedList } from './pager.ts';
import type { ReflectorOptions, ReflectorStats, ReflectorStore } from './reflector-types.ts';
import { classifyFailure, openWatch, readWatch, WatchReader, type WatchIterator } from './watch.ts';

/** Watch-list streams in a row that may end without their initial-events-end bookmark before the reflector lists instead. */
export const MAX_WATCH_LIST_ATTEMPTS = 3;

// Which counter of ReflectorStats.events each event type moves.
const EVENT_COUNTER = {
  ADDED: 'added',
  MODIFIED: 'modified',
  DELETED: 'deleted',
  BOOKMARK: 'bookmark',
  ERROR: 'error',
} as const satisfies Record<WatchEvent<unknown>['type'], keyof ReflectorStats['events']>;

// Report watch-list progress every this many initial events.
const PROGRESS_EVERY = 500;

// The reflector's state machine: what to do next. `initial` lists (or watch-lists).
type Phase<T> =
  | { readonly kind: 'initial' }
  | { readonly kind: 'list' }
  | { readonly kind: 'watch'; readonly stream?: WatchIterator<T> }
  | { readonly kind: 'backoff'; readonly then: 'initial' | 'watch' }
  | { readonly kind: 'stopped' };

/**
 * client-go's Reflector. Lists (resourceVersion "0" first, paginated), replaces the store, then
 * watches from the list's version with bookmarks. A clean watch close re-watches from the last
 * version without relisting; 410 or any other failure relists after a backoff, at the last
 * version and "not older than" it, so the relist returns the current state; 429 re-watches after
 * a backoff. Never gives up until the signal aborts: every failure, thrown or returned, reaches
 * `watchErrorHandler` and is retried.
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
  readonly #slice: TimeSlice;
  readonly #internalErrors: InternalErrorRetry;
  // Why the next list happens, for the log line that announces it.
  #relistReason = 'initial list';
  #lastSyncResourceVersion = '';
  #lastSyncUnavailable = false;
  #paginatedResult = false;
  #watchListIncomplete = 0;
  #watchListAbandoned = false;
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
    this.#slice = new TimeSlice(() => this.#clock.now());
    this.#internalErrors = new InternalErrorRetry(this.#clock, options.maxInternalErrorRetryDurationMs ?? 0);
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
    const reader = new WatchReader(signal);
    let phase: Phase<T> = { kind: 'initial' };
    try {
      while (phase.kind !== 'stopped' && !signal.aborted) {
        phase = await this.#stepSafely(phase, signal, reader);
        if (phase.kind === 'watch') this.#startResync(reader);
        else this.#stopResync();
      }
    } finally {
      this.#stopResync();
      this.#running = false;
    }
  }

  // A throw no step expected (a ListerWatcher or store misbehaving) is a failure like any other:
  // reported, then a relist after a backoff. Only the signal ends the loop.
  async #stepSafely(phase: Phase<T>, signal: AbortSignal, reader: WatchReader): Promise<Phase<T>> {
    try {
      return await this.#step(phase, signal, reader);
    } catch (err) {
      if (signal.aborted) return { kind: 'stopped' };
      this.#report(err);
      this.#relistReason = 'unexpected failure';
      return { kind: 'backoff', then: 'initial' };
    }
  }

  async #step(phase: Phase<T>, signal: AbortSignal, reader: WatchReader): Promise<Phase<T>> {
    switch (phase.kind) {
      case 'initial':
        return this.#options.useWatchList === true && !this.#watchListAbandoned ? this.#watchListStep(signal, reader) : this.#listStep(signal, reader);
      case 'list':
        return this.#listStep(signal, reader);
      case 'watch':
        return this.#watchStep(phase.stream, signal, reader);
      case 'backoff':
        try {
          const delayMs = this.#backoff.next();
          this.#log.info('backing off', { delayMs, then: phase.then === 'initial' ? 'relist' : 'watch' });
          await sleep(delayMs, { timers: this.#clock, signal });
        } catch (err) {
          if (signal.aborted) return { kind: 'stopped' };
          throw err;
        }
        return { kind: phase.then };
      case 'stopped':
        return phase;
    }
  }

  #beginRelist(reader: WatchReader): void {
    // A resync failure of the watch that ended is moot now: the relist replaces everything.
    reader.takeInterrupt();
    this.#internalErrors.reset();
    this.#stats.relists++;
    this.#options.onRelist?.();
  }

  async #listStep(signal: AbortSignal, reader: WatchReader): Promise<Phase<T>> {
    this.#beginRelist(reader);
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
      const kind = classifyFailure(err);
      if (signal.aborted || (kind !== 'expired' && kind !== 'tooLarge')) throw err;
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
    // With a limit, resourceVersion=N alone means "exactly N" (a stale snapshot, or 410 once N is
    // compacted); client-go relists unpaged to get "not older than N" from the watch cache. Paged,
    // the same meaning must be asked for by name.
    const request: ListOptions = rv === '' || rv === '0' ? { resourceVersion: rv, signal } : { resourceVersion: rv, resourceVersionMatch: 'NotOlderThan', signal };
    const result = await paginatedList(this.#lw, request, {
      pageSize: paged ? configured : 0,
      onPage: (_items, total) => this.#options.onListProgress?.(total),
    });
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

  async #watchListStep(signal: AbortSignal, reader: WatchReader): Promise<Phase<T>> {
    this.#beginRelist(reader);
    this.#log.info(`streaming ${this.#description} (watch-list)`, { reason: this.#relistReason });
    const collected = new Map<string, T>();
    const opened = openWatch(this.#lw, this.#watchOptions(this.#rewatchResourceVersion(), signal, true));
    if ('failed' in opened) return this.#watchListRefused(opened.failed);
    const outcome = await readWatch(opened, {
      reader,
      clock: this.#clock,
      slice: this.#slice,
      propagateFromStart: true,
      apply: (event) => this.#collect(collected, event),
      // The state streamed is at the version of its end bookmark, and only then.
      onResourceVersion: () => undefined,
      onErrorEvent: () => this.#countEvent('ERROR'),
      initialEvents: { description: this.#description, logger: this.#log },
    });
    switch (outcome.kind) {
      case 'aborted':
        return { kind: 'stopped' };
      case 'initialEventsEnd':
        this.#watchListIncomplete = 0;
        this.#lastSyncUnavailable = false;
        this.#options.onListProgress?.(collected.size);
        await this.#store.replace(asReadonly([...collected.values()]), outcome.resourceVersion);
        this.#lastSyncResourceVersion = outcome.resourceVersion;
        this.#log.info(`streamed ${this.#description}`, { count: collected.size, resourceVersion: outcome.resourceVersion });
        return { kind: 'watch', stream: opened };
      case 'closed':
        return outcome.veryShort ? this.#watchListRefused(new VeryShortWatchError(this.#description)) : this.#watchListIncompleteStep();
      case 'error':
        switch (classifyFailure(outcome.error)) {
          case 'expired':
          case 'tooLarge':
            this.#report(outcome.error);
            this.#lastSyncUnavailable = true;
            return { kind: 'initial' };
          case 'throttled':
            this.#report(outcome.error);
            return { kind: 'backoff', then: 'initial' };
          case 'internal':
          case 'other':
            return this.#watchListRefused(outcome.error);
        }
    }
  }

  // The server cannot stream the initial state: list right away, as client-go falls back.
  #watchListRefused(err: unknown): Phase<T> {
    this.#report(err);
    this.#relistReason = 'watch-list not served';
    return { kind: 'list' };
  }

  // A stream that ended without its bookmark is asked for again, a few times; then the reflector
  // lists instead from now on, so a server that never sends the bookmark still gets synced.
  #watchListIncompleteStep(): Phase<T> {
    this.#watchListIncomplete++;
    this.#report(new MissingInitialEventsEndError(this.#description, this.#watchListIncomplete, MAX_WATCH_LIST_ATTEMPTS));
    if (this.#watchListIncomplete < MAX_WATCH_LIST_ATTEMPTS) return { kind: 'initial' };
    this.#watchListAbandoned = true;
    this.#log.warn(`watch-list of ${this.#description} never ended its initial events; listing instead from now on`, {
      attempts: this.#watchListIncomplete,
    });
    this.#relistReason = 'watch-list without its end bookmark';
    return { kind: 'list' };
  }

  async #watchStep(open: WatchIterator<T> | undefined, signal: AbortSignal, reader: WatchReader): Promise<Phase<T>> {
    const startRv = this.#lastSyncResourceVersion;
    this.#log.debug(`watching ${this.#description}`, { resourceVersion: startRv, restarts: this.#stats.watchRestarts });
    const opened = open ?? openWatch(this.#lw, this.#watchOptions(startRv, signal, false));
    if ('failed' in opened) return this.#afterWatchError(opened.failed, false);
    const outcome = await readWatch(opened, {
      reader,
      clock: this.#clock,
      slice: this.#slice,
      // Synthetic ADDED events of a watch from "" or "0" are not ordered by version.
      propagateFromStart: open !== undefined || (startRv !== '' && startRv !== '0'),
      apply: (event) => this.#apply(event),
      onResourceVersion: (rv) => {
        this.#lastSyncResourceVersion = rv;
      },
      onErrorEvent: () => this.#countEvent('ERROR'),
    });
    switch (outcome.kind) {
      case 'aborted':
        return { kind: 'stopped' };
      case 'initialEventsEnd':
        // Only a watch-list reads up to that bookmark; a plain watch carries on past it.
        return { kind: 'watch' };
      case 'closed':
        if (outcome.veryShort) {
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
        return this.#afterWatchError(outcome.error, outcome.fromEvent);
    }
  }

  #afterWatchError(error: unknown, fromEvent: boolean): Phase<T> {
    this.#report(error);
    switch (classifyFailure(error)) {
      case 'throttled':
        return { kind: 'backoff', then: 'watch' };
      case 'expired':
        this.#relistReason = 'resource version expired (410)';
        return { kind: 'backoff', then: 'initial' };
      case 'internal':
        if (fromEvent && this.#internalErrors.shouldRetry()) {
          this.#stats.watchRestarts++;
          this.#log.info('watch ended with an internal error; re-watching at once', { resourceVersion: this.#lastSyncResourceVersion });
          return { kind: 'watch' };
        }
        break;
      case 'tooLarge':
      case 'other':
        break;
    }
    this.#relistReason = error instanceof ResyncError ? 'resync failed' : 'watch failed';
    return { kind: 'backoff', then: 'initial' };
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

  /** Folds one initial event of a watch-list into `collected`; an object without a key is reported and skipped. */
  #collect(collected: Map<string, T>, event: Exclude<WatchEvent<T>, { type: 'ERROR' }>): undefined {
    this.#countEvent(event.type);
    if (event.type === 'BOOKMARK') return undefined;
    let key: string;
    try {
      key = objectKeyOf(event.object);
    } catch (err) {
      this.#report(new WatchEventError(event.type, this.#description, err));
      return undefined;
    }
    if (event.type === 'DELETED') collected.delete(key);
    else collected.set(key, event.object);
    if (collected.size % PROGRESS_EVERY === 0) this.#options.onListProgress?.(collected.size);
    return undefined;
  }

  #countEvent(type: WatchEvent<T>['type']): void {
    this.#stats.events[EVENT_COUNTER[type]]++;
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

  // Resyncs while watching. A failed resync ends the watch (the reader is interrupted) and the
  // reflector relists after a backoff, as client-go does; the timer is re-armed with the next watch.
  #startResync(reader: WatchReader): void {
    const period = this.#options.resyncPeriodMs ?? 0;
    if (period <= 0 || this.#resyncTimer !== undefined) return;
    const tick = (): void => {
      try {
        if (this.#options.shouldResync?.() ?? true) this.#store.resync();
      } catch (err) {
        this.#resyncTimer = undefined;
        reader.interrupt(new ResyncError(this.#description, err));
        return;
      }
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
