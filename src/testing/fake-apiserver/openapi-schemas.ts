// The schemas an OpenAPI document publishes for its kinds: built-ins from client-node's models, CRs from their CRD.

import { cloneJson, isJsonObject, type JsonObject } from './json.ts';
import { addModelSchema, definitionName, modelFor, V3_REF_PREFIX } from './openapi-models.ts';

/** What the schema builder needs to know about one served kind; the registry's ResourceType fits. */
export interface SchemaSource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly custom?: boolean;
  /** A CustomResource's `openAPIV3Schema`; without one its objects are free-form. */
  readonly openApiV3Schema?: JsonObject;
}

/** A group-version-kind as the `x-kubernetes-group-version-kind` extension writes it. */
export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

function ref(name: string): JsonObject {
  return { $ref: `${V3_REF_PREFIX}${name}` };
}

function tagGvk(schema: JsonObject | undefined, gvk: Gvk): void {
  if (schema !== undefined) schema['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
}

// `example.com` → `com.example`, the prefix apiextensions gives a CRD's definitions.
function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

const TYPE_PROPERTIES: JsonObject = {
  apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
  kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
};

/** The schema name of a kind's objects in the documents, as `$ref`s point at it. */
export function schemaNameOf(source: SchemaSource): string {
  if (source.custom !== true) {
    const model = modelFor(source.group, source.version, source.kind);
    if (model !== undefined) return definitionName(model);
  }
  return `${reversedGroup(source.group === '' ? 'core' : source.group)}.${source.version}.${source.kind}`;
}

// A CustomResource (or a registry-added kind without a model): its CRD schema, or any object,
// with apiVersion, kind and the standard ObjectMeta, as apiextensions publishes it.
function addCustomSchema(source: SchemaSource, out: Map<string, JsonObject>): void {
  const objectMeta = addModelSchema('V1ObjectMeta', out);
  const listMeta = addModelSchema('V1ListMeta', out);
  const name = schemaNameOf(source);
  const declared = source.openApiV3Schema === undefined ? { 'x-kubernetes-preserve-unknown-fields': true } : cloneJson(source.openApiV3Schema);
  const properties = isJsonObject(declared['properties']) ? declared['properties'] : {};
  const metadata = { allOf: [ref(objectMeta)], description: 'Standard object metadata.' };
  const schema: JsonObject = { ...declared, type: 'object', properties: { ...TYPE_PROPERTIES, ...properties, metadata } };
  out.set(name, schema);
  tagGvk(schema, source);
  const list: JsonObject = {
    type: 'object',
    description: `${source.kind}List is a list of ${source.kind}`,
    required: ['items'],
    properties: {
      ...TYPE_PROPERTIES,
      items: { type: 'array', items: ref(name), description: `List of ${source.kind.toLowerCase()}s.` },
      metadata: { allOf: [ref(listMeta)], description: 'Standard list metadata.' },
    },
  };
  out.set(`${name}List`, list);
  tagGvk(list, { ...source, kind: `${source.kind}List` });
}

/**
 * Adds the schemas of one kind and its list kind to `out` (plus everything they reference),
 * tagged with `x-kubernetes-group-version-kind` as kubectl explain looks them up. Built-in kinds
 * come from client-node's models (field names, types, descriptions, required fields);
 * CustomResources from their CRD version's `openAPIV3Schema`.
 */
export function addKindSchemas(source: SchemaSource, out: Map<string, JsonObject>): void {
  const model = source.custom === true ? undefined : modelFor(source.group, source.version, source.kind);
  if (model === undefined) {
    addCustomSchema(source, out);
    return;
  }
  tagGvk(out.get(addModelSchema(model, out)), source);
  const listModel = modelFor(source.group, source.version, `${source.kind}List`);
  if (listModel !== undefined) tagGvk(out.get(addModelSchema(listModel, out)), { ...source, kind: `${source.kind}List` });
}
