// Discovery documents: /version, /api, /apis, /apis/{group} and the APIResourceLists.

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
