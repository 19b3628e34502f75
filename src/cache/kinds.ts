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
 * @category Kinds
 */
export type Representation = 'structured' | 'unstructured' | 'metadata';

/**
 * A metadata-only object as the metadata informers hold it. Like controller-runtime, the cache
 * stamps the real kind on it (`apiVersion: "v1", kind: "Pod"`), not `meta.k8s.io/v1
 * PartialObjectMetadata`, so handlers can tell kinds apart.
 * @category Kinds
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
 * (A mapped type at the top, like {@link DeepReadonly}, so that it prints as `WireObject<V1Pod>`.)
 * @category Kinds
 */
export type WireObject<T> = { [K in keyof T]: WireValue<T[K]> };

/**
 * One field's value inside a {@link WireObject}: a `Date` becomes its RFC 3339 string.
 * @category Kinds
 */
export type WireValue<V> = V extends Date ? string : V extends object ? WireObject<V> : V;

/**
 * Names a kind and its representation; the type parameter is what reads return (frozen unless
 * `deepCopy` is asked for). Create with {@link structured}, {@link unstructured} or
 * {@link metadataOnly}; handles are plain values, two handles with equal fields are the same kind.
 * @category Kinds
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
 * @category Kinds
 */
export function structured<T extends KubeObject>(gvk: GroupVersionKind): KindRef<T> {
  return checked<T>(gvk, 'structured');
}

/**
 * A kind cached as plain JSON objects; works for any served kind, CRDs included.
 * @category Kinds
 */
export function unstructured(gvk: GroupVersionKind): KindRef<UnstructuredObject> {
  return checked<UnstructuredObject>(gvk, 'unstructured');
}

/**
 * A kind cached as metadata only: far less memory, no spec or status.
 * @category Kinds
 */
export function metadataOnly(gvk: GroupVersionKind): KindRef<MetadataObject> {
  return checked<MetadataObject>(gvk, 'metadata');
}

// The built-in kinds. Each model gets a name of its own so that declarations, editor hovers and
// compiler messages say `KindRef<Pod>` and `DeepReadonly<Pod>` instead of spelling out the
// expanded model (kinds.d.ts was 347 KB of it). Interfaces, not aliases: an alias of an
// instantiation prints as the instantiation (`WireObject<V1Pod>`), an interface by its own name.
// The handles are annotated for the same reason: an inferred type is printed in full.
/* eslint-disable @typescript-eslint/no-empty-object-type -- the interfaces only name their model */

/**
 * client-node's V1Pod as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Pod extends WireObject<V1Pod> {}
/**
 * client-node's V1ConfigMap as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface ConfigMap extends WireObject<V1ConfigMap> {}
/**
 * client-node's V1Secret as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Secret extends WireObject<V1Secret> {}
/**
 * client-node's V1Service as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Service extends WireObject<V1Service> {}
/**
 * client-node's V1Namespace as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Namespace extends WireObject<V1Namespace> {}
/**
 * client-node's V1Node as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Node extends WireObject<V1Node> {}
/**
 * client-node's CoreV1Event as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Event extends WireObject<CoreV1Event> {}
/**
 * client-node's V1ServiceAccount as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface ServiceAccount extends WireObject<V1ServiceAccount> {}
/**
 * client-node's V1Deployment as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Deployment extends WireObject<V1Deployment> {}
/**
 * client-node's V1ReplicaSet as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface ReplicaSet extends WireObject<V1ReplicaSet> {}
/**
 * client-node's V1StatefulSet as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface StatefulSet extends WireObject<V1StatefulSet> {}
/**
 * client-node's V1DaemonSet as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface DaemonSet extends WireObject<V1DaemonSet> {}
/**
 * client-node's V1Lease as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface Lease extends WireObject<V1Lease> {}
/**
 * client-node's V1CustomResourceDefinition as cached: timestamps as RFC 3339 strings ({@link WireObject}).
 * @category Kinds
 */
export interface CustomResourceDefinition extends WireObject<V1CustomResourceDefinition> {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

/**
 * Pods (core/v1), cached as {@link Pod}.
 * @category Kinds
 */
export const Pods: KindRef<Pod> = structured<Pod>({ group: '', version: 'v1', kind: 'Pod' });
/**
 * ConfigMaps (core/v1), cached as {@link ConfigMap}.
 * @category Kinds
 */
export const ConfigMaps: KindRef<ConfigMap> = structured<ConfigMap>({ group: '', version: 'v1', kind: 'ConfigMap' });
/**
 * Secrets (core/v1), cached as {@link Secret}.
 * @category Kinds
 */
export const Secrets: KindRef<Secret> = structured<Secret>({ group: '', version: 'v1', kind: 'Secret' });
/**
 * Services (core/v1), cached as {@link Service}.
 * @category Kinds
 */
export const Services: KindRef<Service> = structured<Service>({ group: '', version: 'v1', kind: 'Service' });
/**
 * Namespaces (core/v1, cluster-scoped), cached as {@link Namespace}.
 * @category Kinds
 */
export const Namespaces: KindRef<Namespace> = structured<Namespace>({ group: '', version: 'v1', kind: 'Namespace' });
/**
 * Nodes (core/v1, cluster-scoped), cached as {@link Node}.
 * @category Kinds
 */
export const Nodes: KindRef<Node> = structured<Node>({ group: '', version: 'v1', kind: 'Node' });
/**
 * Events (core/v1), cached as {@link Event}.
 * @category Kinds
 */
export const Events: KindRef<Event> = structured<Event>({ group: '', version: 'v1', kind: 'Event' });
/**
 * ServiceAccounts (core/v1), cached as {@link ServiceAccount}.
 * @category Kinds
 */
export const ServiceAccounts: KindRef<ServiceAccount> = structured<ServiceAccount>({ group: '', version: 'v1', kind: 'ServiceAccount' });
/**
 * Deployments (apps/v1), cached as {@link Deployment}.
 * @category Kinds
 */
export const Deployments: KindRef<Deployment> = structured<Deployment>({ group: 'apps', version: 'v1', kind: 'Deployment' });
/**
 * ReplicaSets (apps/v1), cached as {@link ReplicaSet}.
 * @category Kinds
 */
export const ReplicaSets: KindRef<ReplicaSet> = structured<ReplicaSet>({ group: 'apps', version: 'v1', kind: 'ReplicaSet' });
/**
 * StatefulSets (apps/v1), cached as {@link StatefulSet}.
 * @category Kinds
 */
export const StatefulSets: KindRef<StatefulSet> = structured<StatefulSet>({ group: 'apps', version: 'v1', kind: 'StatefulSet' });
/**
 * DaemonSets (apps/v1), cached as {@link DaemonSet}.
 * @category Kinds
 */
export const DaemonSets: KindRef<DaemonSet> = structured<DaemonSet>({ group: 'apps', version: 'v1', kind: 'DaemonSet' });
/**
 * Leases (coordination.k8s.io/v1), cached as {@link Lease}.
 * @category Kinds
 */
export const Leases: KindRef<Lease> = structured<Lease>({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' });
/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1, cluster-scoped), cached as {@link CustomResourceDefinition}.
 * @category Kinds
 */
export const CustomResourceDefinitions: KindRef<CustomResourceDefinition> = structured<CustomResourceDefinition>({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' });
