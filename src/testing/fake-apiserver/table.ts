// Server-side printing: turns objects into the meta.k8s.io Table that `kubectl get` asks for.

import type { KubeObject, ListMeta, ObjectMeta, PartialObjectMetadata } from '../../api/types.ts';

/** One column of a Table, as metav1.TableColumnDefinition. */
export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** One row of a Table; `object` is present unless `includeObject=None` was asked. */
export interface TableRow {
  cells: (string | number | boolean)[];
  object?: KubeObject;
}

/**
 * metav1.Table. `columnDefinitions` is null on the rows of a watch stream after the first,
 * as the real server sends them to save bandwidth (kubectl reuses the last header).
 */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** What each row's `object` holds: the `includeObject` query parameter. */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

/** Options of {@link renderTable}. */
export interface RenderTableOptions {
  /**
   * What each row carries as `object`.
   * @default 'Metadata' (a PartialObjectMetadata, as the real server does)
   */
  includeObject?: IncludeObjectPolicy;
  /**
   * Send `columnDefinitions: null`, as the real server does for watch events after the first.
   * @default false
   */
  omitColumnDefinitions?: boolean;
  /**
   * The Table version the client asked for in its Accept header.
   * @default 'v1'
   */
  version?: 'v1' | 'v1beta1';
  /**
   * The clock the AGE cells are computed against; injectable so tests get stable output.
   * @default new Date()
   */
  now?: Date;
}

interface Printer {
  columns: TableColumnDefinition[];
  cells(object: KubeObject, now: Date): (string | number | boolean)[];
}

const nameColumn: TableColumnDefinition = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name of the object, unique within its namespace.',
  priority: 0,
};

const ageColumn: TableColumnDefinition = {
  name: 'Age',
  type: 'string',
  format: '',
  description: 'Time since the object was created (from metadata.creationTimestamp).',
  priority: 0,
};

function column(name: string, description: string, priority = 0): TableColumnDefinition {
  return { name, type: 'string', format: '', description, priority };
}

/**
 * Formats a duration the way kubectl's AGE column does: `45s`, `3m12s`, `5h20m`, `2d4h`, `1y30d`.
 * Precision drops as the duration grows; durations a little below zero (clock skew) print `0s`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return withRemainder(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return withRemainder(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return withRemainder(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return withRemainder(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRemainder(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

function age(meta: ObjectMeta | undefined, now: Date): string {
  const created = meta?.creationTimestamp;
  if (created === undefined) return '<unknown>';
  const when = new Date(created).getTime();
  return Number.isNaN(when) ? '<unknown>' : humanDuration(now.getTime() - when);
}

/** The slice of a Pod the printer reads; everything is optional because the fake stores any JSON. */
interface PodView extends KubeObject {
  spec?: { containers?: unknown[]; nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    podIP?: string;
    nominatedNodeName?: string;
    containerStatuses?: {
      ready?: boolean;
      restartCount?: number;
      state?: { waiting?: { reason?: string }; terminated?: { reason?: string; signal?: number; exitCode?: number } };
      lastState?: { terminated?: { finishedAt?: string } };
    }[];
  };
}

function podStatus(pod: PodView): string {
  if (pod.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  // The real apiserver defaults phase to Pending on create; the fake keeps what was sent.
  let reason = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  for (const container of pod.status?.containerStatuses ?? []) {
    const waiting = container.state?.waiting?.reason;
    const terminated = container.state?.terminated;
    if (waiting !== undefined && waiting !== '') reason = waiting;
    else if (terminated?.reason !== undefined && terminated.reason !== '') reason = terminated.reason;
    else if (terminated !== undefined) reason = `ExitCode:${terminated.exitCode ?? 0}`;
  }
  return reason;
}

function podRestarts(pod: PodView, now: Date): string {
  let restarts = 0;
  let lastFinished: number | undefined;
  for (const container of pod.status?.containerStatuses ?? []) {
    restarts += container.restartCount ?? 0;
    const finished = container.lastState?.terminated?.finishedAt;
    const at = finished === undefined ? Number.NaN : new Date(finished).getTime();
    if (!Number.isNaN(at) && (lastFinished === undefined || at > lastFinished)) lastFinished = at;
  }
  if (restarts === 0 || lastFinished === undefined) return String(restarts);
  return `${restarts} (${humanDuration(now.getTime() - lastFinished)} ago)`;
}

const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Ready containers out of all containers of the pod.'),
    column('Status', 'The aggregate status of the pod and its containers.'),
    column('Restarts', 'Container restarts, and how long ago the last one was.'),
    ageColumn,
    // Priority 1: shown by `kubectl get -o wide` only.
    column('IP', 'The IP address of the pod.', 1),
    column('Node', 'The node the pod is scheduled on.', 1),
    column('Nominated Node', 'The node preemption nominated for the pod.', 1),
  ],
  cells(object, now) {
    const pod = object as PodView;
    const statuses = pod.status?.containerStatuses ?? [];
    const total = pod.spec?.containers?.length ?? statuses.length;
    const ready = statuses.filter((s) => s.ready === true).length;
    return [
      pod.metadata?.name ?? '',
      `${ready}/${total}`,
      podStatus(pod),
      podRestarts(pod, now),
      age(pod.metadata, now),
      orNone(pod.status?.podIP),
      orNone(pod.spec?.nodeName),
      orNone(pod.status?.nominatedNodeName),
    ];
  },
};

