// The backend of `cacheFullObjects: 'whenRead'` kinds: metadata informers underneath, a working set of full objects per kind on top.

import { gvkKey } from '../../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../../api/types.ts';
import { RestClient } from '../../client/rest-client.ts';
import type { BackendInformerOptions, BackendReadOptions, CacheBackend, LabelledInformer } from '../backend.ts';
import type { ObjectKeyInput, ReaderListOptions } from '../cache-reader.ts';
import type { FieldExtractor } from '../field-index.ts';
import type { Informer } from '../informer.ts';
import type { CacheContext } from '../informers-map.ts';
import { metadataOnly, type KindRef, type MetadataObject } from '../kinds.ts';
import { objectDecoder } from '../list-watch/common.ts';
import { ALL_NAMESPACES, type ResolvedConfig, type ResolvedScope } from '../options.ts';
import { LiveReads } from './live-reads.ts';
import type { ResolvedWorkingSet } from './options.ts';
import { WorkingSet } from './working-set.ts';
import type { WorkingSetStatsEntry } from './working-set-stats.ts';

/**
 * Serves every kind of one `byObject` entry (or the cache's default) in working-set mode. Each GVK
 * has one metadata informer in `inner`, whatever representation asks: metadata-only reads go
 * straight to it, structured and unstructured reads through a {@link WorkingSet} of their own.
 * `getInformer` hands out the metadata informer for every representation, so handlers receive
 * metadata objects, and `indexField` indexes metadata objects.
 */
export class WorkingSetCache implements CacheBackend {
  readonly #inner: CacheBackend;
  readonly #context: CacheContext;
  readonly #scope: ResolvedScope;
  readonly #options: ResolvedWorkingSet;
  readonly #rest: RestClient;
  readonly #sets = new Map<string, WorkingSet<KubeObject>>();
  // Kind handles are long-lived constants: finding a set by identity spares building its key on every read.
  readonly #setsByHandle = new WeakMap<KindRef, WorkingSet<KubeObject>>();
  readonly #metadataKinds = new Map<string, KindRef<MetadataObject>>();
  readonly #stop = new AbortController();

  constructor(inner: CacheBackend, context: CacheContext, scope: ResolvedScope, options: ResolvedWorkingSet) {
    this.#inner = inner;
    this.#context = context;
    this.#scope = scope;
    this.#options = options;
    this.#rest = new RestClient(context.transport);
  }

  get<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput, options: BackendReadOptions): Promise<DeepReadonly<T> | T> {
    if (kind.representation === 'metadata') return this.#inner.get(kind, key, options);
    try {
      return this.#set(kind).get(key, options);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  async list<T extends KubeObject>(kind: KindRef<T>, options: ReaderListOptions & { readonly signal?: AbortSignal }): Promise<(DeepReadonly<T> | T)[]> {
    if (kind.representation === 'metadata') return this.#inner.list(kind, options);
    return this.#set(kind).list(options);
  }

  getInformer<T extends KubeObject>(kind: KindRef<T>, options: BackendInformerOptions): Promise<Informer<T>> {
    // Handlers of this kind receive metadata objects, whatever representation they asked for.
    return this.#inner.getInformer(this.#metadataKind(kind), options) as unknown as Promise<Informer<T>>;
  }

  async removeInformer(kind: KindRef): Promise<void> {
    await this.#inner.removeInformer(this.#metadataKind(kind));
    for (const [key, set] of this.#sets) if (key.endsWith(`|${gvkKey(kind.gvk)}`)) set.reset();
  }

  indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void> {
    // The informer holds metadata objects: that is what `extract` receives.
    return this.#inner.indexField(this.#metadataKind(kind), field, extract as unknown as FieldExtractor<MetadataObject>);
  }

  start(signal: AbortSignal): void {
    this.#inner.start(signal);
    if (signal.aborted) this.#stop.abort(signal.reason);
    else signal.addEventListener('abort', () => this.#stop.abort(signal.reason), { once: true });
  }

  stopped(): Promise<void> {
    return this.#inner.stopped();
  }

  waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    return this.#inner.waitForCacheSync(signal);
  }

  informers(): LabelledInformer[] {
    return this.#inner.informers();
  }

  peek<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput): DeepReadonly<T> | null | undefined {
    if (kind.representation === 'metadata') return this.#inner.peek(kind, key);
    return this.#sets.get(setKey(kind))?.peek(key) as DeepReadonly<T> | undefined;
  }

  workingSets(): WorkingSetStatsEntry[] {
    return [...this.#sets.values()].map((s) => s.stats());
  }

  #set<T extends KubeObject>(kind: KindRef<T>): WorkingSet<T> {
    const known = this.#setsByHandle.get(kind);
    if (known !== undefined) return known as unknown as WorkingSet<T>;
    const key = setKey(kind);
    let set = this.#sets.get(key);
    if (set === undefined) {
      // Throws KindNotRegisteredError for a structured kind the Scheme does not know.
      const decode = objectDecoder<KubeObject>(kind.representation, kind.gvk, this.#context.scheme);
      set = new WorkingSet<KubeObject>({
        kind: kind,
        metadataKind: this.#metadataKind(kind),
        backend: this.#inner,
        options: this.#options,
        live: this.#liveReads(kind, decode),
        configFor: (namespace) => this.#configFor(namespace),
        clusterWide: this.#scope.namespaces.size === 0,
        stop: this.#stop.signal,
        logger: this.#context.logger,
      });
      this.#sets.set(key, set);
    }
    this.#setsByHandle.set(kind, set);
    return set as unknown as WorkingSet<T>;
  }

  // The RESTMapper is asked on the first request, and again after a failure.
  #liveReads(kind: KindRef, decode: (raw: unknown) => KubeObject): () => Promise<LiveReads<KubeObject>> {
    let reads: Promise<LiveReads<KubeObject>> | undefined;
    return () => {
      reads ??= this.#context.mapper.restMapping(kind.gvk).then(
        (mapping) =>
          new LiveReads<KubeObject>({
            rest: this.#rest,
            resource: mapping.resource,
            scope: mapping.scope,
            decode,
            transformFor: (namespace) => this.#configFor(namespace).transform,
          }),
        (err: unknown) => {
          reads = undefined;
          throw err;
        },
      );
      return reads;
    };
  }

  // Cluster-scoped kinds (and a cluster-wide informer) use the scope's own config.
  #configFor(namespace: string): ResolvedConfig {
    const namespaces = this.#scope.namespaces;
    if (namespace === '' || namespaces.size === 0) return this.#scope.config;
    return namespaces.get(namespace) ?? namespaces.get(ALL_NAMESPACES) ?? this.#scope.config;
  }

  #metadataKind(kind: KindRef): KindRef<MetadataObject> {
    const key = gvkKey(kind.gvk);
    let md = this.#metadataKinds.get(key);
    if (md === undefined) {
      md = metadataOnly(kind.gvk);
      this.#metadataKinds.set(key, md);
    }
    return md;
  }
}

function setKey(kind: KindRef): string {
  return `${kind.representation}|${gvkKey(kind.gvk)}`;
}
