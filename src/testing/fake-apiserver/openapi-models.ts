// OpenAPI schemas of the built-in kinds, built from @kubernetes/client-node's generated model metadata.
//
// Each client-node model class carries `attributeTypeMap` (JSON field names and types); its
// declaration file carries the field descriptions and which fields are required. Both are read
// from the installed package at run time, so nothing of the upstream API text lives here.

import * as clientNode from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { JsonObject } from './json.ts';
import { ATOMIC_STRUCTS, FIELD_SEMANTICS, QUANTITY_FIELDS, type FieldSemantics } from './schema/list-types.ts';

/** Where `$ref`s point in an OpenAPI v3 document. */
export const V3_REF_PREFIX = '#/components/schemas/';

interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

interface ModelDocs {
  readonly description: string | undefined;
  readonly fields: ReadonlyMap<string, string>;
  readonly required: ReadonlySet<string>;
}

const exported = clientNode as unknown as Record<string, unknown>;

function attributesOf(model: string): readonly Attribute[] | undefined {
  const cls = exported[model];
  if (typeof cls !== 'function') return undefined;
  const map = (cls as { attributeTypeMap?: unknown }).attributeTypeMap;
  return Array.isArray(map) ? (map as Attribute[]) : undefined;
}

// client-node names a model <Group?><Version><Type>: V1Pod, CoreV1Event, ApiextensionsV1ServiceReference.
const MODEL_NAME = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;

