// The schemas of a served kind, as the OpenAPI documents publish them: built-ins from client-node's
// models (model-schemas.ts), custom resources from their CRD version's openAPIV3Schema with the standard
// apiVersion, kind and metadata. The one source every reading of a kind's schema starts from: the
// documents, server-side apply's typed schema (typed-schema.ts), fieldValidation and strategic merge.

import { cloneJson, isJsonObject, type JsonObject } from '../json.ts';
import { addModelSchema, ref, V3_REF_PREFIX } from './model-schemas.ts';
import { definitionName, modelOfKind } from './models.ts';

/** What the schema builder needs to know about one served kind; the registry's ResourceType fits. */
export interface SchemaSource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly custom?: boolean;
  /** A CustomResource's `openAPIV3Schema`; without one its objects are free-form. */
  readonly openApiV3Schema?: JsonObject;
}

/** The schemas of one kind: its definition, its list kind's, and every definition they reference. */
export interface KindSchemas {
  /** The definition name of the kind's objects (`io.k8s.api.apps.v1.Deployment`, `com.example.v1.Widget`). */
  readonly root: string;
  /** The definition name of its list kind, when it has one. */
  readonly list: string | undefined;
  /** Every definition reachable from both, by name. Shared: never change them. */
  readonly definitions: ReadonlyMap<string, JsonObject>;
}

// `example.com` → `com.example`, the prefix apiextensions gives a CRD's definitions.
function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

function builtinModel(source: SchemaSource): string | undefined {
  return source.custom === true ? undefined : modelOfKind(source.group, source.version, source.kind);
}

/** The definition name of a kind's objects in the documents, as `$ref`s point at it. */
export function schemaNameOf(source: SchemaSource): string {
  const model = builtinModel(source);
  if (model !== undefined) return definitionName(model);
  return `${reversedGroup(source.group === '' ? 'core' : source.group)}.${source.version}.${source.kind}`;
}

const TYPE_PROPERTIES: JsonObject = {
  apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
  kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
};

// A CustomResource (or a registry-added kind without a model): its CRD schema, or any object, with
// apiVersion, kind and the standard ObjectMeta, as apiextensions publishes it.
function customSchemas(source: SchemaSource): KindSchemas {
  const definitions = new Map<string, JsonObject>();
  const objectMeta = addModelSchema('V1ObjectMeta', definitions);
  const listMeta = addModelSchema('V1ListMeta', definitions);
  const root = schemaNameOf(source);
  const declared = source.openApiV3Schema === undefined ? { 'x-kubernetes-preserve-unknown-fields': true } : cloneJson(source.openApiV3Schema);
  const properties = isJsonObject(declared['properties']) ? declared['properties'] : {};
  const metadata = { allOf: [ref(objectMeta)], description: 'Standard object metadata.' };
  definitions.set(root, { ...declared, type: 'object', properties: { ...TYPE_PROPERTIES, ...properties, metadata } });
  const list = `${root}List`;
  definitions.set(list, {
    type: 'object',
    description: `${source.kind}List is a list of ${source.kind}`,
    required: ['items'],
    properties: {
      ...TYPE_PROPERTIES,
      items: { type: 'array', items: ref(root), description: `List of ${source.kind.toLowerCase()}s.` },
      metadata: { allOf: [ref(listMeta)], description: 'Standard list metadata.' },
    },
  });
  return { root, list, definitions };
}

function builtinSchemas(source: SchemaSource, model: string): KindSchemas {
  const definitions = new Map<string, JsonObject>();
  const root = addModelSchema(model, definitions);
  const listModel = modelOfKind(source.group, source.version, `${source.kind}List`);
  const list = listModel === undefined ? undefined : addModelSchema(listModel, definitions);
  return { root, list, definitions };
}

// Built-in kinds by group/version/kind (their models never change); others by their source, which the
// registry replaces when a CRD changes.
const builtins = new Map<string, KindSchemas>();
const customs = new WeakMap<SchemaSource, KindSchemas>();

/** The schemas of a kind (built once per built-in kind, once per custom resource type). */
export function kindSchemas(source: SchemaSource): KindSchemas {
  const model = builtinModel(source);
  if (model === undefined) {
    let found = customs.get(source);
    if (found === undefined) {
      found = customSchemas(source);
      customs.set(source, found);
    }
    return found;
  }
  const key = `${source.group}/${source.version}/${source.kind}`;
  let found = builtins.get(key);
  if (found === undefined) {
    found = builtinSchemas(source, model);
    builtins.set(key, found);
  }
  return found;
}

/** The definition a `$ref` names, undefined for another reference. */
export function refTarget(schema: JsonObject): string | undefined {
  const target = schema['$ref'];
  return typeof target === 'string' && target.startsWith(V3_REF_PREFIX) ? target.slice(V3_REF_PREFIX.length) : undefined;
}

/** A property's schema with `$ref`s followed: the schema and the name of the last definition reached. */
export interface ResolvedSchema {
  readonly schema: JsonObject;
  /** The definition the schema is, undefined for an inline schema. */
  readonly name: string | undefined;
}

/**
 * The schema a property stands for: `$ref`s followed and a one-item `allOf` (a `$ref` carrying a
 * description or extensions) unwrapped; undefined when a reference leads nowhere.
 */
export function resolveNamed(schema: JsonObject | undefined, definitions: ReadonlyMap<string, JsonObject>): ResolvedSchema | undefined {
  let current = schema;
  let name: string | undefined;
  for (let hops = 0; current !== undefined && hops < 8; hops++) {
    const target = refTarget(current);
    const allOf = current['allOf'];
    if (target !== undefined) {
      name = target;
      current = definitions.get(target);
    } else if (Array.isArray(allOf) && allOf.length === 1 && isJsonObject(allOf[0]) && current['properties'] === undefined) current = allOf[0];
    else return { schema: current, name };
  }
  return current === undefined ? undefined : { schema: current, name };
}

/** {@link resolveNamed} without the name. */
export function resolveSchema(schema: JsonObject | undefined, definitions: ReadonlyMap<string, JsonObject>): JsonObject | undefined {
  return resolveNamed(schema, definitions)?.schema;
}

/** True for a scalar of either kind: int-or-string (`x-kubernetes-int-or-string`, IntOrString) or Quantity (`oneOf` without a type). */
export function isUntypedScalar(schema: JsonObject): boolean {
  if (schema['x-kubernetes-int-or-string'] === true || schema['format'] === 'int-or-string') return true;
  return schema['type'] === undefined && (Array.isArray(schema['oneOf']) || Array.isArray(schema['anyOf']));
}
