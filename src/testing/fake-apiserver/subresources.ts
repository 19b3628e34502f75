// The subresources each kind serves (status, scale, eviction): their discovery entries, verbs and handlers.

import { handleEviction, servesEviction } from './eviction.ts';
import { handleResource, type HandlerContext, type ResourceRequest } from './handlers.ts';
import type { ResourceType } from './registry.ts';
import { handleScale } from './scale.ts';
import * as status from './status.ts';

/** One subresource of a kind, as discovery lists it. */
export interface Subresource {
  /** `status`, `scale` or `eviction`. */
  readonly name: string;
  /** The kind its requests and responses carry, when it is not the parent's. */
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  /** Sorted, as the real discovery lists them. */
  readonly verbs: readonly string[];
}

/** What decides a kind's subresources; the registry's ResourceType fits. */
export type SubresourceSource = Pick<ResourceType, 'group' | 'resource' | 'kind' | 'custom' | 'statusSubresource' | 'scale'>;

/** The subresources a kind serves, sorted by name as the real discovery lists them. */
export function subresourcesOf(rt: SubresourceSource): Subresource[] {
  const out: Subresource[] = [];
  if (servesEviction(rt)) out.push({ name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  if (rt.scale !== undefined) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  if (rt.statusSubresource) out.push({ name: 'status', kind: rt.kind, verbs: ['get', 'patch', 'update'] });
  return out;
}

/**
 * Whether a request's subresource exists for its kind: undefined means it does not, which a
 * CustomResource answers with its object's 404 Status and a built-in with the mux's plain 404.
 */
export function findSubresource(rt: ResourceType, name: string | undefined): Subresource | 'main' | undefined {
  if (name === undefined) return 'main';
  return subresourcesOf(rt).find((s) => s.name === name);
}

/**
 * Runs one resource request: the main resource and `/status` through the generic handlers,
 * `/scale` and `/eviction` through their own. A verb the subresource does not serve is 405.
 */
export function dispatchResource(ctx: HandlerContext, r: ResourceRequest, sub: Subresource | 'main'): void {
  if (sub === 'main') return handleResource(ctx, r);
  if (!sub.verbs.includes(r.verb)) throw status.methodNotAllowed(r.rt, r.req.method?.toLowerCase() ?? r.verb);
  switch (sub.name) {
    case 'scale':
      return handleScale(ctx, r);
    case 'eviction':
      return handleEviction(ctx, r);
    default:
      return handleResource(ctx, r);
  }
}
