// CustomResources: NAME plus the CRD version's additionalPrinterColumns (or AGE when it declares none).

import type { KubeObject } from '../../../api/types.ts';
import type { PrinterColumn } from '../registry.ts';
import { since } from './format.ts';
import { evaluate, JsonPathError, parseJsonPath } from './jsonpath.ts';
import { ageColumn, column, nameColumn, type Cell, type Printer } from './printer.ts';

// A CRD without printer columns gets this one: a date column over metadata.creationTimestamp.
const AGE: PrinterColumn = { ...ageColumn, type: 'date', jsonPath: '.metadata.creationTimestamp' };

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// Go's %v of a float64: exponent notation below 1e-4 and from 1e21 on, with a two-digit exponent.
function goFloat(n: number): string {
  if (n === 0 || Number.isInteger(n) || (Math.abs(n) >= 1e-4 && Math.abs(n) < 1e21)) return String(n);
  return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

// Go's json.Marshal: sorted keys, and <, > and & escaped.
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v !== 'object' || v === null) return v;
    const record = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sorted(record[k])]));
  };
  return JSON.stringify(sorted(value)).replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

/** A `string` column prints the value as client-go's jsonpath prints it: scalars bare, maps and lists as JSON. */
function printed(value: unknown): Cell {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goFloat(value);
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

/** The cell of one column for one value, converted by the column type (apiextensions' cellForJSONValue). */
function cell(type: PrinterColumn['type'], value: unknown, now: Date): Cell {
  switch (type) {
    case 'string':
      return printed(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      return RFC3339.test(value) ? since(value, now) : '<invalid>';
  }
}

/**
 * The Table printer of a CustomResource version: Name, then one column per printer column (its
 * JSONPath evaluated with missing keys allowed, the first result converted by the column type;
 * no result is a `null` cell), or Age alone when the CRD declares no columns.
 */
export function customResourcePrinter(declared: readonly PrinterColumn[] | undefined): Printer {
  const columns = declared === undefined || declared.length === 0 ? [AGE] : declared;
  const paths = columns.map((c) => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch (err) {
      // Validation rejects most bad paths; one this subset cannot read prints no cells.
      if (err instanceof JsonPathError) return undefined;
      throw err;
    }
  });
  return {
    columns: [nameColumn, ...columns.map((c) => column(c.name, c.description, { type: c.type, priority: c.priority, format: c.format }))],
    row(object: KubeObject, now: Date) {
      const cells = columns.map((c, i): Cell => {
        const path = paths[i];
        const found = path === undefined ? [] : evaluate(path, object);
        return found.length === 0 ? null : cell(c.type, found[0], now);
      });
      return { cells: [object.metadata?.name ?? '', ...cells] };
    },
  };
}
