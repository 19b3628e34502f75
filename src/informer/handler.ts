// What a handler of an informer implements, and the handle its registration returns.

import type { DeepReadonly } from '../api/types.ts';
import type { DeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';

/**
 * Callbacks for the changes an informer observes. Each handler receives its notifications one at
 * a time, in order; a returned promise is awaited before the next notification. The cache is
 * already updated when a callback runs. `onDelete` may receive a {@link DeletedFinalStateUnknown}
 * when the deletion was inferred from a relist.
 * @category Informers
 */
export interface ResourceEventHandler<T> {
  onAdd?(obj: DeepReadonly<T>, isInInitialList: boolean): void | Promise<void>;
  onUpdate?(oldObj: DeepReadonly<T>, newObj: DeepReadonly<T>): void | Promise<void>;
  onDelete?(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

/**
 * The handle returned by `addEventHandler`; pass it to `removeEventHandler`.
 * @category Informers
 */
export interface ResourceEventHandlerRegistration {
  /** True once the informer synced and this handler processed every initial-list add. Latched. */
  hasSynced(): boolean;
  /**
   * Resolves when {@link ResourceEventHandlerRegistration.hasSynced} turns true; rejects with the
   * signal's reason on abort, or with an `InformerStoppedError` when the handler is removed or the
   * informer stops before it synced.
   */
  onSynced(options?: { signal?: AbortSignal }): Promise<void>;
  /** Notifications queued or being delivered to this handler. */
  readonly queueDepth: number;
}
