// client-node's generated models, the one place the fake reads them: each model class's field names,
// types and formats (`attributeTypeMap`), its declaration file's descriptions and required fields,
// and how a kind and a model are named.
//
// Everything is read from the installed package at run time, so no upstream API text lives here.

import * as clientNode from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One entry of a model's `attributeTypeMap`: TypeScript and JSON names, type text and format. */
export interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

const exported = clientNode as unknown as Readonly<Record<string, unknown>>;

/** A model's fields, undefined when client-node has no such model. */
export function attributesOf(model: string): readonly Attribute[] | undefined {
  const cls = exported[model];
  if (typeof cls !== 'function') return undefined;
  const attributes = (cls as { readonly attributeTypeMap?: unknown }).attributeTypeMap;
  return Array.isArray(attributes) ? (attributes as Attribute[]) : undefined;
}

/** What a model's type text holds: a list or map of the `element` type text, or a plain type. */
export type TypeText = { readonly collection: 'list' | 'map'; readonly element: string } | { readonly collection: undefined; readonly type: string };

const LIST_TYPE = /^Array<(.+)>$/;
const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;

/** Reads `Array<V1Container>`, `{ [key: string]: string; }` or a plain type (`number`, `V1PodSpec`). */
export function typeText(type: string): TypeText {
  const list = LIST_TYPE.exec(type)?.[1];
  if (list !== undefined) return { collection: 'list', element: list };
  const map = MAP_TYPE.exec(type)?.[1];
  if (map !== undefined) return { collection: 'map', element: map };
  return { collection: undefined, type };
}

function capitalize(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}

/**
 * The model of a built-in kind (`V1Deployment`; `CoreV1Event` before `EventsV1Event` or `V1Event`),
 * or undefined when client-node has none.
 */
export function modelOfKind(group: string, version: string, kind: string): string | undefined {
  const v = capitalize(version);
  const prefix = capitalize(group === '' ? 'core' : (group.split('.')[0] ?? ''));
  return [`${prefix}${v}${kind}`, `${v}${kind}`].find((name) => attributesOf(name) !== undefined);
}

// client-node names a model <Group?><Version><Type>: V1Pod, CoreV1Event, ApiextensionsV1ServiceReference.
const MODEL_NAME = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;

// Where the Go types of unprefixed models live; anything unlisted is core.
const PACKAGES: readonly (readonly [RegExp, string])[] = [
  [/^(ObjectMeta|ListMeta|LabelSelector|LabelSelectorRequirement|ManagedFieldsEntry|OwnerReference|Condition|Status|StatusDetails|StatusCause|DeleteOptions|Preconditions)$/, 'io.k8s.apimachinery.pkg.apis.meta'],
  [/^(Deployment|ReplicaSet|StatefulSet|DaemonSet|RollingUpdate|ControllerRevision)/, 'io.k8s.api.apps'],
  [/^(Job|CronJob|PodFailurePolicy|SuccessPolicy|UncountedTerminatedPods)/, 'io.k8s.api.batch'],
  [/^Lease/, 'io.k8s.api.coordination'],
  [/^Scale/, 'io.k8s.api.autoscaling'],
  [/^(Eviction|PodDisruptionBudget)/, 'io.k8s.api.policy'],
  [/^(CustomResource|JSONSchemaProps|ExternalDocumentation|ValidationRule|SelectableField|WebhookConversion)/, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions'],
];

/** The OpenAPI definition name of a model: `V1DeploymentSpec` → `io.k8s.api.apps.v1.DeploymentSpec`. */
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

/** A model's description, field descriptions (by TypeScript name) and required fields (by TypeScript name). */
export interface ModelDocs {
  readonly description: string | undefined;
  readonly fields: ReadonlyMap<string, string>;
  readonly required: ReadonlySet<string>;
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

/** Field descriptions and required fields, from the model's declaration file (none without one). */
export function docsOf(model: string): ModelDocs {
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
