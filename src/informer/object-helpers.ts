// Private helpers of the informer layer: store keys and read-only views of owned objects.

import { objectKeyOf } from '../api/object-key.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { isDeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/** The store key of an object (`objectKeyOf`: "namespace/name" or "name"); a tombstone yields its recorded key. */
export function deletionHandlingKey(obj: unknown): string {
  if (isDeletedFinalStateUnknown(obj)) return obj.key;
  return objectKeyOf(obj as DeepReadonly<KubeObject>);
}

/** Views a value the caller owns as read-only: no copy, only a change of static type. */
export function asReadonly<T>(value: T): DeepReadonly<T> {
  return value as unknown as DeepReadonly<T>;
}