// Where the Go types of the served kinds live; anything unlisted is core.
const PACKAGES: readonly (readonly [RegExp, string])[] = [
  [/^(ObjectMeta|ListMeta|LabelSelector|LabelSelectorRequirement|ManagedFieldsEntry|OwnerReference|Condition|Status|StatusDetails|StatusCause|DeleteOptions|Preconditions)$/, 'io.k8s.apimachinery.pkg.apis.meta'],
  [/^(Deployment|ReplicaSet|StatefulSet|DaemonSet|RollingUpdate|ControllerRevision)/, 'io.k8s.api.apps'],
  [/^(Job|CronJob|PodFailurePolicy|SuccessPolicy|UncountedTerminatedPods)/, 'io.k8s.api.batch'],
  [/^Lease/, 'io.k8s.api.coordination'],
  [/^Scale/, 'io.k8s.api.autoscaling'],
  [/^(Eviction|PodDisruptionBudget)/, 'io.k8s.api.policy'],
  [/^(CustomResource|JSONSchemaProps|ExternalDocumentation|ValidationRule|SelectableField|WebhookConversion)/, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions'],
];

/** The OpenAPI definition name of a client-node model: `V1DeploymentSpec` → `io.k8s.api.apps.v1.DeploymentSpec`. */
export function definitionName(model: string): string {
  const match = MODEL_NAME.exec(model);
  const prefix = match?.[1];
  const version = (match?.[2] ?? 'V1').toLowerCase();
  const type = match?.[3] ?? model;
  if (prefix === 'Apiextensions') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${type}`;
  if (prefix !== undefined && prefix !== 'Core') return `io.k8s.api.${prefix.toLowerCase()}.${version}.${type}`;
  const pkg = PACKAGES.find(([pattern]) => pattern.test(type))?.[1] ?? 'io.k8s.api.core';
  return `${pkg}.${version}.${type}`;
}

/** The client-node model of a built-in kind (`CoreV1Event` before `V1Event`), or undefined. */
export function modelFor(group: string, version: string, kind: string): string | undefined {
  const v = `${version.charAt(0).toUpperCase()}${version.slice(1)}`;
  const first = group === '' ? 'core' : (group.split('.')[0] ?? '');
  const qualified = `${first.charAt(0).toUpperCase()}${first.slice(1)}${v}${kind}`;
  if (attributesOf(qualified) !== undefined) return qualified;
  return attributesOf(`${v}${kind}`) === undefined ? undefined : `${v}${kind}`;
}

let modelsDir: string | undefined;
const docsCache = new Map<string, ModelDocs>();
const NO_DOCS: ModelDocs = { description: undefined, fields: new Map(), required: new Set() };

function cleanComment(raw: string): string {
  return raw
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter((line) => line !== '')
    .join(' ')
    .replace(/\\(['"\\])/g, '$1');
}

function readDeclaration(model: string): string | undefined {
  modelsDir ??= join(dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')), 'gen', 'models');
  try {
    return readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
  } catch (err) {
    // Descriptions are a courtesy: a package installed without declaration files still serves schemas.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Field descriptions and required fields from the model's declaration file. */
function docsOf(model: string): ModelDocs {
  const cached = docsCache.get(model);
  if (cached !== undefined) return cached;
  const text = readDeclaration(model);
  if (text === undefined) return NO_DOCS;
  const classAt = text.indexOf(`export declare class ${model} `);
  const head = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(text.slice(0, classAt));
  const fields = new Map<string, string>();
  const required = new Set<string>();
  const field = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\?)?:/g;
  for (const m of text.slice(classAt).matchAll(field)) {
    const name = m[2] ?? '';
    if (m[1] !== undefined) fields.set(name, cleanComment(m[1]));
    if (m[3] === undefined) required.add(name);
  }
  const docs: ModelDocs = { description: head?.[1] === undefined ? undefined : cleanComment(head[1]), fields, required };
  docsCache.set(model, docs);
  return docs;
}

// Types that are schemas of their own in the real documents, not client-node models. IntOrString
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

/** The OpenAPI extensions the real documents publish for a field's merge markers. */
function extensionsOf(semantics: FieldSemantics | undefined): JsonObject {
  if (semantics === undefined) return {};
  const out: JsonObject = {};
  if (semantics.listType !== undefined) out['x-kubernetes-list-type'] = semantics.listType;
  if (semantics.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...semantics.listMapKeys];
  const mapType = semantics.mapType ?? semantics.structType;
  if (mapType !== undefined) out['x-kubernetes-map-type'] = mapType;
  if (semantics.patchStrategy !== undefined) out['x-kubernetes-patch-strategy'] = semantics.patchStrategy;
  if (semantics.patchMergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = semantics.patchMergeKey;
  return out;
}

// A Quantity field (or map of them) is typed string by client-node; its schema is the Quantity ref.
function quantitySchema(property: JsonObject, out: Map<string, JsonObject>): JsonObject {
  const quantity = primitiveRef('quantity', out);
  return property['type'] === 'object' ? { type: 'object', additionalProperties: quantity } : quantity;
}

function ref(name: string): JsonObject {
  return { $ref: `${V3_REF_PREFIX}${name}` };
}

/** The schema of one attribute type (`Array<V1Container>`, `{ [key: string]: string; }`, `number`). */
function typeSchema(type: string, format: string, out: Map<string, JsonObject>): JsonObject {
  const array = /^Array<(.+)>$/.exec(type);
  if (array !== null) return { type: 'array', items: typeSchema(array[1] ?? 'any', format, out) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map !== null) return { type: 'object', additionalProperties: typeSchema(map[1] ?? 'any', format, out) };
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
    case 'IntOrString':
      return primitiveRef('int-or-string', out);
    default:
      return attributesOf(type) === undefined ? { type: 'object' } : ref(addModelSchema(type, out));
  }
}

/**
 * Adds the schema of a client-node model, and of every model it references, to `out` (keyed
 * by definition name); returns the model's definition name. Properties carry their
 * descriptions and the list-type, map-type and strategic-merge extensions of the facts table
 * (schema/list-types.ts); `$ref`s with a description or extensions are wrapped in a one-item
 * `allOf`, as the real v3 documents write them.
 */
export function addModelSchema(model: string, out: Map<string, JsonObject>): string {
  const name = definitionName(model);
  if (out.has(name)) return name;
  const attributes = attributesOf(model) ?? [];
  const schema: JsonObject = { type: 'object' };
  // Registered before its properties are built: models refer to themselves (JSONSchemaProps).
  out.set(name, schema);
  const docs = docsOf(model);
  if (docs.description !== undefined) schema['description'] = docs.description;
  const quantities = new Set(QUANTITY_FIELDS[model] ?? []);
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const attr of attributes) {
    const typed = typeSchema(attr.type, attr.format, out);
    const property = quantities.has(attr.baseName) ? quantitySchema(typed, out) : typed;
    const description = docs.fields.get(attr.name);
    const extras: JsonObject = { ...(description === undefined ? {} : { description }), ...extensionsOf(FIELD_SEMANTICS[model]?.[attr.baseName]) };
    properties[attr.baseName] = Object.keys(extras).length === 0 ? property : '$ref' in property ? { allOf: [property], ...extras } : { ...property, ...extras };
    if (docs.required.has(attr.name)) required.push(attr.baseName);
  }
  schema['properties'] = properties;
  if (required.length > 0) schema['required'] = required;
  if (ATOMIC_STRUCTS.has(model)) schema['x-kubernetes-map-type'] = 'atomic';
  return name;
}
