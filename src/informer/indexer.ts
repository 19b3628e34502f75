// The informer's store: objects by key, plus secondary indexes kept up to date incrementally.

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { isDeletedFinalStateUnknown, type DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { IndexerConflictError, IndexFuncError, IndexNotFoundError } from './errors.ts';
import { objectKeyOf } from '../api/object-key.ts';

/**
 * Computes the index values of an object (an object may have none or several). Must be
 * deterministic. One that throws leaves that object out of that index (and the failure is reported).
 * @category Informers
 */
export type IndexFunc<T> = (obj: DeepReadonly<T>) => readonly string[];

/**
 * Index functions by index name.
 * @category Informers
 */
export type Indexers<T> = Record<string, IndexFunc<T>>;

/**
 * The name of the index of objects by namespace.
 * @category Informers
 */
export const NAMESPACE_INDEX = 'namespace';

/** Indexes an object by its namespace ("" for cluster-scoped objects). */
export function namespaceIndexFunc(obj: DeepReadonly<KubeObject>): readonly string[] {
  return [obj.metadata?.namespace ?? ''];
}

/**
 * A read-only view of an informer's Indexer (its store and indexes). Returned objects are the stored ones (frozen unless the
 * informer was told not to freeze): never mutate them. List results are fresh arrays in no
 * particular order.
 * @category Informers
 */
export interface IndexerReader<T> {
  /** The object stored under `key` ("namespace/name" or "name"). */
  get(key: string): DeepReadonly<T> | undefined;
  has(key: string): boolean;
  list(): DeepReadonly<T>[];
  listKeys(): string[];
  readonly size: number;
  /** Objects whose `indexName` values include `value`; throws {@link IndexNotFoundError} for an unknown index. */
  byIndex(indexName: string, value: string): DeepReadonly<T>[];
  /** Store keys of the objects {@link IndexerReader.byIndex} would return, sorted. */
  indexKeys(indexName: string, value: string): string[];
  /** Every value currently present in an index; empty for an unknown index. */
  listIndexFuncValues(indexName: string): string[];
  hasIndex(indexName: string): boolean;
  getIndexers(): Readonly<Indexers<T>>;
}

/** Options of {@link Indexer}. */
export interface IndexerOptions<T> {
  /** @default "namespace/name" from the object's metadata */
  readonly keyFunc?: (obj: DeepReadonly<T>) => string;
  readonly indexers?: Indexers<T>;
  /**
   * Receives each index function failure; the write it happened in has completed without that
   * object's entry in that index. Without it, a write that met a failure throws the first one
   * after completing.
   */
  readonly onIndexError?: (error: IndexFuncError) => void;
}

// One index: index value → (store key → object). Buckets hold the objects themselves, so a
// lookup by index copies one bucket instead of resolving every key through the store again.
type Bucket<T> = Map<string, DeepReadonly<T>>;
type IndexMap<T> = Map<string, Bucket<T>>;

interface IndexEntry<T> {
  readonly name: string;
  readonly fn: IndexFunc<T>;
  index: IndexMap<T>;
}

const NO_VALUES: readonly string[] = Object.freeze([]);

/**
 * client-go's Indexer: a keyed store with secondary indexes. Each write updates only the index
 * entries whose values changed. Single writer (the informer); readers get {@link Indexer.readOnly}.
 *
 * An index function that throws does not stop a write: the object is stored (or removed) all the
 * same, without an entry in that index, and the failure becomes an {@link IndexFuncError} for
 * `onIndexError` (client-go panics instead; a cache that drops the write would keep a deleted or
 * stale object). The entry appears once a later version of the object indexes cleanly.
 */
export class Indexer<T> implements IndexerReader<T> {
  readonly #keyFunc: (obj: DeepReadonly<T>) => string;
  #items = new Map<string, DeepReadonly<T>>();
  readonly #indexers: Indexers<T> = {};
  // The same indexes twice: by name for reads, as an array for the write path (no per-write allocation).
  readonly #indices = new Map<string, IndexEntry<T>>();
  readonly #entries: IndexEntry<T>[] = [];
  #resourceVersion = '';
  #view: IndexerReader<T> | undefined;
  readonly #onIndexError: ((error: IndexFuncError) => void) | undefined;
  // Failures met by the current write when there is no onIndexError: thrown once it completes.
  #unreported: IndexFuncError | undefined;

  constructor(options: IndexerOptions<T> = {}) {
    this.#keyFunc = options.keyFunc ?? ((obj) => objectKeyOf(obj));
    this.#onIndexError = options.onIndexError;
    if (options.indexers !== undefined) this.addIndexers(options.indexers);
  }

  /** The key this store files `obj` under (a tombstone yields its recorded key). */
  keyOf(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): string {
    return isDeletedFinalStateUnknown<T>(obj) ? obj.key : this.#keyFunc(obj);
  }

  get(key: string): DeepReadonly<T> | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  list(): DeepReadonly<T>[] {
    return [...this.#items.values()];
  }

  listKeys(): string[] {
    return [...this.#items.keys()];
  }

  get size(): number {
    return this.#items.size;
  }

  /** The resource version given to the last {@link Indexer.replace}; "" before any. */
  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  byIndex(indexName: string, value: string): DeepReadonly<T>[] {
    const bucket = this.#index(indexName).get(value);
    return bucket === undefined ? [] : [...bucket.values()];
  }

  indexKeys(indexName: string, value: string): string[] {
    return [...(this.#index(indexName).get(value)?.keys() ?? [])].sort();
  }

  listIndexFuncValues(indexName: string): string[] {
    return [...(this.#indices.get(indexName)?.index.keys() ?? [])];
  }

  hasIndex(indexName: string): boolean {
    return Object.hasOwn(this.#indexers, indexName);
  }

  getIndexers(): Readonly<Indexers<T>> {
    return { ...this.#indexers };
  }

  /** Stores `obj` under its key (an add of an existing key is an update). */
  add(obj: DeepReadonly<T>): void {
    this.updateByKey(this.#keyFunc(obj), obj);
  }

  /** Stores `obj` under its key, replacing the previous object and its index entries. */
  update(obj: DeepReadonly<T>): void {
    this.updateByKey(this.#keyFunc(obj), obj);
  }

  /**
   * Stores `obj` under `key`, which the caller computed with this store's key function (the
   * informer's queue already has it); saves computing it again on the hot path.
   */
  updateByKey(key: string, obj: DeepReadonly<T>): void {
    this.#put(key, obj);
    this.#throwUnreported();
  }

  /** Removes the object under `obj`'s key (a tombstone's key for a tombstone); a missing key is a no-op. */
  delete(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void {
    this.deleteByKey(this.keyOf(obj));
  }

  /** Removes the object stored under `key`, if any. */
  deleteByKey(key: string): void {
    const old = this.#items.get(key);
    if (old === undefined) return;
    for (const entry of this.#entries) removeValues(entry.index, storedValues(entry, old), key);
    this.#items.delete(key);
  }

  /** Replaces the whole contents with `objs` and rebuilds every index; records `resourceVersion`. */
  replace(objs: Iterable<DeepReadonly<T>>, resourceVersion: string): void {
    const items = new Map<string, DeepReadonly<T>>();
    for (const obj of objs) items.set(this.#keyFunc(obj), obj);
    const rebuilt = this.#entries.map((entry) => this.#buildIndex(items, entry));
    this.#items = items;
    this.#entries.forEach((entry, i) => (entry.index = rebuilt[i] as IndexMap<T>));
    this.#resourceVersion = resourceVersion;
    this.#throwUnreported();
  }

  /**
   * Adds indexes and back-fills them from the stored objects. Throws {@link IndexerConflictError}
   * (adding nothing) when a name is already taken.
   */
  addIndexers(indexers: Indexers<T>): void {
    const conflicts = Object.keys(indexers).filter((name) => this.hasIndex(name));
    if (conflicts.length > 0) throw new IndexerConflictError(conflicts);
    const built = Object.entries(indexers).map(([name, fn]) => {
      const entry: IndexEntry<T> = { name, fn, index: new Map() };
      entry.index = this.#buildIndex(this.#items, entry);
      return entry;
    });
    for (const entry of built) {
      this.#indexers[entry.name] = entry.fn;
      this.#indices.set(entry.name, entry);
      this.#entries.push(entry);
    }
    this.#throwUnreported();
  }

  /** A view exposing only the reads; it stays live as the store changes. */
  readOnly(): IndexerReader<T> {
    this.#view ??= createReadOnlyView(this);
    return this.#view;
  }

  #put(key: string, obj: DeepReadonly<T>): void {
    const old = this.#items.get(key);
    const entries = this.#entries;
    this.#items.set(key, obj);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as IndexEntry<T>;
      const before = old === undefined ? NO_VALUES : storedValues(entry, old);
      const after = this.#valuesOf(entry, key, obj);
      for (const value of before) if (!after.includes(value)) removeValue(entry.index, value, key);
      for (const value of after) addValue(entry.index, value, key, obj);
    }
  }

  // The values of `obj` in one index; a throwing function is reported and yields none.
  #valuesOf(entry: IndexEntry<T>, key: string, obj: DeepReadonly<T>): readonly string[] {
    try {
      return entry.fn(obj);
    } catch (err) {
      const error = new IndexFuncError(entry.name, key, err);
      if (this.#onIndexError !== undefined) this.#onIndexError(error);
      else this.#unreported ??= error;
      return NO_VALUES;
    }
  }

  #throwUnreported(): void {
    const error = this.#unreported;
    if (error === undefined) return;
    this.#unreported = undefined;
    throw error;
  }

  #buildIndex(items: ReadonlyMap<string, DeepReadonly<T>>, entry: IndexEntry<T>): IndexMap<T> {
    const index: IndexMap<T> = new Map();
    for (const [key, obj] of items) for (const value of this.#valuesOf(entry, key, obj)) addValue(index, value, key, obj);
    return index;
  }

  #index(indexName: string): IndexMap<T> {
    const entry = this.#indices.get(indexName);
    if (entry === undefined) throw new IndexNotFoundError(indexName);
    return entry.index;
  }
}

function removeValues<T>(index: IndexMap<T>, values: readonly string[], key: string): void {
  for (const value of values) removeValue(index, value, key);
}

function removeValue<T>(index: IndexMap<T>, value: string, key: string): void {
  const bucket = index.get(value);
  if (bucket === undefined) return;
  bucket.delete(key);
  // Empty buckets are dropped so listIndexFuncValues reports only values still in use.
  if (bucket.size === 0) index.delete(value);
}

// Also refreshes the object of a key already in the bucket: buckets hold objects, not keys.
function addValue<T>(index: IndexMap<T>, value: string, key: string, obj: DeepReadonly<T>): void {
  let bucket = index.get(value);
  if (bucket === undefined) {
    bucket = new Map();
    index.set(value, bucket);
  }
  bucket.set(key, obj);
}

// The values a stored object was filed under. A function that throws on it threw when it was
// stored too (index functions are deterministic), so it was filed under none.
function storedValues<T>(entry: IndexEntry<T>, stored: DeepReadonly<T>): readonly string[] {
  try {
    return entry.fn(stored);
  } catch (err) {
    void err;
    return NO_VALUES;
  }
}

function createReadOnlyView<T>(store: Indexer<T>): IndexerReader<T> {
  return Object.freeze({
    get: (key: string) => store.get(key),
    has: (key: string) => store.has(key),
    list: () => store.list(),
    listKeys: () => store.listKeys(),
    get size() {
      return store.size;
    },
    byIndex: (indexName: string, value: string) => store.byIndex(indexName, value),
    indexKeys: (indexName: string, value: string) => store.indexKeys(indexName, value),
    listIndexFuncValues: (indexName: string) => store.listIndexFuncValues(indexName),
    hasIndex: (indexName: string) => store.hasIndex(indexName),
    getIndexers: () => store.getIndexers(),
  });
}
