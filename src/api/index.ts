// The api layer's barrel: apimachinery's types, errors, selectors, GVKs, object keys and freezing.

export type {
  DeepReadonly,
  KubeObject,
  ListMeta,
  ObjectList,
  ObjectMeta,
  OwnerReference,
  PartialObjectMetadata,
  RawWatchEvent,
  Status,
  StatusCause,
  StatusReason,
  UnstructuredObject,
  WatchEventType,
} from './types.ts';
export { INITIAL_EVENTS_END_ANNOTATION } from './types.ts';

export {
  StatusError,
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
} from './errors.ts';
export { ReasonedError } from './reasoned-error.ts';

export type { ListerWatcher, ListOptions, ListPage, WatchEvent, WatchOptions } from './lister-watcher.ts';

export {
  MissingKindError,
  apiVersionOf,
  gvkEquals,
  gvkFromObject,
  gvkKey,
  gvkToString,
  gvrToString,
  parseApiVersion,
  type GroupVersion,
  type GroupVersionKind,
  type GroupVersionResource,
} from './gvk.ts';

export {
  InvalidObjectKeyError,
  MissingMetadataError,
  formatObjectKey,
  objectKeyOf,
  splitObjectKey,
  type KeyedObject,
  type ObjectKey,
} from './object-key.ts';

export { deepCopy, deepFreeze } from './deep-freeze.ts';

export { SelectorParseError, type SelectorType } from './selector-error.ts';

export {
  LABEL_EVERYTHING,
  LabelSelector,
  everythingLabelSelector,
  labelSelectorFromMetav1,
  labelSelectorFromSet,
  newLabelRequirement,
  parseLabelSelector,
  type LabelOperator,
  type LabelRequirement,
  type LabelSelectorRequirementV1,
  type LabelSelectorV1,
} from './label-selector.ts';

export {
  FIELD_EVERYTHING,
  FieldSelector,
  escapeFieldValue,
  everythingFieldSelector,
  fieldSelectorFromSet,
  parseFieldSelector,
  unescapeFieldValue,
  type FieldRequirement,
  type FieldTransform,
} from './field-selector.ts';

export {
  InvalidNameError,
  assertValidNamespace,
  assertValidPathName,
  isDNS1123Label,
  isDNS1123Subdomain,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
  type NameField,
} from './validation.ts';

export {
  childLogger,
  consoleLogger,
  errorFields,
  silentLogger,
  type ConsoleLoggerOptions,
  type LogFields,
  type Logger,
  type LogLevel,
} from './logger.ts';

export { abortReason, sleep, untilAborted, waitUnlessAborted, type Timers } from './abortable.ts';
export { FakeClock, realClock, type Clock, type TimerHandle } from './clock.ts';
