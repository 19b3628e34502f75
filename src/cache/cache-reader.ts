// Reads of one informer's store: get by key, list by namespace or field index, label filter, limit, copies.

import { deepCopy } from '../api/deep-freeze.ts';
import { StatusError } from '../api/errors.ts';
import type { FieldRequirement, FieldSelector } from '../api/field-selector.ts';
import type { GroupVersionKind } from '../api/gvk.ts';
import type { LabelSelector } from '../api/label-selector.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { NAMESPACE_INDEX, type IndexerReader } from '../informer/indexer.ts';
import { UnsupportedFieldSelectorError } from './errors.ts';
import { fieldIndexName, keyToNamespacedKey } from './field-index.ts';

/**
 * What a get names: the object's name, and its namespace for namespaced kinds.
 * @category Cache
 */
export interface ObjectKeyInput {
  readonly namespace?: string;
  readonly name: string;
}

/** Parsed list options as the reader applies them. */
export interface ReaderListOptions {
  readonly namespace?: string;
  readonly labelSelector?: LabelSelector;
  readonly fieldSelector?: FieldSelector;
  readonly limit?: number;
  readonly deepCopy?: boolean;
}

/** How a reader was set up: the store, the kind it holds and its scope, and the copy policy. */
export interface CacheReaderOptions<T> {
  readonly indexer: IndexerReader<T>;
  readonly gvk: GroupVersionKind;
  /** The plural resource, for NotFound messages ("pods"). */
  readonly resource: string;
  readonly scope: 'Namespace' | 'Root';
  /** Copy on every read unless the call says otherwise. */
  readonly deepCopy: boolean;
}

type Matcher<T> = (obj: DeepReadonly<T>) => boolean;

/** Copies a stored object into a mutable, independent value. */
export function copyObject<T>(obj: DeepReadonly<T>): T {
  return deepCopy<T>(obj);
}

/**
 * controller-runtime's CacheReader: serves get and list from an informer's store. Results are the
 * stored frozen objects unless a copy is asked for (per call, or by the reader's policy).
 */
export class CacheReader<T extends KubeObject> {
  readonly #o: CacheReaderOptions<T>;

  constructor(options: CacheReaderOptions<T>) {
    this.#o = options;
  }

  /** The object under `key`, or a 404 NotFound StatusError. Cluster-scoped kinds ignore the namespace. */
  get(key: ObjectKeyInput, deepCopy?: boolean): DeepReadonly<T> | T {
    const obj = this.find(key);
    if (obj === undefined) throw this.notFound(key.name);
    return (deepCopy ?? this.#o.deepCopy) ? copyObject(obj) : obj;
  }

  /** The stored object under `key` (never copied), or undefined. Cluster-scoped kinds ignore the namespace. */
  find(key: ObjectKeyInput): DeepReadonly<T> | undefined {
    const ns = this.#o.scope === 'Root' ? '' : (key.namespace ?? '');
    return this.#o.indexer.get(ns === '' ? key.name : `${ns}/${key.name}`);
  }

  /** The NotFound error the API server would give for `name` of this reader's resource. */
  notFound(name: string): StatusError {
    const { group } = this.#o.gvk;
    const qualified = group === '' ? this.#o.resource : `${this.#o.resource}.${group}`;
    return StatusError.of(404, 'NotFound', `${qualified} "${name}" not found`, {
      name,
      group,
      kind: this.#o.resource,
    });
  }

  /**
   * Matching objects: field requirements through their indexes (or metadata.name/namespace),
   * else the namespace index; then the label selector in memory; then `limit`. Order is the
   * store's, not sorted.
   */
  list(options: ReaderListOptions = {}): (DeepReadonly<T> | T)[] {
    const candidates = this.#select(options.namespace ?? '', options.fieldSelector);
    const labels = options.labelSelector;
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
    const copy = options.deepCopy ?? this.#o.deepCopy;
    // The candidates are already a fresh array the reader owns: hand it out rather than copy it.
    if (labels === undefined && !copy && candidates.length <= limit) return candidates as DeepReadonly<T>[];
    const out: (DeepReadonly<T> | T)[] = [];
    for (const obj of candidates) {
      if (out.length >= limit) break;
      if (labels !== undefined && !labels.matches(obj.metadata?.labels)) continue;
      out.push(copy ? copyObject(obj) : obj);
    }
    return out;
  }

  // Returns a new array each time (never the store's own), which list may hand out as is.
  #select(namespace: string, fields: FieldSelector | undefined): readonly DeepReadonly<T>[] {
    const indexer = this.#o.indexer;
    if (fields === undefined) return namespace === '' ? indexer.list() : indexer.byIndex(NAMESPACE_INDEX, namespace);
    const reqs = fields.requirements;
    if (reqs.length === 0 || reqs.some((r) => r.operator !== '=')) {
      throw new UnsupportedFieldSelectorError('non-exact field matches are not supported by the cache');
    }
    const first = reqs.find((r) => indexer.hasIndex(fieldIndexName(r.field)));
    // The index lookup answers `first` exactly (its key includes the namespace): only the rest filter.
    const matchers = reqs.filter((r) => r !== first).map((r) => this.#matcher(r, namespace));
    let candidates: DeepReadonly<T>[];
    if (first !== undefined) {
      candidates = indexer.byIndex(fieldIndexName(first.field), keyToNamespacedKey(namespace, first.value));
    } else if (namespace !== '') {
      candidates = indexer.byIndex(NAMESPACE_INDEX, namespace);
    } else {
      candidates = indexer.list();
    }
    return matchers.length === 0 ? candidates : candidates.filter((obj) => matchers.every((m) => m(obj)));
  }

  #matcher(req: FieldRequirement, namespace: string): Matcher<T> {
    const name = fieldIndexName(req.field);
    const fn = this.#o.indexer.getIndexers()[name];
    if (fn !== undefined) {
      const key = keyToNamespacedKey(namespace, req.value);
      return (obj) => fn(obj).includes(key);
    }
    // Every kind supports these two on the server; answer them without an index.
    if (req.field === 'metadata.name') return (obj) => (obj.metadata?.name ?? '') === req.value;
    if (req.field === 'metadata.namespace') return (obj) => (obj.metadata?.namespace ?? '') === req.value;
    throw new UnsupportedFieldSelectorError(`index with name ${name} does not exist`);
  }
}
