// The `pods/eviction` subresource: a policy/v1 Eviction deletes the pod, as the API-initiated eviction does.

import { StatusError } from '../../api/errors.ts';
import { decodeBody, jsonBody, sendJson, writeScope, type HandlerContext, type ResourceRequest } from './handlers.ts';
import { isJsonObject, type JsonObject } from './json.ts';
import { nowTimestamp } from './object-meta.ts';
import type { ResourceType } from './registry.ts';
import * as status from './status.ts';
import { storageKey, type StoredObject } from './store.ts';

/** Whether a resource type serves `eviction`: the core Pods only. */
export function servesEviction(rt: Pick<ResourceType, 'group' | 'resource' | 'custom'>): boolean {
  return rt.group === '' && rt.resource === 'pods' && !rt.custom;
}

/** The eviction API's preconditions and dry-run, read from the body's `deleteOptions`. */
interface EvictionDeleteOptions {
  readonly dryRun: boolean;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

const EVICTION_VERSIONS = new Set(['', 'policy/v1', 'policy/v1beta1']);

function checkEviction(body: JsonObject, name: string, namespace: string | undefined): void {
  const apiVersion = typeof body['apiVersion'] === 'string' ? body['apiVersion'] : '';
  const kind = typeof body['kind'] === 'string' ? body['kind'] : '';
  if (!EVICTION_VERSIONS.has(apiVersion) || (kind !== '' && kind !== 'Eviction')) {
    throw status.badRequest(`not a Eviction object: ${apiVersion === '' ? 'policy/v1' : apiVersion}, Kind=${kind}`);
  }
  const meta = isJsonObject(body['metadata']) ? body['metadata'] : {};
  if (meta['name'] !== name) throw status.badRequest('name in URL does not match name in Eviction object');
  const bodyNamespace = meta['namespace'];
  if (typeof bodyNamespace === 'string' && bodyNamespace !== '' && bodyNamespace !== namespace) {
    throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function readDeleteOptions(body: JsonObject, queryDryRun: boolean): EvictionDeleteOptions {
  const opts = isJsonObject(body['deleteOptions']) ? body['deleteOptions'] : {};
  const bodyDryRun: unknown[] = Array.isArray(opts['dryRun']) ? opts['dryRun'] : [];
  const bad = bodyDryRun.find((v) => v !== 'All');
  if (bad !== undefined) throw StatusError.of(400, 'BadRequest', `Unsupported value: ${JSON.stringify(bad)}: supported values: "All"`);
  const pre = isJsonObject(opts['preconditions']) ? opts['preconditions'] : {};
  const out: { dryRun: boolean; uid?: string; resourceVersion?: string } = { dryRun: queryDryRun || bodyDryRun.length > 0 };
  if (typeof pre['uid'] === 'string' && pre['uid'] !== '') out.uid = pre['uid'];
  if (typeof pre['resourceVersion'] === 'string' && pre['resourceVersion'] !== '') out.resourceVersion = pre['resourceVersion'];
  return out;
}

// The condition-adding update checks the body's preconditions itself and words its conflicts
// against the resource "Pod" (a GroupResource built by hand upstream).
function checkPreconditions(pod: StoredObject, opts: EvictionDeleteOptions): void {
  const conflict = (message: string): StatusError =>
    StatusError.of(409, 'Conflict', `Operation cannot be fulfilled on Pod "${pod.metadata.name}": ${message}`, { name: pod.metadata.name, kind: 'Pod' });
  if (opts.uid !== undefined && opts.uid !== pod.metadata.uid) {
    throw conflict(`the UID in the precondition (${opts.uid}) does not match the UID in record (${pod.metadata.uid ?? ''}). The object might have been deleted and then recreated`);
  }
  if (opts.resourceVersion !== undefined && opts.resourceVersion !== pod.metadata.resourceVersion) {
    throw conflict(`the ResourceVersion in the precondition (${opts.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`);
  }
}

/** The pod's status with `DisruptionTarget=True` set as podutil.UpdatePodCondition sets it. */
function withDisruptionTarget(pod: StoredObject): JsonObject {
  const podStatus = isJsonObject(pod['status']) ? pod['status'] : {};
  const conditions = Array.isArray(podStatus['conditions']) ? podStatus['conditions'].filter(isJsonObject) : [];
  const wanted = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  const at = conditions.findIndex((c) => c['type'] === wanted.type);
  const previous = conditions[at];
  const next = [...conditions];
  if (previous === undefined) {
    next.push({ type: wanted.type, status: wanted.status, lastProbeTime: null, lastTransitionTime: nowTimestamp(), reason: wanted.reason, message: wanted.message });
  } else {
    const transitioned = previous['status'] !== wanted.status;
    next[at] = { ...previous, ...wanted, ...(transitioned ? { lastTransitionTime: nowTimestamp() } : {}) };
  }
  return { ...podStatus, conditions: next };
}

/**
 * Serves `POST /api/v1/namespaces/{ns}/pods/{name}/eviction` with a policy/v1 (or v1beta1)
 * Eviction: marks the pod with the `DisruptionTarget` condition (watchers see MODIFIED), then
 * deletes it honouring `deleteOptions` (preconditions, dryRun), and answers 201 with a Success
 * Status. A missing pod is 404, a body naming another pod 400. PodDisruptionBudgets are not
 * consulted (the fake serves none), so an eviction is never refused with 429.
 */
export function handleEviction(ctx: HandlerContext, r: ResourceRequest): void {
  const name = r.route.name ?? '';
  const body = decodeBody(jsonBody(r));
  checkEviction(body, name, r.route.namespace);
  const scope = writeScope(r);
  const opts = readDeleteOptions(body, scope.dryRun === true);
  const pod = ctx.store.get(r.rt, storageKey(r.route.namespace, name));
  if (pod === undefined) throw status.notFound(r.rt, name);
  const namespace = r.route.namespace === undefined ? {} : { namespace: r.route.namespace };
  let resourceVersion = opts.resourceVersion;
  if (!opts.dryRun) {
    checkPreconditions(pod, opts);
    const marked = ctx.objects.update(r.rt, { ...pod, status: withDisruptionTarget(pod) }, { ...namespace, subresource: 'status' });
    // The condition write moved the version on; a version precondition now means that one.
    if (resourceVersion !== undefined) resourceVersion = marked.metadata.resourceVersion;
  }
  const preconditions = {
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
  };
  ctx.objects.delete(r.rt, name, { ...namespace, dryRun: opts.dryRun, preconditions });
  sendJson(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
