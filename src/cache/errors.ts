// Typed errors of the cache layer, with controller-runtime's messages.

import { ReasonedError } from '../api/reasoned-error.ts';
import { StatusError } from '../api/errors.ts';

/**
 * Reasons carried by {@link CacheError}s: one per thing a caller can act on.
 * @category Errors
 */
export type CacheErrorReason =
  | 'CacheNotStarted'
  | 'CacheAlreadyStarted'
  | 'ResourceNotCached'
  | 'UnknownNamespace'
  | 'UnsupportedFieldSelector'
  | 'ContinueNotSupported'
  | 'KindNotRegistered'
  | 'InvalidCacheOptions'
  | 'InvalidKind'
  | 'ForeignRegistration'
  | 'StaleRead';

/**
 * Base class of this layer's errors: `reason` says what happened; `code` is 0 (not an HTTP answer).
 * @category Errors
 */
export class CacheError extends ReasonedError<CacheErrorReason> {
  override readonly name: string = 'CacheError';
}

/**
 * A read (`get`/`list`) reached the cache before `start()`. The informer it needed is registered
 * and starts with the cache, so the same read succeeds once the cache runs. Retryable after start.
 * @category Errors
 */
export class CacheNotStartedError extends CacheError {
  override readonly name = 'CacheNotStartedError';
  constructor() {
    super('CacheNotStarted', 'the cache is not started, can not read objects');
  }
}

/**
 * `start()` was called a second time. Not retryable.
 * @category Errors
 */
export class CacheAlreadyStartedError extends CacheError {
  override readonly name = 'CacheAlreadyStartedError';
  constructor() {
    super('CacheAlreadyStarted', 'informer already started');
  }
}

/**
 * A read named a kind that has no informer while `readerFailOnMissingInformer` is set. Call
 * `getInformer` (or `indexField`) for the kind first. Distinct from NotFound. Not retryable as is.
 * @category Errors
 */
export class ResourceNotCachedError extends CacheError {
  override readonly name = 'ResourceNotCachedError';
  /** The kind in Go's form, e.g. "/v1, Kind=Service". */
  readonly gvk: string;
  constructor(gvk: string) {
    super('ResourceNotCached', `${gvk} is not cached`);
    this.gvk = gvk;
  }
}

/**
 * A read named a namespace the cache does not watch (it was built with `defaultNamespaces` or
 * `byObject` namespaces that leave it out). Not a NotFound: the answer is unknown, not absent.
 * @category Errors
 */
export class UnknownNamespaceError extends CacheError {
  override readonly name = 'UnknownNamespaceError';
  readonly namespace: string;
  constructor(operation: 'get' | 'list', target: string, namespace: string) {
    super('UnknownNamespace', `unable to ${operation}: ${target} because of unknown namespace for the cache`);
    this.namespace = namespace;
  }
}

/**
 * A list's field selector cannot be served from memory: it is not an exact match (`!=`, or no
 * requirement at all), or it names a field without an index (see `indexField`). Not retryable.
 * @category Errors
 */
export class UnsupportedFieldSelectorError extends CacheError {
  override readonly name = 'UnsupportedFieldSelectorError';
  constructor(message: string) {
    super('UnsupportedFieldSelector', message);
  }
}

/**
 * A list passed a `continue` token: the cache answers in one piece and cannot paginate.
 * @category Errors
 */
export class ContinueNotSupportedError extends CacheError {
  override readonly name = 'ContinueNotSupportedError';
  constructor() {
    super('ContinueNotSupported', 'continue list option is not supported by the cache');
  }
}

/**
 * A structured kind (or `getInformerForKind`) named a kind its Scheme does not know. Register it.
 * @category Errors
 */
export class KindNotRegisteredError extends CacheError {
  override readonly name = 'KindNotRegisteredError';
  constructor(kind: string, groupVersion: string) {
    super('KindNotRegistered', `no kind "${kind}" is registered for version "${groupVersion}" in scheme`);
  }
}

/**
 * The cache options contradict each other or the cluster (for example namespaces on a cluster-scoped kind).
 * @category Errors
 */
export class InvalidCacheOptionsError extends CacheError {
  override readonly name = 'InvalidCacheOptionsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidCacheOptions', message, options);
  }
}

/**
 * A kind handle is malformed (no kind or no version). Not retryable.
 * @category Errors
 */
export class InvalidKindError extends CacheError {
  override readonly name = 'InvalidKindError';
  constructor(message: string) {
    super('InvalidKind', message);
  }
}

/**
 * `removeEventHandler` got a registration another informer returned. A programming error.
 * @category Errors
 */
export class ForeignRegistrationError extends CacheError {
  override readonly name = 'ForeignRegistrationError';
  constructor() {
    super('ForeignRegistration', 'registration is not a registration returned by multiNamespaceInformer');
  }
}

/**
 * A `cacheFullObjects: 'whenRead'` read got an object older than the version the metadata cache
 * had already seen, even from a consistent GET. A kube-apiserver never does this (a GET with
 * `resourceVersion` answers not older than it); a proxy or aggregated API server that serves stale
 * objects can. The read returns nothing rather than go back in time. Retryable, but it points at
 * the server.
 * @category Errors
 */
export class StaleReadError extends CacheError {
  override readonly name = 'StaleReadError';
  /** The version the server answered with. */
  readonly resourceVersion: string;
  /** The version the metadata cache had seen, which the answer had to be at least. */
  readonly minResourceVersion: string;
  constructor(object: string, resourceVersion: string, minResourceVersion: string) {
    super(
      'StaleRead',
      `the server answered ${object} at resourceVersion ${resourceVersion}, older than ${minResourceVersion} the metadata cache has seen`,
    );
    this.resourceVersion = resourceVersion;
    this.minResourceVersion = minResourceVersion;
  }
}

/**
 * The Status error a blocking read or `getInformer` rejects with when its signal aborts before the
 * informer synced: 504 Timeout, as controller-runtime's `failed waiting for *T Informer to sync`.
 */
export function informerSyncTimeout(description: string, cause: unknown): StatusError {
  const err = StatusError.of(504, 'Timeout', `Timeout: failed waiting for ${description} Informer to sync`);
  return new StatusError(err.status, { cause });
}
