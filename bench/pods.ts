// Deterministic, lean Pod objects (about 1.8 KB of JSON each, half of it metadata) for the benchmark data sets.

import type { KubeObject } from '../src/api/types.ts';

/** How the pods of a data set are spread: namespaces of `perNamespace` pods, `perNode` pods per node. */
export interface PodLayout {
  readonly pods: number;
  /** Pods per namespace (read-namespace lists one namespace). */
  readonly perNamespace: number;
  /** Pods per node (read-index / read-scan look up one node). */
  readonly perNode: number;
}

/** The fields of a Pod the benchmark reads; the rest rides along as opaque JSON. */
export interface BenchPod extends KubeObject {
  spec?: { nodeName?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** The namespace pod `i` lives in. */
export function namespaceOf(i: number, layout: PodLayout): string {
  return `bench-ns-${Math.floor(i / layout.perNamespace)}`;
}

/** The name of pod `i`. */
export function podName(i: number): string {
  return `web-${i.toString().padStart(6, '0')}-7d9c5b`;
}

/** The node pod `i` is scheduled on; every node carries exactly `perNode` pods. */
export function nodeOf(i: number, layout: PodLayout): string {
  const nodes = Math.max(1, Math.floor(layout.pods / layout.perNode));
  return `node-${(i % nodes).toString().padStart(4, '0')}.bench.internal`;
}

/** A stable fake UID derived from the index (a multiplicative hash, so neighbours differ). */
export function uidOf(i: number, salt: number): string {
  const hex = (n: number, width: number): string => (n >>> 0).toString(16).padStart(8, '0').slice(-width);
  const a = Math.imul(i + 1, 0x9e3779b1) ^ salt;
  const b = Math.imul(a ^ (a >>> 15), 0x85ebca6b);
  const c = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return `${hex(a, 8)}-${hex(b, 4)}-${hex(b >>> 16, 4)}-${hex(c, 4)}-${hex(c >>> 8, 8)}${hex(a >>> 4, 4)}`;
}

/** An RFC 3339 time derived from the index, `offsetSeconds` after the pod's creation. */
export function timestampOf(i: number, offsetSeconds: number): string {
  return new Date(Date.UTC(2026, 0, 1) + (i % 86_400) * 1000 + offsetSeconds * 1000).toISOString().replace('.000', '');
}

function managedFields(i: number): unknown[] {
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time: timestampOf(i, 0),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time: timestampOf(i, 5),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:phase': {}, 'f:podIP': {} } },
      subresource: 'status',
    },
  ];
}

function container(i: number): Record<string, unknown> {
  return {
    name: 'web',
    image: `registry.example.com/team-${i % 17}/web:1.${i % 40}.${i % 7}`,
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'SHARD', value: String(i % 64) },
    ],
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    imagePullPolicy: 'IfNotPresent',
  };
}

function status(i: number): Record<string, unknown> {
  const t = timestampOf(i, 9);
  const condition = (type: string): Record<string, unknown> => ({ type, status: 'True', lastTransitionTime: t });
  return {
    phase: 'Running',
    conditions: ['Initialized', 'Ready', 'PodScheduled'].map(condition),
    hostIP: `10.0.${(i >> 8) & 255}.${i & 255}`,
    podIP: `10.244.${(i >> 8) & 255}.${i & 255}`,
    startTime: timestampOf(i, 1),
    containerStatuses: [
      {
        name: 'web',
        ready: true,
        restartCount: i % 3,
        image: `registry.example.com/team-${i % 17}/web:1.${i % 40}.${i % 7}`,
        started: true,
        state: { running: { startedAt: timestampOf(i, 3) } },
      },
    ],
  };
}

/**
 * Pod `i` at `resourceVersion`. Same inputs, same object: the three contenders read identical bytes.
 * Changing only `resourceVersion` (and the restart counter) is what the watch events do.
 */
export function makePod(i: number, resourceVersion: number, layout: PodLayout): BenchPod {
  const name = podName(i);
  return {
    metadata: {
      name,
      namespace: namespaceOf(i, layout),
      uid: uidOf(i, 1),
      resourceVersion: String(resourceVersion),
      creationTimestamp: timestampOf(i, 0),
      labels: { app: 'web', 'pod-template-hash': '7d9c5b', tier: i % 2 === 0 ? 'frontend' : 'backend', shard: String(i % 64) },
      annotations: { 'kubectl.kubernetes.io/restartedAt': timestampOf(i, -60), 'prometheus.io/scrape': 'true' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c5b', uid: uidOf(i >> 6, 2), controller: true },
      ],
      managedFields: managedFields(i),
    },
    spec: {
      containers: [container(i)],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'web',
      nodeName: nodeOf(i, layout),
      schedulerName: 'default-scheduler',
    },
    status: status(i),
  };
}
