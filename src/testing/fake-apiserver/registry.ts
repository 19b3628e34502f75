// The resource kinds the fake APIServer serves: the built-ins and those CRDs register.

import { clusterMeta, coreFieldLabels, namespacedMeta, type FieldLabelSet } from './field-labels.ts';
import type { JsonObject } from './json.ts';

/**
 * A group/version/resource triple; the core group is "".
 * @category Testing
 */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/**
 * Where a kind's `scale` subresource reads and writes replicas. Built-in kinds render
 * `status.selector` from `.spec.selector` (`selector`); CustomResources read it as a string at
 * `labelSelectorPath`, as their CRD's `subresources.scale` declares.
 * @category Testing
 */
export interface ScaleSubresource {
  /** Dotted path of the desired replicas, e.g. `.spec.replicas`. */
  readonly specReplicasPath: string;
  /** Dotted path of the observed replicas, e.g. `.status.replicas`. */
  readonly statusReplicasPath: string;
  /** CustomResources: dotted path of the selector string; absent means no selector. */
  readonly labelSelectorPath?: string;
  /** Built-ins: `.spec.selector` is a metav1.LabelSelector, or a plain label map (ReplicationController). */
  readonly selector?: 'labelSelector' | 'labelMap';
}

/**
 * A CRD version's `additionalPrinterColumns` entry, as the Table of its objects prints it.
 * @category Testing
 */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
  readonly jsonPath: string;
}

/**
 * Everything the server knows about one served resource.
 * @category Testing
 */
export interface ResourceType extends GroupVersionResource {
  readonly kind: string;
  readonly listKind: string;
  readonly singularName: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly verbs: readonly string[];
  readonly fieldLabels: FieldLabelSet;
  /** Spec/status kinds whose metadata.generation counts spec changes. */
  readonly hasGeneration: boolean;
  /** DELETE answers with the deleted object instead of a Success Status (Pods, ServiceAccounts). */
  readonly returnDeletedObject: boolean;
  /** A CustomResource: list items keep apiVersion/kind, PUT needs a resourceVersion, no SMP. */
  readonly custom: boolean;
  /** Whether `/status` is served as a subresource. */
  readonly statusSubresource: boolean;
  /** The `scale` subresource, when served. */
  readonly scale?: ScaleSubresource;
  /** CustomResources: the CRD version's printer columns (none: the Table prints Name and Age). */
  readonly printerColumns?: readonly PrinterColumn[];
  /** CustomResources: the CRD version's `schema.openAPIV3Schema`, which the OpenAPI documents publish. */
  readonly openApiV3Schema?: JsonObject;
}

