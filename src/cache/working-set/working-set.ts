// One kind's working set: full objects of what was read, checked against the metadata informer on every read.

import PQueue from 'p-queue';
import { deepCopy } from '../../api/deep-freeze.ts';
import { isNotFound } from '../../api/errors.ts';
import { gvkToString } from '../../api/gvk.ts';
import { errorFields, type Logger } from '../../api/logger.ts';
import type { DeepReadonly, KubeObject } from '../../api/types.ts';
import type { ResourceEventHandler } from '../../informer/handler.ts';
import type { BackendReadOptions, CacheBackend } from '../backend.ts';
import type { ObjectKeyInput, ReaderListOptions } from '../cache-reader.ts';
import { StaleReadError } from '../errors.ts';
import type { Informer } from '../informer.ts';
import type { KindRef, MetadataObject } from '../kinds.ts';
import type { ResolvedConfig } from '../options.ts';
import { hydrateList, type ListHydrationHost } from './list-hydration.ts';
import type { FetchedObject, LiveReads } from './live-reads.ts';
import type { ResolvedWorkingSet } from './options.ts';
import { isNotOlder, isOlder } from './resource-version.ts';
import { SharedFetches } from './shared-fetches.ts';
import { deletedKey, splitKey, storeKey } from './store-keys.ts';
import type { WorkingSetStatsEntry } from './working-set-stats.ts';
import { WorkingSetStore, type Slot } from './working-set-store.ts';

/** What a working set is built from. */
export interface WorkingSetContext<T extends KubeObject> {
  /** The kind reads name (structured or unstructured). */
  readonly kind: KindRef<T>;
  /** The same kind as metadata: the informer that watches every object. */
  readonly metadataKind: KindRef<MetadataObject>;
  /** The cache holding that informer. */
  readonly backend: CacheBackend;
  readonly options: ResolvedWorkingSet;
  /** The live requests, once the kind's resource is known (the first miss asks the RESTMapper). */
  readonly live: () => Promise<LiveReads<T>>;
  /** The informer settings of a namespace: copy policy, and the selectors a live LIST adds. */
  readonly configFor: (namespace: string) => ResolvedConfig;
  /** True when one informer watches every namespace, so one LIST may span them. */
  readonly clusterWide: boolean;
  /** Aborts every request when the cache stops. */
  readonly stop: AbortSignal;
  readonly logger: Logger | undefined;
}

type Counter = 'hits' | 'misses' | 'hydrations' | 'invalidations' | 'getRequests' | 'listRequests' | 'refreshErrors';

/**
 * The full objects of one kind that were read, kept while the metadata informer still shows their
 * version. A read takes the metadata informer's object as the truth: absent is a NotFound with no
 * request; present at the version held is a hit; anything else is one GET not older than the
 * metadata's version, shared by concurrent readers, kept and returned. The informer's events drop
 * (or, with `onUpdate: 'refresh'`, refetch) held objects that a newer version or a delete made stale.
 */
