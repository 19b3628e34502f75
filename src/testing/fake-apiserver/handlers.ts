// Resource request handlers: GET, LIST, WATCH, POST, PUT, PATCH, DELETE on one resource path.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../../api/errors.ts';
import type { Status, UnstructuredObject } from '../../api/types.ts';
import { decodePatchResult, decodeWriteBody, fieldValidationOf, prunedToSchema, type DecodedWrite } from './field-validation.ts';
import { isJsonObject } from './json.ts';
import { listObjects, parseResourceVersion } from './list.ts';
import { negotiate } from './negotiate.ts';
import type { ObjectApi } from './objects.ts';
import { applyPatch, patchTypeOf, type PatchType } from './patch.ts';
import type { ResourceType } from './registry.ts';
import { renderList, renderObject, type RenderOptions } from './render.ts';
import type { ResourceRoute } from './router.ts';
import { buildSelection } from './selectors.ts';
import * as status from './status.ts';
import { storageKey, type ObjectStore } from './store.ts';
import { sendJsonStreamed } from './stream-json.ts';
import { parseIncludeObject } from './table.ts';
import type { WatchHub } from './watch.ts';
import { invalidOptions, managerOrUserAgent, writeOptions, type WriteOptionsKind } from './write-options.ts';
import { checkAppliedName } from './write-pipeline.ts';

/** Everything a resource handler reads or writes. */
export interface HandlerContext {
  readonly store: ObjectStore;
  readonly objects: ObjectApi;
  readonly watches: WatchHub;
  readonly bookmarkIntervalMs: number;
  readonly defaultWatchTimeoutSeconds: number;
  readonly watchListDefaulting: boolean;
  readonly maxWatchBufferBytes: number;
}

/** One parsed resource request. */
export interface ResourceRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly route: ResourceRoute;
  readonly rt: ResourceType;
  readonly verb: string;
  readonly query: URLSearchParams;
  /** The request body, already read (empty string when none). */
  readonly body: string;
}

/** Writes a JSON response: compact JSON and a newline, as Go's encoder does. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** Query booleans as the real server reads them: only "0" and "false" are false; empty is true. */
export function queryBool(query: URLSearchParams, key: string): boolean | undefined {
  const v = query.get(key);
  if (v === null) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

function param(query: URLSearchParams, key: string): string | undefined {
  return query.get(key) ?? undefined;
}

/** Parses a write body as a JSON object; 400 with the decoder's wording otherwise. */
export function decodeBody(body: string): UnstructuredObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw status.badRequest(`couldn't get version/kind; json parse error: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isJsonObject(parsed)) throw status.badRequest("couldn't get version/kind; json parse error: expected a JSON object");
  return parsed;
}

/**
 * The body of a POST/PUT, which must be JSON. Typed Go clients (`kubectl create configmap`,
 * `kubectl run`) send protobuf, which the fake cannot decode: 415 as the real server answers any
 * unknown type.
 */
export function jsonBody(r: ResourceRequest): string {
  const type = (r.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== '' && type !== 'application/json') throw status.unsupportedMediaType(type, ['application/json']);
  return r.body;
}

function renderOptions(r: ResourceRequest): RenderOptions {
  return { includeObject: parseIncludeObject(r.query.get('includeObject')) };
}

function scope(r: ResourceRequest): { namespace?: string } {
  return r.route.namespace === undefined ? {} : { namespace: r.route.namespace };
}

/**
 * The scope of a write (422 for invalid options): namespace, `dryRun=All`, and the field manager a
 * non-apply write is recorded under (`fieldManager`, else the User-Agent's prefix).
 */
export function writeScope(r: ResourceRequest, kind: WriteOptionsKind = 'UpdateOptions'): { namespace?: string; dryRun?: boolean; fieldManager: string } {
  const options = writeOptions(kind, r.query);
  const fieldManager = managerOrUserAgent(options.fieldManager, r.req.headers['user-agent']);
  return { ...scope(r), ...(options.dryRun ? { dryRun: true } : {}), fieldManager };
}

/** Sets the Warning headers of a decoded write (one per unknown field, under fieldValidation=Warn); returns its body. */
export function warned(r: ResourceRequest, decoded: DecodedWrite): UnstructuredObject {
  if (decoded.warnings.length > 0) r.res.setHeader('Warning', decoded.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  return decoded.body;
}

// The body of a create or update as the kind decodes it (see decodeWriteBody).
function checkedBody(r: ResourceRequest, body: UnstructuredObject, options: 'CreateOptions' | 'UpdateOptions'): UnstructuredObject {
  return warned(r, decodeWriteBody(r.rt, body, fieldValidationOf(r.query, options), r.route.subresource === 'status' ? 'status' : 'object'));
}

/** The scope of a delete: namespace and `dryRun=All`. */
function deleteScope(r: ResourceRequest): { namespace?: string; dryRun?: boolean } {
  const values = r.query.getAll('dryRun');
  if (values.some((v) => v !== 'All')) {
    throw invalidOptions('DeleteOptions', [
      { reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(values)}: supported values: "All"`, field: 'dryRun' },
    ]);
  }
  return values.length > 0 ? { ...scope(r), dryRun: true } : scope(r);
}

