// One step of a field path (a struct field or map key, a list-map item, a set item, a list index):
// its order, its wire form in fieldsV1 (`f:`, `k:`, `v:`, `i:`) and its printed form in conflicts.

import { goJson, goQuote } from '../go-format.ts';

/** A list-map item's key: key field names (sorted) with their values. */
export type KeyFields = readonly (readonly [string, unknown])[];

/** One path element; `id` is its fieldsV1 form, equal for equal elements. */
export type PathElement =
  | { readonly kind: 'field'; readonly name: string; readonly id: string }
  | { readonly kind: 'key'; readonly fields: KeyFields; readonly id: string }
  | { readonly kind: 'value'; readonly value: unknown; readonly id: string }
  | { readonly kind: 'index'; readonly index: number; readonly id: string };

/** A path from the object root. */
export type Path = readonly PathElement[];

/** A value printed as structured-merge-diff's `value.ToString` (strings quoted, numbers bare). */
function valueString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (Array.isArray(value)) return `[${value.map(valueString).join(',')}]`;
  if (typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => `${k}=${valueString(v)}`).join('');
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : goJson(value);
}

/** A struct field or map key element. */
export function fieldElement(name: string): PathElement {
  return { kind: 'field', name, id: `f:${name}` };
}

/** A list-map item element; `fields` need not be sorted. */
export function keyElement(fields: KeyFields): PathElement {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'key', fields: sorted, id: `k:{${sorted.map(([k, v]) => `${goJson(k)}:${goJson(v)}`).join(',')}}` };
}

/** A set item element. */
export function valueElement(value: unknown): PathElement {
  return { kind: 'value', value, id: `v:${goJson(value)}` };
}

/** A list index element. */
export function indexElement(index: number): PathElement {
  return { kind: 'index', index, id: `i:${index}` };
}

/** How a path element prints: `.name`, `[name="nginx"]`, `[="value"]`, `[0]`. */
export function elementString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** How a path prints in conflict messages: `.spec.containers[name="nginx"].image`. */
export function pathString(path: Path): string {
  return path.map(elementString).join('');
}

const KIND_ORDER = { field: 0, key: 1, value: 2, index: 3 } as const;

function rank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (typeof v === 'object' && v !== null) return 4;
  return 5;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A total order of JSON values (numbers, strings, booleans, lists, maps, null), as structured-merge-diff's. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
  }
  return compareStrings(goJson(a), goJson(b));
}

function compareKeys(a: KeyFields, b: KeyFields): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [an, av] = a[i] ?? ['', null];
    const [bn, bv] = b[i] ?? ['', null];
    const c = compareStrings(an, bn) || compareValues(av, bv);
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length === b.length ? 0 : 1;
}

/** The order of path elements in a set and in fieldsV1: fields, then keys, values, indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key':
      return compareKeys(a.fields, (b as typeof a).fields);
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

/** Parses one fieldsV1 key (`f:replicas`, `k:{"name":"a"}`, `v:"x"`, `i:0`); throws on a malformed one. */
export function parseElement(text: string): PathElement {
  if (text.length < 2 || text[1] !== ':') throw new Error(`missing colon: ${text}`);
  const body = text.slice(2);
  switch (text.slice(0, 1)) {
    case 'f':
      return fieldElement(body);
    case 'v':
      return valueElement(JSON.parse(body));
    case 'k': {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`a key element must be an object: ${text}`);
      return keyElement(Object.entries(parsed));
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new Error(`invalid index: ${text}`);
      return indexElement(Number(body));
    }
    default:
      throw new Error('unknown path element type');
  }
}