export class WorkingSet<T extends KubeObject> implements ListHydrationHost<T> {
  readonly #c: WorkingSetContext<T>;
  readonly #store: WorkingSetStore<T>;
  readonly #fetches: SharedFetches<FetchedObject<T>>;
  readonly #queue: PQueue;
  readonly #counts: Record<Counter, number> = {
    hits: 0,
    misses: 0,
    hydrations: 0,
    invalidations: 0,
    getRequests: 0,
    listRequests: 0,
    refreshErrors: 0,
  };
  #binding: Promise<void> | undefined;
  #informer: Informer<MetadataObject> | undefined;

  constructor(context: WorkingSetContext<T>) {
    this.#c = context;
    this.#store = new WorkingSetStore<T>(context.options);
    this.#fetches = new SharedFetches<FetchedObject<T>>(context.stop);
    this.#queue = new PQueue({ concurrency: context.options.hydrationConcurrency });
  }

  /** The full object `key` names; see the class contract. A hit answers without waiting on anything. */
  get(key: ObjectKeyInput, options: BackendReadOptions): Promise<DeepReadonly<T> | T> {
    const md = this.#c.backend.peek(this.#c.metadataKind, key);
    if (md !== undefined && md !== null) {
      const held = this.held(md);
      if (held !== undefined) return Promise.resolve(this.output(held, md, options.deepCopy));
    }
    return this.#getSlow(key, options);
  }

  /** The full objects of the metadata informer's matches, in its order; see {@link hydrateList} for the rule. */
  async list(options: ReaderListOptions & { readonly signal?: AbortSignal }): Promise<(DeepReadonly<T> | T)[]> {
    const matches = (await this.#c.backend.list(this.#c.metadataKind, { ...options, deepCopy: false })) as DeepReadonly<MetadataObject>[];
    return hydrateList(this, matches, options);
  }

  /** The held object `key` names when it is current (for the backend's own `peek`); undefined otherwise. */
  peek(key: ObjectKeyInput): DeepReadonly<T> | undefined {
    const md = this.#c.backend.peek(this.#c.metadataKind, key);
    if (md === undefined || md === null) return undefined;
    return this.#current(md)?.held.object;
  }

  /** Drops every held object and the event subscription (the kind's informer was removed). */
  reset(): void {
    this.#store.clear();
    this.#binding = undefined;
    this.#informer = undefined;
  }

  /** This set's counters and sizes. */
  stats(): WorkingSetStatsEntry {
    return {
      gvk: { ...this.#c.kind.gvk },
      representation: this.#c.kind.representation,
      objects: this.#store.size,
      bytes: this.#store.bytes,
      maxObjects: this.#c.options.maxObjects,
      maxBytes: this.#c.options.maxBytes,
      evictions: this.#store.evictions,
      ...this.#counts,
    };
  }

  // ListHydrationHost: what list hydration needs of the set.

  /** The held object for metadata `md` when current (counted as a hit and made recent); else undefined. */
  held(md: DeepReadonly<MetadataObject>): DeepReadonly<T> | undefined {
    const slot = this.#current(md);
    if (slot === undefined) return undefined;
    this.#store.touch(slot);
    this.#counts.hits++;
    return slot.held.object;
  }

  /** Counts `n` reads that need the server. */
  missed(n: number): void {
    this.#counts.misses += n;
  }

  /** One GET (or a share of a running one) for metadata `md`; `queued` waits for a slot of `hydrationConcurrency`. */
  fetch(md: DeepReadonly<MetadataObject>, signal: AbortSignal | undefined, queued: boolean): Promise<FetchedObject<T>> {
    const run = (s: AbortSignal): Promise<FetchedObject<T>> =>
      queued ? this.#queue.add(() => this.#load(md, s), { signal: s }) : this.#load(md, s);
    return this.#fetches.join(storeKey(md), md.metadata.resourceVersion ?? '', run, { signal });
  }

  /** Counts a LIST page and the objects it brought; keeps each that is current. */
  received(fetched: FetchedObject<T>): void {
    this.#counts.hydrations++;
    this.#keep(fetched);
  }

  /** Counts LIST requests sent. */
  listed(pages: number): void {
    this.#counts.listRequests += pages;
  }

  /** The requests of this kind. */
  liveReads(): Promise<LiveReads<T>> {
    return this.#c.live();
  }

  /** The settings of a namespace's informer. */
  configFor(namespace: string): ResolvedConfig {
    return this.#c.configFor(namespace);
  }

  /** The working set's options, and whether the informer spans every namespace. */
  get options(): ResolvedWorkingSet & { readonly clusterWide: boolean } {
    return { ...this.#c.options, clusterWide: this.#c.clusterWide };
  }

  /** `obj` as the read asked for it: frozen, or a copy per the call or the namespace's `deepCopy`. */
  output(obj: DeepReadonly<T>, md: DeepReadonly<MetadataObject>, copy: boolean | undefined): DeepReadonly<T> | T {
    return (copy ?? this.#c.configFor(md.metadata.namespace ?? '').deepCopy) ? deepCopy<T>(obj) : obj;
  }

  async #getSlow(key: ObjectKeyInput, options: BackendReadOptions): Promise<DeepReadonly<T> | T> {
    // Waits for the informer's sync when needed; a NotFound here is the answer (no request).
    const md = (await this.#c.backend.get(this.#c.metadataKind, key, { ...signalOf(options.signal), deepCopy: false })) as DeepReadonly<MetadataObject>;
    const held = this.held(md);
    if (held !== undefined) return this.output(held, md, options.deepCopy);
    this.missed(1);
    const fetched = await this.fetch(md, options.signal, false);
    return this.output(fetched.object, md, options.deepCopy);
  }

  // The slot holding `md`'s object when it is that very object at its version or newer. Looked up
  // by the strings `md` carries: no key is built on a hit.
  #current(md: DeepReadonly<MetadataObject>): Slot<T> | undefined {
    const slot = this.#store.find(md.metadata.namespace ?? '', md.metadata.name ?? '');
    if (slot === undefined || slot.held.uid !== (md.metadata.uid ?? '')) return undefined;
    return isNotOlder(slot.held.resourceVersion, md.metadata.resourceVersion ?? '') ? slot : undefined;
  }

  // The request behind a fetch: GET not older than the metadata's version (served by the server's
  // watch cache, no etcd read), kept if still current, returned either way.
  async #load(md: DeepReadonly<MetadataObject>, signal: AbortSignal): Promise<FetchedObject<T>> {
    await this.#bind();
    const live = await this.#c.live();
    const key = splitKey(storeKey(md));
    const minVersion = md.metadata.resourceVersion ?? '';
    let fetched = await this.#get(live, key, minVersion, signal);
    if (isOlder(fetched.resourceVersion, minVersion)) {
      // A kube-apiserver never answers older than the version asked for; a proxy or an aggregated
      // server that ignores the parameter can. Read once more, consistently (the latest state).
      fetched = await this.#get(live, key, undefined, signal);
      if (isOlder(fetched.resourceVersion, minVersion)) {
        throw new StaleReadError(`${gvkToString(this.#c.kind.gvk)} ${storeKey(md)}`, fetched.resourceVersion, minVersion);
      }
    }
    this.received(fetched);
    return fetched;
  }

  async #get(live: LiveReads<T>, key: ObjectKeyInput, resourceVersion: string | undefined, signal: AbortSignal): Promise<FetchedObject<T>> {
    this.#counts.getRequests++;
    try {
      return await live.get(key, resourceVersion, signal);
    } catch (err) {
      // Gone on the server before the metadata watch said so: what the set held is stale too.
      if (isNotFound(err)) this.#drop(key.namespace ?? '', key.name);
      throw err;
    }
  }

  // Kept only if the metadata informer, right now, shows this very object at this version or an
  // older one: an answer a newer event already overtook, or for a deleted object, is not kept.
  #keep(fetched: FetchedObject<T>): void {
    const md = this.#c.backend.peek(this.#c.metadataKind, splitKey(fetched.key));
    if (md === undefined || md === null || (md.metadata.uid ?? '') !== fetched.uid) return;
    if (!isNotOlder(fetched.resourceVersion, md.metadata.resourceVersion ?? '')) return;
    this.#store.set(fetched.namespace, fetched.name, fetched);
  }

  #drop(namespace: string, name: string): void {
    if (this.#store.delete(namespace, name)) this.#counts.invalidations++;
  }

  // The informer's events keep the set honest; they are in place before anything is kept.
  #bind(): Promise<void> {
    if (this.#informer?.isStopped() === true) this.reset();
    this.#binding ??= this.#c.backend.getInformer(this.#c.metadataKind, { blockUntilSynced: false }).then(
      (informer) => {
        informer.addEventHandler(this.#handler());
        this.#informer = informer;
      },
      (err: unknown) => {
        this.#binding = undefined;
        throw err;
      },
    );
    return this.#binding;
  }

  #handler(): ResourceEventHandler<MetadataObject> {
    return {
      onAdd: (md) => this.#revalidate(storeKey(md)),
      onUpdate: (_old, md) => this.#revalidate(storeKey(md)),
      onDelete: (md) => this.#revalidate(deletedKey(md)),
    };
  }

  // Checked against the informer's store as it is now, not against the event, so that events
  // arriving late or out of step with fetches never leave a stale object behind.
  #revalidate(key: string): void {
    const { namespace = '', name } = splitKey(key);
    const held = this.#store.find(namespace, name)?.held;
    if (held === undefined) return;
    const md = this.#c.backend.peek(this.#c.metadataKind, { namespace, name });
    if (md === undefined) return;
    if (md !== null && (md.metadata.uid ?? '') === held.uid && isNotOlder(held.resourceVersion, md.metadata.resourceVersion ?? '')) return;
    this.#drop(namespace, name);
    if (md !== null && this.#c.options.onUpdate === 'refresh') this.#refresh(md);
  }

  #refresh(md: DeepReadonly<MetadataObject>): void {
    const run = (s: AbortSignal): Promise<FetchedObject<T>> => this.#queue.add(() => this.#load(md, s), { signal: s });
    const refresh = this.#fetches.join(storeKey(md), md.metadata.resourceVersion ?? '', run, { background: true });
    refresh.then(
      () => undefined,
      (err: unknown) => {
        if (this.#c.stop.aborted) return;
        this.#counts.refreshErrors++;
        this.#c.logger?.warn('working set refresh failed; the next read fetches the object', {
          gvk: gvkToString(this.#c.kind.gvk),
          key: storeKey(md),
          ...errorFields(err),
        });
      },
    );
  }
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
