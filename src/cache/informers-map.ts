// One registry of informers per representation, keyed by GVK: created lazily, once, started with the cache.

import { gvkKey, gvkToString, type GroupVersionKind } from '../api/gvk.ts';
import { parseFieldSelector } from '../api/field-selector.ts';
import { childLogger, type Logger } from '../api/logger.ts';
import type { KubeObject } from '../api/types.ts';
import type { Transport } from '../client/transport.ts';
import type { BackoffOptions } from '../informer/backoff.ts';
import { NAMESPACE_INDEX, namespaceIndexFunc } from '../informer/indexer.ts';
import { SharedIndexInformer } from '../informer/shared-index-informer.ts';
import { CacheReader } from './cache-reader.ts';
import type { ListWatchFactory } from './list-watch/common.ts';
import type { CacheRESTMapper, CacheWatchErrorHandler, ResolvedConfig } from './options.ts';
import type { Scheme } from './scheme.ts';

/** What every informer of a cache shares, whatever its namespace or representation. */
export interface CacheContext {
  readonly transport: Transport;
  readonly mapper: CacheRESTMapper;
  readonly scheme: Scheme;
  readonly useWatchList: boolean;
  readonly watchErrorHandler: CacheWatchErrorHandler | undefined;
  /** Informers' retry delays; undefined: client-go's. */
  readonly backoff?: BackoffOptions | undefined;
  /** Informers' watch length floor in seconds; undefined: 300. */
  readonly minWatchTimeoutSeconds?: number | undefined;
  /** See CacheOptions.maxInternalErrorRetryDurationMs; undefined: 0. */
  readonly maxInternalErrorRetryDurationMs?: number | undefined;
  /** Informers log through a child of this one; undefined: they log nothing. */
  readonly logger?: Logger | undefined;
}

/** One informer of an {@link InformersMap} and the reader over its store. */
export interface InformerEntry<T extends KubeObject> {
  readonly gvk: GroupVersionKind;
  /** The namespace the informer lists and watches; "" = all (and for cluster-scoped kinds). */
  readonly namespace: string;
  readonly informer: SharedIndexInformer<T>;
  readonly reader: CacheReader<T>;
  readonly scope: 'Namespace' | 'Root';
}

interface Slot<T extends KubeObject> {
  readonly entry: InformerEntry<T>;
  readonly stop: AbortController;
}

/**
 * controller-runtime's InformersMap for one representation and one informer configuration
 * (namespace, selectors, transform): at most one informer per GVK. Concurrent requests for a new
 * GVK share one creation; a failed creation (say the kind is not served yet) is not remembered,
 * so the next request retries. Informers created after {@link InformersMap.start} start at once.
 */
export class InformersMap<T extends KubeObject> {
  readonly #factory: ListWatchFactory<T>;
  readonly #context: CacheContext;
  readonly #namespace: string;
  readonly #config: ResolvedConfig;
  readonly #slots = new Map<string, Slot<T>>();
  readonly #pending = new Map<string, Promise<InformerEntry<T>>>();
  readonly #runs = new Set<Promise<void>>();
  #signal: AbortSignal | undefined;
  #runError: unknown;

  constructor(factory: ListWatchFactory<T>, context: CacheContext, namespace: string, config: ResolvedConfig) {
    this.#factory = factory;
    this.#context = context;
    this.#namespace = namespace;
    this.#config = config;
  }

  /** True once {@link InformersMap.start} ran. */
  get started(): boolean {
    return this.#signal !== undefined;
  }

  /** The entry of `gvk` if it exists; never creates one. */
  peek(gvk: GroupVersionKind): InformerEntry<T> | undefined {
    return this.#slots.get(gvkKey(gvk))?.entry;
  }

