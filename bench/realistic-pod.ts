// Pods as a busy cluster holds them (about 10 KB of JSON): two containers and an init container
// with env, probes and mounts, four volumes, scheduling rules, a full status and the managedFields
// two managers leave behind. The lean pods of pods.ts carry half their bytes in metadata; these
// carry about a third, so the metadata-only and transform rows mean what they would on a cluster.

import { namespaceOf, nodeOf, podName, timestampOf, uidOf, type BenchPod, type PodLayout } from './pods.ts';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The fields that key list items in managedFields (a list's merge key), tried in this order. */
const LIST_KEYS = ['name', 'containerPort', 'type', 'key', 'mountPath', 'uid', 'ip'] as const;

/** The fieldsV1 set a manager owns for `value`, as the server writes it: `f:` keys, `k:` list keys. */
function fieldsV1(value: Json): Json {
  if (Array.isArray(value)) {
    const out: Record<string, Json> = {};
    for (const item of value) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
      const keyField = LIST_KEYS.find((k) => item[k] !== undefined);
      if (keyField === undefined) continue;
      out[`k:${JSON.stringify({ [keyField]: item[keyField] ?? null })}`] = { '.': {}, ...(fieldsV1(item) as Record<string, Json>) };
    }
    return out;
  }
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) out[`f:${k}`] = fieldsV1(v);
  return out;
}

/** The kubelet's status fields: container statuses are atomic lists, owned whole. */
function kubeletFields(podStatus: Json): Json {
  const fields = fieldsV1(podStatus) as Record<string, Json>;
  return { ...fields, 'f:containerStatuses': {}, 'f:initContainerStatuses': {} };
}

function probe(path: string, port: number, delay: number): Json {
  return { httpGet: { path, port, scheme: 'HTTP' }, initialDelaySeconds: delay, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
}

function envOf(i: number, team: string): Json[] {
  const secret = (name: string, key: string): Json => ({ name, valueFrom: { secretKeyRef: { name: `${team}-db`, key } } });
  const field = (name: string, path: string): Json => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: path } } });
  return [
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'LOG_FORMAT', value: 'json' },
    { name: 'SHARD', value: String(i % 64) },
    { name: 'HTTP_PORT', value: '8080' },
    { name: 'METRICS_PORT', value: '9090' },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.observability.svc.cluster.local:4317' },
    { name: 'OTEL_SERVICE_NAME', value: `${team}-api` },
    { name: 'FEATURE_FLAGS', value: 'new-checkout,async-invoices,dark-launch-search' },
    secret('DB_USER', 'username'),
    secret('DB_PASSWORD', 'password'),
    { name: 'DB_HOST', valueFrom: { configMapKeyRef: { name: `${team}-config`, key: 'db.host' } } },
    field('POD_NAME', 'metadata.name'),
    field('POD_NAMESPACE', 'metadata.namespace'),
    field('POD_IP', 'status.podIP'),
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { containerName: 'api', resource: 'limits.cpu', divisor: '1' } } },
  ];
}

function containers(i: number, team: string, image: string): Json[] {
  const mounts: Json[] = [
    { name: 'config', mountPath: '/etc/app', readOnly: true },
    { name: 'tls', mountPath: '/etc/tls', readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
  ];
  const securityContext: Json = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  return [
    {
      name: 'api',
      image,
      args: ['--config=/etc/app/config.yaml', `--shard=${i % 64}`],
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      ],
      envFrom: [{ configMapRef: { name: `${team}-env` } }],
      env: envOf(i, team),
      resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
      volumeMounts: mounts,
      livenessProbe: probe('/healthz', 8080, 10),
      readinessProbe: probe('/readyz', 8080, 5),
      startupProbe: { ...(probe('/healthz', 8080, 0) as Record<string, Json>), failureThreshold: 30 },
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext,
    },
    {
      name: 'proxy',
      image: 'registry.example.com/platform/envoy:v1.31.2',
      args: ['--config-path', '/etc/envoy/envoy.yaml', '--log-level', 'warn', '--drain-time-s', '30'],
      ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
      env: [{ name: 'ENVOY_UID', value: '0' }, { name: 'SERVICE_CLUSTER', value: `${team}-api` }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
      volumeMounts: [mounts[1] ?? null, mounts[3] ?? null],
      readinessProbe: probe('/ready', 15021, 1),
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      securityContext,
    },
  ];
}

function spec(i: number, layout: PodLayout, team: string, image: string): Json {
  return {
    volumes: [
      { name: 'config', configMap: { name: `${team}-config`, defaultMode: 420 } },
      { name: 'tls', secret: { secretName: `${team}-tls`, defaultMode: 420 } },
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      {
        name: 'kube-api-access',
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
          defaultMode: 420,
        },
      },
    ],
    initContainers: [
      {
        name: 'migrate',
        image,
        command: ['/app/migrate', '--up', '--timeout=120s'],
        env: envOf(i, team).slice(8, 11),
        resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    containers: containers(i, team, image),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 60,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: `${team}-api`,
    serviceAccount: `${team}-api`,
    nodeName: nodeOf(i, layout),
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { 'app.kubernetes.io/name': `${team}-api` } }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    },
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': `${team}-api` } } },
    ],
    priority: 0,
    enableServiceLinks: false,
    preemptionPolicy: 'PreemptLowerPriority',
  };
}

