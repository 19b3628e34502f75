// The `scale` subresource: autoscaling/v1 Scale views of workloads and CustomResources (get, update, patch).

import { StatusError } from '../../api/errors.ts';
import { labelSelectorFromMetav1 } from '../../api/label-selector.ts';
import { decodeBody, decodePatch, jsonBody, sendJson, writeScope, type HandlerContext, type ResourceRequest } from './handlers.ts';
import { goUnstructuredType } from './go-format.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { toPartialMetadata } from './metadata.ts';
import { negotiate } from './negotiate.ts';
import { applyPatch } from './patch.ts';
import type { ResourceType, ScaleSubresource } from './registry.ts';
import * as status from './status.ts';
import { storageKey, type StoredObject } from './store.ts';
import { renderTable } from './table.ts';

// The CR scale handler marks "no replicas stored yet" with int32's minimum, so that an update
// which leaves them unset can be refused (apiextensions' invalidSpecReplicas).
const UNSET_REPLICAS = -2147483648;

const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

/** unstructured.NestedInt64: undefined when absent, a 500 when present but not an integer. */
function nestedInt(obj: JsonObject, path: string): number | undefined {
  let cur: unknown = obj;
  for (const key of segments(path)) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[key];
  }
  if (cur === undefined || cur === null) return undefined;
  if (typeof cur === 'number' && Number.isInteger(cur)) return cur;
  // A plain Go error on the real server: a 500 without a reason.
  const shown = typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : JSON.stringify(cur);
  throw status.internalError(`.${segments(path).join('.')} accessor error: ${shown} is of the type ${goUnstructuredType(cur)}, expected int64`);
}

function nestedString(obj: JsonObject, path: string): string | undefined {
  let cur: unknown = obj;
  for (const key of segments(path)) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[key];
  }
  return typeof cur === 'string' ? cur : undefined;
}

/** A copy of `obj` with `value` written at the dotted `path`, creating maps on the way. */
function withNestedValue(obj: StoredObject, path: string, value: number): JsonObject {
  const keys = segments(path);
  const write = (node: unknown, depth: number): JsonObject => {
    const copy: JsonObject = isJsonObject(node) ? { ...node } : {};
    const key = keys[depth] ?? '';
    copy[key] = depth === keys.length - 1 ? value : write(copy[key], depth + 1);
    return copy;
  };
  return write(obj, 0);
}

function builtInSelector(spec: ScaleSubresource, obj: JsonObject): string {
  const selector = isJsonObject(obj['spec']) ? obj['spec']['selector'] : undefined;
  if (!isJsonObject(selector)) return '';
  if (spec.selector === 'labelMap') {
    return Object.keys(selector)
      .sort()
      .map((k) => `${k}=${String(selector[k])}`)
      .join(',');
  }
  try {
    return labelSelectorFromMetav1(selector).toString();
  } catch (err) {
    throw status.badRequest(err instanceof Error ? err.message : String(err));
  }
}

/** The Scale of an object, and whether its desired replicas were stored at all. */
function scaleOf(rt: ResourceType, spec: ScaleSubresource, obj: StoredObject): { scale: JsonObject; found: boolean } {
  const stored = nestedInt(obj, spec.specReplicasPath);
  // Built-in workloads always carry replicas on a real server (defaulted to 1 on create).
  const replicas = stored ?? (rt.custom ? UNSET_REPLICAS : 1);
  const selector = rt.custom
    ? spec.labelSelectorPath === undefined
      ? undefined
      : nestedString(obj, spec.labelSelectorPath)
    : builtInSelector(spec, obj);
  const m = obj.metadata;
  const metadata: JsonObject = { name: m.name };
  if (m.namespace !== undefined) metadata['namespace'] = m.namespace;
  if (m.uid !== undefined) metadata['uid'] = m.uid;
  metadata['resourceVersion'] = m.resourceVersion;
  if (m.creationTimestamp !== undefined) metadata['creationTimestamp'] = m.creationTimestamp;
  const scaleStatus: JsonObject = { replicas: nestedInt(obj, spec.statusReplicasPath) ?? 0 };
  if (selector !== undefined && selector !== '') scaleStatus['selector'] = selector;
  // ScaleSpec.replicas is omitempty: a Scale of zero replicas has "spec":{}.
  const scale = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata, spec: replicas === 0 ? {} : { replicas }, status: scaleStatus };
  return { scale, found: stored !== undefined };
}

/** NotFound as the scale update path words it: built-ins name `<resource>/scale`, CRs their resource. */
function updateNotFound(rt: ResourceType, name: string): StatusError {
  if (rt.custom) return status.notFound(rt, name);
  return status.notFound({ ...rt, resource: `${rt.resource}/scale` }, name);
}

function storedParent(ctx: HandlerContext, r: ResourceRequest, name: string): StoredObject | undefined {
  return ctx.store.get(r.rt, storageKey(r.route.namespace, name));
}