function handleGet(ctx: HandlerContext, r: ResourceRequest, name: string): void {
  const rep = negotiate(r.req.headers.accept, 'object');
  const rv = parseResourceVersion(param(r.query, 'resourceVersion'), (m) => status.badRequest(`invalid resource version: ${m}`));
  if (rv > ctx.store.resourceVersion) throw status.tooLargeResourceVersion(rv, ctx.store.resourceVersion);
  const obj = ctx.objects.get(r.rt, name, scope(r));
  sendJson(r.res, 200, renderObject(r.rt, obj, rep, renderOptions(r)));
}

function handleList(ctx: HandlerContext, r: ResourceRequest): void {
  const rep = negotiate(r.req.headers.accept, 'list');
  if (queryBool(r.query, 'sendInitialEvents') !== undefined) {
    throw status.invalidListOptions('sendInitialEvents', 'FieldValueForbidden', 'Forbidden: sendInitialEvents is forbidden for list');
  }
  const selection = buildSelection(r.rt, r.route.namespace, param(r.query, 'labelSelector'), param(r.query, 'fieldSelector'));
  const q: Record<string, string> = {};
  for (const key of ['resourceVersion', 'resourceVersionMatch', 'limit', 'continue'] as const) {
    const v = r.query.get(key);
    if (v !== null) q[key] = v;
  }
  const page = listObjects(ctx.store, r.rt, r.route.namespace, selection, q);
  sendJsonStreamed(r.res, 200, renderList(r.rt, page, rep, renderOptions(r)));
}

