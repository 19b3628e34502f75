// Reads legacy discovery (/api, /api/v1, /apis, /apis/{g}/{v}) into one table of resources.

import { StatusError, isNotFound } from '../api/errors.ts';
import type { Transport } from './transport.ts';

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

/** A group and its versions, preferred version first. */
export interface DiscoveredGroup {
  readonly name: string;
  readonly versions: readonly string[];
}

/** What one discovery read found; `failed` names group versions that could not be read. */
export interface DiscoveryResult {
  readonly groups: readonly DiscoveredGroup[];
  readonly resources: readonly DiscoveredResource[];
  readonly failed: readonly { readonly groupVersion: string; readonly error: StatusError }[];
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

/**
 * Reads the server's groups and resources. A missing `/api` means no core group. A group
 * version that answers with an API error (e.g. a CRD deleted between the two reads) is listed
 * in `failed` and skipped; transport errors reject.
 */
export async function readDiscovery(transport: Transport, signal?: AbortSignal): Promise<DiscoveryResult> {
  const [core, named] = await Promise.all([coreGroup(transport, signal), namedGroups(transport, signal)]);
  const groups = core === undefined ? named : [core, ...named];
  const jobs = groups.flatMap((group) => group.versions.map((version) => ({ group: group.name, version })));
  const failed: { groupVersion: string; error: StatusError }[] = [];
  const lists = await Promise.all(
    jobs.map(async ({ group, version }) => {
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      try {
        return resourcesOf(group, version, await transport.requestJson({ path, signal }));
      } catch (err) {
        if (!(err instanceof StatusError)) throw err;
        failed.push({ groupVersion: group === '' ? version : `${group}/${version}`, error: err });
        return [];
      }
    }),
  );
  return { groups, resources: lists.flat(), failed };
}

async function coreGroup(transport: Transport, signal: AbortSignal | undefined): Promise<DiscoveredGroup | undefined> {
  let doc: unknown;
  try {
    doc = await transport.requestJson({ path: '/api', signal });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const versions = (doc as { versions?: unknown }).versions;
  if (!Array.isArray(versions)) return undefined;
  return { name: '', versions: versions.filter((v): v is string => typeof v === 'string') };
}

async function namedGroups(transport: Transport, signal: AbortSignal | undefined): Promise<DiscoveredGroup[]> {
  const doc = (await transport.requestJson({ path: '/apis', signal })) as { groups?: unknown };
  if (!Array.isArray(doc.groups)) return [];
  const out: DiscoveredGroup[] = [];
  for (const group of doc.groups as GroupDoc[]) {
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
