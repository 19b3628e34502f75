// What a table printer is: column definitions plus a function from one object to its row.

import type { KubeObject } from '../../../api/types.ts';

/** One column of a Table, as metav1.TableColumnDefinition (all five keys always sent). */
export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

/** A Table cell: strings, numbers and booleans as the printers produce them; null for none. */
export type Cell = string | number | boolean | null;

/** metav1.TableRowCondition: the Pod printer marks finished pods `Completed`. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The cells of one row, plus its conditions when the printer sets any. */
export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

/**
 * A kind's table printer. The server fills every column, priority 1 included; kubectl shows
 * `priority` 0 columns by default and the others with `-o wide`.
 */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  row(object: KubeObject, now: Date): PrintedRow;
}

/** A column definition; `priority` 1 marks the `-o wide` columns. */
export function column(name: string, description: string, options: { type?: TableColumnDefinition['type']; priority?: number; format?: string } = {}): TableColumnDefinition {
  return { name, type: options.type ?? 'string', format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** The Name column every printer starts with (`format: name` lets kubectl print `kind/name`). */
export const nameColumn: TableColumnDefinition = column(
  'Name',
  'Name must be unique within a namespace; it identifies the object in URLs and references.',
  { format: 'name' },
);

/** The Age column of the built-in printers (a string cell, computed on the server). */
export const ageColumn: TableColumnDefinition = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

/** The Containers and Images wide columns of the workload printers. */
export const containerColumns: readonly TableColumnDefinition[] = [
  column('Containers', 'Names of each container in the template.', { priority: 1 }),
  column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
];
