// Server-side printing: turns objects into the meta.k8s.io Table that `kubectl get` asks for.

import type { KubeObject, ListMeta, PartialObjectMetadata } from '../../api/types.ts';
import { printerFor, type Cell, type PrintTarget, type TableColumnDefinition, type TableRowCondition } from './printers/index.ts';

export { humanDuration } from './printers/format.ts';
export type { TableColumnDefinition, TableRowCondition, Cell } from './printers/index.ts';
export type { PrintTarget } from './printers/index.ts';

/** One row of a Table; `object` is present unless `includeObject=None` was asked. */
export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
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
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, with the kind's server-side printer
 * (see printers/): the built-in kinds' columns and cell formats, a CRD version's
 * `additionalPrinterColumns` (Name and Age when it declares none), Name and Created At for
 * anything else. Every column is filled, the `-o wide` ones (priority 1) included.
 * `listMeta` (resourceVersion, continue, remainingItemCount) is copied onto the Table: kubectl
 * starts `get -w` from the Table's resourceVersion and follows its `continue`.
 *
 * @param target the kind: its group and plural resource, and for CustomResources its columns
 * @example
 * const table = renderTable(registry.resolve('pods'), list.items, list.metadata, { includeObject: 'Metadata' });
 */
export function renderTable(
  target: PrintTarget,
  objects: readonly KubeObject[],
  listMeta: ListMeta,
  options: RenderTableOptions = {},
): Table {
  const printer = printerFor(target);
  const now = options.now ?? new Date();
  const version = options.version ?? 'v1';
  const policy = options.includeObject ?? 'Metadata';
  const rows = objects.map((object): TableRow => {
    const printed = printer.row(object, now);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions !== undefined) row.conditions = printed.conditions;
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
