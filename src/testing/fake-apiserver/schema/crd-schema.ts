// Typed schemas of custom resources: a CRD version's openAPIV3Schema converted as kube-openapi's
// schemaconv does (list types, map types, preserved unknown fields), with the built-in ObjectMeta.

import { isJsonObject, type JsonObject } from '../json.ts';
import { listSemantics, objectMetaNode } from './builtin-schema.ts';
import type { FieldSemantics } from './list-types.ts';
import { DEDUCED, scalar, UNTYPED, type MapNode, type TypeNode } from './type-node.ts';

function structNode(fields: ReadonlyMap<string, TypeNode>, defaults: ReadonlyMap<string, unknown>, element: TypeNode | undefined, atomic: boolean): MapNode {
  return {
    kind: 'map',
    relationship: atomic ? 'atomic' : 'separable',
    field: (name) => fields.get(name),
    fieldDefault: (name) => defaults.get(name),
    element,
  };
}

function objectNode(schema: JsonObject): TypeNode {
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const properties = isJsonObject(schema['properties']) ? schema['properties'] : undefined;
  const additional = schema['additionalProperties'];
  const atomic = schema['x-kubernetes-map-type'] === 'atomic';
  if (properties === undefined && !isJsonObject(additional)) {
    // No declared shape: the value decides (structured-merge-diff's deduced type), unless atomic.
    return atomic ? structNode(new Map(), new Map(), DEDUCED, true) : DEDUCED;
  }
  const fields = new Map<string, TypeNode>();
  const defaults = new Map<string, unknown>();
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (!isJsonObject(property)) continue;
    fields.set(name, convert(property));
    if (property['default'] !== undefined) defaults.set(name, property['default']);
  }
  if (schema['x-kubernetes-embedded-resource'] === true) {
    if (!fields.has('apiVersion')) fields.set('apiVersion', scalar('string'));
    if (!fields.has('kind')) fields.set('kind', scalar('string'));
    if (!fields.has('metadata')) fields.set('metadata', DEDUCED);
  }
  const element = isJsonObject(additional) ? convert(additional) : preserve ? DEDUCED : undefined;
  return structNode(fields, defaults, element, atomic);
}

function convert(schema: JsonObject): TypeNode {
  if (schema['x-kubernetes-int-or-string'] === true) return UNTYPED;
  const type = schema['type'];
  switch (type) {
    case 'object':
      return objectNode(schema);
    case 'array': {
      const items = isJsonObject(schema['items']) ? convert(schema['items']) : DEDUCED;
      const listType = schema['x-kubernetes-list-type'];
      const keys = Array.isArray(schema['x-kubernetes-list-map-keys'])
        ? schema['x-kubernetes-list-map-keys'].filter((k): k is string => typeof k === 'string')
        : [];
      const facts: FieldSemantics | undefined = listType === 'set' || listType === 'map' || listType === 'atomic' ? { listType, listMapKeys: keys } : undefined;
      return { kind: 'list', ...listSemantics(facts), element: items };
    }
    case 'string':
      return scalar('string');
    case 'integer':
    case 'number':
      return scalar('numeric');
    case 'boolean':
      return scalar('boolean');
    default:
      return isJsonObject(schema['properties']) ? objectNode(schema) : DEDUCED;
  }
}

/**
 * The typed schema of a custom resource version. `metadata` is always ObjectMeta and `apiVersion`/`kind`
 * strings, whatever the CRD declares; without a schema every other field is deduced.
 */
export function crdSchema(openAPIV3Schema: JsonObject | undefined): MapNode {
  const root = openAPIV3Schema === undefined ? undefined : convert({ ...openAPIV3Schema, type: 'object' });
  const declared = root?.kind === 'map' ? root : undefined;
  const fields = new Map<string, TypeNode>([
    ['apiVersion', scalar('string')],
    ['kind', scalar('string')],
    ['metadata', objectMetaNode()],
  ]);
  return {
    kind: 'map',
    relationship: 'separable',
    field: (name) => fields.get(name) ?? declared?.field(name),
    fieldDefault: (name) => declared?.fieldDefault(name),
    element: declared === undefined ? DEDUCED : declared.element,
  };
}