function validateWatch(r: ResourceRequest): void {
  const match = param(r.query, 'resourceVersionMatch') ?? '';
  const sie = queryBool(r.query, 'sendInitialEvents');
  if (match !== '' && sie === undefined) {
    throw status.invalidListOptions('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  if (match !== '' && match !== 'NotOlderThan') {
    throw status.invalidListOptions('resourceVersionMatch', 'FieldValueNotSupported', `Unsupported value: "${match}": supported values: "NotOlderThan"`);
  }
  if (sie !== undefined && match !== 'NotOlderThan') {
    throw status.invalidListOptions('sendInitialEvents', 'FieldValueForbidden', 'Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan');
  }
  parseResourceVersion(param(r.query, 'resourceVersion'), (m) =>
    status.invalidListOptions('resourceVersion', 'FieldValueInvalid', `Invalid value: ${JSON.stringify(param(r.query, 'resourceVersion'))}: ${m}`),
  );
}

function handleWatch(ctx: HandlerContext, r: ResourceRequest): void {
  const rep = negotiate(r.req.headers.accept, 'watch');
  validateWatch(r);
  const selection = buildSelection(r.rt, r.route.namespace, param(r.query, 'labelSelector'), param(r.query, 'fieldSelector'));
  const stream = ctx.watches.open(r.res, {
    store: ctx.store,
    rt: r.rt,
    selection,
    representation: rep,
    render: renderOptions(r),
    bookmarkIntervalMs: ctx.bookmarkIntervalMs,
    defaultTimeoutSeconds: ctx.defaultWatchTimeoutSeconds,
    maxBufferedBytes: ctx.maxWatchBufferBytes,
  });
  const rv = param(r.query, 'resourceVersion') ?? '';
  let sie = queryBool(r.query, 'sendInitialEvents');
  // Newer servers rewrite a legacy ""/"0" watch into a watch-list (SetListOptionsDefaults).
  if (ctx.watchListDefaulting && sie === undefined && (rv === '' || rv === '0') && (param(r.query, 'resourceVersionMatch') ?? '') === '') {
    sie = true;
  }
  const timeoutSeconds = param(r.query, 'timeoutSeconds');
  stream.start({
    allowWatchBookmarks: queryBool(r.query, 'allowWatchBookmarks') ?? false,
    ...(param(r.query, 'resourceVersion') === undefined ? {} : { resourceVersion: param(r.query, 'resourceVersion') ?? '' }),
    ...(sie === undefined ? {} : { sendInitialEvents: sie }),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
  });
}

function handleCreate(ctx: HandlerContext, r: ResourceRequest): void {
  const rep = negotiate(r.req.headers.accept, 'object');
  const write = writeScope(r, 'CreateOptions');
  const created = ctx.objects.create(r.rt, checkedBody(r, decodeBody(jsonBody(r)), 'CreateOptions'), { ...write, dropStatus: true });
  sendJson(r.res, 201, renderObject(r.rt, created, rep, renderOptions(r)));
}

function withUrlName(body: UnstructuredObject, name: string): UnstructuredObject {
  const bodyName = body.metadata?.name;
  if (bodyName === undefined || bodyName === '') return { ...body, metadata: { ...(body.metadata ?? {}), name } };
  if (bodyName !== name) throw status.badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  return body;
}

function handleUpdate(ctx: HandlerContext, r: ResourceRequest, name: string): void {
  const rep = negotiate(r.req.headers.accept, 'object');
  const write = writeScope(r, 'UpdateOptions');
  const body = withUrlName(checkedBody(r, decodeBody(jsonBody(r)), 'UpdateOptions'), name);
  const sub = r.route.subresource === 'status' ? { subresource: 'status' as const } : {};
  const updated = ctx.objects.update(r.rt, body, { ...write, ...sub });
  sendJson(r.res, 200, renderObject(r.rt, updated, rep, renderOptions(r)));
}

/**
 * A PATCH body decoded by its Content-Type (415 for others) after its options are validated (422:
 * an apply patch must name a fieldManager, only an apply may carry `force`).
 */
export function decodePatch(r: ResourceRequest): { type: PatchType; patch: unknown } {
  const type = patchTypeOf(r.req.headers['content-type'], r.rt.custom);
  writeOptions('PatchOptions', r.query, type === 'apply');
  try {
    return { type, patch: JSON.parse(r.body) };
  } catch (err) {
    throw status.badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// Server-side apply: creates what does not exist yet (201), else merges by field ownership (200).
function handleApply(ctx: HandlerContext, r: ResourceRequest, name: string, patch: unknown): void {
  const rep = negotiate(r.req.headers.accept, 'object');
  const options = writeOptions('PatchOptions', r.query, true);
  if (!isJsonObject(patch)) throw status.badRequest('error decoding patch: an apply configuration must be an object');
  const result = ctx.objects.apply(r.rt, name, patch, {
    ...scope(r),
    fieldManager: options.fieldManager,
    force: options.force,
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(r.route.subresource === 'status' ? { subresource: 'status' as const } : {}),
  });
  sendJson(r.res, result.created ? 201 : 200, renderObject(r.rt, result.object, rep, renderOptions(r)));
}

function handlePatch(ctx: HandlerContext, r: ResourceRequest, name: string): void {
  const { type, patch } = decodePatch(r);
  if (type === 'apply') return handleApply(ctx, r, name, patch);
  const rep = negotiate(r.req.headers.accept, 'object');
  const write = writeScope(r, 'PatchOptions');
  const current = ctx.store.get(r.rt, storageKey(r.route.namespace, name));
  if (current === undefined) throw status.notFound(r.rt, name);
  const directive = fieldValidationOf(r.query, 'PatchOptions');
  // The patch applies to the stored object as its kind decodes it (fields seeded beyond the schema dropped).
  const patched = applyPatch(type, prunedToSchema(r.rt, current), patch, r.rt);
  if (!isJsonObject(patched)) throw status.badRequest('the patch result is not a JSON object');
  checkAppliedName(patched, name, r.route.namespace);
  const part = r.route.subresource === 'status' ? 'status' : 'object';
  const body = warned(r, decodePatchResult(r.rt, patched, { type, patch, current, directive, part }));
  const sub = r.route.subresource === 'status' ? { subresource: 'status' as const } : {};
  const updated = ctx.objects.update(r.rt, body, { ...write, ...sub });
  sendJson(r.res, 200, renderObject(r.rt, updated, rep, renderOptions(r)));
}

function deletePreconditions(r: ResourceRequest): { uid?: string; resourceVersion?: string } | undefined {
  if (r.body.trim() === '') return undefined;
  const opts = decodeBody(r.body);
  const pre = opts['preconditions'];
  if (!isJsonObject(pre)) return undefined;
  const out: { uid?: string; resourceVersion?: string } = {};
  if (typeof pre['uid'] === 'string') out.uid = pre['uid'];
  if (typeof pre['resourceVersion'] === 'string') out.resourceVersion = pre['resourceVersion'];
  return out;
}

function handleDelete(ctx: HandlerContext, r: ResourceRequest, name: string): void {
  const rep = negotiate(r.req.headers.accept, 'object');
  const preconditions = deletePreconditions(r);
  const result = ctx.objects.delete(r.rt, name, { ...deleteScope(r), ...(preconditions === undefined ? {} : { preconditions }) });
  if (!result.removed || r.rt.returnDeletedObject) {
    sendJson(r.res, 200, renderObject(r.rt, result.object, rep, renderOptions(r)));
    return;
  }
  const details: NonNullable<Status['details']> = { name };
  if (r.rt.group !== '') details.group = r.rt.group;
  details.kind = r.rt.resource;
  if (result.object.metadata.uid !== undefined) details.uid = result.object.metadata.uid;
  sendJson(r.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

function handleDeleteCollection(ctx: HandlerContext, r: ResourceRequest): void {
  const selection = buildSelection(r.rt, r.route.namespace, param(r.query, 'labelSelector'), param(r.query, 'fieldSelector'));
  const page = listObjects(ctx.store, r.rt, r.route.namespace, selection, {});
  const dryRun = deleteScope(r).dryRun === true ? { dryRun: true } : {};
  const deleted = page.items.map(
    (o) => ctx.objects.delete(r.rt, o.metadata.name, { ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }), ...dryRun }).object,
  );
  sendJson(r.res, 200, renderList(r.rt, { items: deleted, resourceVersion: String(ctx.store.resourceVersion) }, { as: 'json' }, renderOptions(r)));
}

/** Dispatches one resource request by verb. Throws StatusErrors for the caller to write. */
export function handleResource(ctx: HandlerContext, r: ResourceRequest): void {
  const name = r.route.name;
  switch (r.verb) {
    case 'get':
      return handleGet(ctx, r, name ?? '');
    case 'list':
      return handleList(ctx, r);
    case 'watch':
      return handleWatch(ctx, r);
    case 'create':
      return handleCreate(ctx, r);
    case 'update':
      return handleUpdate(ctx, r, name ?? '');
    case 'patch':
      return handlePatch(ctx, r, name ?? '');
    case 'delete':
      return handleDelete(ctx, r, name ?? '');
    case 'deletecollection':
      return handleDeleteCollection(ctx, r);
    default:
      throw StatusError.of(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
}
