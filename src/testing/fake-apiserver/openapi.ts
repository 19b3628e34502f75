// The OpenAPI endpoints kubectl's create/apply validation reads: a v3 index, per-group-version v3 documents, and v2.

import { createHash } from 'node:crypto';

/** What the OpenAPI documents need to know about one served resource; the registry's ResourceType fits. */
export interface OpenApiResource {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. `pods` (the `resource` of a GroupVersionResource). */
  resource: string;
  namespaced: boolean;
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

const queryParameter = (name: string): Record<string, unknown> => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
});

function operation(resource: OpenApiResource, action: string, extraParams: string[]): Record<string, unknown> {
  return {
    operationId: `${action}${resource.kind}`,
    parameters: extraParams.map(queryParameter),
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    // kubectl finds the operation for a kind through this extension, then looks for fieldValidation.
    'x-kubernetes-group-version-kind': { group: resource.group, version: resource.version, kind: resource.kind },
  };
}

function resourcePaths(resource: OpenApiResource): Record<string, unknown> {
  const prefix = `/${openApiV3GroupVersionPath(resource.group, resource.version)}`;
  const collection = resource.namespaced
    ? `${prefix}/namespaces/{namespace}/${resource.resource}`
    : `${prefix}/${resource.resource}`;
  const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'];
  return {
    [collection]: {
      get: operation(resource, 'list', ['labelSelector', 'fieldSelector', 'limit', 'continue', 'watch']),
      post: operation(resource, 'post', writeParams),
    },
    [`${collection}/{name}`]: {
      get: operation(resource, 'get', []),
      put: operation(resource, 'put', writeParams),
      patch: operation(resource, 'patch', [...writeParams, 'force']),
      delete: operation(resource, 'delete', ['gracePeriodSeconds', 'propagationPolicy']),
    },
  };
}

/**
 * The OpenAPI v3 document of one group-version: a path per collection and per object, whose
 * operations carry `x-kubernetes-group-version-kind` and declare the `fieldValidation` query
 * parameter. That is what kubectl 1.32 checks before `create -f`: when the server supports
 * `fieldValidation`, kubectl leaves validation to the server (`fieldValidation=Strict`) instead
 * of validating against schemas, so no schemas are needed here.
 */
function openApiV3Document(resources: readonly OpenApiResource[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const resource of resources) Object.assign(paths, resourcePaths(resource));
  return { openapi: '3.0.0', info: serverInfo, paths, components: { schemas: {} } };
}

function hashOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

/**
 * The `/openapi/v3` index: each group-version with the server-relative URL of its document.
 * The URL carries a hash of the document, so clients that cache by URL (kubectl does, on disk)
 * see a new URL whenever a CRD changes the document.
 */
function openApiV3Index(resources: readonly OpenApiResource[]): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, members] of groupVersionsOf(resources)) {
    const hash = hashOf(JSON.stringify(openApiV3Document(members)));
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

function json(value: unknown): OpenApiResponse {
  return { status: 200, contentType: 'application/json', body: `${JSON.stringify(value)}\n` };
}

function openApiV2(accept: string | undefined): OpenApiResponse {
  if (accept?.includes('protobuf') === true) {
    // An empty protobuf message is a valid, empty openapi_v2.Document: kubectl finds no models
    // and skips client-side schema validation for every kind.
    return { status: 200, contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE, body: '' };
  }
  return json({ swagger: '2.0', info: serverInfo, paths: {}, definitions: {} });
}

/**
 * Answers an OpenAPI request, or returns undefined when `pathname` is not an OpenAPI path (the
 * caller routes it elsewhere). Serves `/openapi/v2` (empty protobuf or a minimal JSON document,
 * by Accept), `/openapi/v3` (the index) and `/openapi/v3/{api/v1|apis/g/v}` (404 for a
 * group-version nobody serves). The `hash` query parameter is ignored: the current document is
 * always served.
 *
 * @example
 * const answer = serveOpenApi(url.pathname, req.headers.accept, registry.resources());
 * if (answer !== undefined) res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
 */
export function serveOpenApi(
  pathname: string,
  accept: string | undefined,
  resources: readonly OpenApiResource[],
): OpenApiResponse | undefined {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') return openApiV2(accept);
  if (path === '/openapi/v3') return json(openApiV3Index(resources));
  if (!path.startsWith('/openapi/v3/')) return undefined;
  const members = groupVersionsOf(resources).get(path.slice('/openapi/v3/'.length));
  if (members === undefined) {
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
  }
  return json(openApiV3Document(members));
}
