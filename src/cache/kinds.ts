// Kind handles: how a caller names a kind and the representation it wants it cached in.

import type {
  CoreV1Event,
  V1ConfigMap,
  V1CustomResourceDefinition,
  V1DaemonSet,
  V1Deployment,
  V1Lease,
  V1Namespace,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { GroupVersionKind } from '../api/gvk.ts';
import type { KubeObject, ObjectMeta, UnstructuredObject } from '../api/types.ts';
import { InvalidKindError } from './errors.ts';

/**
 * The three ways a kind can be cached, each with its own informer: `structured` (decoded by the
 * kind's Scheme registration), `unstructured` (plain JSON, any kind including CRDs) and `metadata`
 * (PartialObjectMetadata: the server strips everything but apiVersion, kind and metadata).
 * Reading one GVK in two representations runs two informers that are not in sync with each other.
 */
export type Representation = 'structured' | 'unstructured' | 'metadata';

/**
 * A metadata-only object as the metadata informers hold it. Like controller-runtime, the cache
 * stamps the real kind on it (`apiVersion: "v1", kind: "Pod"`), not `meta.k8s.io/v1
 * PartialObjectMetadata`, so handlers can tell kinds apart.
 */
export interface MetadataObject extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/**
 * A client-node model as it arrives on the wire: JSON keeps timestamps as RFC 3339 strings, and
 * the cache does not convert them (that would cost a walk per object), so every `Date` field of
 * the model is typed `string` here. Use `new Date(pod.metadata.creationTimestamp)` where needed.
 */
export type WireObject<T> = T extends Date
  ? string
  : T extends (infer E)[]
    ? WireObject<E>[]
    : T extends object
      ? { [K in keyof T]: WireObject<T[K]> }
      : T;

/**
 * Names a kind and its representation; the type parameter is what reads return (frozen unless
 * `deepCopy` is asked for). Create with {@link structured}, {@link unstructured} or
 * {@link metadataOnly}; handles are plain values, two handles with equal fields are the same kind.
 */
export interface KindRef<T extends KubeObject = KubeObject> {
  readonly gvk: Readonly<GroupVersionKind>;
  readonly representation: Representation;
  /** Phantom field carrying T for inference; never set at runtime. */
  readonly __type?: T;
}

function checked<T extends KubeObject>(gvk: GroupVersionKind, representation: Representation): KindRef<T> {
  if (gvk.kind === '') throw new InvalidKindError(`kind handle for "${gvk.group}/${gvk.version}" has no kind`);
  if (gvk.version === '') throw new InvalidKindError(`kind handle for kind "${gvk.kind}" has no version`);
  return Object.freeze({ gvk: Object.freeze({ group: gvk.group, version: gvk.version, kind: gvk.kind }), representation });
}

/**
 * A kind decoded through the cache's Scheme. The GVK must be registered there (the built-in kinds
 * are in `defaultScheme`).
 *
 * @example
 * const Pods = structured<WireObject<V1Pod>>({ group: '', version: 'v1', kind: 'Pod' });
 */
export function structured<T extends KubeObject>(gvk: GroupVersionKind): KindRef<T> {
  return checked<T>(gvk, 'structured');
}

/** A kind cached as plain JSON objects; works for any served kind, CRDs included. */
export function unstructured(gvk: GroupVersionKind): KindRef<UnstructuredObject> {
  return checked<UnstructuredObject>(gvk, 'unstructured');
}

/** A kind cached as metadata only: far less memory, no spec or status. */
export function metadataOnly(gvk: GroupVersionKind): KindRef<MetadataObject> {
  return checked<MetadataObject>(gvk, 'metadata');
}

/** Built-in kinds as structured handles, typed with client-node's models in wire form. */
export const Pods = structured<WireObject<V1Pod>>({ group: '', version: 'v1', kind: 'Pod' });
/** ConfigMaps (core/v1). */
export const ConfigMaps = structured<WireObject<V1ConfigMap>>({ group: '', version: 'v1', kind: 'ConfigMap' });
/** Secrets (core/v1). */
export const Secrets = structured<WireObject<V1Secret>>({ group: '', version: 'v1', kind: 'Secret' });
/** Services (core/v1). */
export const Services = structured<WireObject<V1Service>>({ group: '', version: 'v1', kind: 'Service' });
/** Namespaces (core/v1, cluster-scoped). */
export const Namespaces = structured<WireObject<V1Namespace>>({ group: '', version: 'v1', kind: 'Namespace' });
/** Nodes (core/v1, cluster-scoped). */
export const Nodes = structured<WireObject<V1Node>>({ group: '', version: 'v1', kind: 'Node' });
/** Events (core/v1). */
export const Events = structured<WireObject<CoreV1Event>>({ group: '', version: 'v1', kind: 'Event' });
/** ServiceAccounts (core/v1). */
export const ServiceAccounts = structured<WireObject<V1ServiceAccount>>({ group: '', version: 'v1', kind: 'ServiceAccount' });
/** Deployments (apps/v1). */
export const Deployments = structured<WireObject<V1Deployment>>({ group: 'apps', version: 'v1', kind: 'Deployment' });
/** ReplicaSets (apps/v1). */
export const ReplicaSets = structured<WireObject<V1ReplicaSet>>({ group: 'apps', version: 'v1', kind: 'ReplicaSet' });
/** StatefulSets (apps/v1). */
export const StatefulSets = structured<WireObject<V1StatefulSet>>({ group: 'apps', version: 'v1', kind: 'StatefulSet' });
/** DaemonSets (apps/v1). */
export const DaemonSets = structured<WireObject<V1DaemonSet>>({ group: 'apps', version: 'v1', kind: 'DaemonSet' });
/** Leases (coordination.k8s.io/v1). */
export const Leases = structured<WireObject<V1Lease>>({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' });
/** CustomResourceDefinitions (apiextensions.k8s.io/v1, cluster-scoped). */
export const CustomResourceDefinitions = structured<WireObject<V1CustomResourceDefinition>>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
});