function orNone(value: string | undefined): string {
  return value === undefined || value === '' ? '<none>' : value;
}

interface DeploymentView extends KubeObject {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Ready replicas out of desired replicas.'),
    { ...column('Up-to-date', 'Replicas updated to the current template.'), type: 'integer' },
    { ...column('Available', 'Replicas available to serve.'), type: 'integer' },
    ageColumn,
  ],
  cells(object, now) {
    const d = object as DeploymentView;
    // The real apiserver defaults spec.replicas to 1; the fake keeps what was sent.
    const desired = d.spec?.replicas ?? 1;
    const status = d.status ?? {};
    const ready = `${status.readyReplicas ?? 0}/${desired}`;
    return [d.metadata?.name ?? '', ready, status.updatedReplicas ?? 0, status.availableReplicas ?? 0, age(d.metadata, now)];
  },
};

function countKeys(value: unknown): number {
  return typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
}

const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'Number of keys in data and binaryData.'), ageColumn],
  cells(object, now) {
    const cm = object as KubeObject & { data?: unknown; binaryData?: unknown };
    return [cm.metadata?.name ?? '', String(countKeys(cm.data) + countKeys(cm.binaryData)), age(cm.metadata, now)];
  },
};

const secretPrinter: Printer = {
  columns: [nameColumn, column('Type', 'The type of the secret.'), column('Data', 'Number of keys in data.'), ageColumn],
  cells(object, now) {
    const secret = object as KubeObject & { type?: string; data?: unknown };
    const data = String(countKeys(secret.data));
    return [secret.metadata?.name ?? '', secret.type ?? 'Opaque', data, age(secret.metadata, now)];
  },
};

const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'The lifecycle phase of the namespace.'), ageColumn],
  cells(object, now) {
    const ns = object as KubeObject & { status?: { phase?: string } };
    const phase = ns.metadata?.deletionTimestamp !== undefined ? 'Terminating' : (ns.status?.phase ?? 'Active');
    return [ns.metadata?.name ?? '', phase, age(ns.metadata, now)];
  },
};

const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells: (object, now) => [object.metadata?.name ?? '', age(object.metadata, now)],
};

// Keyed by plural resource name; a kind missing here (CRs included) prints NAME and AGE.
const printers: ReadonlyMap<string, Printer> = new Map([
  ['pods', podPrinter],
  ['configmaps', configMapPrinter],
  ['secrets', secretPrinter],
  ['namespaces', namespacePrinter],
  ['deployments', deploymentPrinter],
]);

function rowObject(object: KubeObject, policy: IncludeObjectPolicy, version: 'v1' | 'v1beta1'): KubeObject | undefined {
  if (policy === 'None') return undefined;
  if (policy === 'Object') return object;
  const partial: PartialObjectMetadata = {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata ?? {},
  };
  // kubectl decodes rows with the scheme, which needs kind and apiVersion on each.
  return version === 'v1' ? partial : { ...partial, apiVersion: 'meta.k8s.io/v1beta1' };
}

/**
 * Renders objects of one resource as the Table kubectl's human-readable `get` asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Pods print NAME READY STATUS RESTARTS
 * AGE (and IP NODE NOMINATED-NODE with `-o wide`), deployments NAME READY UP-TO-DATE AVAILABLE
 * AGE, configmaps NAME DATA AGE, secrets NAME TYPE DATA AGE, namespaces NAME STATUS AGE; any
 * other resource (custom resources included) NAME AGE, as a CRD without printer columns does.
 * `listMeta` (resourceVersion, continue, remainingItemCount) is copied onto the Table: kubectl
 * starts `get -w` from the Table's resourceVersion and follows its `continue`.
 *
 * @param resource the plural resource name, e.g. `pods`
 * @example
 * const table = renderTable('pods', list.items, list.metadata, { includeObject: 'Metadata' });
 */
export function renderTable(
  resource: string,
  objects: readonly KubeObject[],
  listMeta: ListMeta,
  options: RenderTableOptions = {},
): Table {
  const printer = printers.get(resource) ?? defaultPrinter;
  const now = options.now ?? new Date();
  const version = options.version ?? 'v1';
  const policy = options.includeObject ?? 'Metadata';
  const rows = objects.map((object): TableRow => {
    const row: TableRow = { cells: printer.cells(object, now) };
    const included = rowObject(object, policy, version);
    if (included !== undefined) row.object = included;
    return row;
  });
  const metadata: ListMeta = {};
  if (listMeta.resourceVersion !== undefined) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta.continue !== undefined && listMeta.continue !== '') metadata.continue = listMeta.continue;
  if (listMeta.remainingItemCount !== undefined) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    columnDefinitions: options.omitColumnDefinitions === true ? null : printer.columns.map((c) => ({ ...c })),
    rows,
  };
}

/**
 * Parses the `includeObject` query parameter; anything else than `None` or `Object` (absent,
 * empty, `Metadata`) means the default, `Metadata`.
 */
export function parseIncludeObject(value: string | null | undefined): IncludeObjectPolicy {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}
