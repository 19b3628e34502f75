// The narrow Informer view the cache hands out (controller-runtime's cache.Informer).

import type { Indexers } from '../informer/indexer.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from '../informer/handler.ts';
import type { AddEventHandlerOptions } from '../informer/shared-index-informer.ts';

/**
 * What `getInformer` returns: add and remove event handlers, add indexes, observe sync. For a
 * cache over all namespaces this is the SharedIndexInformer itself; with several namespaces it
 * fans out to one informer per namespace.
 * @category Informers
 */
export interface Informer<T> {
  /**
   * Adds a handler. A handler added after the informer has objects first receives them as adds
   * with `isInInitialList` true. Throws if the informer has stopped.
   */
  addEventHandler(handler: ResourceEventHandler<T>, options?: AddEventHandlerOptions): ResourceEventHandlerRegistration;
  /**
   * Removes a handler; removing one twice is a no-op. Resolves once a notification it was handling
   * has finished and nothing more will be delivered to it.
   */
  removeEventHandler(registration: ResourceEventHandlerRegistration): Promise<void>;
  /** Adds indexes (also after start; existing objects are indexed at once). Throws on a name conflict. */
  addIndexers(indexers: Indexers<T>): void;
  /** True once the initial list is in the store. */
  hasSynced(): boolean;
  /** Resolves once synced; rejects with the signal's reason on abort, or if the informer stops first. */
  onSynced(options?: { signal?: AbortSignal }): Promise<void>;
  /** True once the informer has stopped (cache stopped, or informer removed). */
  isStopped(): boolean;
}
