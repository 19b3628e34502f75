// RESTMapper: kinds to resources and back, from discovery, re-read when a kind is missing.

import type { StatusError } from '../api/errors.ts';
import { NoKindMatchError, NoResourceMatchError } from './errors.ts';
import type { GroupVersionKind, GroupVersionResource } from './gvk.ts';
import { readDiscovery, type DiscoveryResult } from './discovery.ts';
import type { Transport } from './transport.ts';

/** Whether a resource lives in namespaces or at the cluster scope. */
export type RESTScope = 'Namespace' | 'Root';

/** How to reach a kind over REST (client-go's meta.RESTMapping). */
export interface RESTMapping {
  readonly gvk: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly scope: RESTScope;
}

/** Options of a {@link RESTMapper}. */
export interface RESTMapperOptions {
  /** Least time between two discovery re-reads caused by misses. @default 1000 */
  readonly minRefreshIntervalMs?: number;
  /** The clock for that interval (tests pass a fake one). @default Date.now */
  readonly now?: () => number;
}

interface Index {
  readonly byKind: ReadonlyMap<string, RESTMapping>;
  readonly byResource: ReadonlyMap<string, GroupVersionKind>;
  /** Versions of each group, preferred first. */
  readonly versions: ReadonlyMap<string, readonly string[]>;
  /** Group versions whose discovery document could not be read, by `group/version` key. */
  readonly failed: ReadonlyMap<string, StatusError>;
}

/**
 * Maps kinds to resources using the server's discovery documents.
 *
 * Discovery is read on first use and cached. A lookup that misses re-reads it, so a CRD created
 * after start becomes mappable without a restart; concurrent misses share one re-read, and
 * misses re-read at most once per `minRefreshIntervalMs` (the first miss always does). A kind
 * still unknown rejects with NoKindMatchError; when its group version's discovery failed (an
 * aggregated API answering 503, say), that error names the failure and carries it as `cause`.
 * An empty `version` means the group's preferred one.
 *
 * @example
 * const mapper = new RESTMapper(transport);
 * const { resource, scope } = await mapper.restMapping({ group: 'apps', version: 'v1', kind: 'Deployment' });
 */
export class RESTMapper {
  readonly #transport: Transport;
  readonly #minRefreshIntervalMs: number;
  readonly #now: () => number;
  #index: Index | undefined;
  #loading: Promise<Index> | undefined;
  #lastMissRefresh: number | undefined;

  constructor(transport: Transport, options: RESTMapperOptions = {}) {
    this.#transport = transport;
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The resource and scope of `gvk`; rejects with NoKindMatchError when discovery lacks it. */
  async restMapping(gvk: GroupVersionKind): Promise<RESTMapping> {
    let failure: StatusError | undefined;
    const found = await this.#lookup((index) => {
      const mapping = findKind(index, gvk);
      failure = mapping === undefined ? discoveryFailure(index, gvk.group, gvk.version) : undefined;
      return mapping;
    });
    if (found === undefined) throw new NoKindMatchError(gvk, failure === undefined ? undefined : { cause: failure });
    return found;
  }

  /** The kind served at `gvr` (plural or singular name); rejects with NoResourceMatchError. */
  async kindFor(gvr: GroupVersionResource): Promise<GroupVersionKind> {
    const found = await this.#lookup((index) => findResource(index, gvr));
    if (found === undefined) throw new NoResourceMatchError(gvr);
    return found;
  }

  /** True when `gvk` is namespaced (controller-runtime's IsObjectNamespaced). */
  async isNamespaced(gvk: GroupVersionKind): Promise<boolean> {
    return (await this.restMapping(gvk)).scope === 'Namespace';
  }

  /** Forgets the cached discovery; the next lookup reads it again. */
  reset(): void {
    this.#index = undefined;
  }

  async #lookup<R>(find: (index: Index) => R | undefined): Promise<R | undefined> {
    const fresh = this.#index === undefined;
    const index = this.#index ?? (await this.#load());
    const found = find(index);
    // Discovery read just now for this lookup cannot be staler than a re-read would be.
    if (found !== undefined || fresh) return found;
    const refreshed = await this.#refreshOnMiss();
    return refreshed === undefined ? undefined : find(refreshed);
  }

  async #refreshOnMiss(): Promise<Index | undefined> {
    if (this.#loading !== undefined) return this.#loading;
    const now = this.#now();
    if (this.#lastMissRefresh !== undefined && now - this.#lastMissRefresh < this.#minRefreshIntervalMs) return undefined;
    this.#lastMissRefresh = now;
    return this.#load();
  }

  #load(): Promise<Index> {
    this.#loading ??= readDiscovery(this.#transport)
      .then((result) => {
        this.#index = buildIndex(result);
        return this.#index;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}

function key(group: string, version: string, name: string): string {
  return `${group}/${version}/${name}`;
}

function buildIndex(result: DiscoveryResult): Index {
  const byKind = new Map<string, RESTMapping>();
  const byResource = new Map<string, GroupVersionKind>();
  for (const r of result.resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const mapping: RESTMapping = {
      gvk,
      resource: { group: r.group, version: r.version, resource: r.resource },
      scope: r.namespaced ? 'Namespace' : 'Root',
    };
    // The first resource of a kind wins, as in client-go (ordered as discovery lists them).
    if (!byKind.has(key(r.group, r.version, r.kind))) byKind.set(key(r.group, r.version, r.kind), mapping);
    byResource.set(key(r.group, r.version, r.resource), gvk);
    if (!byResource.has(key(r.group, r.version, r.singular))) byResource.set(key(r.group, r.version, r.singular), gvk);
  }
  const versions = new Map(result.groups.map((g) => [g.name, g.versions] as const));
  const failed = new Map(result.failed.map((f) => [f.groupVersion, f.error] as const));
  return { byKind, byResource, versions, failed };
}

// Why a kind of `group` may be missing: its group version's discovery failed (none when it did not).
function discoveryFailure(index: Index, group: string, version: string): StatusError | undefined {
  for (const v of candidateVersions(index, group, version)) {
    const failure = index.failed.get(group === '' ? v : `${group}/${v}`);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function candidateVersions(index: Index, group: string, version: string): readonly string[] {
  return version !== '' ? [version] : (index.versions.get(group) ?? []);
}

function findKind(index: Index, gvk: GroupVersionKind): RESTMapping | undefined {
  for (const version of candidateVersions(index, gvk.group, gvk.version)) {
    const mapping = index.byKind.get(key(gvk.group, version, gvk.kind));
    if (mapping !== undefined) return mapping;
  }
  return undefined;
}

function findResource(index: Index, gvr: GroupVersionResource): GroupVersionKind | undefined {
  for (const version of candidateVersions(index, gvr.group, gvr.version)) {
    const gvk = index.byResource.get(key(gvr.group, version, gvr.resource.toLowerCase()));
    if (gvk !== undefined) return gvk;
  }
  return undefined;
}
