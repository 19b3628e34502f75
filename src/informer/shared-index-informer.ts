// SharedIndexInformer: one list-watch feeding an indexed store and any number of handlers.

import { EventEmitter } from 'eventemitter3';
import type { ListerWatcher } from '../api/lister-watcher.ts';
import { errorFields, silentLogger, type Logger } from '../api/logger.ts';
import type { KubeObject } from '../api/types.ts';
import { Backoff } from './backoff.ts';
import { realClock, type Clock } from '../api/clock.ts';
import { Histogram } from '../api/histogram.ts';
import { DeltaFIFO } from './delta-fifo.ts';
import {
  InformerAlreadyStartedError,
  InformerStoppedError,
  ProcessDeltasError,
  type HandlerError,
} from './errors.ts';
import { HANDLER_LATENCY_BUCKETS_MS, handlerLatencyStats } from './handler-latency.ts';
import { Indexer, type IndexerReader, type Indexers } from './indexer.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from './handler.ts';
import type { InformerEvents, InformerStats, SharedIndexInformerOptions } from './informer-types.ts';
import { DeltaProcessor } from './delta-processor.ts';
import { ProcessorListener, type ListenerContext } from './processor-listener.ts';
import { Reflector } from './reflector.ts';
import type { ReflectorStore } from './reflector-types.ts';
import { SyncLatch } from './sync-latch.ts';

/** Handlers may not ask to be resynced more often than this. */
export const MINIMUM_RESYNC_PERIOD_MS = 1000;

/**
 * Options of {@link SharedIndexInformer.addEventHandler}.
 * @category Informers
 */
export interface AddEventHandlerOptions {
  /**
   * This handler's resync period; 0 = never. Raised to at least 1 s, and to the informer's own
   * period once it runs. Ignored (with a warning) by an informer built with `resyncPeriodMs` 0,
   * which never resyncs, as in client-go. @default the informer's `resyncPeriodMs`
   */
  readonly resyncPeriodMs?: number;
}

function determineResyncPeriod(desiredMs: number, checkMs: number): number {
  if (desiredMs === 0 || checkMs === 0) return 0;
  return Math.max(desiredMs, checkMs);
}

/**
 * client-go's SharedIndexInformer. A Reflector lists and watches into a DeltaFIFO; each popped
 * object's deltas are applied to the Indexer (the store and its indexes) and handed to every handler's own queue
 * synchronously (so a handler always observes a store at least as new as its notification).
 * Handlers run one notification at a time each, independently of each other and of the store.
 *
 * @example
 * const informer = new SharedIndexInformer(podsListWatch, { indexers: { [NAMESPACE_INDEX]: namespaceIndexFunc } });
 * informer.addEventHandler({ onAdd: (pod) => console.log('added', pod.metadata?.name) });
 * const stop = new AbortController();
 * const done = informer.run(stop.signal);
 * await informer.onSynced();
 * informer.getIndexer().byIndex(NAMESPACE_INDEX, 'default');
 * stop.abort();
 * await done;
 * @category Informers
 */
export class SharedIndexInformer<T extends KubeObject> {
  /** Lifecycle events: `synced`, `watchError`, `handlerError`, `processError`, `relist`, `stopped`, `listProgress`. */
  readonly events = new EventEmitter<InformerEvents>();
  readonly #lw: ListerWatcher<T>;
  readonly #options: SharedIndexInformerOptions<T>;
  readonly #clock: Clock;
  readonly #indexer: Indexer<T>;
  readonly #listeners = new Set<ProcessorListener<T>>();
  readonly #listenerContext: ListenerContext;
  readonly #synced = new SyncLatch();
  readonly #defaultResyncMs: number;
  #resyncCheckPeriodMs: number;
  #transform: ((obj: T) => T) | undefined;
  #watchErrorHandler: ((err: unknown) => void) | undefined;
  #reflector: Reflector<T> | undefined;
  #started = false;
  #stopped = false;
  #handlerErrors = 0;
  readonly #handlerLatency = new Histogram(HANDLER_LATENCY_BUCKETS_MS);
  readonly #logger: Logger;
  // Without a logger, an error nobody listens for becomes a process warning instead of vanishing.
  readonly #warnWhenUnheard: boolean;

