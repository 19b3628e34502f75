// A set of field paths stored as a trie (structured-merge-diff's fieldpath.Set): the fields a manager
// owns, the fields a value sets, the fields a change touched. Encodes to and decodes from fieldsV1.

import { isJsonObject, type JsonObject } from '../json.ts';
import { fieldType, resolveNode, type TypeNode } from '../schema/type-node.ts';
import { compareElements, parseElement, type Path, type PathElement } from './path-element.ts';

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

/**
 * A set of paths. A path is a member when it is in the set itself; a child holds the paths below an
 * element. The two are independent: `.spec.containers[name="a"]` can be a member (the item is owned)
 * and a child (some of its fields are). Operations return new sets and never change their inputs.
 */
export class FieldSet {
  readonly #members = new Map<string, PathElement>();
  readonly #children = new Map<string, Child>();

  /** A set of the given paths. */
  static of(paths: Iterable<Path>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Adds a path (used while building a set; sets handed out are not changed afterwards). */
  insert(path: Path): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    if (rest.length === 0) {
      this.#members.set(head.id, head);
      return;
    }
    this.#child(head).insert(rest);
  }

  #child(pe: PathElement): FieldSet {
    let child = this.#children.get(pe.id);
    if (child === undefined) {
      child = { pe, set: new FieldSet() };
      this.#children.set(pe.id, child);
    }
    return child.set;
  }

  /** True when no path is in the set. */
  empty(): boolean {
    return this.#members.size === 0 && this.#children.size === 0;
  }

  /** True when the path is a member. */
  has(path: Path): boolean {
    const [head, ...rest] = path;
    if (head === undefined) return false;
    if (rest.length === 0) return this.#members.has(head.id);
    return this.#children.get(head.id)?.set.has(rest) ?? false;
  }

  /** The paths under one element (without the element), empty when none. */
  withPrefix(pe: PathElement): FieldSet {
    return this.#children.get(pe.id)?.set ?? EMPTY;
  }

  /** Every path in the set. */
  union(other: FieldSet): FieldSet {
    const out = this.#copy();
    other.#addInto(out);
    return out;
  }

  #copy(): FieldSet {
    const out = new FieldSet();
    this.#addInto(out);
    return out;
  }

  #addInto(target: FieldSet): void {
    for (const [id, pe] of this.#members) target.#members.set(id, pe);
    for (const { pe, set } of this.#children.values()) set.#addInto(target.#child(pe));
  }

  /** The paths in both sets. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.#members) if (other.#members.has(id)) out.#members.set(id, pe);
    for (const [id, { pe, set }] of this.#children) {
      const theirs = other.#children.get(id);
      if (theirs === undefined) continue;
      const common = set.intersection(theirs.set);
      if (!common.empty()) out.#children.set(id, { pe, set: common });
    }
    return out;
  }

  /** The paths of this set that are not in `other` (a member of `other` does not remove the paths below it). */
  difference(other: FieldSet): FieldSet {
    return this.#without(other, false);
  }

  /** Like {@link difference}, but a member of `other` also removes every path below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    return this.#without(other, true);
  }

  #without(other: FieldSet, recursive: boolean): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.#members) if (!other.#members.has(id)) out.#members.set(id, pe);
    for (const [id, { pe, set }] of this.#children) {
      if (recursive && other.#members.has(id)) continue;
      const theirs = other.#children.get(id);
      const rest = theirs === undefined ? set.#copy() : set.#without(theirs.set, recursive);
      if (!rest.empty()) out.#children.set(id, { pe, set: rest });
    }
    return out;
  }

  /** Only the paths at or below the given top-level elements. */
  restrictTo(ids: readonly string[]): FieldSet {
    const out = new FieldSet();
    for (const id of ids) {
      const member = this.#members.get(id);
      if (member !== undefined) out.#members.set(id, member);
      const child = this.#children.get(id);
      if (child !== undefined) out.#children.set(id, { pe: child.pe, set: child.set.#copy() });
    }
    return out;
  }

  /**
   * The set plus, as members, every declared struct field it has paths below (a set made from a
   * value owns `.spec.replicas` but not `.spec`; removing items needs `.spec` named too). Map keys
   * and list items are not added.
   */
  ensureNamedFieldsAreMembers(type: TypeNode): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.#members) out.#members.set(id, pe);
    const node = resolveNode(type, {});
    for (const [id, { pe, set }] of this.#children) {
      let childType: TypeNode | undefined;
      if (pe.kind === 'field' && node.kind === 'map') {
        if (node.field(pe.name) !== undefined) out.#members.set(id, pe);
        childType = fieldType(node, pe.name);
      } else if (pe.kind === 'key' && node.kind === 'list') {
        childType = node.element;
      }
      out.#children.set(id, { pe, set: childType === undefined ? set.#copy() : set.ensureNamedFieldsAreMembers(childType) });
    }
    return out;
  }

  #sortedMembers(): PathElement[] {
    return [...this.#members.values()].sort(compareElements);
  }

  #sortedChildren(): Child[] {
    return [...this.#children.values()].sort((a, b) => compareElements(a.pe, b.pe));
  }

  /** Every member path: this level's members first, then each child's paths, each in element order. */
  paths(prefix: Path = []): Path[] {
    const out: Path[] = this.#sortedMembers().map((pe) => [...prefix, pe]);
    for (const { pe, set } of this.#sortedChildren()) out.push(...set.paths([...prefix, pe]));
    return out;
  }

  /** The fieldsV1 form: a trie of `f:`/`k:`/`v:`/`i:` keys with `{}` leaves and `.` for owned inner nodes. */
  toFieldsV1(): JsonObject {
    return this.#emit(false);
  }

  #emit(includeSelf: boolean): JsonObject {
    const out: JsonObject = {};
    if (includeSelf) out['.'] = {};
    const entries: { pe: PathElement; value: JsonObject }[] = [];
    for (const pe of this.#members.values()) {
      const child = this.#children.get(pe.id);
      entries.push({ pe, value: child === undefined ? {} : child.set.#emit(true) });
    }
    for (const { pe, set } of this.#children.values()) {
      if (!this.#members.has(pe.id)) entries.push({ pe, value: set.#emit(false) });
    }
    entries.sort((a, b) => compareElements(a.pe, b.pe));
    for (const { pe, value } of entries) out[pe.id] = value;
    return out;
  }

  /** Decodes fieldsV1; throws on a malformed key or a non-object value. */
  static fromFieldsV1(fields: unknown): FieldSet {
    if (!isJsonObject(fields)) throw new Error('fieldsV1 must be a JSON object');
    const set = new FieldSet();
    for (const [key, value] of Object.entries(fields)) {
      if (key === '.') continue;
      if (!isJsonObject(value)) throw new Error(`the value of ${JSON.stringify(key)} must be an object`);
      const pe = parseElement(key);
      const inner = FieldSet.fromFieldsV1(value);
      if ('.' in value || Object.keys(value).length === 0) set.#members.set(pe.id, pe);
      if (!inner.empty()) set.#children.set(pe.id, { pe, set: inner });
    }
    return set;
  }
}

const EMPTY = new FieldSet();
