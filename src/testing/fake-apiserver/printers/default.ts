// Kinds without a printer: NAME and CREATED AT, as the generic registry's default table convertor.

import type { KubeObject } from '../../../api/types.ts';
import { column, nameColumn, type Printer } from './printer.ts';

// RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 formats a metav1.Time.
function rfc3339(timestamp: unknown): string {
  const when = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(when)) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(when / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The default printer (CustomResourceDefinitions among others on a 1.32 server). */
export const defaultPrinter: Printer = {
  columns: [nameColumn, column('Created At', 'When the object was created.', { type: 'date' })],
  row: (object: KubeObject) => ({ cells: [object.metadata?.name ?? '', rfc3339(object.metadata?.creationTimestamp)] }),
};
