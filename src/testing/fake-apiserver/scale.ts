// The `scale` subresource: autoscaling/v1 Scale views of workloads and CustomResources (get, update, patch).

import { StatusError } from '../../api/errors.ts';
import { labelSelectorFromMetav1 } from '../../api/label-selector.ts';
import type { UnstructuredObject } from '../../api/types.ts';
import { applyPatch as serverSideApply, trackUpdate, type FieldManagerScope } from './apply/field-manager.ts';
import { replicasPath, toParentEntries, toScaleEntries, type ReplicasMapping } from './apply/scale-fields.ts';
import { decodePatchResult, decodeWriteBody, fieldValidationOf, type DecodedKind } from './field-validation.ts';
import { goUnstructuredType } from './go-format.ts';
import { decodeBody, decodePatch, jsonBody, sendJson, warned, writeScope, type HandlerContext, type ResourceRequest } from './handlers.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { toPartialMetadata } from './metadata.ts';
import { negotiate } from './negotiate.ts';
import { nowTimestamp } from './object-meta.ts';
import { applyPatch, type PatchType } from './patch.ts';
import { apiVersionOf, type ResourceType, type ScaleSubresource } from './registry.ts';
import { typedSchemaOf } from './schema/typed-schema.ts';
import * as status from './status.ts';
import { storageKey, type StoredObject } from './store.ts';
import { renderTable } from './table.ts';
import { writeOptions } from './write-options.ts';
import { checkAppliedName } from './write-pipeline.ts';

// The CR scale handler marks "no replicas stored yet" with int32's minimum, so that an update
// which leaves them unset can be refused (apiextensions' invalidSpecReplicas).
const UNSET_REPLICAS = -2147483648;

/** autoscaling/v1 Scale, the kind every scale subresource reads and writes. */
const SCALE_KIND: DecodedKind = { group: 'autoscaling', version: 'v1', kind: 'Scale', custom: false, statusSubresource: false };

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
  // The Scale decoded as its kind already: replicas are an int32 here, or absent.
  const raw = isJsonObject(scale['spec']) ? scale['spec']['replicas'] : undefined;
  if (typeof raw !== 'number') return 0;
  if (raw === UNSET_REPLICAS && rt.custom) throw status.badRequest(`the spec replicas field ${JSON.stringify(spec.specReplicasPath)} cannot be empty`);
  if (raw < 0) throw invalidReplicas(rt, spec, name, raw);
  return raw;
}

/** Where the kind keeps its replicas, for the managedFields conversion (every version of the kind shares the path here). */
function replicasMapping(rt: ResourceType, spec: ScaleSubresource): ReplicasMapping {
  const group = (apiVersion: string): string => (apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '');
  return { apiVersion: apiVersionOf(rt), path: replicasPath(spec.specReplicasPath), knows: (apiVersion) => group(apiVersion) === rt.group };
}

/** The field manager of scale writes: the Scale's schema, its managers recorded with `"subresource":"scale"`. */
function scaleScope(): FieldManagerScope {
  const type = typedSchemaOf(SCALE_KIND);
  return { ...SCALE_KIND, type, subresource: 'scale', ignore: (set) => set, emptyObject: { apiVersion: 'autoscaling/v1', kind: 'Scale' }, now: nowTimestamp() };
}

/** The Scale a write starts from: the parent's view, the owners of the parent's replicas as its managedFields. */
function liveScale(rt: ResourceType, spec: ScaleSubresource, parent: StoredObject): UnstructuredObject {
  const { scale } = scaleOf(rt, spec, parent);
  const entries = toScaleEntries(parent.metadata.managedFields, replicasMapping(rt, spec));
  const metadata = isJsonObject(scale['metadata']) ? scale['metadata'] : {};
  return { ...scale, metadata: entries.length === 0 ? metadata : { ...metadata, managedFields: entries } };
}

/**
 * Writes the new Scale's replicas into the parent object, its managedFields turned back into the
 * parent's (no further Update is recorded on the parent). A non-empty `resourceVersion` is a
 * precondition (409 when stale); a `uid` differing from the parent's is a 409 too, worded as the
 * storage precondition (PUT) or the built-in scale handler (PATCH) words it.
 */
