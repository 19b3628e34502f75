// Private helpers of the informer layer: store keys and read-only views of owned objects.

import { objectKeyOf } from '../api/object-key.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { isDeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/** The store key of an object (`objectKeyOf`: "namespace/name" or "name"); a tombstone yields its recorded key. */
export function deletionHandlingKey(obj: unknown): string {
  if (isDeletedFinalStateUnknown(obj)) return obj.key;
  return objectKeyOf(obj as DeepReadonly<KubeObject>);
}

/**
 * Views a value the caller owns as read-only: no copy, only a change of static type. A list of
 * objects views as a list of read-only objects (`DeepReadonly<T[]>` would not simplify for a generic T).
 */
export function asReadonly<T>(value: readonly T[]): readonly DeepReadonly<T>[];
export function asReadonly<T>(value: T): DeepReadonly<T>;
export function asReadonly<T>(value: T): DeepReadonly<T> {
  return value as unknown as DeepReadonly<T>;
}
