// The OpenAPI endpoints: a v3 index, per-group-version v3 documents with schemas, and v2.

import { createHash } from 'node:crypto';
import type { JsonObject } from './json.ts';
import type { ScaleSubresource } from './registry.ts';
import { servesEviction } from './eviction.ts';
import { kindSchemas, schemaNameOf, type SchemaSource } from './schema/kind-schemas.ts';
import { V3_REF_PREFIX } from './schema/model-schemas.ts';
import { subresourcesOf } from './subresources.ts';

/** What the OpenAPI documents need to know about one served resource; the registry's ResourceType fits. */
export interface OpenApiResource extends SchemaSource {
  /** Plural resource name, e.g. `pods` (the `resource` of a GroupVersionResource). */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly statusSubresource?: boolean;
  readonly scale?: ScaleSubresource;
}

/** A ready-to-send OpenAPI answer. */
export interface OpenApiResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The content type of `/openapi/v2` in protobuf. kubectl's MIME parser rejects the `@v1.0` form
 * that it puts in its own Accept header, so the answer uses the dotted `.v1.0` form.
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const serverInfo = { title: 'Kubernetes (kubecache fake apiserver)', version: 'v1.32.0' };

/** A group-version-kind as the `x-kubernetes-group-version-kind` extension writes it. */
interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const SCALE: Gvk = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
const EVICTION: Gvk = { group: 'policy', version: 'v1', kind: 'Eviction' };

/** `api/v1` for the core group, `apis/{group}/{version}` otherwise: the keys of the v3 index. */
function openApiV3GroupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function groupVersionsOf(resources: readonly OpenApiResource[]): Map<string, OpenApiResource[]> {
  const byPath = new Map<string, OpenApiResource[]>();
  for (const resource of resources) {
    const path = openApiV3GroupVersionPath(resource.group, resource.version);
    const list = byPath.get(path) ?? [];
    list.push(resource);
    byPath.set(path, list);
  }
  return byPath;
}

const queryParameter = (name: string): JsonObject => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });

function operation(gvk: Gvk, action: string, extraParams: readonly string[], schema?: string): JsonObject {
  const content = schema === undefined ? {} : { content: { 'application/json': { schema: { $ref: `${V3_REF_PREFIX}${schema}` } } } };
  return {
    operationId: `${action}${gvk.kind}`,
    parameters: extraParams.map(queryParameter),
    responses: { '200': { description: 'OK', ...content } },
    'x-kubernetes-action': action,
    // kubectl finds the operation for a kind through this extension, then looks for fieldValidation.
    'x-kubernetes-group-version-kind': { group: gvk.group, version: gvk.version, kind: gvk.kind },
  };
}

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'];

function subresourcePaths(resource: OpenApiResource, object: string): JsonObject {
  const paths: JsonObject = {};
  const sources = { ...resource, custom: resource.custom ?? false, statusSubresource: resource.statusSubresource ?? false };
  for (const sub of subresourcesOf(sources)) {
    const path = `${object}/${sub.name}`;
    if (sub.name === 'eviction') {
      paths[path] = { post: operation(EVICTION, 'post', WRITE_PARAMS, schemaNameOf(EVICTION)) };
      continue;
    }
    const gvk = sub.name === 'scale' ? SCALE : resource;
    const schema = schemaNameOf(gvk);
    paths[path] = {
      get: operation(gvk, 'get', [], schema),
      put: operation(gvk, 'put', WRITE_PARAMS, schema),
      patch: operation(gvk, 'patch', [...WRITE_PARAMS, 'force'], schema),
    };
  }
  return paths;
}

function resourcePaths(resource: OpenApiResource): JsonObject {
  const prefix = `/${openApiV3GroupVersionPath(resource.group, resource.version)}`;
  const collection = resource.namespaced ? `${prefix}/namespaces/{namespace}/${resource.resource}` : `${prefix}/${resource.resource}`;
  const schema = schemaNameOf(resource);
  const list = `${schema}List`;
  return {
    [collection]: {
      get: operation(resource, 'list', ['labelSelector', 'fieldSelector', 'limit', 'continue', 'watch'], list),
      post: operation(resource, 'post', WRITE_PARAMS, schema),
    },
    [`${collection}/{name}`]: {
      get: operation(resource, 'get', [], schema),
      put: operation(resource, 'put', WRITE_PARAMS, schema),
      patch: operation(resource, 'patch', [...WRITE_PARAMS, 'force'], schema),
      delete: operation(resource, 'delete', ['gracePeriodSeconds', 'propagationPolicy']),
    },
    ...subresourcePaths(resource, `${collection}/{name}`),
  };
}

// Adds a kind's definitions to a document, its own and its list kind's tagged with their
// group-version-kind (on copies: the definitions are shared), as kubectl explain looks them up.
function addKindSchemas(source: SchemaSource, out: Map<string, JsonObject>): void {
  const { root, list, definitions } = kindSchemas(source);
  for (const [name, schema] of definitions) if (!out.has(name)) out.set(name, schema);
  const tag = (name: string, kind: string): void => {
    const schema = definitions.get(name);
    if (schema !== undefined) out.set(name, { ...schema, 'x-kubernetes-group-version-kind': [{ group: source.group, kind, version: source.version }] });
  };
  tag(root, source.kind);
  if (list !== undefined) tag(list, `${source.kind}List`);
}

