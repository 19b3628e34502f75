// Private helpers of the informer layer: store keys and freezing of stored objects.

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { isDeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/** The store key of a Kubernetes object: "namespace/name", or "name" when cluster-scoped. */
export function metaNamespaceKey(obj: DeepReadonly<KubeObject>): string {
  const meta = obj.metadata;
  if (meta?.name === undefined) throw new TypeError('object has no metadata.name: cannot compute its key');
  const ns = meta.namespace;
  return ns === undefined || ns === '' ? meta.name : `${ns}/${meta.name}`;
}

/** Like {@link metaNamespaceKey}, but a tombstone yields its recorded key. */
export function deletionHandlingKey(obj: unknown): string {
  if (isDeletedFinalStateUnknown(obj)) return obj.key;
  return metaNamespaceKey(obj as DeepReadonly<KubeObject>);
}

/** Views a value the caller owns as read-only: no copy, only a change of static type. */
export function asReadonly<T>(value: T): DeepReadonly<T> {
  return value as unknown as DeepReadonly<T>;
}

/** Freezes plain JSON-like data recursively, in place, and returns it typed read-only. */
export function freezeDeep<T>(value: T): DeepReadonly<T> {
  freezeValue(value);
  return asReadonly(value);
}

function freezeValue(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) freezeValue(item);
    return;
  }
  for (const key in value) freezeValue((value as Record<string, unknown>)[key]);
}
