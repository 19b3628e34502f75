// Discovery documents: /version, /api, /apis (legacy and aggregated), /apis/{group} and the APIResourceLists.

import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from './registry.ts';
import { subresourcesOf } from './subresources.ts';

/** The version.Info the fake reports (a 1.32 server, matching the kubectl on build machines). */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T00:00:00Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;

/** GET /api: APIVersions. */
export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(name: string, versions: readonly string[]): Record<string, unknown> {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** GET /apis: APIGroupList (the core group is not part of it). */
export function apiGroupList(registry: ResourceRegistry): unknown {
  const groups = [...registry.groups()].map(([name, versions]) => groupDoc(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/{group}: APIGroup, or undefined when the group is not served. */
export function apiGroup(registry: ResourceRegistry, group: string): unknown {
  const versions = registry.groups().get(group);
  if (versions === undefined) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) };
}

function resourceEntries(rt: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: rt.resource,
    singularName: rt.singularName,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: [...rt.verbs],
  };
  if (rt.shortNames.length > 0) main['shortNames'] = [...rt.shortNames];
  if (rt.categories.length > 0) main['categories'] = [...rt.categories];
  // The main resource must come before its subresources: some clients take the first kind match.
  const out = [main];
  for (const sub of subresourcesOf(rt)) {
    const entry: Record<string, unknown> = { name: `${rt.resource}/${sub.name}`, singularName: '', namespaced: rt.namespaced };
    // group and version appear only for a subresource whose kind lives in another group-version.
    if (sub.group !== undefined) entry['group'] = sub.group;
    if (sub.version !== undefined) entry['version'] = sub.version;
    out.push({ ...entry, kind: sub.kind, verbs: [...sub.verbs] });
  }
  return out;
}

/** GET /api/v1 or /apis/{group}/{version}: APIResourceList, or undefined when not served. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): unknown {
  const types = registry.all().filter((rt) => rt.group === group && rt.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: types.flatMap(resourceEntries),
  };
}

/** The aggregated discovery versions a 1.32 server serves. */
export type AggregatedVersion = 'v2' | 'v2beta1';

/** Which root an aggregated document answers: `/api` (the core group) or `/apis` (the others). */
export type DiscoveryRoot = 'core' | 'groups';

/** Tells a group version an aggregated API serves, and whether the aggregator can reach it. */
export type IsUnavailable = (group: string, version: string) => boolean;

// The parts of metav1.GroupVersionKind a responseKind carries. Built-in resources leave group and
// version empty (the installer only fills them for kinds of another group, such as Scale);
// CustomResourceDefinitions fill them.
function responseKind(rt: ResourceType, kind = rt.kind): Record<string, string> {
  return { group: rt.custom ? rt.group : '', version: rt.custom ? rt.version : '', kind };
}

// Subresources in the legacy list's order; a kind of another group-version (Scale, Eviction) names it.
function aggregatedSubresources(rt: ResourceType): Record<string, unknown>[] {
  return subresourcesOf(rt).map((sub) => ({
    subresource: sub.name,
    responseKind: sub.group === undefined ? responseKind(rt, sub.kind) : { group: sub.group, version: sub.version ?? '', kind: sub.kind },
    verbs: [...sub.verbs],
  }));
}

function aggregatedResource(rt: ResourceType): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: rt.resource,
    responseKind: responseKind(rt),
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singularName,
    verbs: [...rt.verbs],
  };
  if (rt.shortNames.length > 0) entry['shortNames'] = [...rt.shortNames];
  if (rt.categories.length > 0) entry['categories'] = [...rt.categories];
  const subresources = aggregatedSubresources(rt);
  if (subresources.length > 0) entry['subresources'] = subresources;
  return entry;
}

// A version kube-aggregator cannot read is listed Stale with no resources (it never fetched them).
function aggregatedVersion(registry: ResourceRegistry, group: string, version: string, isUnavailable: IsUnavailable): Record<string, unknown> {
  if (isUnavailable(group, version)) return { version, freshness: 'Stale' };
  const resources = registry.all().filter((rt) => rt.group === group && rt.version === version);
  return { version, resources: resources.map(aggregatedResource), freshness: 'Current' };
}

/**
 * GET /api or /apis asked for `APIGroupDiscoveryList`: every group, its versions in preference
 * order and their resources in one document. Group metadata carries `creationTimestamp: null`,
 * as 1.32 servers encode an empty ObjectMeta.
 */
export function aggregatedDiscovery(registry: ResourceRegistry, root: DiscoveryRoot, version: AggregatedVersion, isUnavailable: IsUnavailable): unknown {
  const groups: [string, readonly string[]][] = root === 'core' ? [['', ['v1']]] : [...registry.groups()];
  const items = groups.map(([name, versions]) => ({
    metadata: name === '' ? { creationTimestamp: null } : { name, creationTimestamp: null },
    versions: versions.map((v) => aggregatedVersion(registry, name, v, isUnavailable)),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

/** The Content-Type of an aggregated discovery answer: JSON with the list's GVK as parameters. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** The ETag the real server sends with aggregated discovery: the quoted SHA-512 of the document, in upper-case hex. */
export function discoveryETag(body: string): string {
  return `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
}
