// Controller: watches kinds, maps their events to requests on a work queue, and runs the reconciler on workers.

import { EventEmitter } from 'eventemitter3';
import { gvkToString, type GroupVersionKind } from '../api/gvk.ts';
import { errorFields, silentLogger, type Logger } from '../api/logger.ts';
import { objectKeyOf } from '../api/object-key.ts';
import type { KubeObject } from '../api/types.ts';
import type { Informers } from '../cache/interfaces.ts';
import type { KindRef } from '../cache/kinds.ts';
import type { CacheRESTMapper } from '../cache/options.ts';
import { schemeScope } from '../cache/read-rules.ts';
import { defaultScheme, type Scheme } from '../cache/scheme.ts';
import { realClock, type Clock } from '../api/clock.ts';
import { isDeletedFinalStateUnknown } from '../informer/deleted-final-state-unknown.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from '../informer/handler.ts';
import { ControllerCounters, type ControllerMetrics } from './controller-metrics.ts';
import { AlreadyStartedError, CacheSyncFailedError, InvalidOptionsError } from './errors.ts';
import { enqueueRequestForObject, enqueueRequestForOwner, type ControllerEvent, type EventHandler, type HandlerContext } from './event-handlers.ts';
import type { Predicate } from './predicates.ts';
import { isTerminalError, requestKey, requestOfKey, type Reconciler, type Request } from './reconcile.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Runnable, RunnableStartOptions } from './runnable.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * Options of a {@link Controller}.
 * @category Controller
 */
export interface ControllerOptions {
  /** Workers, i.e. requests reconciled at once (never one request twice at once). @default 1 */
  readonly maxConcurrentReconciles?: number;
  /** Delays of retried requests. @default defaultControllerRateLimiter() */
  readonly rateLimiter?: RateLimiter<string>;
  /** How long `start` waits for the watched informers to sync before failing. @default 120000 */
  readonly cacheSyncTimeoutMs?: number;
  /** Run only while the manager leads (false: on every replica). @default true */
  readonly needLeaderElection?: boolean;
  /** Tells `enqueueRequestForOwner` whether an owner kind is cluster-scoped when the Scheme does not. @default none */
  readonly mapper?: CacheRESTMapper;
  /** Kinds whose scope is known without asking the mapper. @default defaultScheme */
  readonly scheme?: Scheme;
  /** Receives reconcile errors (error), handler errors (error) and lifecycle lines (info). @default silentLogger */
  readonly logger?: Logger;
  /** Time source of the queue's delays and of the durations measured. @default realClock */
  readonly clock?: Clock;
}

/**
 * The events of a {@link Controller} (eventemitter3 typed map); errors are also logged.
 * @category Controller
 */
export interface ControllerEvents {
  /** A reconcile threw; the request was requeued with backoff unless the error is terminal. */
  reconcileError: [request: Request, error: unknown];
  /** An event handler or predicate threw; that event was dropped. */
  eventHandlerError: [error: unknown];
}

interface Watch {
  readonly kind: KindRef;
  readonly handler: EventHandler<KubeObject>;
  readonly predicates: readonly Predicate<KubeObject>[];
}

/** How often a watch retries a kind the server does not serve yet (a CRD being installed). */
const NO_KIND_RETRY_MS = 10_000;

/**
 * controller-runtime's Controller: {@link Controller.watches} kinds from a cache, maps their events
 * to requests with event handlers and predicates, and reconciles the requests from a rate-limited
 * {@link WorkQueue} on `maxConcurrentReconciles` workers. A request is never reconciled by two
 * workers at once; events that arrive during its reconcile make exactly one more run.
 *
 * Outcomes, as controller-runtime: a thrown error requeues with backoff (the backoff grows until
 * a success); a {@link TerminalError} is not requeued; `requeueAfterMs` forgets the backoff and
 * requeues after that delay; `requeue: true` requeues with backoff; plain success forgets.
 * Every throw — of the reconciler, a handler or a predicate — is caught, counted and reported.
 *
 * @example
 * const controller = new Controller('widget', cache, async ({ namespace, name }, signal) => {
 *   const widget = await cache.get(Widgets, { namespace, name });
 *   // ... create or update what the widget asks for ...
 * }, { maxConcurrentReconciles: 4 })
 *   .for(Widgets, generationChangedPredicate())
 *   .owns(ConfigMaps);
 * await controller.start(signal);
 * @category Controller
 */