function writeScale(ctx: HandlerContext, r: ResourceRequest, parent: StoredObject, scale: UnstructuredObject, via: 'put' | 'patch', dryRun: boolean): StoredObject {
  const spec = r.rt.scale;
  if (spec === undefined) throw status.internalError('scale subresource without paths');
  const name = parent.metadata.name;
  const replicas = desiredReplicas(r.rt, spec, name, scale);
  const meta = scale.metadata ?? {};
  const uid = meta.uid ?? '';
  if (uid !== '' && uid !== parent.metadata.uid && !(via === 'patch' && r.rt.custom)) {
    const precondition = `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${parent.metadata.uid ?? ''}`;
    throw via === 'put' ? status.conflict(r.rt, name, precondition) : status.conflict({ ...r.rt, resource: `${r.rt.resource}/scale` }, name, precondition);
  }
  const rv = meta.resourceVersion !== undefined && meta.resourceVersion !== '' ? meta.resourceVersion : parent.metadata.resourceVersion;
  const managedFields = toParentEntries(parent.metadata.managedFields, meta.managedFields, replicasMapping(r.rt, spec));
  const body = withNestedValue(parent, spec.specReplicasPath, replicas);
  body['metadata'] = { ...parent.metadata, resourceVersion: rv, managedFields };
  // No fieldManager: the managedFields above are this write's record.
  const namespace = r.route.namespace;
  return ctx.objects.update(r.rt, body, { ...(namespace === undefined ? {} : { namespace }), ...(dryRun ? { dryRun } : {}) });
}

/** A PUT's Scale, decoded as its kind and recorded as an Update of its manager. */
function putScale(r: ResourceRequest, live: UnstructuredObject, sent: UnstructuredObject): UnstructuredObject {
  checkScaleType(sent);
  const body = warned(r, decodeWriteBody(SCALE_KIND, sent, fieldValidationOf(r.query, 'UpdateOptions')));
  return trackUpdate(scaleScope(), live, body, writeScope(r, 'UpdateOptions').fieldManager);
}

/** A PATCH of the Scale: server-side apply by its manager, or a patch decoded and recorded as an Update. */
function patchScale(r: ResourceRequest, live: UnstructuredObject, type: PatchType, patch: unknown): UnstructuredObject {
  const name = live.metadata?.name ?? '';
  if (type === 'apply') {
    const options = writeOptions('PatchOptions', r.query, true);
    if (!isJsonObject(patch)) throw status.badRequest('error decoding patch: an apply configuration must be an object');
    const applied = serverSideApply(scaleScope(), live, patch, options.fieldManager, options.force);
    checkAppliedName(applied, name, r.route.namespace);
    return applied;
  }
  const patched = applyPatch(type, live, patch, SCALE_KIND);
  if (!isJsonObject(patched)) throw status.badRequest('the patch result is not a JSON object');
  checkAppliedName(patched, name, r.route.namespace);
  checkScaleType(patched);
  const directive = fieldValidationOf(r.query, 'PatchOptions');
  const body = warned(r, decodePatchResult(SCALE_KIND, patched, { type, patch, current: live, directive, part: 'object' }));
  return trackUpdate(scaleScope(), live, body, writeScope(r, 'PatchOptions').fieldManager);
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
 * strategic, server-side apply) write `spec.replicas` back into the parent, which gets an ordinary
 * update (new resourceVersion, MODIFIED event, generation bump). The write goes through the field
 * manager as a Scale: its manager is recorded on the parent with `"subresource":"scale"` owning the
 * replicas, and an apply conflicts with the replicas' other owners. Negative replicas are 422, a
 * stale resourceVersion 409, a missing parent 404 — all Status JSON.
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
      const sent = decodeBody(jsonBody(r));
      const parent = storedParent(ctx, r, name);
      if (parent === undefined) throw updateNotFound(r.rt, name);
      const scale = putScale(r, liveScale(r.rt, spec, parent), sent);
      const dryRun = writeScope(r, 'UpdateOptions').dryRun === true;
      return sendScale(r, scaleOf(r.rt, spec, writeScale(ctx, r, parent, scale, 'put', dryRun)).scale);
    }
    case 'patch': {
      const { type, patch } = decodePatch(r);
      const parent = storedParent(ctx, r, name);
      if (parent === undefined) throw updateNotFound(r.rt, name);
      const scale = patchScale(r, liveScale(r.rt, spec, parent), type, patch);
      const { dryRun } = writeOptions('PatchOptions', r.query, type === 'apply');
      return sendScale(r, scaleOf(r.rt, spec, writeScale(ctx, r, parent, scale, 'patch', dryRun)).scale);
    }
    default:
      throw status.methodNotAllowed(r.rt, r.req.method?.toLowerCase() ?? r.verb);
  }
}
