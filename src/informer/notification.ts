// What a listener delivers to one handler: an add, an update or a delete.

import type { DeepReadonly } from '../api/types.ts';
import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/**
 * One event for one handler. `add` carries `isInInitialList` (true for the objects of the first
 * list and for the synthetic adds a late handler receives); `delete` may carry a tombstone.
 */
export type Notification<T> =
  | { readonly type: 'add'; readonly obj: DeepReadonly<T>; readonly isInInitialList: boolean }
  | { readonly type: 'update'; readonly oldObj: DeepReadonly<T>; readonly newObj: DeepReadonly<T> }
  | { readonly type: 'delete'; readonly obj: DeepReadonly<T> | DeletedFinalStateUnknown<T> };
