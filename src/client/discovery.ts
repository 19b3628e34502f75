// Reads discovery: the group list (aggregated when the server offers it) and one group version's resources.

import { isNotFound } from '../api/errors.ts';
import { StaleGroupVersionError } from './errors.ts';
import { groupVersionString } from './gvk.ts';
import type { Transport } from './transport.ts';

/**
 * Accept header of `/api` and `/apis`: aggregated discovery (`apidiscovery.k8s.io` v2, then
 * v2beta1 for 1.26–1.29 servers), else the legacy documents — what client-go 1.30+ sends.
 */
export const AGGREGATED_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** One served resource of one group version, as the RESTMapper needs it. */
export interface DiscoveredResource {
  readonly group: string;
  readonly version: string;
  /** The plural resource name, e.g. `deployments`. */
  readonly resource: string;
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** A group and its served versions, preferred first (the core group is named ""). */
export interface DiscoveredGroup {
  readonly name: string;
  readonly versions: readonly string[];
}

/** The resources of one group version, or why they could not be read. */
export type GroupVersionResources =
  | { readonly ok: true; readonly resources: readonly DiscoveredResource[] }
  | { readonly ok: false; readonly error: Error };

/** What `/api` and `/apis` said. */
export interface ServerGroups {
  /** Groups in the server's priority order, core first. */
  readonly groups: readonly DiscoveredGroup[];
  /**
   * Every group version's resources, keyed by `group/version` ("v1" for core), when both
   * documents were aggregated; absent for legacy servers, whose group versions are read one by
   * one. A version the aggregator marks `Stale` is not among its group's versions and maps to a
   * {@link StaleGroupVersionError} here.
   */
  readonly resources?: ReadonlyMap<string, GroupVersionResources>;
}

interface ApiResourceDoc {
  name?: unknown;
  singularName?: unknown;
  namespaced?: unknown;
  kind?: unknown;
}

interface GroupDoc {
  name?: unknown;
  versions?: { version?: unknown }[];
  preferredVersion?: { version?: unknown };
}

interface AggregatedResourceDoc {
  resource?: unknown;
  singularResource?: unknown;
  scope?: unknown;
  responseKind?: { kind?: unknown } | null;
}

interface AggregatedGroupDoc {
  metadata?: { name?: unknown };
  versions?: { version?: unknown; freshness?: unknown; resources?: AggregatedResourceDoc[] }[];
}

/** One reading of a discovery root: legacy groups, or aggregated groups with their resources. */
type RootDocument =
  | { readonly aggregated: false; readonly groups: DiscoveredGroup[] }
  | { readonly aggregated: true; readonly groups: DiscoveredGroup[]; readonly resources: Map<string, GroupVersionResources> };

/**
 * Reads `/api` and `/apis` (in parallel), asking for aggregated discovery. A 404 on `/api` means
 * no core group. Errors reject: without the group list nothing can be mapped.
 */
export async function readServerGroups(transport: Transport, signal?: AbortSignal): Promise<ServerGroups> {
  const [core, named] = await Promise.all([readCoreRoot(transport, signal), readRoot(transport, '/apis', signal)]);
  const groups = [...(core?.groups ?? []), ...named.groups];
  // As client-go: the resources count only when both roots were aggregated.
  if (named.aggregated && (core === undefined || core.aggregated)) {
    return { groups, resources: new Map([...(core?.resources ?? []), ...named.resources]) };
  }
  return { groups };
}

/** Reads the resources of one group version (`/api/v1`, `/apis/{group}/{version}`). */
export async function readGroupVersion(transport: Transport, group: string, version: string, signal?: AbortSignal): Promise<DiscoveredResource[]> {
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return resourcesOf(group, version, await transport.requestJson({ path, signal }));
}

async function readCoreRoot(transport: Transport, signal: AbortSignal | undefined): Promise<RootDocument | undefined> {
  try {
    return await readRoot(transport, '/api', signal);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function readRoot(transport: Transport, path: '/api' | '/apis', signal: AbortSignal | undefined): Promise<RootDocument> {
  const doc = await transport.requestJson({ path, headers: { Accept: AGGREGATED_DISCOVERY_ACCEPT }, signal });
  if (isAggregated(doc)) return aggregatedRoot(doc.items ?? []);
  return { aggregated: false, groups: path === '/api' ? [coreGroup(doc)] : namedGroups(doc) };
}

// The body names its type; client-go looks at the Content-Type, which says the same.
function isAggregated(doc: unknown): doc is { items?: AggregatedGroupDoc[] } {
  const typed = doc as { kind?: unknown; apiVersion?: unknown; items?: unknown };
  return (
    typed.kind === 'APIGroupDiscoveryList' &&
    (typed.apiVersion === 'apidiscovery.k8s.io/v2' || typed.apiVersion === 'apidiscovery.k8s.io/v2beta1') &&
    (typed.items === undefined || Array.isArray(typed.items))
  );
}

function coreGroup(doc: unknown): DiscoveredGroup {
  const versions = (doc as { versions?: unknown }).versions;
  return { name: '', versions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [] };
}

function namedGroups(doc: unknown): DiscoveredGroup[] {
  const groups = (doc as { groups?: unknown }).groups;
  if (!Array.isArray(groups)) return [];
  const out: DiscoveredGroup[] = [];
  for (const group of groups as GroupDoc[]) {
    if (typeof group.name !== 'string') continue;
    const versions = (group.versions ?? []).map((v) => v.version).filter((v): v is string => typeof v === 'string');
    const preferred = group.preferredVersion?.version;
    if (typeof preferred === 'string' && versions.includes(preferred)) {
      versions.splice(versions.indexOf(preferred), 1);
      versions.unshift(preferred);
    }
    out.push({ name: group.name, versions });
  }
  return out;
}

// client-go's SplitGroupsAndResources: versions come in preference order; a stale one is left
// out of its group and recorded as failed; a resource without a responseKind is dropped.
function aggregatedRoot(items: readonly AggregatedGroupDoc[]): RootDocument {
  const groups: DiscoveredGroup[] = [];
  const resources = new Map<string, GroupVersionResources>();
  for (const item of items) {
    const name = typeof item.metadata?.name === 'string' ? item.metadata.name : '';
    const versions: string[] = [];
    for (const v of item.versions ?? []) {
      if (typeof v.version !== 'string') continue;
      const key = groupVersionString({ group: name, version: v.version });
      if (v.freshness === 'Stale') {
        resources.set(key, { ok: false, error: new StaleGroupVersionError(key) });
        continue;
      }
      versions.push(v.version);
      resources.set(key, { ok: true, resources: aggregatedResources(name, v.version, v.resources ?? []) });
    }
    groups.push({ name, versions });
  }
  return { aggregated: true, groups, resources };
}

function aggregatedResources(group: string, version: string, docs: readonly AggregatedResourceDoc[]): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  for (const r of docs) {
    const kind = r.responseKind?.kind;
    if (typeof r.resource !== 'string' || typeof kind !== 'string' || kind === '') continue;
    const singular = typeof r.singularResource === 'string' && r.singularResource !== '' ? r.singularResource : kind.toLowerCase();
    out.push({ group, version, resource: r.resource, singular, kind, namespaced: r.scope === 'Namespaced' });
  }
  return out;
}

function resourcesOf(group: string, version: string, doc: unknown): DiscoveredResource[] {
  const resources = (doc as { resources?: unknown }).resources;
  if (!Array.isArray(resources)) return [];
  const out: DiscoveredResource[] = [];
  for (const r of resources as ApiResourceDoc[]) {
    // Subresources (pods/status) share their parent's kind and must not shadow it.
    if (typeof r.name !== 'string' || r.name.includes('/') || typeof r.kind !== 'string') continue;
    const singular = typeof r.singularName === 'string' && r.singularName !== '' ? r.singularName : r.kind.toLowerCase();
    out.push({ group, version, resource: r.name, singular, kind: r.kind, namespaced: r.namespaced === true });
  }
  return out;
}