  /** The entry of `gvk`, creating (and, once started, running) its informer on first use. */
  async getOrCreate(gvk: GroupVersionKind): Promise<InformerEntry<T>> {
    const key = gvkKey(gvk);
    const existing = this.#slots.get(key);
    if (existing !== undefined) return existing.entry;
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = this.#create(key, gvk).finally(() => {
        if (this.#pending.get(key) === pending) this.#pending.delete(key);
      });
      this.#pending.set(key, pending);
    }
    return pending;
  }

  /**
   * Stops and forgets the informer of `gvk`; a later request creates a new one. No-op when absent.
   * A creation in flight is not cancelled: it completes as if requested after the removal.
   */
  remove(gvk: GroupVersionKind): void {
    const key = gvkKey(gvk);
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    this.#slots.delete(key);
    slot.stop.abort(new Error(`informer for ${key} removed`));
  }

  /** Every current entry. */
  entries(): InformerEntry<T>[] {
    return [...this.#slots.values()].map((s) => s.entry);
  }

  /** Runs every informer until `signal` aborts; later informers run as they are created. */
  start(signal: AbortSignal): void {
    this.#signal = signal;
    for (const slot of this.#slots.values()) this.#run(slot);
  }

  /** Resolves when every informer run so far has stopped; rejects with the first run failure. */
  async stopped(): Promise<void> {
    while (this.#runs.size > 0) await Promise.all([...this.#runs]);
    const failure = this.#runError;
    if (failure === undefined) return;
    throw failure instanceof Error ? failure : new Error('an informer failed with a non-Error value', { cause: failure });
  }

  async #create(key: string, gvk: GroupVersionKind): Promise<InformerEntry<T>> {
    const mapping = await this.#context.mapper.restMapping(gvk);
    const namespace = mapping.scope === 'Root' ? '' : this.#listNamespace();
    const lw = this.#factory({
      transport: this.#context.transport,
      gvk,
      resource: mapping.resource,
      namespace,
      labelSelector: this.#config.labelSelector,
      fieldSelector: this.#config.fieldSelector,
      enableWatchBookmarks: this.#config.enableWatchBookmarks,
      scheme: this.#context.scheme,
    });
    const transform = this.#config.transform;
    const informer = new SharedIndexInformer<T>(lw, {
      resyncPeriodMs: jitter(this.#config.syncPeriodMs),
      indexers: { [NAMESPACE_INDEX]: namespaceIndexFunc },
      // A transform may reshape objects, as Go's TransformFunc may; what it returns is stored as T.
      ...(transform === undefined ? {} : { transform: (obj: T) => transform(obj) as T }),
      useWatchList: this.#context.useWatchList,
      ...(this.#context.backoff === undefined ? {} : { backoff: this.#context.backoff }),
      ...(this.#context.minWatchTimeoutSeconds === undefined ? {} : { minWatchTimeoutSeconds: this.#context.minWatchTimeoutSeconds }),
      ...(this.#context.maxInternalErrorRetryDurationMs === undefined ? {} : { maxInternalErrorRetryDurationMs: this.#context.maxInternalErrorRetryDurationMs }),
      objectDescription: mapping.resource.resource,
      ...this.#errorHandler(gvk),
      ...this.#logger(gvk, namespace),
    });
    const entry: InformerEntry<T> = {
      gvk,
      namespace,
      informer,
      scope: mapping.scope,
      reader: new CacheReader<T>({
        indexer: informer.getIndexer(),
        gvk,
        resource: mapping.resource.resource,
        scope: mapping.scope,
        deepCopy: this.#config.deepCopy,
      }),
    };
    const existing = this.#slots.get(key);
    if (existing !== undefined) return existing.entry;
    const slot: Slot<T> = { entry, stop: new AbortController() };
    this.#slots.set(key, slot);
    if (this.#signal !== undefined) this.#run(slot);
    return entry;
  }

  #errorHandler(gvk: GroupVersionKind): { watchErrorHandler?: (err: unknown) => void } {
    const handler = this.#context.watchErrorHandler;
    if (handler === undefined) return {};
    const source = { gvk, namespace: this.#namespace };
    return { watchErrorHandler: (err) => handler(err, source) };
  }

  #logger(gvk: GroupVersionKind, namespace: string): { logger?: Logger } {
    const logger = this.#context.logger;
    if (logger === undefined) return {};
    return { logger: childLogger(logger, { gvk: gvkToString(gvk), namespace }) };
  }

  // controller-runtime's restrictNamespaceBySelector: a namespace pinned by the field selector
  // narrows the request path, so namespace-scoped RBAC suffices.
  #listNamespace(): string {
    if (this.#namespace !== '') return this.#namespace;
    if (this.#config.fieldSelector === '') return '';
    return parseFieldSelector(this.#config.fieldSelector).requiresExactMatch('metadata.namespace') ?? '';
  }

  #run(slot: Slot<T>): void {
    const signal = this.#signal;
    if (signal === undefined) return;
    const run = slot.entry.informer.run(AbortSignal.any([signal, slot.stop.signal])).then(
      () => undefined,
      (err: unknown) => {
        this.#runError ??= err;
      },
    );
    this.#runs.add(run);
    // `run` cannot reject (its failure is kept in #runError above), so nothing is lost here.
    void run.finally(() => this.#runs.delete(run));
  }
}

// Spreads resyncs of many informers over [0.9, 1.1) of the period, as controller-runtime does.
function jitter(periodMs: number): number {
  return periodMs <= 0 ? 0 : Math.round(periodMs * (Math.random() / 5 + 0.9));
}
