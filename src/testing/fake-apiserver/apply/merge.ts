// Merges an apply configuration into the live object under a schema: maps and structs key by key,
// associative lists item by item (in the configuration's order), leaves and atomic values replaced.

import { fieldType, resolveNode, type ListNode, type MapNode, type TypeNode } from '../schema/type-node.ts';
import { asList, asMap, itemElement, listLength, mapSize } from './list-items.ts';
import { elementString, type PathElement } from './path-element.ts';

/** A merge that cannot be done (items without keys, duplicate keys in the configuration). */
export class MergeError extends Error {
  override readonly name = 'MergeError';
}

interface IndexedList {
  readonly elements: PathElement[];
  /** Item by element id; a duplicated element maps to null (duplicates are not merged). */
  readonly items: Map<string, unknown>;
}

function indexList(node: ListNode, list: readonly unknown[], allowDuplicates: boolean): IndexedList {
  const elements: PathElement[] = [];
  const items = new Map<string, unknown>();
  list.forEach((item, i) => {
    const found = itemElement(node, item);
    if ('error' in found) throw new MergeError(`element ${i}: ${found.error}`);
    if (items.has(found.pe.id)) {
      if (!allowDuplicates) throw new MergeError(`duplicate entries for key ${elementString(found.pe)}`);
      items.set(found.pe.id, null);
    } else items.set(found.pe.id, item);
    elements.push(found.pe);
  });
  return { elements, items };
}

function mergeListItems(node: ListNode, lhs: readonly unknown[], rhs: readonly unknown[]): unknown[] | undefined {
  const right = indexList(node, rhs, false);
  const left = indexList(node, lhs, true);
  const shared = right.elements.filter((pe) => left.items.has(pe.id));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const push = (value: unknown): void => {
    if (value !== undefined) out.push(value);
  };
  let li = 0;
  let ri = 0;
  while (li < left.elements.length || ri < right.elements.length) {
    const lpe = left.elements[li];
    const rpe = right.elements[ri];
    if (lpe !== undefined && rpe !== undefined) {
      if (lpe.id === rpe.id) {
        merged.add(lpe.id);
        push(mergeValues(left.items.get(lpe.id), right.items.get(rpe.id), node.element));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (right.items.has(lpe.id) && nextShared !== undefined && nextShared.id !== lpe.id) {
        // A shared item whose turn has not come: it is merged where the configuration puts it.
        li++;
        continue;
      }
    }
    if (lpe !== undefined) {
      if (!right.items.has(lpe.id)) {
        push(mergeValues(lhs[li], undefined, node.element));
        li++;
        continue;
      }
      if (merged.has(lpe.id)) li++;
    }
    if (rpe !== undefined) {
      merged.add(rpe.id);
      push(mergeValues(left.items.get(rpe.id), right.items.get(rpe.id), node.element));
      ri++;
      if (nextShared?.id === rpe.id) nextShared = shared.shift();
    }
  }
  return out.length > 0 ? out : undefined;
}

function mergeMapItems(node: MapNode, lhs: unknown, rhs: unknown): Record<string, unknown> | undefined {
  const l = asMap(lhs) ?? {};
  const r = asMap(rhs) ?? {};
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(l), ...Object.keys(r)])) {
    const value = mergeValues(l[key], r[key], fieldType(node, key));
    if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function mergeNode(node: ReturnType<typeof resolveNode>, lhs: unknown, rhs: unknown): unknown {
  const leaf = rhs !== undefined ? rhs : lhs;
  switch (node.kind) {
    case 'scalar':
      return leaf;
    case 'list':
      if (node.relationship === 'atomic' || (listLength(lhs) === 0 && listLength(rhs) === 0)) return leaf;
      return mergeListItems(node, asList(lhs) ?? [], asList(rhs) ?? []);
    case 'map':
      if (node.relationship === 'atomic' || (mapSize(lhs) === 0 && mapSize(rhs) === 0)) return leaf;
      return mergeMapItems(node, lhs, rhs);
  }
}

/**
 * `lhs` with `rhs` merged in (undefined = absent). Throws MergeError for lists it cannot key.
 * A map or list whose merge is empty disappears, as structured-merge-diff's does.
 */
export function mergeValues(lhs: unknown, rhs: unknown, type: TypeNode): unknown {
  if (rhs === undefined) return lhs === undefined ? undefined : mergeNode(resolveNode(type, lhs), lhs, undefined);
  // When the shapes differ the configuration's shape decides (a map over a scalar takes the map).
  return mergeNode(resolveNode(type, rhs), lhs, rhs);
}
