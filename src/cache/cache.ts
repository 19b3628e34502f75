// The Cache: controller-runtime's Reader & Informers over lazily created, shared informers.

import type { KubeConfig } from '@kubernetes/client-node';
import { untilAborted, waitUnlessAborted } from '../api/abortable.ts';
import { gvkKey, gvkToString, type GroupVersionKind } from '../api/gvk.ts';
import type { KubeObject } from '../api/types.ts';
import { RESTMapper } from '../client/rest-mapper.ts';
import { Transport } from '../client/transport.ts';
import type { CacheBackend } from './backend.ts';
import type { ObjectKeyInput } from './cache-reader.ts';
import { CacheAlreadyStartedError, InvalidCacheOptionsError } from './errors.ts';
import type { FieldExtractor } from './field-index.ts';
import type { Informer } from './informer.ts';
import { InformerCache } from './informer-cache.ts';
import type { CacheContext } from './informers-map.ts';
import { structured, type KindRef } from './kinds.ts';
import type { CacheListOptions, GetInformerOptions, GetOptions, Informers, Reader, ReadResult } from './interfaces.ts';
import { collectCacheStats, type CacheStats } from './metrics.ts';
import { MultiNamespaceCache } from './multi-namespace.ts';
import { readerListOptions } from './read-rules.ts';
import {
  resolveCacheOptions,
  type CacheOptions,
  type CacheRESTMapper,
  type ResolvedCacheOptions,
  type ResolvedScope,
} from './options.ts';
import type { Scheme } from './scheme.ts';
import { followSyncProgress, syncProgressOf, type SyncProgress, type WaitForCacheSyncOptions } from './sync-progress.ts';
import { WorkingSetCache } from './working-set/working-set-cache.ts';

/**
 * What a cache reads through, for a `Client` of the same cluster to share: one connection pool
 * and credential refresh, one RESTMapper (one discovery), the Scheme structured kinds decode with.
 * @category Cache
 */
export interface CacheConnection {
  /** The cache's HTTP transport: its keep-alive pool and the KubeConfig's credentials. */
  readonly transport: Transport;
  /** The RESTMapper the cache's informers map kinds with (its discovery already read). */
  readonly mapper: CacheRESTMapper;
  /** The Scheme structured kinds are decoded with. */
  readonly scheme: Scheme;
}

/**
 * controller-runtime's Cache: `get`/`list` served from informers' memory, plus the informers
 * themselves for event handlers. An informer per kind (and representation) is created on first
 * use, shared by everyone, and runs while the cache runs.
 *
 * Reads before {@link Cache.start} reject with CacheNotStartedError (the informer is registered
 * and starts with the cache). After start, a read of a new kind waits for its informer's first
 * sync. Reads return the stored objects, deep-frozen (mutating them throws), unless a copy is
 * asked for.
 *
 * @example
 * const cache = new Cache(kubeConfig, { defaultTransform: transformStripManagedFields() });
 * const ac = new AbortController();
 * const running = cache.start(ac.signal);
 * await cache.waitForCacheSync();
 * const pod = await cache.get(Pods, { namespace: 'default', name: 'web-0' });
 * @category Cache
 */
