// The informer's store: objects by key, plus secondary indexes kept up to date incrementally.

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { isDeletedFinalStateUnknown, type DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { IndexerConflictError, IndexNotFoundError } from './errors.ts';
import { metaNamespaceKey } from './object-helpers.ts';

/** Computes the index values of an object (an object may have none or several). Must not throw. */
export type IndexFunc<T> = (obj: DeepReadonly<T>) => readonly string[];

/** Index functions by index name. */
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** The name of the index of objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

/** Indexes an object by its namespace ("" for cluster-scoped objects). */
export function namespaceIndexFunc(obj: DeepReadonly<KubeObject>): readonly string[] {
  return [obj.metadata?.namespace ?? ''];
}

/**
 * A read-only view of an {@link Indexer}. Returned objects are the stored ones (frozen unless the
 * informer was told not to freeze): never mutate them. List results are fresh arrays in no
 * particular order.
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
}

type IndexMap = Map<string, Set<string>>;

/**
 * client-go's Indexer: a keyed store with secondary indexes. Each write updates only the index
 * entries whose values changed. An index function that throws aborts the write before anything
 * changes. Single writer (the informer); readers get {@link Indexer.readOnly}.
 */
export class Indexer<T> implements IndexerReader<T> {
  readonly #keyFunc: (obj: DeepReadonly<T>) => string;
  #items = new Map<string, DeepReadonly<T>>();
  readonly #indexers: Indexers<T> = {};
  // index name → index value → store keys
  readonly #indices = new Map<string, IndexMap>();
  #resourceVersion = '';
  #view: IndexerReader<T> | undefined;

  constructor(options: IndexerOptions<T> = {}) {
    this.#keyFunc = options.keyFunc ?? ((obj) => metaNamespaceKey(obj as DeepReadonly<KubeObject>));
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
    const keys = this.#index(indexName).get(value);
    if (keys === undefined) return [];
    const out: DeepReadonly<T>[] = [];
    for (const key of keys) {
      const obj = this.#items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  indexKeys(indexName: string, value: string): string[] {
    return [...(this.#index(indexName).get(value) ?? [])].sort();
  }

  listIndexFuncValues(indexName: string): string[] {
    return [...(this.#indices.get(indexName)?.keys() ?? [])];
  }

  hasIndex(indexName: string): boolean {
    return Object.hasOwn(this.#indexers, indexName);
  }

  getIndexers(): Readonly<Indexers<T>> {
    return { ...this.#indexers };
  }

  /** Stores `obj` under its key (an add of an existing key is an update). */
  add(obj: DeepReadonly<T>): void {
    this.#put(this.#keyFunc(obj), obj);
  }

  /** Stores `obj` under its key, replacing the previous object and its index entries. */
  update(obj: DeepReadonly<T>): void {
    this.#put(this.#keyFunc(obj), obj);
  }

  /** Removes the object under `obj`'s key (a tombstone's key for a tombstone); a missing key is a no-op. */
  delete(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void {
    this.deleteByKey(this.keyOf(obj));
  }

  /** Removes the object stored under `key`, if any. */
  deleteByKey(key: string): void {
    const old = this.#items.get(key);
    if (old === undefined) return;
    for (const [name, fn] of Object.entries(this.#indexers)) {
      this.#removeValues(this.#index(name), fn(old), key);
    }
    this.#items.delete(key);
  }

  /** Replaces the whole contents with `objs` and rebuilds every index; records `resourceVersion`. */
  replace(objs: Iterable<DeepReadonly<T>>, resourceVersion: string): void {
    const items = new Map<string, DeepReadonly<T>>();
    for (const obj of objs) items.set(this.#keyFunc(obj), obj);
    const indices = new Map<string, IndexMap>();
    for (const [name, fn] of Object.entries(this.#indexers)) indices.set(name, buildIndex(items, fn));
    this.#items = items;
    for (const [name, index] of indices) this.#indices.set(name, index);
    this.#resourceVersion = resourceVersion;
  }

  /**
   * Adds indexes and back-fills them from the stored objects. Throws {@link IndexerConflictError}
   * (adding nothing) when a name is already taken.
   */
  addIndexers(indexers: Indexers<T>): void {
    const conflicts = Object.keys(indexers).filter((name) => this.hasIndex(name));
    if (conflicts.length > 0) throw new IndexerConflictError(conflicts);
    const built = new Map<string, IndexMap>();
    for (const [name, fn] of Object.entries(indexers)) built.set(name, buildIndex(this.#items, fn));
    for (const [name, index] of built) {
      this.#indexers[name] = indexers[name] as IndexFunc<T>;
      this.#indices.set(name, index);
    }
  }

  /** A view exposing only the reads; it stays live as the store changes. */
  readOnly(): IndexerReader<T> {
    this.#view ??= createReadOnlyView(this);
    return this.#view;
  }

  #put(key: string, obj: DeepReadonly<T>): void {
    const old = this.#items.get(key);
    // Compute every index value first so a throwing index function leaves the store untouched.
    const changes: [IndexMap, readonly string[], readonly string[]][] = [];
    for (const [name, fn] of Object.entries(this.#indexers)) {
      changes.push([this.#index(name), old === undefined ? [] : fn(old), fn(obj)]);
    }
    this.#items.set(key, obj);
    for (const [index, oldValues, newValues] of changes) {
      if (oldValues.length === 1 && newValues.length === 1 && oldValues[0] === newValues[0]) continue;
      this.#removeValues(index, oldValues, key);
      addValues(index, newValues, key);
    }
  }

  #index(indexName: string): IndexMap {
    const index = this.#indices.get(indexName);
    if (index === undefined) throw new IndexNotFoundError(indexName);
    return index;
  }

  #removeValues(index: IndexMap, values: readonly string[], key: string): void {
    for (const value of values) {
      const keys = index.get(value);
      if (keys === undefined) continue;
      keys.delete(key);
      // Empty sets are dropped so listIndexFuncValues reports only values still in use.
      if (keys.size === 0) index.delete(value);
    }
  }
}

function addValues(index: IndexMap, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (keys === undefined) {
      keys = new Set();
      index.set(value, keys);
    }
    keys.add(key);
  }
}

function buildIndex<T>(items: ReadonlyMap<string, DeepReadonly<T>>, fn: IndexFunc<T>): IndexMap {
  const index: IndexMap = new Map();
  for (const [key, obj] of items) addValues(index, fn(obj), key);
  return index;
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
