// The published OpenAPI schema of a client-node model: field names, types and formats from the model,
// descriptions and required fields from its declaration file, merge markers, Quantity fields and
// list-map key defaults from the facts tables. What the documents serve, and what every other
// reading of a built-in kind's schema (server-side apply, fieldValidation, strategic merge) walks.

import type { JsonObject } from '../json.ts';
import { ATOMIC_STRUCTS, FIELD_SEMANTICS, LIST_MAP_KEY_DEFAULTS, QUANTITY_FIELDS } from './list-types.ts';
import { markerExtensions } from './merge-markers.ts';
import { attributesOf, definitionName, docsOf, typeText } from './models.ts';

/** Where `$ref`s point in an OpenAPI v3 document. */
export const V3_REF_PREFIX = '#/components/schemas/';

/** A `$ref` to the definition `name`. */
export function ref(name: string): JsonObject {
  return { $ref: `${V3_REF_PREFIX}${name}` };
}

// Types that are definitions of their own in the real documents, not client-node models. IntOrString
// and Quantity have no single type in v3 (explain prints them by name).
const PRIMITIVES: Readonly<Record<string, readonly [string, JsonObject]>> = {
  'date-time': ['io.k8s.apimachinery.pkg.apis.meta.v1.Time', { type: 'string', format: 'date-time' }],
  'date-time-micro': ['io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime', { type: 'string', format: 'date-time' }],
  'int-or-string': ['io.k8s.apimachinery.pkg.util.intstr.IntOrString', { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] }],
  quantity: ['io.k8s.apimachinery.pkg.api.resource.Quantity', { oneOf: [{ type: 'string' }, { type: 'number' }] }],
};

function primitiveRef(kind: string, out: Map<string, JsonObject>): JsonObject {
  const primitive = PRIMITIVES[kind];
  if (primitive === undefined) return { type: 'string' };
  out.set(primitive[0], primitive[1]);
  return ref(primitive[0]);
}

// A Quantity field (or map of them) is typed string by client-node; its schema is the Quantity ref.
function quantitySchema(property: JsonObject, out: Map<string, JsonObject>): JsonObject {
  const quantity = primitiveRef('quantity', out);
  return property['type'] === 'object' ? { type: 'object', additionalProperties: quantity } : quantity;
}

/** The schema of one attribute type (`Array<V1Container>`, `{ [key: string]: string; }`, `number`). */
function typeSchema(type: string, format: string, out: Map<string, JsonObject>): JsonObject {
  const text = typeText(type);
  if (text.collection === 'list') return { type: 'array', items: typeSchema(text.element, format, out) };
  if (text.collection === 'map') return { type: 'object', additionalProperties: typeSchema(text.element, format, out) };
  switch (type) {
    case 'string':
      return format === '' ? { type: 'string' } : { type: 'string', format };
    case 'number':
      return format === 'double' ? { type: 'number', format } : format === '' ? { type: 'number' } : { type: 'integer', format };
    case 'boolean':
      return { type: 'boolean' };
    case 'any':
      // RawExtension, FieldsV1, JSON: an object of any shape.
      return { type: 'object' };
    case 'Date':
      return primitiveRef(format || 'date-time', out);
    case 'V1MicroTime':
      // A type alias of Date in client-node, not a model: Lease renewTime, Event eventTime.
      return primitiveRef('date-time-micro', out);
    case 'IntOrString':
      return primitiveRef('int-or-string', out);
    default:
      return attributesOf(type) === undefined ? { type: 'object' } : ref(addModelSchema(type, out));
  }
}

/**
 * Adds the schema of a client-node model, and of every model it references, to `out` (keyed by
 * definition name); returns the model's definition name. Properties carry their descriptions, the
 * merge-marker extensions of the facts table (schema/list-types.ts) and the `default` of list-map
 * keys (`protocol: TCP`); `$ref`s with a description or extensions are wrapped in a one-item `allOf`,
 * as the real v3 documents write them; `+structType=atomic` models are `x-kubernetes-map-type: atomic`.
 */
export function addModelSchema(model: string, out: Map<string, JsonObject>): string {
  const name = definitionName(model);
  if (out.has(name)) return name;
  const schema: JsonObject = { type: 'object' };
  // Registered before its properties are built: models refer to themselves (JSONSchemaProps).
  out.set(name, schema);
  const docs = docsOf(model);
  if (docs.description !== undefined) schema['description'] = docs.description;
  const quantities = new Set(QUANTITY_FIELDS[model] ?? []);
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const attr of attributesOf(model) ?? []) {
    const typed = typeSchema(attr.type, attr.format, out);
    const property = quantities.has(attr.baseName) ? quantitySchema(typed, out) : typed;
    const description = docs.fields.get(attr.name);
    const fallback = LIST_MAP_KEY_DEFAULTS[model]?.[attr.baseName];
    const extras: JsonObject = {
      ...(fallback === undefined ? {} : { default: fallback }),
      ...(description === undefined ? {} : { description }),
      ...markerExtensions(FIELD_SEMANTICS[model]?.[attr.baseName]),
    };
    properties[attr.baseName] = Object.keys(extras).length === 0 ? property : '$ref' in property ? { allOf: [property], ...extras } : { ...property, ...extras };
    if (docs.required.has(attr.name)) required.push(attr.baseName);
  }
  schema['properties'] = properties;
  if (required.length > 0) schema['required'] = required;
  if (ATOMIC_STRUCTS.has(model)) schema['x-kubernetes-map-type'] = 'atomic';
  return name;
}
