// The set of fields a value sets (what an apply configuration owns): scalar leaves, list items,
// map keys, atomic values as one leaf, and declared struct fields only when null or empty.

import { isJsonObject } from '../json.ts';
import { fieldType, resolveNode, type ListNode, type TypeNode } from '../schema/type-node.ts';
import { FieldSet } from './field-set.ts';
import { asList, itemElement } from './list-items.ts';
import { fieldElement, type Path, type PathElement } from './path-element.ts';

function listItems(value: unknown, node: ListNode, path: Path, set: FieldSet): void {
  const list = asList(value);
  if (list === undefined) return;
  const elements = list.map((item) => {
    const found = itemElement(node, item);
    return 'pe' in found ? found.pe : undefined;
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const pe of elements) {
    if (pe === undefined) continue;
    if (seen.has(pe.id) && !duplicates.has(pe.id)) {
      // A duplicated item is owned as one leaf: its fields cannot be told apart.
      set.insert([...path, pe]);
      duplicates.add(pe.id);
    }
    seen.add(pe.id);
  }
  list.forEach((item, i) => {
    const pe: PathElement | undefined = elements[i];
    if (pe === undefined || duplicates.has(pe.id)) return;
    const itemPath = [...path, pe];
    walk(item, node.element, itemPath, set);
    set.insert(itemPath);
  });
}

function walk(value: unknown, type: TypeNode, path: Path, set: FieldSet): void {
  const node = resolveNode(type, value);
  switch (node.kind) {
    case 'scalar':
      set.insert(path);
      return;
    case 'list':
      if (node.relationship === 'atomic') set.insert(path);
      else listItems(value, node, path, set);
      return;
    case 'map': {
      if (node.relationship === 'atomic') {
        set.insert(path);
        return;
      }
      if (!isJsonObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        const childPath = [...path, fieldElement(key)];
        walk(child, fieldType(node, key), childPath, set);
        const empty = child === null || (isJsonObject(child) && Object.keys(child).length === 0);
        if (empty || node.field(key) === undefined) set.insert(childPath);
      }
      return;
    }
  }
}

/** Every field path a value sets under a schema: what applying it as a configuration owns. */
export function toFieldSet(value: unknown, type: TypeNode): FieldSet {
  const set = new FieldSet();
  walk(value, type, [], set);
  return set;
}
