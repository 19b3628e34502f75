// Server-side apply's typed schema of a kind, converted from the schemas the OpenAPI documents publish
// (kind-schemas.ts) as kube-openapi's schemaconv converts them: `$ref`s become named types, list and
// map types come from the `x-kubernetes-*` extensions (strategic-merge markers included), int-or-string
// and Quantity are untyped scalars, preserved unknown fields are deduced. Built-in kinds and custom
// resources go through the same conversion, so what apply merges is what the documents say.

import { isJsonObject, type JsonObject } from '../json.ts';
import { isUntypedScalar, kindSchemas, refTarget, type KindSchemas, type SchemaSource } from './kind-schemas.ts';
import { listSemantics, markersOf } from './merge-markers.ts';
import { DEDUCED, DEDUCED_MAP, scalar, UNTYPED, type MapNode, type TypeNode } from './type-node.ts';

function withRelationship(node: TypeNode, relationship: MapNode['relationship']): TypeNode {
  if (node.kind !== 'map' || node.relationship === relationship) return node;
  return {
    kind: 'map',
    relationship,
    field: (name) => node.field(name),
    fieldDefault: (name) => node.fieldDefault(name),
    get element() {
      return node.element;
    },
  };
}

/** Converts the schemas of one document (one kind's definitions), naming each definition once. */
class Converter {
  readonly #definitions: ReadonlyMap<string, JsonObject>;
  readonly #named = new Map<string, TypeNode>();

  constructor(definitions: ReadonlyMap<string, JsonObject>) {
    this.#definitions = definitions;
  }

  node(schema: JsonObject): TypeNode {
    const target = refTarget(schema);
    if (target !== undefined) return this.#namedNode(target);
    const allOf = schema['allOf'];
    if (Array.isArray(allOf) && allOf.length === 1 && isJsonObject(allOf[0]) && schema['properties'] === undefined) {
      // A `$ref` wrapped to carry a description or a field's own `x-kubernetes-map-type` (+structType).
      const mapType = schema['x-kubernetes-map-type'];
      const inner = this.node(allOf[0]);
      return mapType === 'atomic' || mapType === 'granular' ? withRelationship(inner, mapType === 'atomic' ? 'atomic' : 'separable') : inner;
    }
    if (isUntypedScalar(schema)) return UNTYPED;
    switch (schema['type']) {
      case 'object':
        return this.#objectNode(schema);
      case 'array': {
        const items = schema['items'];
        const element = isJsonObject(items) ? this.node(items) : DEDUCED;
        return { kind: 'list', ...listSemantics(markersOf(schema)), element };
      }
      case 'string':
        return scalar('string');
      case 'integer':
      case 'number':
        return scalar('numeric');
      case 'boolean':
        return scalar('boolean');
      default:
        return isJsonObject(schema['properties']) ? this.#objectNode(schema) : DEDUCED;
    }
  }

  #namedNode(name: string): TypeNode {
    const found = this.#named.get(name);
    if (found !== undefined) return found;
    const definition = this.#definitions.get(name);
    // Object nodes resolve their fields lazily, so a recursive definition is named before it is walked.
    const node = definition === undefined ? DEDUCED : this.node(definition);
    this.#named.set(name, node);
    return node;
  }

  // A struct (declared properties), a map (additionalProperties) or both; fields are converted on first use.
  #objectNode(schema: JsonObject): TypeNode {
    const properties = isJsonObject(schema['properties']) ? schema['properties'] : undefined;
    const additional = schema['additionalProperties'];
    const atomic = schema['x-kubernetes-map-type'] === 'atomic';
    if (properties === undefined && !isJsonObject(additional)) {
      // No declared shape: the value decides (structured-merge-diff's deduced type), unless atomic.
      return atomic ? { kind: 'map', relationship: 'atomic', field: () => undefined, fieldDefault: () => undefined, element: DEDUCED } : DEDUCED;
    }
    const embedded = schema['x-kubernetes-embedded-resource'] === true;
    let fields: Map<string, TypeNode> | undefined;
    const resolve = (): Map<string, TypeNode> => {
      if (fields !== undefined) return fields;
      fields = new Map();
      for (const [key, property] of Object.entries(properties ?? {})) if (isJsonObject(property)) fields.set(key, this.node(property));
      if (embedded) {
        if (!fields.has('apiVersion')) fields.set('apiVersion', scalar('string'));
        if (!fields.has('kind')) fields.set('kind', scalar('string'));
        if (!fields.has('metadata')) fields.set('metadata', DEDUCED);
      }
      return fields;
    };
    let element: TypeNode | undefined;
    let elementConverted = false;
    const convertElement = (): TypeNode | undefined => {
      if (!elementConverted) {
        element = isJsonObject(additional) ? this.node(additional) : schema['x-kubernetes-preserve-unknown-fields'] === true ? DEDUCED : undefined;
        elementConverted = true;
      }
      return element;
    };
    return {
      kind: 'map',
      relationship: atomic ? 'atomic' : 'separable',
      field: (name) => resolve().get(name),
      fieldDefault: (name) => {
        const property = properties?.[name];
        return isJsonObject(property) ? property['default'] : undefined;
      },
      get element() {
        return convertElement();
      },
    };
  }
}

const typed = new WeakMap<KindSchemas, MapNode>();

/**
 * The typed schema of a kind's objects: a built-in's client-node model or a custom resource's CRD
 * version schema (`metadata` always ObjectMeta), as its published definition converts; a kind
 * without a schema has typed metadata and deduced everything else.
 */
export function typedSchemaOf(source: SchemaSource): MapNode {
  const schemas = kindSchemas(source);
  let found = typed.get(schemas);
  if (found === undefined) {
    const root = schemas.definitions.get(schemas.root);
    const node = root === undefined ? DEDUCED : new Converter(schemas.definitions).node(root);
    found = node.kind === 'map' ? node : DEDUCED_MAP;
    typed.set(schemas, found);
  }
  return found;
}
