// kubecache's public API: the Cache and what its users touch (kinds, options, errors, informers, API shapes).

/**
 * controller-runtime's Cache for TypeScript: list and watch each kind once, serve `get`/`list`
 * from an indexed, frozen in-memory copy, and fan events out to handlers in order, without losing
 * a delete across reconnects; write through a {@link Client} that reads from that cache. Start with
 * {@link Cache}, {@link Client} and the built-in kind handles such as {@link Pods};
 * {@link SharedIndexInformer} is the machinery under the cache, usable alone. The test kit (a fake
 * APIServer and fake informers) is the `kubecache/testing` entry point.
 *
 * @categoryDescription Cache
 * The Cache (controller-runtime's Reader & Informers), its options and read options.
 * @categoryDescription Kinds
 * Kind handles (`Pods`, `structured`, `unstructured`, `metadataOnly`), the object types they read, the Scheme.
 * @categoryDescription Client
 * Writes to the APIServer (and live reads): the Client, patches, retries, and the REST client, RESTMapper and transport under it.
 * @categoryDescription Informers
 * The machinery under the Cache, usable alone: SharedIndexInformer, handlers, ListerWatcher, backoff.
 * @categoryDescription API Machinery
 * Object shapes, GroupVersionKinds, label and field selectors, object keys, freezing and copying, clocks.
 * @categoryDescription Observability
 * Logging, metrics (Prometheus text), transport and informer stats, sync progress.
 * @categoryDescription Errors
 * Typed errors (each with `reason` and, for Status errors, `code`) and the `isNotFound`-style predicates.
 * @packageDocumentation
 * @module kubecache
 */

// First, before anything that loads client-node or undici: on an older Node.js this throws
// NodeVersionError instead of letting undici fail while loading with a message naming neither.
import './node-version.ts';
export { checkNodeVersion, MIN_NODE_VERSION, NodeVersionError } from './node-version.ts';

// The cache: controller-runtime's Reader & Informers.
export * from './cache/index.ts';

// The client: reads from the cache (or live), writes to the APIServer.
export * from './kube-client/index.ts';

// API shapes, Status errors, kinds, selectors, keys.
export {
  INITIAL_EVENTS_END_ANNOTATION,
  type DeepReadonly,
  type DeepReadonlyValue,
  type KubeObject,
  type ListMeta,
  type ObjectList,
  type ObjectMeta,
  type OwnerReference,
  type PartialObjectMetadata,
  type Status,
  type StatusCause,
  type StatusReason,
  type UnstructuredObject,
  type WatchEventType,
} from './api/types.ts';
export {
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isResourceExpired,
  isStatus,
  isInternalError,
  isTooManyRequests,
  isTooOldResourceVersion,
  isUnauthorized,
  StatusError,
} from './api/errors.ts';
export { ReasonedError } from './api/reasoned-error.ts';
export {
  apiVersionOf,
  gvkEquals,
  gvkFromObject,
  gvkKey,
  gvkToString,
  gvrToString,
  MissingKindError,
  parseApiVersion,
  type GroupVersion,
  type GroupVersionKind,
  type GroupVersionResource,
} from './api/gvk.ts';
export {
  everythingLabelSelector,
  LABEL_EVERYTHING,
  LabelSelector,
  labelSelectorFromMetav1,
  labelSelectorFromSet,
  parseLabelSelector,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelectorV1,
  type LabelSelectorRequirementV1,
} from './api/label-selector.ts';
export {
  everythingFieldSelector,
  FIELD_EVERYTHING,
  FieldSelector,
  fieldSelectorFromSet,
  parseFieldSelector,
  type FieldRequirement,
} from './api/field-selector.ts';
export { SelectorParseError, type SelectorType } from './api/selector-error.ts';
export {
  formatObjectKey,
  InvalidObjectKeyError,
  MissingMetadataError,
  objectKeyOf,
  splitObjectKey,
  type ObjectKey,
} from './api/object-key.ts';
export { deepCopy, deepFreeze } from './api/deep-freeze.ts';
export { InvalidNameError, isDNS1123Label, isPathSegmentName, type NameField } from './api/validation.ts';
export type { ListerWatcher, ListOptions, ListPage, WatchEvent, WatchOptions } from './api/lister-watcher.ts';
export {
  childLogger,
  consoleLogger,
  errorFields,
  silentLogger,
  type ConsoleLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
} from './api/logger.ts';

// The client pieces a cache user meets: errors it can raise, the mapper, writes through the API.
export {
  ConnectionError,
  CredentialError,
  InvalidResponseError,
  NoKindMatchError,
  NoResourceMatchError,
  RedirectError,
  RequestTimeoutError,
  StaleGroupVersionError,
  TransportConfigError,
  WatchDecodeError,
  type ConnectionErrorReason,
  type CredentialSourceKind,
  type InvalidResponseReason,
  type WatchDecodeErrorReason,
} from './client/errors.ts';
export { ListBodyError, type ListBodyErrorReason } from './client/list-body-decoder.ts';
export { ListWatch, type ListWatchOptions } from './client/list-watch.ts';
export { RESTMapper, type RESTMapperOptions, type RESTMapping, type RESTMappingOptions, type RESTScope } from './client/rest-mapper.ts';
export {
  RestClient,
  type DeleteBodyOptions,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type GetObjectOptions,
  type ListObjectsOptions,
  type PatchOptions,
  type PatchType,
  type Preconditions,
  type RestCallOptions,
  type SubresourceCallOptions,
  type WriteOptions,
} from './client/rest-client.ts';
export { Transport, type TransportOptions, type TransportStats } from './client/transport.ts';
export type { TransportClock } from './client/transport-clock.ts';
export { loadKubeConfig, type LoadKubeConfigOptions } from './client/kubeconfig.ts';

// Time as a dependency: informers, controllers and leader election take a Clock (tests pass FakeClock).
export { FakeClock, realClock, type Clock, type TimerHandle } from './api/clock.ts';

// Informers, for handlers and for using a SharedIndexInformer on its own.
export { Backoff, type BackoffOptions } from './informer/backoff.ts';
export { DeletedFinalStateUnknown, isDeletedFinalStateUnknown } from './informer/deleted-final-state-unknown.ts';
export {
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
  type InformerErrorReason,
} from './informer/errors.ts';
export { NAMESPACE_INDEX, type IndexerReader, type IndexFunc, type Indexers } from './informer/indexer.ts';
export { HANDLER_LATENCY_BUCKETS_MS, type HandlerLatencyStats } from './informer/handler-latency.ts';
export type { ResourceEventHandler, ResourceEventHandlerRegistration } from './informer/handler.ts';
export type { InformerEvents, InformerStats, SharedIndexInformerOptions } from './informer/informer-types.ts';
export { SharedIndexInformer, type AddEventHandlerOptions } from './informer/shared-index-informer.ts';