function invalidReplicas(rt: ResourceType, spec: ScaleSubresource, name: string, replicas: number): StatusError {
  if (rt.custom) {
    const field = spec.specReplicasPath;
    return status.invalid(rt, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: should be a non-negative integer`, field }]);
  }
  const message = `Invalid value: ${replicas}: must be greater than or equal to 0`;
  return StatusError.of(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: ${message}`, {
    name,
    group: 'autoscaling',
    kind: 'Scale',
    causes: [{ reason: 'FieldValueInvalid', message, field: 'spec.replicas' }],
  });
}

function checkScaleType(body: JsonObject): void {
  const apiVersion = typeof body['apiVersion'] === 'string' ? body['apiVersion'] : '';
  const kind = typeof body['kind'] === 'string' ? body['kind'] : '';
  if (apiVersion !== '' && apiVersion !== 'autoscaling/v1') {
    throw status.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (autoscaling/v1)`);
  }
  if (kind !== '' && kind !== 'Scale') throw status.badRequest(`the kind in the data (${kind}) does not match the expected kind (Scale)`);
}

function desiredReplicas(rt: ResourceType, spec: ScaleSubresource, name: string, scale: JsonObject): number {
  const raw = isJsonObject(scale['spec']) ? scale['spec']['replicas'] : undefined;
  if (raw === undefined || raw === null) return 0;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    throw status.badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${goUnstructuredType(raw)} into Go struct field ScaleSpec.spec.replicas of type int32`);
  }
  if (raw === UNSET_REPLICAS && rt.custom) throw status.badRequest(`the spec replicas field ${JSON.stringify(spec.specReplicasPath)} cannot be empty`);
  if (raw < 0) throw invalidReplicas(rt, spec, name, raw);
  return raw;
}

/**
 * Writes the new Scale's replicas into the parent object. A non-empty `resourceVersion` is a
 * precondition (409 when stale); a `uid` differing from the parent's is a 409 too, worded as the
 * storage precondition (PUT) or the built-in scale handler (PATCH) words it.
 */
function updateFromScale(ctx: HandlerContext, r: ResourceRequest, parent: StoredObject, scale: JsonObject, via: 'put' | 'patch'): StoredObject {
  const spec = r.rt.scale;
  if (spec === undefined) throw status.internalError('scale subresource without paths');
  const name = parent.metadata.name;
  checkScaleType(scale);
  const replicas = desiredReplicas(r.rt, spec, name, scale);
  const meta = isJsonObject(scale['metadata']) ? scale['metadata'] : {};
  const uid = typeof meta['uid'] === 'string' ? meta['uid'] : '';
  if (uid !== '' && uid !== parent.metadata.uid && !(via === 'patch' && r.rt.custom)) {
    const precondition = `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${parent.metadata.uid ?? ''}`;
    throw via === 'put' ? status.conflict(r.rt, name, precondition) : status.conflict({ ...r.rt, resource: `${r.rt.resource}/scale` }, name, precondition);
  }
  const rv = typeof meta['resourceVersion'] === 'string' && meta['resourceVersion'] !== '' ? meta['resourceVersion'] : parent.metadata.resourceVersion;
  const body = withNestedValue(parent, spec.specReplicasPath, replicas);
  body['metadata'] = { ...parent.metadata, resourceVersion: rv };
  return ctx.objects.update(r.rt, body, writeScope(r));
}

function sendScale(r: ResourceRequest, scale: JsonObject): void {
  const rep = negotiate(r.req.headers.accept, 'object');
  switch (rep.as) {
    case 'json':
      return sendJson(r.res, 200, scale);
    case 'metadata':
      return sendJson(r.res, 200, toPartialMetadata(scale, rep.version));
    case 'table': {
      const scaleType = { group: 'autoscaling', resource: 'scale', custom: false };
      return sendJson(r.res, 200, renderTable(scaleType, [scale], {}, { version: rep.version }));
    }
  }
}

/**
 * Serves `<resource>/{name}/scale` for a kind whose ResourceType declares `scale`: GET answers
 * the Scale (name, namespace, uid, resourceVersion and creationTimestamp of the parent;
 * `spec.replicas`; `status.replicas` and the selector as a string); PUT and PATCH (merge, JSON,
 * strategic; apply merges like a merge patch) write `spec.replicas` back into the parent, which
 * gets an ordinary update (new resourceVersion, MODIFIED event, generation bump). Negative
 * replicas are 422, a stale resourceVersion 409, a missing parent 404 — all Status JSON.
 */
export function handleScale(ctx: HandlerContext, r: ResourceRequest): void {
  const spec = r.rt.scale;
  const name = r.route.name ?? '';
  if (spec === undefined) throw status.notFound(r.rt, name);
  switch (r.verb) {
    case 'get': {
      const parent = storedParent(ctx, r, name);
      if (parent === undefined) throw status.notFound(r.rt, name);
      const { scale, found } = scaleOf(r.rt, spec, parent);
      if (!found && r.rt.custom) {
        const cause = `the spec replicas field ${JSON.stringify(spec.specReplicasPath)} does not exist`;
        throw StatusError.of(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
      }
      return sendScale(r, scale);
    }
    case 'update': {
      const body = decodeBody(jsonBody(r));
      const parent = storedParent(ctx, r, name);
      if (parent === undefined) throw updateNotFound(r.rt, name);
      return sendScale(r, scaleOf(r.rt, spec, updateFromScale(ctx, r, parent, body, 'put')).scale);
    }
    case 'patch': {
      const { type, patch } = decodePatch(r);
      const parent = storedParent(ctx, r, name);
      if (parent === undefined) throw updateNotFound(r.rt, name);
      const patched = applyPatch(type, scaleOf(r.rt, spec, parent).scale, patch, SCALE_KIND);
      if (!isJsonObject(patched)) throw status.badRequest('the patch result is not a JSON object');
      return sendScale(r, scaleOf(r.rt, spec, updateFromScale(ctx, r, parent, patched, 'patch')).scale);
    }
    default:
      throw status.methodNotAllowed(r.rt, r.req.method?.toLowerCase() ?? r.verb);
  }
}
