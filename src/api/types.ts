// The object shapes every layer shares: metadata, lists, watch events, Status.

/**
 * A recursively read-only view of T: what the cache hands out for stored (frozen) objects.
 *
 * A mapped type at the top (not a conditional one) so that editors and compiler messages name it,
 * `DeepReadonly<Pod>`, instead of printing the whole expanded object. Meant for JSON-like objects;
 * arrays become readonly arrays, and Maps and Sets inside become ReadonlyMap and ReadonlySet.
 * @category API Machinery
 */
export type DeepReadonly<T> = { readonly [K in keyof T]: DeepReadonlyValue<T[K]> };

/**
 * The read-only view of one field's value inside a {@link DeepReadonly} object.
 * @category API Machinery
 */
export type DeepReadonlyValue<V> = V extends (...args: never[]) => unknown
  ? V
  : V extends ReadonlyMap<infer K, infer W>
    ? ReadonlyMap<DeepReadonlyValue<K>, DeepReadonlyValue<W>>
    : V extends ReadonlySet<infer W>
      ? ReadonlySet<DeepReadonlyValue<W>>
      : V extends object
        ? DeepReadonly<V>
        : V;

/**
 * An owner reference as in metav1.OwnerReference.
 * @category API Machinery
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * Object metadata as in metav1.ObjectMeta; fields the server sets are optional on input.
 * @category API Machinery
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | Date;
  deletionTimestamp?: string | Date;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
}

/**
 * Any Kubernetes object: apiVersion, kind and metadata, plus whatever its kind carries.
 * @category API Machinery
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/**
 * A plain JSON object of any kind, as served by the unstructured informers.
 * @category API Machinery
 */
export interface UnstructuredObject extends KubeObject {
  [field: string]: unknown;
}

/**
 * metav1.PartialObjectMetadata: what the metadata-only informers hold.
 * @category API Machinery
 */
export interface PartialObjectMetadata extends KubeObject {
  apiVersion: 'meta.k8s.io/v1';
  kind: 'PartialObjectMetadata';
  metadata: ObjectMeta;
}

/**
 * metav1.ListMeta.
 * @category API Machinery
 */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * A list response: `items` plus list metadata.
 * @category API Machinery
 */
export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

/**
 * metav1.StatusCause.
 * @category Errors
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/**
 * metav1.Status, the body of every API error.
 * @category Errors
 */
export interface Status {
  apiVersion?: 'v1';
  kind: 'Status';
  metadata?: ListMeta;
  status?: 'Success' | 'Failure';
  message?: string;
  // A server may send reasons newer than StatusReason lists; keep them as strings.
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code?: number;
}

/**
 * The metav1.StatusReason values this project produces or recognises.
 * @category Errors
 */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Unknown';

/**
 * The event types of the watch wire protocol.
 * @category Informers
 */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One line of a watch stream as sent on the wire. */
export interface RawWatchEvent {
  type: WatchEventType;
  object: KubeObject | Status;
}

/**
 * The annotation on the BOOKMARK that ends the initial events of a watch-list.
 * @category Informers
 */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';
