// controller-runtime's multiNamespaceCache: one informer cache per namespace, one view; cluster-scoped kinds in one cache.

import type { GroupVersionKind } from '../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { BackendInformerOptions, BackendReadOptions, CacheBackend, LabelledInformer } from './backend.ts';
import type { ObjectKeyInput, ReaderListOptions } from './cache-reader.ts';
import { UnknownNamespaceError } from './errors.ts';
import type { FieldExtractor } from './field-index.ts';
import type { Informer } from './informer.ts';
import { InformerCache } from './informer-cache.ts';
import { waitAsReader } from './read-rules.ts';
import type { CacheContext } from './informers-map.ts';
import type { KindRef } from './kinds.ts';
import { MultiNamespaceInformer } from './multi-namespace-informer.ts';
import { ALL_NAMESPACES, type ResolvedConfig } from './options.ts';

/** Answers whether a kind is namespaced (from the RESTMapper); stops waiting when `signal` aborts. */
export type ScopeLookup = (gvk: GroupVersionKind, signal?: AbortSignal) => Promise<'Namespace' | 'Root'>;

/**
 * Routes by namespace: gets go to the cache of the object's namespace (or the `ALL_NAMESPACES`
 * one), lists across namespaces merge every cache, informers fan out. Cluster-scoped kinds use a
 * single cluster-wide cache. A namespace with no cache and no `ALL_NAMESPACES` entry is an
 * {@link UnknownNamespaceError}, not a NotFound.
 */
export class MultiNamespaceCache implements CacheBackend {
  readonly #byNamespace = new Map<string, InformerCache>();
  readonly #cluster: InformerCache;
  readonly #scopeOf: ScopeLookup;

  constructor(
    context: CacheContext,
    namespaces: ReadonlyMap<string, ResolvedConfig>,
    clusterConfig: ResolvedConfig,
    options: { readonly failOnMissing: boolean; readonly scopeOf: ScopeLookup },
  ) {
    for (const [ns, config] of namespaces) {
      this.#byNamespace.set(ns, new InformerCache(context, ns, config, options.failOnMissing));
    }
    this.#cluster = new InformerCache(context, '', clusterConfig, options.failOnMissing);
    this.#scopeOf = options.scopeOf;
  }

  async get<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput, options: BackendReadOptions): Promise<DeepReadonly<T> | T> {
    if ((await this.#scope(kind, options.signal)) === 'Root') return this.#cluster.get(kind, key, options);
    const ns = key.namespace ?? '';
    const cache = this.#cacheFor(ns);
    if (cache === undefined) throw new UnknownNamespaceError('get', `${ns}/${key.name}`, ns);
    return cache.get(kind, key, options);
  }

  async list<T extends KubeObject>(
    kind: KindRef<T>,
    options: ReaderListOptions & { readonly signal?: AbortSignal },
  ): Promise<(DeepReadonly<T> | T)[]> {
    if ((await this.#scope(kind, options.signal)) === 'Root') return this.#cluster.list(kind, options);
    const ns = options.namespace ?? '';
    if (ns !== '') {
      const cache = this.#cacheFor(ns);
      if (cache === undefined) throw new UnknownNamespaceError('list', ns, ns);
      return cache.list(kind, options);
    }
    const out: (DeepReadonly<T> | T)[] = [];
    let remaining = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
    for (const cache of this.#byNamespace.values()) {
      const items = await cache.list(kind, remaining === Infinity ? options : { ...options, limit: remaining });
      out.push(...items);
      remaining -= items.length;
      if (remaining <= 0) break;
    }
    return out;
  }

  async getInformer<T extends KubeObject>(kind: KindRef<T>, options: BackendInformerOptions): Promise<Informer<T>> {
    if ((await this.#scope(kind, options.signal)) === 'Root') return this.#cluster.getInformer(kind, options);
    const informers = new Map<string, Informer<T>>();
    // Sequential, like controller-runtime: the first failure wins and later namespaces are not touched.
    for (const [ns, cache] of this.#byNamespace) informers.set(ns, await cache.getInformer(kind, options));
    return new MultiNamespaceInformer(informers);
  }

  async removeInformer(kind: KindRef): Promise<void> {
    for (const cache of await this.#cachesOf(kind)) await cache.removeInformer(kind);
  }

  async indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void> {
    for (const cache of await this.#cachesOf(kind)) await cache.indexField(kind, field, extract);
  }

  start(signal: AbortSignal): void {
    this.#cluster.start(signal);
    for (const cache of this.#byNamespace.values()) cache.start(signal);
  }

  async stopped(): Promise<void> {
    await Promise.all([this.#cluster, ...this.#byNamespace.values()].map((c) => c.stopped()));
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.#byNamespace.values(), this.#cluster].map((c) => c.waitForCacheSync(signal)));
    return results.every(Boolean);
  }

  peek<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput): DeepReadonly<T> | null | undefined {
    // Only one side ever has the kind's informer: the cluster cache for cluster-scoped kinds, else the namespace's.
    const cluster = this.#cluster.peek(kind, key);
    return cluster !== undefined ? cluster : this.#cacheFor(key.namespace ?? '')?.peek(kind, key);
  }

  informers(): LabelledInformer[] {
    return [this.#cluster, ...this.#byNamespace.values()].flatMap((c) => c.informers());
  }

  #cacheFor(namespace: string): InformerCache | undefined {
    return this.#byNamespace.get(namespace) ?? this.#byNamespace.get(ALL_NAMESPACES);
  }

  async #cachesOf(kind: KindRef): Promise<InformerCache[]> {
    return (await this.#scope(kind, undefined)) === 'Root' ? [this.#cluster] : [...this.#byNamespace.values()];
  }

  #scope(kind: KindRef, signal: AbortSignal | undefined): Promise<'Namespace' | 'Root'> {
    return waitAsReader(this.#scopeOf(kind.gvk, signal), kind, signal);
  }
}
