// What changed between two values under a schema: the paths added, modified and removed. Updates own
// what they add and modify; appliers conflict with owners of what their merge would change.

import { jsonEqual } from '../json.ts';
import { fieldType, resolveNode, type ListNode, type MapNode, type TypeNode } from '../schema/type-node.ts';
import { FieldSet } from './field-set.ts';
import { asList, asMap, itemElement, listLength, mapSize } from './list-items.ts';
import { fieldElement, type Path, type PathElement } from './path-element.ts';

/** The paths two values differ in. A new inner node (map, struct, list item) is itself added. */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

class Comparer {
  readonly added = new FieldSet();
  readonly modified = new FieldSet();
  readonly removed = new FieldSet();

  // lhs/rhs undefined means absent; null is a value.
  compare(lhs: unknown, rhs: unknown, type: TypeNode, path: Path): void {
    const l = resolveNode(type, lhs);
    const r = resolveNode(type, rhs);
    let leaf: boolean;
    if (rhs === undefined) leaf = this.#node(l, lhs, undefined, path);
    else if (lhs === undefined || l.kind === r.kind) leaf = this.#node(r, lhs, rhs, path);
    else {
      // Values of different shapes: each side is walked with its own type, the right one last.
      this.#node(l, lhs, rhs, path);
      leaf = this.#node(r, lhs, rhs, path);
    }
    if (leaf) return;
    if (lhs === undefined) this.added.insert(path);
    else if (rhs === undefined) this.removed.insert(path);
  }

  #leaf(lhs: unknown, rhs: unknown, path: Path): true {
    if (lhs === undefined) this.added.insert(path);
    else if (rhs === undefined) this.removed.insert(path);
    else if (!jsonEqual(lhs, rhs)) this.modified.insert(path);
    return true;
  }

  /** Compares with one concrete node; true when it was compared as a leaf. */
  #node(node: ReturnType<typeof resolveNode>, lhs: unknown, rhs: unknown, path: Path): boolean {
    switch (node.kind) {
      case 'scalar':
        return this.#leaf(lhs, rhs, path);
      case 'list':
        if (node.relationship === 'atomic' || (listLength(lhs) === 0 && listLength(rhs) === 0)) return this.#leaf(lhs, rhs, path);
        this.#listItems(node, asList(lhs) ?? [], asList(rhs) ?? [], path);
        return false;
      case 'map':
        if (node.relationship === 'atomic' || (mapSize(lhs) === 0 && mapSize(rhs) === 0)) return this.#leaf(lhs, rhs, path);
        this.#mapItems(node, lhs, rhs, path);
        return false;
    }
  }

  #mapItems(node: MapNode, lhs: unknown, rhs: unknown, path: Path): void {
    const l = asMap(lhs) ?? {};
    const r = asMap(rhs) ?? {};
    for (const key of new Set([...Object.keys(l), ...Object.keys(r)])) {
      this.compare(l[key], r[key], fieldType(node, key), [...path, fieldElement(key)]);
    }
  }

  #listItems(node: ListNode, lhs: readonly unknown[], rhs: readonly unknown[], path: Path): void {
    const order: PathElement[] = [];
    const group = (list: readonly unknown[], addToOrder: (pe: PathElement) => boolean): Map<string, unknown[]> => {
      const out = new Map<string, unknown[]>();
      for (const item of list) {
        const found = itemElement(node, item);
        if ('error' in found) continue;
        const items = out.get(found.pe.id);
        if (items !== undefined) items.push(item);
        else {
          out.set(found.pe.id, [item]);
          if (addToOrder(found.pe)) order.push(found.pe);
        }
      }
      return out;
    };
    const left = group(lhs, () => true);
    const right = group(rhs, (pe) => !left.has(pe.id));
    for (const pe of order) {
      const l = left.get(pe.id) ?? [];
      const r = right.get(pe.id) ?? [];
      const itemPath = [...path, pe];
      if (l.length <= 1 && r.length <= 1) {
        this.compare(l[0], r[0], node.element, itemPath);
      } else if (l.length >= 2 && r.length >= 2) {
        if (!jsonEqual(l, r)) this.modified.insert(itemPath);
      } else if (l.length >= 2) {
        // Duplicates on one side only: the item is replaced as a whole.
        if (r.length !== 0) this.compare(undefined, r[0], node.element, itemPath);
        this.removed.insert(itemPath);
      } else {
        if (l.length !== 0) this.compare(l[0], undefined, node.element, itemPath);
        this.added.insert(itemPath);
      }
    }
  }
}

/** The paths added, modified and removed going from `lhs` to `rhs` (both present). */
export function compare(lhs: unknown, rhs: unknown, type: TypeNode): Comparison {
  const comparer = new Comparer();
  comparer.compare(lhs, rhs, type, []);
  return { added: comparer.added, modified: comparer.modified, removed: comparer.removed };
}
