// The informer layer's public surface.

export { Backoff, type BackoffOptions } from './backoff.ts';
export { FakeClock, realClock, type Clock, type TimerHandle } from '../api/clock.ts';
export {
  DeltaFIFO,
  type Delta,
  type DeltaFIFOOptions,
  type Deltas,
  type DeltaType,
  type KnownObjects,
  type PopProcessFunc,
} from './delta-fifo.ts';
export { DeletedFinalStateUnknown, isDeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
export {
  DeltaFIFOClosedError,
  HandlerError,
  IndexerConflictError,
  IndexFuncError,
  IndexNotFoundError,
  InformerAlreadyStartedError,
  InformerError,
  InformerStoppedError,
  ListError,
  MissingInitialEventsEndError,
  ProcessDeltasError,
  ResyncError,
  TransformError,
  VeryShortWatchError,
  WatchEventError,
  type InformerErrorReason,
} from './errors.ts';
export { HANDLER_LATENCY_BUCKETS_MS, handlerLatencyStats, type HandlerLatencyStats } from './handler-latency.ts';
export {
  Indexer,
  NAMESPACE_INDEX,
  namespaceIndexFunc,
  type IndexerOptions,
  type IndexerReader,
  type IndexFunc,
  type Indexers,
} from './indexer.ts';
export type { ResourceEventHandler, ResourceEventHandlerRegistration } from './handler.ts';
export type { InformerEvents, InformerStats, SharedIndexInformerOptions } from './informer-types.ts';
export type { Notification } from './notification.ts';
export { paginatedList, type PaginatedListOptions, type PaginatedListResult } from './pager.ts';
export { MAX_WATCH_LIST_ATTEMPTS, Reflector } from './reflector.ts';
export type { ReflectorOptions, ReflectorStats, ReflectorStore } from './reflector-types.ts';
export { classifyFailure, INITIAL_EVENTS_WARNING_MS, type FailureKind, type WatchIterator, type BufferedWatchIterator } from './watch.ts';
export {
  MINIMUM_RESYNC_PERIOD_MS,
  SharedIndexInformer,
  type AddEventHandlerOptions,
} from './shared-index-informer.ts';
