// Field indexes as controller-runtime keys them: "field:<field>" over "<ns>/<value>" and "__all_namespaces/<value>".

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { IndexFunc } from '../informer/indexer.ts';

/**
 * The namespace part of index keys that match in every namespace.
 * @category Cache
 */
export const ALL_NAMESPACES_INDEX_KEY = '__all_namespaces';

/**
 * Extracts the raw (namespace-less) values a field index files an object under.
 * @category Cache
 */
export type FieldExtractor<T> = (obj: DeepReadonly<T>) => readonly string[];

/**
 * The informer index name of a field index: `field:<field>`.
 * @category Cache
 */
export function fieldIndexName(field: string): string {
  return `field:${field}`;
}

/**
 * The index key of `value` within `namespace`, or across all namespaces when `namespace` is "" or absent.
 * @category Cache
 */
export function keyToNamespacedKey(namespace: string | undefined, value: string): string {
  return namespace === undefined || namespace === '' ? `${ALL_NAMESPACES_INDEX_KEY}/${value}` : `${namespace}/${value}`;
}

/**
 * Wraps a user extractor into an index function: a namespaced object is filed under `ns/v` and
 * `__all_namespaces/v` for each value `v`, a cluster-scoped one under `__all_namespaces/v` only,
 * so one index answers both namespaced and cluster-wide lists. The extractor's array is never
 * mutated.
 */
export function indexByField<T extends KubeObject>(extract: FieldExtractor<T>): IndexFunc<T> {
  return (obj) => {
    const values = extract(obj);
    const ns = obj.metadata?.namespace ?? '';
    const keys: string[] = [];
    if (ns !== '') for (const v of values) keys.push(`${ns}/${v}`);
    for (const v of values) keys.push(`${ALL_NAMESPACES_INDEX_KEY}/${v}`);
    return keys;
  };
}