function containerStatus(i: number, name: string, image: string, restarts: number, ts: (s: number) => string): Json {
  const id = uidOf(i, name.length).replaceAll('-', '');
  return {
    name,
    state: { running: { startedAt: ts(14) } },
    lastState: restarts === 0 ? {} : { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: ts(3), finishedAt: ts(13), containerID: `containerd://${id}${id}` } },
    ready: true,
    restartCount: restarts,
    image,
    imageID: `${image.split(':')[0] ?? image}@sha256:${id}${id}`,
    containerID: `containerd://${id}${id.slice(0, 32)}`,
    started: true,
  };
}

function status(i: number, image: string, ts: (s: number) => string): Json {
  const condition = (type: string, at: number): Json => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: ts(at) });
  const podIP = `10.244.${(i >> 8) & 255}.${i & 255}`;
  const hostIP = `10.0.${(i >> 8) & 255}.${i & 255}`;
  return {
    phase: 'Running',
    conditions: [condition('PodReadyToStartContainers', 4), condition('Initialized', 12), condition('Ready', 20), condition('ContainersReady', 20), condition('PodScheduled', 0)],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: ts(1),
    initContainerStatuses: [
      {
        name: 'migrate',
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ts(5), finishedAt: ts(11), containerID: `containerd://${uidOf(i, 7).replaceAll('-', '')}` } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image,
        imageID: `${image.split(':')[0] ?? image}@sha256:${uidOf(i, 9).replaceAll('-', '')}`,
        containerID: `containerd://${uidOf(i, 7).replaceAll('-', '')}`,
        started: false,
      },
    ],
    containerStatuses: [containerStatus(i, 'api', image, i % 3, ts), containerStatus(i, 'proxy', 'registry.example.com/platform/envoy:v1.31.2', 0, ts)],
    qosClass: 'Burstable',
  };
}

/**
 * Realistic pod `i` at `resourceVersion`: the same name, namespace and node as the lean pod `i`
 * of pods.ts (so reads and indexes find the same things), about 10 KB of JSON. Deterministic.
 */
export function makeRealisticPod(i: number, resourceVersion: number, layout: PodLayout): BenchPod {
  const ts = (s: number): string => timestampOf(i, s);
  const team = `team-${i % 17}`;
  const image = `registry.example.com/${team}/api:1.${i % 40}.${i % 7}`;
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': `${team}-api`,
    'app.kubernetes.io/instance': `${team}-api-prod`,
    'app.kubernetes.io/version': `1.${i % 40}.${i % 7}`,
    'app.kubernetes.io/component': 'api',
    'app.kubernetes.io/part-of': team,
    'app.kubernetes.io/managed-by': 'argocd',
    'pod-template-hash': '7d9c5b8f4',
    'security.istio.io/tlsMode': 'istio',
    shard: String(i % 64),
  };
  const annotations: Record<string, string> = {
    'kubectl.kubernetes.io/restartedAt': ts(-60),
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '9090',
    'prometheus.io/path': '/metrics',
    'checksum/config': `${uidOf(i >> 6, 3).replaceAll('-', '')}${uidOf(i >> 6, 4).replaceAll('-', '')}`,
  };
  const podSpec = spec(i, layout, team, image);
  const podStatus = status(i, image, ts);
  const metaFields = { labels, annotations, generateName: '', ownerReferences: [{ uid: uidOf(i >> 6, 2), apiVersion: '', kind: '', name: '', controller: true, blockOwnerDeletion: true }] };
  return {
    metadata: {
      name: podName(i),
      generateName: `${team}-api-7d9c5b8f4-`,
      namespace: namespaceOf(i, layout),
      uid: uidOf(i, 1),
      resourceVersion: String(resourceVersion),
      creationTimestamp: ts(0),
      labels,
      annotations,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${team}-api-7d9c5b8f4`, uid: uidOf(i >> 6, 2), controller: true, blockOwnerDeletion: true },
      ],
      managedFields: [
        { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: ts(0), fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': fieldsV1(metaFields), 'f:spec': fieldsV1(podSpec) } },
        { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: ts(20), fieldsType: 'FieldsV1', fieldsV1: { 'f:status': kubeletFields(podStatus) }, subresource: 'status' },
      ],
    },
    spec: podSpec as NonNullable<BenchPod['spec']>,
    status: podStatus,
  };
}