/** The verbs of an ordinary resource, as discovery lists them. */
const STANDARD_VERBS: readonly string[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** The apiVersion string of a resource type (`v1`, `apps/v1`). */
export function apiVersionOf(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** The map key of a resource type: `group/version/resource`. */
export function gvrKey(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

/**
 * The input of {@link defineResource}: required identity plus optional behaviour flags.
 * @category Testing
 */
export interface ResourceDefinition {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly singularName?: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly hasGeneration?: boolean;
  readonly returnDeletedObject?: boolean;
  readonly custom?: boolean;
  readonly statusSubresource?: boolean;
  readonly scale?: ScaleSubresource;
  readonly printerColumns?: readonly PrinterColumn[];
  readonly openApiV3Schema?: JsonObject;
}

/**
 * Fills a resource type's defaults (verbs, field labels, list kind).
 * @category Testing
 */
export function defineResource(def: ResourceDefinition): ResourceType {
  const labels = coreFieldLabels[def.kind];
  return {
    group: def.group,
    version: def.version,
    resource: def.resource,
    kind: def.kind,
    listKind: `${def.kind}List`,
    singularName: def.singularName ?? def.kind.toLowerCase(),
    namespaced: def.namespaced,
    shortNames: def.shortNames ?? [],
    categories: def.categories ?? [],
    verbs: def.namespaced ? STANDARD_VERBS : STANDARD_VERBS.filter((v) => v !== 'deletecollection'),
    fieldLabels: !def.custom && labels !== undefined && def.group === groupOfCoreLabels(def.kind) ? labels : def.namespaced ? namespacedMeta : clusterMeta,
    hasGeneration: def.hasGeneration ?? false,
    returnDeletedObject: def.returnDeletedObject ?? false,
    custom: def.custom ?? false,
    statusSubresource: def.statusSubresource ?? false,
    ...(def.scale === undefined ? {} : { scale: def.scale }),
    ...(def.printerColumns === undefined ? {} : { printerColumns: def.printerColumns }),
    ...(def.openApiV3Schema === undefined ? {} : { openApiV3Schema: def.openApiV3Schema }),
  };
}

// The hand-written conversions belong to one group each; a CRD reusing a kind name must not inherit them.
function groupOfCoreLabels(kind: string): string {
  if (kind === 'ReplicaSet') return 'apps';
  return kind === 'Job' ? 'batch' : '';
}

/** The scale subresource of the built-in workload kinds (their selector is a metav1.LabelSelector). */
const WORKLOAD_SCALE: ScaleSubresource = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', selector: 'labelSelector' };

const BUILT_INS: readonly ResourceDefinition[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], returnDeletedObject: true, statusSubresource: true },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], returnDeletedObject: true, statusSubresource: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], returnDeletedObject: true, statusSubresource: true },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], statusSubresource: true },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], returnDeletedObject: true },
  { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], categories: ['all'], hasGeneration: true, statusSubresource: true, scale: { ...WORKLOAD_SCALE, selector: 'labelMap' } },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], hasGeneration: true, statusSubresource: true, scale: WORKLOAD_SCALE },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], hasGeneration: true, statusSubresource: true, scale: WORKLOAD_SCALE },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'], hasGeneration: true, statusSubresource: true, scale: WORKLOAD_SCALE },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], hasGeneration: true, statusSubresource: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, categories: ['all'], hasGeneration: true, statusSubresource: true },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true },
  { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], hasGeneration: true, statusSubresource: true },
];

/** The GVR of CustomResourceDefinitions, which the server watches to register kinds. */
export const CRD_GVR: GroupVersionResource = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
};

/** The GVR of Namespaces. */
export const NAMESPACE_GVR: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };

/**
 * The set of served resource types, in registration order (core first, as discovery lists them).
 * Lookups accept a GVR, or a string naming a plural, singular, kind or short name, optionally
 * qualified by group (`deployments.apps`).
 * @category Testing
 */
export class ResourceRegistry {
  readonly #types = new Map<string, ResourceType>();

  constructor() {
    for (const def of BUILT_INS) this.add(defineResource(def));
  }

  /** Registers (or replaces) a resource type. */
  add(rt: ResourceType): void {
    this.#types.set(gvrKey(rt), rt);
  }

  /** Removes a resource type; returns whether it was there. */
  remove(gvr: GroupVersionResource): boolean {
    return this.#types.delete(gvrKey(gvr));
  }

  /** The type at exactly this group/version/resource. */
  get(gvr: GroupVersionResource): ResourceType | undefined {
    return this.#types.get(gvrKey(gvr));
  }

  /** Every registered type in registration order. */
  all(): ResourceType[] {
    return [...this.#types.values()];
  }

  /** Resolves a GVR or a name such as `configmaps`, `cm`, `Deployment` or `foos.example.com`. */
  resolve(ref: GroupVersionResource | string): ResourceType | undefined {
    if (typeof ref !== 'string') return this.get(ref);
    const dot = ref.indexOf('.');
    const name = dot < 0 ? ref : ref.slice(0, dot);
    const group = dot < 0 ? undefined : ref.slice(dot + 1);
    const lower = name.toLowerCase();
    return this.all().find(
      (rt) =>
        (group === undefined || rt.group === group) &&
        (rt.resource === lower || rt.singularName === lower || rt.kind.toLowerCase() === lower || rt.shortNames.includes(lower)),
    );
  }

  /** The group/versions served, core excluded, grouped by group name in first-seen order. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const rt of this.#types.values()) {
      if (rt.group === '') continue;
      const versions = out.get(rt.group) ?? [];
      if (!versions.includes(rt.version)) versions.push(rt.version);
      out.set(rt.group, versions);
    }
    return out;
  }
}
