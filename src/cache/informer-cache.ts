// controller-runtime's informerCache: one informer configuration, three representation maps, reads with lazy informers.

import { gvkToString } from '../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { BackendInformerOptions, BackendReadOptions, CacheBackend, LabelledInformer } from './backend.ts';
import type { CacheReader, ObjectKeyInput, ReaderListOptions } from './cache-reader.ts';
import { CacheNotStartedError, ResourceNotCachedError } from './errors.ts';
import { fieldIndexName, indexByField, type FieldExtractor } from './field-index.ts';
import type { Informer } from './informer.ts';
import { InformersMap, type CacheContext, type InformerEntry } from './informers-map.ts';
import type { KindRef, Representation } from './kinds.ts';
import { metadataListWatch } from './list-watch/metadata.ts';
import { structuredListWatch } from './list-watch/structured.ts';
import { unstructuredListWatch } from './list-watch/unstructured.ts';
import type { ResolvedConfig } from './options.ts';
import { requireRegistered, waitAsReader, waitForInformerSync } from './read-rules.ts';

/** How a reader finds an informer: create it on demand, or fail when it is missing. */
interface Lookup {
  readonly failOnMissing: boolean;
  readonly blockUntilSynced: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A cache of one namespace ("" = all) with one configuration: the three informer maps and the
 * reads over them. Reads create the kind's informer when missing (unless `failOnMissing`), reject
 * with CacheNotStartedError before start, and otherwise wait for the informer's first sync.
 */
export class InformerCache implements CacheBackend {
  readonly #maps: Record<Representation, InformersMap<KubeObject>>;
  readonly #context: CacheContext;
  readonly #failOnMissing: boolean;

  constructor(context: CacheContext, namespace: string, config: ResolvedConfig, failOnMissing: boolean) {
    this.#context = context;
    this.#failOnMissing = failOnMissing;
    this.#maps = {
      structured: new InformersMap<KubeObject>(structuredListWatch, context, namespace, config),
      unstructured: new InformersMap(unstructuredListWatch, context, namespace, config) as unknown as InformersMap<KubeObject>,
      metadata: new InformersMap(metadataListWatch, context, namespace, config) as unknown as InformersMap<KubeObject>,
    };
  }

  get<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput, options: BackendReadOptions): Promise<DeepReadonly<T> | T> {
    return this.#read(kind, options.signal, (reader) => reader.get(key, options.deepCopy));
  }

  list<T extends KubeObject>(
    kind: KindRef<T>,
    options: ReaderListOptions & { readonly signal?: AbortSignal },
  ): Promise<(DeepReadonly<T> | T)[]> {
    return this.#read(kind, options.signal, (reader) => reader.list(options));
  }

  // The common case, a synced informer, is answered with no await at all: one Map lookup. A
  // reader's throw (NotFound, a bad selector) becomes the promise's rejection either way.
  #read<T extends KubeObject, R>(kind: KindRef<T>, signal: AbortSignal | undefined, read: (reader: CacheReader<T>) => R): Promise<R> {
    try {
      const ready = this.#syncedEntry(kind);
      if (ready === undefined) return this.#readable(kind, signal).then((entry) => read(entry.reader));
      return Promise.resolve(read(ready.reader));
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }

  async getInformer<T extends KubeObject>(kind: KindRef<T>, options: BackendInformerOptions): Promise<Informer<T>> {
    const entry = await this.#entry(kind, { failOnMissing: false, ...options });
    return entry.informer;
  }

  removeInformer(kind: KindRef): Promise<void> {
    this.#map(kind).remove(kind.gvk);
    return Promise.resolve();
  }

  async indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void> {
    const entry = await this.#entry(kind, { failOnMissing: false, blockUntilSynced: false });
    entry.informer.addIndexers({ [fieldIndexName(field)]: indexByField(extract) });
  }

  start(signal: AbortSignal): void {
    for (const map of Object.values(this.#maps)) map.start(signal);
  }

  async stopped(): Promise<void> {
    await Promise.all(Object.values(this.#maps).map((m) => m.stopped()));
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const entries = Object.values(this.#maps).flatMap((m) => m.entries());
    try {
      await Promise.all(entries.map((e) => (e.informer.hasSynced() ? Promise.resolve() : e.informer.onSynced(signalOption(signal)))));
      return true;
    } catch (err) {
      // A false answer is the contract (aborted, or an informer stopped before syncing); the
      // informer's own error was already reported through its watchError event and handler.
      if (signal?.aborted === true || entries.some((e) => e.informer.isStopped())) return false;
      throw err;
    }
  }

  peek<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput): DeepReadonly<T> | null | undefined {
    const entry = this.#syncedEntry(kind);
    return entry === undefined ? undefined : (entry.reader.find(key) ?? null);
  }

  informers(): LabelledInformer[] {
    return (Object.entries(this.#maps) as [Representation, InformersMap<KubeObject>][]).flatMap(([representation, map]) =>
      map.entries().map((e) => ({ gvk: e.gvk, representation, namespace: e.namespace, informer: e.informer })),
    );
  }

  // The entry of a started map whose informer has synced: what the slow path would resolve with at once.
  #syncedEntry<T extends KubeObject>(kind: KindRef<T>): InformerEntry<T> | undefined {
    const map = this.#map(kind);
    if (!map.started) return undefined;
    const entry = map.peek(kind.gvk);
    return entry !== undefined && entry.informer.hasSynced() ? entry : undefined;
  }

  async #readable<T extends KubeObject>(kind: KindRef<T>, signal: AbortSignal | undefined): Promise<InformerEntry<T>> {
    const entry = await this.#entry(kind, { failOnMissing: this.#failOnMissing, blockUntilSynced: true, signal });
    if (!this.#map(kind).started) throw new CacheNotStartedError();
    // The map may have started while #entry awaited (a read right after start()): wait for the
    // first sync rather than answer from an empty store.
    if (!entry.informer.hasSynced()) await waitForInformerSync(entry.informer, kind, signal);
    return entry;
  }

  async #entry<T extends KubeObject>(kind: KindRef<T>, lookup: Lookup): Promise<InformerEntry<T>> {
    const map = this.#map(kind);
    let entry = map.peek(kind.gvk);
    if (entry === undefined) {
      if (lookup.failOnMissing) throw new ResourceNotCachedError(gvkToString(kind.gvk));
      requireRegistered(this.#context.scheme, kind);
      // The creation (discovery first) is shared with other readers: only this reader stops waiting.
      entry = await waitAsReader(map.getOrCreate(kind.gvk), kind, lookup.signal);
    }
    if (lookup.blockUntilSynced && map.started && !entry.informer.hasSynced()) {
      await waitForInformerSync(entry.informer, kind, lookup.signal);
    }
    return entry;
  }

  #map<T extends KubeObject>(kind: KindRef<T>): InformersMap<T> {
    return this.#maps[kind.representation] as unknown as InformersMap<T>;
  }
}

function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