export class Controller implements Runnable {
  /** The controller's name: its metrics' `controller` label and its queue's name. */
  readonly name: string;
  /** Errors as events; see {@link ControllerEvents}. */
  readonly events = new EventEmitter<ControllerEvents>();
  readonly #cache: Pick<Informers, 'getInformer'>;
  readonly #reconciler: Reconciler;
  readonly #workers: number;
  readonly #cacheSyncTimeoutMs: number;
  readonly #needLeaderElection: boolean;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #queue: WorkQueue<string>;
  readonly #counters = new ControllerCounters();
  readonly #context: HandlerContext;
  readonly #watches: Watch[] = [];
  #forKind: Readonly<GroupVersionKind> | undefined;
  #started = false;
  #markStarted: () => void = () => undefined;
  readonly #workersStarted = new Promise<void>((resolve) => {
    this.#markStarted = resolve;
  });
  /** The running start's signal and handler removals, for watches added after start. */
  #running: { readonly signal: AbortSignal; readonly removals: (() => Promise<void>)[] } | undefined;

  /**
   * @param name unique within a manager.
   * @param cache where informers come from: a Cache, or FakeInformers in unit tests.
   * @param reconciler the business logic.
   */
  constructor(name: string, cache: Pick<Informers, 'getInformer'>, reconciler: Reconciler, options: ControllerOptions = {}) {
    if (name === '') throw new InvalidOptionsError('a controller needs a name');
    const workers = options.maxConcurrentReconciles ?? 1;
    if (!Number.isInteger(workers)) throw new InvalidOptionsError(`maxConcurrentReconciles must be an integer, got ${workers}`);
    this.name = name;
    this.#cache = cache;
    this.#reconciler = reconciler;
    // controller-runtime turns a non-positive count into 1.
    this.#workers = Math.max(1, workers);
    this.#cacheSyncTimeoutMs = options.cacheSyncTimeoutMs ?? 120_000;
    this.#needLeaderElection = options.needLeaderElection ?? true;
    this.#logger = options.logger?.child?.({ controller: name }) ?? options.logger ?? silentLogger;
    this.#clock = options.clock ?? realClock;
    this.#queue = new WorkQueue<string>({ name, clock: this.#clock, ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }) });
    this.#context = { scopeOf: scopeResolver(options.scheme ?? defaultScheme, options.mapper) };
  }

  /**
   * Watches `kind`: each event that passes every predicate is mapped by `handler` to requests.
   * Call before {@link Controller.start}; a watch added later starts at once.
   */
  watches<T extends KubeObject>(kind: KindRef<T>, handler: EventHandler<T>, ...predicates: Predicate<T>[]): this {
    // Stored untyped beside other kinds' watches; the handler and predicates only ever see this kind's objects.
    const watch = { kind, handler, predicates } as unknown as Watch;
    this.#watches.push(watch);
    const running = this.#running;
    if (running !== undefined && !running.signal.aborted) {
      this.#startWatch(watch, running.signal).then(
        // A watch that synced after the controller stopped is removed at once.
        (remove) => {
          if (running.signal.aborted) remove().catch((err: unknown) => this.#reportHandlerError(err));
          else running.removals.push(remove);
        },
        (err: unknown) => this.#reportHandlerError(err),
      );
    }
    return this;
  }

  /** Reconciles the objects of `kind` themselves: `watches(kind, enqueueRequestForObject(), ...predicates)`. */
  for<T extends KubeObject>(kind: KindRef<T>, ...predicates: Predicate<T>[]): this {
    this.#forKind = kind.gvk;
    return this.watches(kind, enqueueRequestForObject<T>(), ...predicates);
  }

  /** Reconciles the controlling owner (of the `for` kind) of objects of `kind`; call {@link Controller.for} first. */
  owns<T extends KubeObject>(kind: KindRef<T>, ...predicates: Predicate<T>[]): this {
    if (this.#forKind === undefined) throw new InvalidOptionsError(`controller ${this.name}: call for(kind) before owns(kind)`);
    return this.watches(kind, enqueueRequestForOwner<T>(this.#forKind, { onlyControllerOwner: true }), ...predicates);
  }

  /** Whether the manager runs this controller only while it leads. */
  needLeaderElection(): boolean {
    return this.#needLeaderElection;
  }

  /** Puts a request on the queue directly (as a watch event would). */
  enqueue(request: Request): void {
    this.#queue.add(requestKey(request));
  }

  /**
   * Resolves once {@link Controller.start} has registered every watch, their informers have
   * synced, and the workers run (never, if start fails or is stopped first). For tests.
   */
  onStarted(): Promise<void> {
    return this.#workersStarted;
  }

  /** Resolves once no request is queued or being reconciled (delayed requeues do not count). */
  onIdle(): Promise<void> {
    return this.#queue.onIdle();
  }

  /** The controller's metrics now, its queue's included. */
  metrics(): ControllerMetrics {
    return this.#counters.snapshot(this.name, this.#workers, this.#queue.metrics());
  }

  /**
   * Registers the watches, waits for their informers' first sync (at most `cacheSyncTimeoutMs`,
   * else rejects with CacheSyncFailedError), then reconciles until `signal` aborts. Then it takes
   * no new request, lets in-flight reconciles finish, and resolves. Reconciles receive
   * `options.workSignal` (default: `signal` itself), which asks them to stop at once.
   */
  async start(signal: AbortSignal, options: RunnableStartOptions = {}): Promise<void> {
    if (this.#started) throw new AlreadyStartedError(`controller ${this.name}`);
    this.#started = true;
    const removals: (() => Promise<void>)[] = [];
    try {
      for (const watch of [...this.#watches]) removals.push(await this.#startWatch(watch, signal));
      this.#running = { signal, removals };
      if (signal.aborted) return;
      this.#logger.info('starting workers', { workerCount: this.#workers });
      const work = options.workSignal ?? signal;
      const workers = Array.from({ length: this.#workers }, () => this.#worker(signal, work));
      this.#markStarted();
      await Promise.all(workers);
      this.#logger.info('all workers finished');
    } catch (err) {
      // Stopped while waiting for informers: a shutdown, not a failure.
      if (!signal.aborted) throw err;
    } finally {
      this.#queue.shutDown();
      // Each removal settles once the handler's in-flight notification finished.
      await Promise.all(removals.map((remove) => remove()));
    }
  }

  /** Adds the watch's handler to its informer and waits for it to sync; returns how to remove it. */
  async #startWatch(watch: Watch, signal: AbortSignal): Promise<() => Promise<void>> {
    const timeout = new AbortController();
    const timer = this.#clock.setTimeout(() => timeout.abort(new Error('timed out')), this.#cacheSyncTimeoutMs);
    const bounded = AbortSignal.any([signal, timeout.signal]);
    const what = `kind source: ${gvkToString(watch.kind.gvk)}`;
    try {
      const informer = await this.#informerOf(watch.kind, bounded);
      const registration: ResourceEventHandlerRegistration = informer.addEventHandler(this.#adapter(watch));
      await registration.onSynced({ signal: bounded });
      return () => informer.removeEventHandler(registration);
    } catch (err) {
      if (signal.aborted) throw err;
      const detail = timeout.signal.aborted ? `timed out waiting for cache to be synced for ${what}` : `${what}: ${String(err)}`;
      throw new CacheSyncFailedError(this.name, detail, { cause: err });
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  /** The kind's informer; a kind the server does not serve yet (a CRD) is retried every 10 s. */
  async #informerOf(kind: KindRef, signal: AbortSignal): ReturnType<Informers['getInformer']> {
    for (;;) {
      try {
        return await this.#cache.getInformer(kind, { blockUntilSynced: false, signal });
      } catch (err) {
        if ((err as { reason?: unknown }).reason !== 'NoKindMatch' || signal.aborted) throw err;
        this.#logger.error('if kind is a CRD, it should be installed before calling Start', { kind: gvkToString(kind.gvk), ...errorFields(err) });
        await this.#clock.sleep(NO_KIND_RETRY_MS, signal);
      }
    }
  }

  /** The informer handler of a watch: event → predicates → handler → queue. */
  #adapter(watch: Watch): ResourceEventHandler<KubeObject> {
    const deliver = (event: ControllerEvent<KubeObject>): Promise<void> | undefined => {
      try {
        if (!watch.predicates.every((p) => p(event))) return undefined;
        const requests = watch.handler(event, this.#context);
        if (!(requests instanceof Promise)) {
          this.#enqueueAll(requests);
          return undefined;
        }
        return requests.then(
          (r) => this.#enqueueAll(r),
          (err: unknown) => this.#reportHandlerError(err),
        );
      } catch (err) {
        this.#reportHandlerError(err);
        return undefined;
      }
    };
    return {
      onAdd: (object, isInInitialList) => deliver({ type: 'create', object, isInInitialList }),
      onUpdate: (oldObject, object) => deliver({ type: 'update', oldObject, object }),
      onDelete: (obj) =>
        isDeletedFinalStateUnknown<KubeObject>(obj)
          ? deliver({ type: 'delete', object: obj.obj, key: obj.key, deleteStateUnknown: true })
          : deliver({ type: 'delete', object: obj, key: objectKeyOf(obj), deleteStateUnknown: false }),
    };
  }

  #enqueueAll(requests: readonly Request[]): void {
    for (const request of requests) {
      if (request.name !== '') this.#queue.add(requestKey(request));
    }
  }

  /** One worker: takes requests until `stop` aborts or the queue shuts down. */
  async #worker(stop: AbortSignal, work: AbortSignal): Promise<void> {
    for (;;) {
      let key: string | undefined;
      try {
        key = await this.#queue.get({ signal: stop });
      } catch (err) {
        if (stop.aborted) return;
        throw err;
      }
      if (key === undefined) return;
      try {
        await this.#reconcileHandler(key, work);
      } finally {
        this.#queue.done(key);
      }
    }
  }

  /** Reconciles one request and acts on the outcome (controller-runtime's `reconcileHandler`). Never throws. */
  async #reconcileHandler(key: string, work: AbortSignal): Promise<void> {
    const request = requestOfKey(key);
    const counters = this.#counters;
    counters.activeWorkers++;
    const startedAt = this.#clock.now();
    try {
      const result = await this.#reconciler(request, work);
      const after = result?.requeueAfterMs ?? 0;
      if (after > 0) {
        this.#queue.forget(key);
        this.#queue.addAfter(key, after);
        counters.reconcileTotal.requeue_after++;
      } else if (result?.requeue === true) {
        this.#queue.addRateLimited(key);
        counters.reconcileTotal.requeue++;
      } else {
        this.#queue.forget(key);
        counters.reconcileTotal.success++;
      }
    } catch (err) {
      counters.reconcileErrors++;
      counters.reconcileTotal.error++;
      if (isTerminalError(err)) counters.terminalReconcileErrors++;
      // The backoff keeps growing (no forget) until a reconcile of this request succeeds.
      else this.#queue.addRateLimited(key);
      this.#logger.error('Reconciler error', { namespace: request.namespace, name: request.name, ...errorFields(err) });
      this.#emit('reconcileError', request, err);
    } finally {
      counters.reconcileTime.observe((this.#clock.now() - startedAt) / 1000);
      counters.activeWorkers--;
    }
  }

  #reportHandlerError(err: unknown): void {
    this.#counters.eventHandlerErrors++;
    this.#logger.error('event handler failed, event dropped', errorFields(err));
    this.#emit('eventHandlerError', err);
  }

  #emit<E extends keyof ControllerEvents>(event: E, ...args: ControllerEvents[E]): void {
    try {
      (this.events.emit as (e: E, ...a: ControllerEvents[E]) => boolean)(event, ...args);
    } catch (err) {
      // A listener's bug must not stop a worker.
      this.#logger.error(`a ${event} listener threw`, errorFields(err));
    }
  }
}

/** Scope from the Scheme's registration when it says, else from the mapper (once per kind). */
function scopeResolver(scheme: Scheme, mapper: CacheRESTMapper | undefined): HandlerContext['scopeOf'] {
  const asked = new Map<string, Promise<'Namespace' | 'Root'>>();
  return (gvk) => {
    const known = schemeScope(scheme, gvk);
    if (known !== undefined) return Promise.resolve(known);
    const key = gvkToString(gvk);
    let scope = asked.get(key);
    if (scope === undefined) {
      if (mapper === undefined) {
        return Promise.reject(new InvalidOptionsError(`cannot tell whether ${key} is namespaced: register it in the scheme with namespaced, or give the controller a mapper`));
      }
      scope = mapper.restMapping(gvk).then((m) => m.scope);
      // A failed lookup (discovery down) is retried on the next event, not remembered.
      void scope.catch(() => asked.delete(key));
      asked.set(key, scope);
    }
    return scope;
  };
}
