// The tombstone for a deletion the informer inferred from a relist instead of seeing it.

import type { DeepReadonly } from '../api/types.ts';

/**
 * Handed to `onDelete` (and stored in a Deleted delta) when an object vanished while the watch
 * was down: a relist no longer contained it, so its final state is unknown. `obj` is the last
 * state the cache knew, which may be stale, or undefined when even that was unknown.
 * @category Informers
 */
export class DeletedFinalStateUnknown<T> {
  /** The store key ("namespace/name" or "name") of the deleted object. */
  readonly key: string;
  /** The last known state of the object, possibly stale. */
  readonly obj: DeepReadonly<T> | undefined;

  constructor(key: string, obj: DeepReadonly<T> | undefined) {
    this.key = key;
    this.obj = obj;
    Object.freeze(this);
  }
}

/**
 * True when `x` is a {@link DeletedFinalStateUnknown} tombstone.
 * @category Informers
 */
export function isDeletedFinalStateUnknown<T = unknown>(x: unknown): x is DeletedFinalStateUnknown<T> {
  return x instanceof DeletedFinalStateUnknown;
}
