// URL paths and query strings of the resource API (core /api/v1, groups /apis/{g}/{v}).

import type { ListOptions, WatchOptions } from '../api/lister-watcher.ts';
import { assertValidNamespace, assertValidPathName } from '../api/validation.ts';
import type { GroupVersionResource } from './gvk.ts';

/** Where a request goes: a resource, optionally in a namespace, optionally one named object. */
export interface ResourceLocation {
  readonly resource: GroupVersionResource;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  /** A subresource such as `status` (requires `name`). */
  readonly subresource?: string | undefined;
}

/**
 * The path of a collection or an object: `/api/v1/namespaces/ns/pods/name` for the core group,
 * `/apis/apps/v1/deployments` for others. Segments are URL-encoded.
 *
 * @throws InvalidNameError, before anything is sent, for a namespace that is not a DNS-1123
 *   label, or a name or subresource that is empty, `.`, `..`, or holds `/` or `%` (a namespace
 *   of `..` would otherwise address the all-namespaces collection).
 */
export function resourcePath(location: ResourceLocation): string {
  const { group, version, resource } = location.resource;
  let path = group === '' ? `/api/${encodeURIComponent(version)}` : `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}`;
  if (location.namespace !== undefined && location.namespace !== '') {
    assertValidNamespace(location.namespace);
    path += `/namespaces/${encodeURIComponent(location.namespace)}`;
  }
  path += `/${encodeURIComponent(resource)}`;
  if (location.name !== undefined) {
    assertValidPathName(location.name);
    path += `/${encodeURIComponent(location.name)}`;
  }
  if (location.subresource !== undefined) {
    assertValidPathName(location.subresource, 'subresource');
    path += `/${encodeURIComponent(location.subresource)}`;
  }
  return path;
}

/** Selectors fixed by a ListWatch and added to every request. */
export interface FixedSelectors {
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
}

/** Joins the ListWatch's own selector with the caller's, as a comma-separated conjunction. */
export function joinSelector(fixed: string | undefined, extra: string | undefined): string | undefined {
  if (fixed === undefined || fixed === '') return extra === '' ? undefined : extra;
  if (extra === undefined || extra === '') return fixed;
  return `${fixed},${extra}`;
}

/** The query string (with leading `?`, or "") of one LIST page. */
export function listQuery(options: Omit<ListOptions, 'signal'>, fixed: FixedSelectors = {}): string {
  const query = new URLSearchParams();
  setSelectors(query, options, fixed);
  if (options.limit !== undefined && options.limit > 0) query.set('limit', String(options.limit));
  if (options.continue !== undefined && options.continue !== '') query.set('continue', options.continue);
  if (options.resourceVersion !== undefined) query.set('resourceVersion', options.resourceVersion);
  if (options.resourceVersionMatch !== undefined) query.set('resourceVersionMatch', options.resourceVersionMatch);
  if (options.timeoutSeconds !== undefined) query.set('timeoutSeconds', String(options.timeoutSeconds));
  return encode(query);
}

/** The query string of a WATCH, always with `watch=true`. */
export function watchQuery(options: WatchOptions, fixed: FixedSelectors = {}): string {
  const query = new URLSearchParams();
  if (options.allowWatchBookmarks === true) query.set('allowWatchBookmarks', 'true');
  setSelectors(query, options, fixed);
  if (options.resourceVersion !== undefined) query.set('resourceVersion', options.resourceVersion);
  if (options.resourceVersionMatch !== undefined) query.set('resourceVersionMatch', options.resourceVersionMatch);
  if (options.sendInitialEvents !== undefined) query.set('sendInitialEvents', String(options.sendInitialEvents));
  if (options.timeoutSeconds !== undefined) query.set('timeoutSeconds', String(options.timeoutSeconds));
  query.set('watch', 'true');
  return encode(query);
}

function setSelectors(query: URLSearchParams, options: FixedSelectors, fixed: FixedSelectors): void {
  const labelSelector = joinSelector(fixed.labelSelector, options.labelSelector);
  const fieldSelector = joinSelector(fixed.fieldSelector, options.fieldSelector);
  if (fieldSelector !== undefined) query.set('fieldSelector', fieldSelector);
  if (labelSelector !== undefined) query.set('labelSelector', labelSelector);
}

function encode(query: URLSearchParams): string {
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