export class Cache implements Reader, Informers {
  readonly #options: ResolvedCacheOptions;
  readonly #context: CacheContext;
  readonly #default: CacheBackend;
  readonly #byObject = new Map<string, CacheBackend>();
  readonly #transport: Transport;
  #started = false;
  // Settles true once informers run, false if start() failed before running them.
  #markStartCalled: (running: boolean) => void = () => undefined;
  readonly #startCalled = new Promise<boolean>((resolve) => {
    this.#markStartCalled = resolve;
  });

  /** Builds a cache for `kubeConfig`'s current context; throws on invalid options. Nothing is requested until used. */
  constructor(kubeConfig: KubeConfig, options: CacheOptions = {}) {
    this.#options = resolveCacheOptions(options);
    const transport = Transport.fromKubeConfig(kubeConfig, {
      // Retry-After waits are bounded by the informers' backoff cap; the cache's logger hears rotation failures.
      ...(this.#options.backoff?.capMs === undefined ? {} : { maxRetryWaitMs: this.#options.backoff.capMs }),
      ...(this.#options.logger === undefined ? {} : { logger: this.#options.logger }),
      ...this.#options.transport,
    });
    this.#transport = transport;
    this.#context = {
      transport,
      mapper: this.#options.mapper ?? new RESTMapper(transport),
      scheme: this.#options.scheme,
      useWatchList: this.#options.useWatchList,
      watchErrorHandler: this.#options.watchErrorHandler,
      backoff: this.#options.backoff,
      minWatchTimeoutSeconds: this.#options.minWatchTimeoutSeconds,
      maxInternalErrorRetryDurationMs: this.#options.maxInternalErrorRetryDurationMs,
      logger: this.#options.logger,
    };
    this.#default = this.#backend(this.#options.defaults);
    for (const [key, byObject] of this.#options.byObject) this.#byObject.set(key, this.#backend(byObject));
  }

  /**
   * The object `key` names. Rejects with a 404 StatusError when absent (see `isNotFound`). For a
   * `cacheFullObjects: 'whenRead'` kind, a full object not held at the metadata informer's version
   * costs one GET (see `CacheFullObjects`).
   */
  get<T extends KubeObject, O extends GetOptions = GetOptions>(
    kind: KindRef<T>,
    key: ObjectKeyInput,
    options?: O,
  ): Promise<ReadResult<T, O>> {
    const read = this.#route(kind).get(kind, key, options ?? {});
    return read as Promise<ReadResult<T, O>>;
  }

  /** The objects matching `options` (all of the kind when absent), in no particular order. */
  async list<T extends KubeObject, O extends CacheListOptions = CacheListOptions>(
    kind: KindRef<T>,
    options?: O,
  ): Promise<ReadResult<T, O>[]> {
    const items = await this.#route(kind).list(kind, readerListOptions(options ?? {}));
    return items as ReadResult<T, O>[];
  }

  /**
   * The informer of `kind`, created (and, when the cache runs, started) if needed. Once the cache
   * runs it waits for the first sync unless `blockUntilSynced` is false; before start it returns
   * at once. Rejects with NoKindMatchError when the server does not serve the kind. For a
   * `cacheFullObjects: 'whenRead'` kind it is the kind's metadata informer, whatever the
   * representation asked: handlers receive metadata objects (read the full one with `get`).
   */
  getInformer<T extends KubeObject>(kind: KindRef<T>, options: GetInformerOptions = {}): Promise<Informer<T>> {
    return this.#route(kind).getInformer(kind, {
      blockUntilSynced: options.blockUntilSynced ?? true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** {@link Cache.getInformer} for a structured kind named by GVK; it must be in the Scheme. */
  async getInformerForKind<T extends KubeObject = KubeObject>(
    gvk: GroupVersionKind,
    options: GetInformerOptions = {},
  ): Promise<Informer<T>> {
    this.#options.scheme.require(gvk);
    return this.getInformer(structured<T>(gvk), options);
  }

  /** Stops and forgets the informer of `kind` (this representation only); later reads start afresh. */
  removeInformer(kind: KindRef): Promise<void> {
    return this.#route(kind).removeInformer(kind);
  }

  /**
   * Adds the field index `field` to `kind`'s informer (creating it; never waits for sync), so
   * lists can select on `field`. `extract` returns the object's values without namespace. Works
   * before and after start; registering the same field twice rejects with IndexerConflictError.
   * For a `cacheFullObjects: 'whenRead'` kind `extract` receives metadata objects.
   */
  indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void> {
    return this.#route(kind).indexField(kind, field, extract);
  }

  /**
   * The transport, RESTMapper and Scheme this cache reads through. `new Client(kubeConfig, { cache })`
   * uses them when `kubeConfig` names the same cluster and user, so writes share the cache's
   * connections and discovery. The transport's idle sockets are closed when the cache stops; a
   * later request opens new ones.
   */
  connection(): CacheConnection {
    return { transport: this.#transport, mapper: this.#context.mapper, scheme: this.#options.scheme };
  }

  /**
   * Runs every informer, present and future, until `signal` aborts; resolves once all have
   * stopped. Rejects with CacheAlreadyStartedError on a second call, and with
   * InvalidCacheOptionsError when `byObject` sets namespaces on a cluster-scoped kind.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new CacheAlreadyStartedError();
    this.#started = true;
    try {
      await this.#validateScopes();
    } catch (err) {
      this.#markStartCalled(false);
      throw err;
    }
    const backends = [this.#default, ...this.#byObject.values()];
    for (const backend of backends) backend.start(signal);
    this.#markStartCalled(true);
    await untilAborted(signal);
    try {
      await Promise.all(backends.map((b) => b.stopped()));
    } finally {
      // Idle keep-alive sockets would otherwise linger after the last watch ended.
      this.#transport.close();
    }
  }

  /**
   * Waits until {@link Cache.start} has been called, then until every informer existing at that
   * moment has synced. False when the signal aborts first, an informer stopped without syncing, or
   * start() failed. Takes the signal itself, or options with a signal and an `onProgress` callback
   * that receives per-informer list counts and synced flags as the informers sync.
   *
   * @example
   * await cache.waitForCacheSync({
   *   signal: AbortSignal.timeout(60_000),
   *   onProgress: (p) => console.log(`${p.synced}/${p.total} informers synced`),
   * });
   */
  async waitForCacheSync(options?: AbortSignal | WaitForCacheSyncOptions): Promise<boolean> {
    const { signal, onProgress } = options instanceof AbortSignal ? { signal: options, onProgress: undefined } : (options ?? {});
    if (!(await untilOrAbort(this.#startCalled, signal))) return false;
    const backends = this.#backends();
    const unfollow = onProgress === undefined ? undefined : followSyncProgress(backends.flatMap((b) => b.informers()), onProgress);
    try {
      const results = await Promise.all(backends.map((b) => b.waitForCacheSync(signal)));
      return results.every(Boolean);
    } finally {
      unfollow?.();
    }
  }

  /**
   * The sync of the informers existing once {@link Cache.start} has been called, as an async
   * iterable of snapshots: the starting point, then one after each page listed or informer synced,
   * ending once all have synced (or, without an error, when `signal` aborts or an informer stops
   * unsynced). A slow consumer receives the latest snapshot, not every one.
   *
   * @example
   * for await (const p of cache.syncProgress({ signal })) console.log(`${p.synced}/${p.total} synced`);
   */
  async *syncProgress(options: { signal?: AbortSignal } = {}): AsyncGenerator<SyncProgress, void, undefined> {
    if (!(await untilOrAbort(this.#startCalled, options.signal))) return;
    yield* syncProgressOf(
      this.#backends().flatMap((b) => b.informers()),
      options.signal,
    );
  }

  /**
   * The counters of every informer as plain numbers: objects, events by type, relists, watch
   * restarts and errors, handler errors and latency, listener queue depths, last resource version;
   * and of every working set (`cacheFullObjects: 'whenRead'` kinds): objects, bytes, hits, misses,
   * hydrations, evictions, requests. Render them for Prometheus with `renderPrometheus`.
   */
  stats(): CacheStats {
    const backends = this.#backends();
    return collectCacheStats(
      backends.flatMap((b) => b.informers()),
      backends.flatMap((b) => b.workingSets?.() ?? []),
    );
  }

  #backends(): CacheBackend[] {
    return [this.#default, ...this.#byObject.values()];
  }

  #route(kind: KindRef): CacheBackend {
    return this.#byObject.get(gvkKey(kind.gvk)) ?? this.#default;
  }

  #backend(scope: ResolvedScope): CacheBackend {
    const inner = this.#informerBackend(scope);
    return scope.workingSet === undefined ? inner : new WorkingSetCache(inner, this.#context, scope, scope.workingSet);
  }

  #informerBackend(scope: ResolvedScope): CacheBackend {
    const failOnMissing = this.#options.readerFailOnMissingInformer;
    if (scope.namespaces.size === 0) return new InformerCache(this.#context, '', scope.config, failOnMissing);
    const mapper = this.#context.mapper;
    const scopeOf = async (gvk: GroupVersionKind, signal?: AbortSignal) => (await mapper.restMapping(gvk, { signal })).scope;
    return new MultiNamespaceCache(this.#context, scope.namespaces, scope.config, { failOnMissing, scopeOf });
  }

  async #validateScopes(): Promise<void> {
    for (const byObject of this.#options.byObject.values()) {
      if (!byObject.namespacesExplicit || this.#options.scheme.lookup(byObject.gvk)?.namespaced !== undefined) continue;
      let scope: 'Namespace' | 'Root';
      try {
        scope = (await this.#context.mapper.restMapping(byObject.gvk)).scope;
      } catch (err) {
        throw new InvalidCacheOptionsError(`failed to determine if ${gvkToString(byObject.gvk)} is namespaced`, { cause: err });
      }
      if (scope === 'Root') {
        throw new InvalidCacheOptionsError(
          `type ${gvkToString(byObject.gvk)} is not namespaced, but its byObject.namespaces setting is not undefined`,
        );
      }
    }
  }
}

// The promise's answer, or false as soon as `signal` aborts. `promise` must not reject.
async function untilOrAbort(promise: Promise<boolean>, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    // Only ever given #startCalled, which never rejects (a failed start settles it false).
    return await waitUnlessAborted<boolean>(signal, (resolve) => {
      void promise.then(resolve);
      return () => undefined;
    });
  } catch (err) {
    if (signal?.aborted === true) return false;
    throw err;
  }
}
