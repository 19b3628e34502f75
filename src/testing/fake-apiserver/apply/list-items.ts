// The identity of a list item in an associative list (its key fields or its value), and the JSON
// shape helpers the typed walkers share.

import { isJsonObject, type JsonObject } from '../json.ts';
import { resolveNode, type ListNode } from '../schema/type-node.ts';
import { keyElement, valueElement, type PathElement } from './path-element.ts';

/** A list item's path element, or why it has none. */
export type ItemElement = { readonly pe: PathElement } | { readonly error: string };

function goStrings(names: readonly string[]): string {
  return `[${names.map((n) => JSON.stringify(n)).join(' ')}]`;
}

function keyedItemElement(list: ListNode, item: unknown): ItemElement {
  if (item === null) return { error: 'associative list with keys may not have a null element' };
  if (!isJsonObject(item)) return { error: 'associative list with keys may not have non-map elements' };
  const element = resolveNode(list.element, item);
  const fields: (readonly [string, unknown])[] = [];
  for (const key of list.keys) {
    if (key in item) {
      fields.push([key, item[key]]);
      continue;
    }
    if (element.kind !== 'map') return { error: `couldn't find default value for ${key}: associative list may not have non-map types` };
    const fallback = element.fieldDefault(key);
    if (fallback !== undefined) fields.push([key, fallback]);
  }
  if (fields.length === 0) {
    return {
      error: `associative list with keys has an element that omits all key fields ${goStrings(list.keys)} (and doesn't have default values for any key fields)`,
    };
  }
  return { pe: keyElement(fields) };
}

/**
 * The element identifying an item of an associative list: `k:` of its key fields (a missing key takes
 * the schema default, else is left out) for list maps, `v:` of the item for sets.
 */
export function itemElement(list: ListNode, item: unknown): ItemElement {
  if (list.keys.length > 0) return keyedItemElement(list, item);
  if (Array.isArray(item)) return { error: 'not supported: associative list with lists as elements' };
  if (item === null) return { error: "associative list without keys has an element that's an explicit null" };
  if (isJsonObject(item)) return { error: "associative list without keys has an element that's a map type" };
  return { pe: valueElement(item) };
}

/** The value as a list when it is one (null and other shapes are "no list"). */
export function asList(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The value as a map when it is one (null and other shapes are "no map"). */
export function asMap(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** Items of a list value, 0 for null or another shape (empty lists are merged and compared as one leaf). */
export function listLength(value: unknown): number {
  return asList(value)?.length ?? 0;
}

/** Keys of a map value, 0 for null or another shape (empty maps are merged and compared as one leaf). */
export function mapSize(value: unknown): number {
  const map = asMap(value);
  return map === undefined ? 0 : Object.keys(map).length;
}
