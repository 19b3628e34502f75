// Removes the fields and items of a set from a value (how apply prunes what a manager stopped applying).

import { isJsonObject } from '../json.ts';
import { fieldType, resolveNode, type TypeNode } from '../schema/type-node.ts';
import type { FieldSet } from './field-set.ts';
import { asList, itemElement } from './list-items.ts';
import { fieldElement } from './path-element.ts';

/**
 * The value without the set's member paths. A map or list left empty becomes null (as in
 * structured-merge-diff; storage then drops the null), and so does an atomic value with paths below it.
 */
export function removeItems(value: unknown, set: FieldSet, type: TypeNode): unknown {
  const node = resolveNode(type, value);
  switch (node.kind) {
    case 'scalar':
      return value;
    case 'list': {
      const list = asList(value);
      if (list === undefined || list.length === 0 || node.relationship === 'atomic') return null;
      const out: unknown[] = [];
      for (const item of list) {
        const found = itemElement(node, item);
        if ('error' in found) {
          out.push(item);
          continue;
        }
        if (set.has([found.pe])) continue;
        const below = set.withPrefix(found.pe);
        out.push(below.empty() ? item : removeItems(item, below, node.element));
      }
      return out.length > 0 ? out : null;
    }
    case 'map': {
      if (!isJsonObject(value) || Object.keys(value).length === 0 || node.relationship === 'atomic') return null;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        const pe = fieldElement(key);
        if (set.has([pe])) continue;
        const below = set.withPrefix(pe);
        out[key] = below.empty() ? child : removeItems(child, below, fieldType(node, key));
      }
      return Object.keys(out).length > 0 ? out : null;
    }
  }
}
