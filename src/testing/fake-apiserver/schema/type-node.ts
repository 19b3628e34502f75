// The typed schema server-side apply walks: scalars, lists (atomic or keyed) and maps (structs with
// declared fields, or maps of one element type), as structured-merge-diff models them.

/** What a scalar accepts: `untyped` takes any of string, number and boolean (int-or-string, Quantity). */
export type ScalarKind = 'string' | 'numeric' | 'boolean' | 'untyped';

/** A scalar leaf. */
export interface ScalarNode {
  readonly kind: 'scalar';
  readonly scalar: ScalarKind;
}

/**
 * A list. `atomic` lists are owned and replaced as one value; `associative` lists own their items one
 * by one, identified by `keys` (a list map) or, without keys, by the scalar item itself (a set).
 */
export interface ListNode {
  readonly kind: 'list';
  readonly relationship: 'atomic' | 'associative';
  readonly keys: readonly string[];
  /** The item type (a getter: types may be recursive). */
  readonly element: TypeNode;
}

/**
 * A map or struct. Declared fields have their own types; other keys take `element`, and when there is
 * none they are not part of the schema (an apply that sets one fails). `atomic` maps are one value.
 */
export interface MapNode {
  readonly kind: 'map';
  readonly relationship: 'separable' | 'atomic';
  /** The type of a declared field, undefined when the key is not declared. */
  field(name: string): TypeNode | undefined;
  /** The `default` of a declared field, used for list-map keys an item omits. */
  fieldDefault(name: string): unknown;
  /** The type of undeclared keys (a map's values, or preserved unknown fields). */
  readonly element: TypeNode | undefined;
}

/** A type decided by the value: maps granular, lists atomic, scalars untyped (structured-merge-diff's "deduced"). */
export interface DeducedNode {
  readonly kind: 'deduced';
}

/** Any schema node. */
export type TypeNode = ScalarNode | ListNode | MapNode | DeducedNode;

/** The deduced type: what undeclared-but-allowed content and schemaless kinds use. */
export const DEDUCED: DeducedNode = { kind: 'deduced' };

/** The untyped scalar. */
export const UNTYPED: ScalarNode = { kind: 'scalar', scalar: 'untyped' };

const ATOMIC_UNTYPED_LIST: ListNode = { kind: 'list', relationship: 'atomic', keys: [], element: DEDUCED };

/** The deduced type of a map: granular, every key deduced. */
export const DEDUCED_MAP: MapNode = {
  kind: 'map',
  relationship: 'separable',
  field: () => undefined,
  fieldDefault: () => undefined,
  element: DEDUCED,
};

/** A scalar node of a kind. */
export function scalar(kind: ScalarKind): ScalarNode {
  return { kind: 'scalar', scalar: kind };
}

/** The declared or element type of a map key; deduced when the key is not part of the schema. */
export function fieldType(map: MapNode, key: string): TypeNode {
  return map.field(key) ?? map.element ?? DEDUCED;
}

/**
 * The concrete node a value is handled with: a deduced type becomes an atomic list for an array, an
 * untyped scalar for a string, number or boolean, and a granular map otherwise (null and absent values
 * included, as structured-merge-diff tries the map form first); other types are returned as they are
 * (a value of the wrong shape then fails where it is handled).
 */
export function resolveNode(type: TypeNode, value: unknown): ScalarNode | ListNode | MapNode {
  if (type.kind !== 'deduced') return type;
  if (Array.isArray(value)) return ATOMIC_UNTYPED_LIST;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return UNTYPED;
  return DEDUCED_MAP;
}
