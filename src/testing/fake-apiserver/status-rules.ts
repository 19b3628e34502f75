// The status subresource's rules on the main resource: what a create keeps of a body's status, and
// which changes bump metadata.generation.

import type { UnstructuredObject } from '../../api/types.ts';
import { isJsonObject, jsonEqual } from './json.ts';
import type { ResourceType } from './registry.ts';

function isCore(rt: ResourceType, kind: string): boolean {
  return !rt.custom && rt.group === '' && rt.kind === kind;
}

const RESOURCES = ['cpu', 'memory'];

// The QoS class the server computes for a new Pod (pkg/apis/core/helper/qos): BestEffort without any
// cpu/memory request or limit, Guaranteed when every container limits both and requests equal limits.
function qosClass(pod: UnstructuredObject): string {
  const spec = isJsonObject(pod['spec']) ? pod['spec'] : {};
  const containers = [spec['containers'], spec['initContainers']].flatMap((l): unknown[] => (Array.isArray(l) ? l : [])).filter(isJsonObject);
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const resources = isJsonObject(c['resources']) ? c['resources'] : {};
    const limits = isJsonObject(resources['limits']) ? resources['limits'] : {};
    const requests = isJsonObject(resources['requests']) ? resources['requests'] : {};
    for (const r of RESOURCES) {
      if (limits[r] !== undefined || requests[r] !== undefined) anySet = true;
      const request = requests[r] ?? limits[r];
      if (limits[r] === undefined || JSON.stringify(request) !== JSON.stringify(limits[r])) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * The body of a create through the API with its status as the server's PrepareForCreate leaves it,
 * for kinds with a status subresource: dropped (custom resources, workloads, Services), a Pod's set to
 * `Pending` with its QoS class; a Node keeps the status its kubelet registers with.
 */
export function statusOnCreate(rt: ResourceType, body: UnstructuredObject): UnstructuredObject {
  if (!rt.statusSubresource || isCore(rt, 'Node')) return body;
  const out: UnstructuredObject = { ...body };
  delete out['status'];
  if (isCore(rt, 'Pod')) out['status'] = { phase: 'Pending', qosClass: qosClass(body) };
  return out;
}

function without(obj: UnstructuredObject, keys: readonly string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...obj };
  for (const key of keys) delete rest[key];
  return rest;
}

/**
 * True when an update bumps metadata.generation: a change outside metadata and status (a custom
 * resource without a status subresource counts status too; a Deployment also counts annotations).
 */
export function bumpsGeneration(rt: ResourceType, before: UnstructuredObject, after: UnstructuredObject): boolean {
  const ignored = rt.custom && !rt.statusSubresource ? ['metadata', 'apiVersion', 'kind'] : ['metadata', 'status', 'apiVersion', 'kind'];
  if (!jsonEqual(without(before, ignored), without(after, ignored))) return true;
  const deployment = !rt.custom && rt.group === 'apps' && rt.kind === 'Deployment';
  return deployment && !jsonEqual(before.metadata?.annotations ?? {}, after.metadata?.annotations ?? {});
}
