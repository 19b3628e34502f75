// The cache layer's public surface.

export { Cache, type CacheConnection } from './cache.ts';
export type { CacheListOptions, GetInformerOptions, GetOptions, Informers, Reader, ReadResult } from './interfaces.ts';
export type { ObjectKeyInput } from './cache-reader.ts';
export {
  CacheAlreadyStartedError,
  CacheError,
  CacheNotStartedError,
  ContinueNotSupportedError,
  ForeignRegistrationError,
  InvalidCacheOptionsError,
  InvalidKindError,
  KindNotRegisteredError,
  ResourceNotCachedError,
  StaleReadError,
  UnknownNamespaceError,
  UnsupportedFieldSelectorError,
  type CacheErrorReason,
} from './errors.ts';
export { ALL_NAMESPACES_INDEX_KEY, fieldIndexName, keyToNamespacedKey, type FieldExtractor } from './field-index.ts';
export type { Informer } from './informer.ts';
export {
  ConfigMaps,
  CustomResourceDefinitions,
  DaemonSets,
  Deployments,
  Events,
  Leases,
  metadataOnly,
  Namespaces,
  Nodes,
  Pods,
  ReplicaSets,
  Secrets,
  Services,
  ServiceAccounts,
  StatefulSets,
  structured,
  unstructured,
  type ConfigMap,
  type CustomResourceDefinition,
  type DaemonSet,
  type Deployment,
  type Event,
  type KindRef,
  type Lease,
  type MetadataObject,
  type Namespace,
  type Node,
  type Pod,
  type ReplicaSet,
  type Representation,
  type Secret,
  type Service,
  type ServiceAccount,
  type StatefulSet,
  type WireObject,
  type WireValue,
} from './kinds.ts';
export { collectCacheStats, type CacheStats, type InformerStatsEntry } from './metrics.ts';
export { escapeLabelValue, PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus.ts';
export { followSyncProgress, syncProgressOf, type InformerSyncProgress, type SyncProgress, type WaitForCacheSyncOptions } from './sync-progress.ts';
export type { LabelledInformer } from './backend.ts';
export { MultiNamespaceInformer } from './multi-namespace-informer.ts';
export {
  ALL_NAMESPACES,
  DEFAULT_SYNC_PERIOD_MS,
  resolveCacheOptions,
  type ByObject,
  type ByObjectEntry,
  type CacheOptions,
  type CacheRESTMapper,
  type CacheTransform,
  type CacheWatchErrorHandler,
  type FieldSelectorInput,
  type LabelSelectorInput,
  type NamespaceConfig,
  type NamespacesInput,
  type ResolvedByObject,
  type ResolvedCacheOptions,
  type ResolvedConfig,
  type ResolvedScope,
  type ScopeHint,
} from './options.ts';
export { defaultScheme, newDefaultScheme, Scheme, type KindRegistration } from './scheme.ts';
export { transformStripManagedFields } from './transforms.ts';
export {
  DEFAULT_WORKING_SET,
  type CacheFullObjects,
  type ResolvedWorkingSet,
  type WorkingSetOptions,
  type WorkingSetUpdatePolicy,
} from './working-set/options.ts';
export type { WorkingSetStatsEntry } from './working-set/working-set-stats.ts';