  constructor(lw: ListerWatcher<T>, options: SharedIndexInformerOptions<T> = {}) {
    this.#lw = lw;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    // Set before the indexers: back-filling them may already report.
    this.#logger = options.logger ?? silentLogger;
    this.#warnWhenUnheard = options.logger === undefined;
    this.#indexer = new Indexer<T>({
      onIndexError: (err) => this.#onProcessError(new ProcessDeltasError(err)),
      ...(options.indexers === undefined ? {} : { indexers: options.indexers }),
    });
    this.#defaultResyncMs = options.resyncPeriodMs ?? 0;
    this.#resyncCheckPeriodMs = this.#defaultResyncMs;
    this.#transform = options.transform;
    this.#watchErrorHandler = options.watchErrorHandler;
    this.#listenerContext = {
      clock: this.#clock,
      informerHasSynced: () => this.#synced.done,
      onHandlerError: (error) => this.#onHandlerError(error),
      onHandlerLatency: (ms) => this.#handlerLatency.observe(ms),
    };
  }

  /**
   * Registers a handler. Added after `run`, it first receives every stored object as an add with
   * `isInInitialList = true`. Throws {@link InformerStoppedError} once the informer stopped.
   */
  addEventHandler(handler: ResourceEventHandler<T>, options: AddEventHandlerOptions = {}): ResourceEventHandlerRegistration {
    if (this.#stopped) {
      throw new InformerStoppedError('handler was not added to shared informer because it has stopped already');
    }
    const requested = this.#resolveResyncPeriod(options.resyncPeriodMs ?? this.#defaultResyncMs);
    const effective = determineResyncPeriod(requested, this.#resyncCheckPeriodMs);
    if (requested > 0 && effective === 0) {
      this.#logger.warn('a handler resync period is ignored: this informer was built without resync (resyncPeriodMs 0)', {
        resyncPeriodMs: requested,
      });
    }
    const listener = new ProcessorListener<T>(handler, requested, effective, this.#listenerContext);
    this.#listeners.add(listener);
    if (this.#started) {
      for (const obj of this.#indexer.list()) listener.add({ type: 'add', obj, isInInitialList: true });
    }
    return listener;
  }

  /**
   * Unregisters a handler: its queued notifications are dropped; one already running finishes.
   * Resolves once that one has finished and nothing more will be delivered (client-go's
   * `ShutDownEventHandler`; do not await it from inside the handler itself, which would wait for
   * its own return). Unknown or already removed registrations resolve at once.
   */
  removeEventHandler(registration: ResourceEventHandlerRegistration): Promise<void> {
    const listener = registration as ProcessorListener<T>;
    if (!this.#listeners.has(listener)) return Promise.resolve();
    this.#listeners.delete(listener);
    return listener.stop();
  }

  /** Adds indexes, back-filled from the stored objects; allowed after `run` until stopped. */
  addIndexers(indexers: Indexers<T>): void {
    if (this.#stopped) throw new InformerStoppedError('indexer was not added because it has stopped already');
    this.#indexer.addIndexers(indexers);
  }

  /** The read-only view of the store. */
  getIndexer(): IndexerReader<T> {
    return this.#indexer.readOnly();
  }

  /** Alias of {@link SharedIndexInformer.getIndexer}. */
  getStore(): IndexerReader<T> {
    return this.getIndexer();
  }

  /** Sets the transform applied to objects before they are stored. Only before `run`. */
  setTransform(fn: (obj: T) => T): void {
    if (this.#started) throw new InformerAlreadyStartedError();
    this.#transform = fn;
  }

  /** Sets the handler of list/watch failures. Only before `run`. */
  setWatchErrorHandler(fn: (err: unknown) => void): void {
    if (this.#started) throw new InformerAlreadyStartedError();
    this.#watchErrorHandler = fn;
  }

  /**
   * Lists and watches until `signal` aborts, then stops every listener (queued notifications are
   * dropped, running ones finish) and resolves. Rejects with {@link InformerAlreadyStartedError}
   * if called twice.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new InformerAlreadyStartedError('informer has already started: run may be called once');
    this.#started = true;
    const processor = new DeltaProcessor<T>({
      indexer: this.#indexer,
      listeners: this.#listeners,
      freeze: this.#options.freeze ?? true,
      transform: this.#transform,
      onError: (err) => this.#onProcessError(err),
      now: () => this.#clock.now(),
    });
    const fifo = new DeltaFIFO<T>({
      keyFunc: (obj) => this.#indexer.keyOf(obj),
      knownObjects: this.#indexer,
      emitDeltaTypeReplaced: true,
      onSynced: () => this.#markSynced(),
    });
    const reflector = this.#createReflector(fifo);
    this.#reflector = reflector;
    try {
      const loop = processor.drain(fifo, signal);
      try {
        await reflector.run(signal);
      } finally {
        fifo.close();
        await loop;
      }
    } finally {
      this.#stopped = true;
      await Promise.all([...this.#listeners].map((l) => l.stop('informer stopped before the handler synced')));
      this.#synced.fail(new InformerStoppedError('informer stopped before it synced'));
      this.events.emit('stopped');
    }
  }

  /** True once the first list has been stored (and handed to the handlers' queues). */
  hasSynced(): boolean {
    return this.#synced.done;
  }

  /**
   * Resolves once {@link SharedIndexInformer.hasSynced}; rejects with the signal's reason on abort,
   * or with {@link InformerStoppedError} if the informer stops first.
   */
  onSynced(options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#synced.wait(options.signal);
  }

  /** True once `run` has finished. */
  isStopped(): boolean {
    return this.#stopped;
  }

  /** The resource version the store reflects; "" before the first list. */
  lastSyncResourceVersion(): string {
    return this.#reflector?.lastSyncResourceVersion() ?? '';
  }

  /** Counters as plain numbers. */
  stats(): InformerStats {
    const r = this.#reflector?.stats();
    return {
      objects: this.#indexer.size,
      events: r?.events ?? { added: 0, modified: 0, deleted: 0, bookmark: 0, error: 0 },
      relists: r?.relists ?? 0,
      watchRestarts: r?.watchRestarts ?? 0,
      watchErrors: r?.watchErrors ?? 0,
      handlerErrors: this.#handlerErrors,
      lastSyncResourceVersion: this.lastSyncResourceVersion(),
      listenerQueueDepths: [...this.#listeners].map((l) => l.queueDepth),
      handlerLatency: handlerLatencyStats(this.#handlerLatency),
    };
  }

  #createReflector(fifo: DeltaFIFO<T>): Reflector<T> {
    const o = this.#options;
    const store: ReflectorStore<T> = {
      add: (obj) => fifo.add(obj),
      update: (obj) => fifo.update(obj),
      delete: (obj) => fifo.delete(obj),
      resync: () => fifo.resync(),
      replace: (list, rv) => fifo.replaceGradually(list, rv),
    };
    return new Reflector<T>(this.#lw, store, {
      clock: this.#clock,
      resyncPeriodMs: this.#resyncCheckPeriodMs,
      shouldResync: () => this.#shouldResync(),
      watchErrorHandler: (err) => this.#onWatchError(err),
      onRelist: () => this.events.emit('relist'),
      onListProgress: (n) => this.events.emit('listProgress', n),
      logger: this.#logger,
      // Relists are paged too: one unpaged list of a large collection would stall the event loop.
      alwaysPaginate: true,
      ...(o.backoff === undefined ? {} : { backoff: new Backoff({ clock: this.#clock, ...o.backoff }) }),
      ...(o.minWatchTimeoutSeconds === undefined ? {} : { minWatchTimeoutSeconds: o.minWatchTimeoutSeconds }),
      ...(o.maxInternalErrorRetryDurationMs === undefined ? {} : { maxInternalErrorRetryDurationMs: o.maxInternalErrorRetryDurationMs }),
      ...(o.pageSize === undefined ? {} : { pageSize: o.pageSize }),
      ...(o.useWatchList === undefined ? {} : { useWatchList: o.useWatchList }),
      ...(o.objectDescription === undefined ? {} : { objectDescription: o.objectDescription }),
    });
  }

  // client-go's rule: a handler may shorten the informer's resync check period before it starts,
  // never switch resync on for an informer built without it.
  #resolveResyncPeriod(periodMs: number): number {
    if (periodMs <= 0) return 0;
    let period = Math.max(periodMs, MINIMUM_RESYNC_PERIOD_MS);
    if (period < this.#resyncCheckPeriodMs) {
      if (this.#started) {
        // The reflector's resync timer is fixed once running: resync no more often than it ticks.
        period = this.#resyncCheckPeriodMs;
      } else {
        this.#resyncCheckPeriodMs = period;
        for (const l of this.#listeners) l.setResyncPeriod(determineResyncPeriod(l.requestedResyncMs, period));
      }
    }
    return period;
  }

  #shouldResync(): boolean {
    const now = this.#clock.now();
    let any = false;
    for (const l of this.#listeners) if (l.shouldResync(now)) any = true;
    return any;
  }

  #markSynced(): void {
    this.#synced.resolve();
    for (const l of this.#listeners) l.checkSynced();
    this.events.emit('synced');
  }

  // The reflector has already logged the failure at warn.
  #onWatchError(err: unknown): void {
    this.#watchErrorHandler?.(err);
    if (this.#warnWhenUnheard && this.events.listenerCount('watchError') === 0 && this.#watchErrorHandler === undefined) {
      process.emitWarning(asError(err), { code: 'KUBECACHE_WATCH_ERROR' });
    }
    this.events.emit('watchError', err);
  }

  #onHandlerError(error: HandlerError): void {
    this.#handlerErrors++;
    this.#logger.error('event handler failed', { notification: error.notification.type, ...errorFields(error.cause) });
    if (this.#warnWhenUnheard && this.events.listenerCount('handlerError') === 0) {
      process.emitWarning(error, { code: 'KUBECACHE_HANDLER_ERROR' });
    }
    this.events.emit('handlerError', error);
  }

  #onProcessError(err: ProcessDeltasError): void {
    this.#logger.error('failed to apply a change to the store', errorFields(err.cause));
    if (this.#warnWhenUnheard && this.events.listenerCount('processError') === 0) {
      process.emitWarning(err, { code: 'KUBECACHE_PROCESS_ERROR' });
    }
    this.events.emit('processError', err);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