function schemasOf(resources: readonly OpenApiResource[]): JsonObject {
  const schemas = new Map<string, JsonObject>();
  for (const resource of resources) {
    addKindSchemas(resource, schemas);
    if (resource.scale !== undefined) addKindSchemas(SCALE, schemas);
    if (servesEviction({ ...resource, custom: resource.custom ?? false })) addKindSchemas(EVICTION, schemas);
  }
  return Object.fromEntries([...schemas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The OpenAPI v3 document of one group-version: a path per collection, object and subresource,
 * whose operations carry `x-kubernetes-group-version-kind` and declare the `fieldValidation`
 * query parameter (kubectl then leaves validation to the server and sends
 * `fieldValidation=Strict`), and `components.schemas` with every kind's schema tagged with its
 * group-version-kind — what `kubectl explain` walks.
 */
function buildV3Document(resources: readonly OpenApiResource[]): JsonObject {
  const paths: JsonObject = {};
  for (const resource of resources) Object.assign(paths, resourcePaths(resource));
  return { openapi: '3.0.0', info: serverInfo, paths, components: { schemas: schemasOf(resources) } };
}

interface CachedDocument {
  readonly members: readonly OpenApiResource[];
  readonly body: string;
  readonly hash: string;
}

// Served types are immutable and replaced when a CRD changes, so identical members mean an identical document.
const documents = new Map<string, CachedDocument>();

function v3Document(path: string, members: readonly OpenApiResource[]): CachedDocument {
  const cached = documents.get(path);
  if (cached !== undefined && cached.members.length === members.length && cached.members.every((m, i) => m === members[i])) return cached;
  const body = `${JSON.stringify(buildV3Document(members))}\n`;
  const doc = { members: [...members], body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
  documents.set(path, doc);
  return doc;
}

/**
 * The `/openapi/v3` index: each group-version with the server-relative URL of its document.
 * The URL carries a hash of the document, so clients that cache by URL (kubectl does, on disk)
 * see a new URL whenever a CRD changes the document.
 */
function openApiV3Index(resources: readonly OpenApiResource[]): JsonObject {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, members] of groupVersionsOf(resources)) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${v3Document(path, members).hash}` };
  }
  return { paths };
}

function json(value: unknown): OpenApiResponse {
  return { status: 200, contentType: 'application/json', body: `${JSON.stringify(value)}\n` };
}

// A v3 schema or path item rewritten for Swagger 2.0: `#/definitions/` refs, a single-item
// allOf folded into its $ref, and query parameters typed inline.
function toV2(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toV2);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as JsonObject;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(node)) {
    if (key === '$ref' && typeof child === 'string') out[key] = child.replace(V3_REF_PREFIX, '#/definitions/');
    else if (key === 'schema' && node['in'] === 'query') Object.assign(out, child);
    else if (key === 'responses') out[key] = toV2Responses(child);
    else out[key] = toV2(child);
  }
  const allOf = out['allOf'];
  if (Array.isArray(allOf) && allOf.length === 1 && node['properties'] === undefined) {
    delete out['allOf'];
    return { ...(allOf[0] as JsonObject), ...out };
  }
  return out;
}

function toV2Responses(responses: unknown): unknown {
  if (typeof responses !== 'object' || responses === null) return responses;
  return Object.fromEntries(
    Object.entries(responses as JsonObject).map(([code, response]) => {
      const r = response as JsonObject;
      const schema = (r['content'] as { 'application/json'?: { schema?: unknown } } | undefined)?.['application/json']?.schema;
      return [code, { description: r['description'], ...(schema === undefined ? {} : { schema: toV2(schema) }) }];
    }),
  );
}

function openApiV2(accept: string | undefined, resources: readonly OpenApiResource[]): OpenApiResponse {
  if (accept?.includes('protobuf') === true) {
    // An empty protobuf message is a valid, empty openapi_v2.Document: kubectl finds no models
    // and skips client-side schema validation for every kind.
    return { status: 200, contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE, body: '' };
  }
  const paths: JsonObject = {};
  for (const resource of resources) Object.assign(paths, resourcePaths(resource));
  return json({ swagger: '2.0', info: serverInfo, paths: toV2(paths), definitions: toV2(schemasOf(resources)) });
}

/**
 * Answers an OpenAPI request, or returns undefined when `pathname` is not an OpenAPI path (the
 * caller routes it elsewhere). Serves `/openapi/v2` (empty protobuf, or JSON with every schema,
 * by Accept), `/openapi/v3` (the index) and `/openapi/v3/{api/v1|apis/g/v}` (404 for a
 * group-version nobody serves). The `hash` query parameter is ignored: the current document is
 * always served.
 *
 * @example
 * const answer = serveOpenApi(url.pathname, req.headers.accept, registry.all());
 * if (answer !== undefined) res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
 */
export function serveOpenApi(pathname: string, accept: string | undefined, resources: readonly OpenApiResource[]): OpenApiResponse | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') return openApiV2(accept, resources);
  if (path === '/openapi/v3') return json(openApiV3Index(resources));
  if (!path.startsWith('/openapi/v3/')) return undefined;
  const gvPath = path.slice('/openapi/v3/'.length);
  const members = groupVersionsOf(resources).get(gvPath);
  if (members === undefined) {
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
  }
  return { status: 200, contentType: 'application/json', body: v3Document(gvPath, members).body };
}
