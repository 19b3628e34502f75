// Per-kind field selector labels: which fields each kind can be selected by, and how to read them.

import type { UnstructuredObject } from '../../api/types.ts';

/** Reads one selectable field from an object; missing fields read as "". */
export type FieldGetter = (obj: UnstructuredObject) => string;

/**
 * The selectable fields of one kind. `style` picks the real server's error text for an
 * unsupported label: `core` kinds have hand-written conversions (`field label not supported: X`),
 * `default` kinds use the generic metadata-only conversion, `batchJob` is batch/v1 Job's own wording.
 */
export interface FieldLabelSet {
  readonly style: 'core' | 'default' | 'batchJob';
  readonly getters: Readonly<Record<string, FieldGetter>>;
}

function path(obj: UnstructuredObject, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function str(...keys: string[]): FieldGetter {
  return (obj) => {
    const v = path(obj, ...keys);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return v === undefined || v === null ? '' : JSON.stringify(v);
  };
}

// Go formats booleans with strconv.FormatBool, so an absent bool selects as "false".
function bool(...keys: string[]): FieldGetter {
  return (obj) => (path(obj, ...keys) === true ? 'true' : 'false');
}

// Go formats integers with strconv, so an absent count selects as "0".
function int(...keys: string[]): FieldGetter {
  return (obj) => {
    const v = path(obj, ...keys);
    return typeof v === 'number' ? String(v) : '0';
  };
}

const name = str('metadata', 'name');
const namespace = str('metadata', 'namespace');

/** The metadata labels every namespaced kind supports. */
export const namespacedMeta: FieldLabelSet = {
  style: 'default',
  getters: { 'metadata.name': name, 'metadata.namespace': namespace },
};

/** The labels a cluster-scoped kind of the default conversion supports (namespace reads ""). */
export const clusterMeta: FieldLabelSet = namespacedMeta;

/** Field labels of the core kinds with explicit conversions, keyed by kind. */
export const coreFieldLabels: Readonly<Record<string, FieldLabelSet>> = {
  Pod: {
    style: 'core',
    getters: {
      'metadata.name': name,
      'metadata.namespace': namespace,
      'spec.nodeName': str('spec', 'nodeName'),
      'spec.host': str('spec', 'nodeName'),
      'spec.restartPolicy': str('spec', 'restartPolicy'),
      'spec.schedulerName': str('spec', 'schedulerName'),
      'spec.serviceAccountName': str('spec', 'serviceAccountName'),
      'spec.hostNetwork': bool('spec', 'hostNetwork'),
      'status.phase': str('status', 'phase'),
      'status.podIP': str('status', 'podIP'),
      'status.nominatedNodeName': str('status', 'nominatedNodeName'),
    },
  },
  Node: { style: 'core', getters: { 'metadata.name': name, 'spec.unschedulable': bool('spec', 'unschedulable') } },
  Namespace: { style: 'core', getters: { 'metadata.name': name, 'status.phase': str('status', 'phase') } },
  Secret: { style: 'core', getters: { 'metadata.name': name, 'metadata.namespace': namespace, type: str('type') } },
  Service: {
    style: 'core',
    getters: {
      'metadata.name': name,
      'metadata.namespace': namespace,
      'spec.clusterIP': str('spec', 'clusterIP'),
      'spec.type': str('spec', 'type'),
    },
  },
  Event: {
    style: 'core',
    getters: {
      'metadata.name': name,
      'metadata.namespace': namespace,
      'involvedObject.kind': str('involvedObject', 'kind'),
      'involvedObject.namespace': str('involvedObject', 'namespace'),
      'involvedObject.name': str('involvedObject', 'name'),
      'involvedObject.uid': str('involvedObject', 'uid'),
      'involvedObject.apiVersion': str('involvedObject', 'apiVersion'),
      'involvedObject.resourceVersion': str('involvedObject', 'resourceVersion'),
      'involvedObject.fieldPath': str('involvedObject', 'fieldPath'),
      reason: str('reason'),
      reportingComponent: str('reportingComponent'),
      source: str('source', 'component'),
      type: str('type'),
    },
  },
  ReplicaSet: {
    style: 'core',
    getters: { 'metadata.name': name, 'metadata.namespace': namespace, 'status.replicas': int('status', 'replicas') },
  },
  ReplicationController: {
    style: 'core',
    getters: { 'metadata.name': name, 'metadata.namespace': namespace, 'status.replicas': int('status', 'replicas') },
  },
  Job: {
    style: 'batchJob',
    getters: { 'metadata.name': name, 'metadata.namespace': namespace, 'status.successful': int('status', 'succeeded') },
  },
};

/** The 400 message the real server gives for a field label the kind does not support. */
export function unsupportedFieldMessage(set: FieldLabelSet, label: string): string {
  switch (set.style) {
    case 'core':
      return `field label not supported: ${label}`;
    case 'batchJob':
      return `field label "${label}" not supported for batchv1.Job`;
    case 'default':
      return `"${label}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
  }
}
