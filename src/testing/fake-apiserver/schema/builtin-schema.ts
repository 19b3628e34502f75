// Typed schemas of the built-in kinds: field names and types from client-node's generated models,
// list/map/struct semantics from the table of facts in list-types.ts.

import * as models from '@kubernetes/client-node';
import { ATOMIC_STRUCTS, FIELD_SEMANTICS, LIST_MAP_KEY_DEFAULTS, QUANTITY_FIELDS, type FieldSemantics } from './list-types.ts';
import { DEDUCED, scalar, UNTYPED, type ListNode, type MapNode, type TypeNode } from './type-node.ts';

/** One entry of a client-node model's `attributeTypeMap`: JSON name and TypeScript type text. */
export interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

/** A client-node model's fields, undefined when there is no such model. */
export function attributesOf(model: string): readonly Attribute[] | undefined {
  const cls = (models as Readonly<Record<string, unknown>>)[model];
  if (typeof cls !== 'function') return undefined;
  const attributes = (cls as { readonly attributeTypeMap?: unknown }).attributeTypeMap;
  return Array.isArray(attributes) ? (attributes as Attribute[]) : undefined;
}

/**
 * How server-side apply treats a list field, from its markers as kube-openapi converts them: an
 * explicit `listType` wins; otherwise a strategic `merge` with a merge key is a map keyed by it, a
 * `merge` without one a set, and anything else atomic.
 */
export function listSemantics(facts: FieldSemantics | undefined): Pick<ListNode, 'relationship' | 'keys'> {
  const merge = facts?.patchStrategy?.split(',').includes('merge') === true;
  switch (facts?.listType) {
    case 'atomic':
      return { relationship: 'atomic', keys: [] };
    case 'set':
      return { relationship: 'associative', keys: [] };
    case 'map':
      return { relationship: 'associative', keys: facts.listMapKeys ?? [] };
    case undefined:
      if (merge && facts?.patchMergeKey !== undefined) return { relationship: 'associative', keys: [facts.patchMergeKey] };
      return merge ? { relationship: 'associative', keys: [] } : { relationship: 'atomic', keys: [] };
  }
}

const named = new Map<string, MapNode>();

/** The struct node of a model (built once, fields resolved on first use; models may be recursive). */
function modelNode(model: string): MapNode {
  const cached = named.get(model);
  if (cached !== undefined) return cached;
  let fields: Map<string, TypeNode> | undefined;
  const resolve = (): Map<string, TypeNode> => {
    fields ??= new Map((attributesOf(model) ?? []).map((a) => [a.baseName, attributeNode(model, a)]));
    return fields;
  };
  const node: MapNode = {
    kind: 'map',
    relationship: ATOMIC_STRUCTS.has(model) ? 'atomic' : 'separable',
    field: (name) => resolve().get(name),
    fieldDefault: (name) => LIST_MAP_KEY_DEFAULTS[model]?.[name],
    element: undefined,
  };
  named.set(model, node);
  return node;
}

function withRelationship(node: MapNode, relationship: MapNode['relationship']): MapNode {
  if (node.relationship === relationship) return node;
  return {
    kind: 'map',
    relationship,
    field: (name) => node.field(name),
    fieldDefault: (name) => node.fieldDefault(name),
    element: node.element,
  };
}

function attributeNode(model: string, attribute: Attribute): TypeNode {
  const facts = FIELD_SEMANTICS[model]?.[attribute.baseName];
  const quantity = QUANTITY_FIELDS[model]?.includes(attribute.baseName) === true;
  return typeNode(attribute.type, facts, quantity);
}

/** `Array<X>` in a model's type text. */
export const LIST_TYPE = /^Array<(.+)>$/;
/** `{ [key: string]: X; }` in a model's type text. */
export const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;

function typeNode(type: string, facts: FieldSemantics | undefined, quantity: boolean): TypeNode {
  const list = LIST_TYPE.exec(type);
  if (list?.[1] !== undefined) {
    const element = typeNode(list[1], undefined, quantity);
    return { kind: 'list', ...listSemantics(facts), element };
  }
  const map = MAP_TYPE.exec(type);
  if (map?.[1] !== undefined) {
    const element = typeNode(map[1], undefined, quantity);
    return mapOf(element, facts?.mapType === 'atomic' ? 'atomic' : 'separable');
  }
  switch (type) {
    case 'string':
      return quantity ? UNTYPED : scalar('string');
    case 'Date':
      return scalar('string');
    case 'number':
      return scalar('numeric');
    case 'boolean':
      return scalar('boolean');
    case 'IntOrString':
      return UNTYPED;
    case 'any':
      return DEDUCED;
    default: {
      if (attributesOf(type) === undefined) return DEDUCED;
      const node = modelNode(type);
      return facts?.structType === undefined ? node : withRelationship(node, facts.structType === 'atomic' ? 'atomic' : 'separable');
    }
  }
}

/** A map of one element type (labels, `data`, resource lists). */
export function mapOf(element: TypeNode, relationship: MapNode['relationship'] = 'separable'): MapNode {
  return { kind: 'map', relationship, field: () => undefined, fieldDefault: () => undefined, element };
}

function capitalize(s: string): string {
  return s.length === 0 ? s : `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
}

/**
 * The client-node model of a built-in kind (`V1Deployment`, `CoreV1Event`, `EventsV1Event`), or
 * undefined when client-node has none.
 */
export function modelOfKind(group: string, version: string, kind: string): string | undefined {
  const prefix = group === '' ? 'Core' : capitalize(group.split('.')[0] ?? '');
  const v = capitalize(version);
  return [`${prefix}${v}${kind}`, `${v}${kind}`].find((name) => attributesOf(name) !== undefined);
}

/** The ObjectMeta struct: every kind's `metadata`, custom resources included. */
export function objectMetaNode(): MapNode {
  return modelNode('V1ObjectMeta');
}

/** The typed schema of a built-in kind; undefined when client-node has no model for it. */
export function builtinSchema(group: string, version: string, kind: string): MapNode | undefined {
  const model = modelOfKind(group, version, kind);
  return model === undefined ? undefined : modelNode(model);
}
