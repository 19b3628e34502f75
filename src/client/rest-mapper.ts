// RESTMapper: kinds to resources and back, from discovery read per group version and re-read on a miss.

import { abortable } from '../api/abortable.ts';
import { NoKindMatchError, NoResourceMatchError } from './errors.ts';
import type { GroupVersionKind, GroupVersionResource } from './gvk.ts';
import { groupVersionString } from './gvk.ts';
import { readGroupVersion, readServerGroups, type DiscoveredResource, type ServerGroups } from './discovery.ts';
import type { Transport } from './transport.ts';

/**
 * Whether a resource lives in namespaces or at the cluster scope.
 * @category Client
 */
export type RESTScope = 'Namespace' | 'Root';

/**
 * How to reach a kind over REST (client-go's meta.RESTMapping).
 * @category Client
 */
export interface RESTMapping {
  readonly gvk: GroupVersionKind;
  readonly resource: GroupVersionResource;
  readonly scope: RESTScope;
}

/**
 * Options of a {@link RESTMapper}.
 * @category Client
 */
export interface RESTMapperOptions {
  /** Least time between two discovery re-reads caused by misses, and between two reads of a failed group version. @default 1000 */
  readonly minRefreshIntervalMs?: number;
  /** The clock for that interval (tests pass a fake one). @default Date.now */
  readonly now?: () => number;
}

/**
 * Options of one lookup.
 * @category Client
 */
export interface RESTMappingOptions {
  /** Stops waiting for discovery (the lookup rejects with the signal's reason; shared reads go on). */
  readonly signal?: AbortSignal | undefined;
}

/** The kinds and resources of one group version. */
interface VersionIndex {
  readonly byKind: ReadonlyMap<string, RESTMapping>;
  /** Plural and singular resource names (lower case) to kinds. */
  readonly byResource: ReadonlyMap<string, GroupVersionKind>;
}

/** Where the discovery of one group version stands. */
type VersionState =
  | { readonly state: 'ready'; readonly index: VersionIndex }
  | { readonly state: 'failed'; readonly error: Error; readonly at: number }
  | { readonly state: 'loading'; readonly done: Promise<SettledVersion> };

type SettledVersion = Exclude<VersionState, { state: 'loading' }>;

/** The group list: served versions preferred first, and whether resources came with it. */
interface Groups {
  readonly versions: ReadonlyMap<string, readonly string[]>;
  readonly aggregated: boolean;
}

type Search<R> = { readonly found: R } | { readonly found?: undefined; readonly failure: Error | undefined };

/**
 * Maps kinds to resources using the server's discovery, one group version at a time.
 *
 * The group list (`/api`, `/apis`) is read on first use, as aggregated discovery when the server
 * offers it — one request pair then brings every resource. On a legacy server each group
 * version is read when a lookup first needs it, so a group whose discovery fails or hangs (an
 * aggregated API that is down) delays and fails only lookups of its own kinds: those reject with
 * NoKindMatchError whose `cause` is the failure (a StatusError, a RequestTimeoutError, a
 * StaleGroupVersionError), while every other kind maps at once. A failed group version is read
 * again at most once per `minRefreshIntervalMs`.
 *
 * A lookup that misses re-reads discovery, so a CRD created after start becomes mappable without
 * a restart; concurrent misses share one re-read, and misses re-read at most once per
 * `minRefreshIntervalMs` (the first miss always does). Every wait honours the lookup's signal.
 * An empty `version` means the group's preferred one.
 *
 * @example
 * const mapper = new RESTMapper(transport);
 * const { resource, scope } = await mapper.restMapping({ group: 'apps', version: 'v1', kind: 'Deployment' });
 * @category Client
 */
export class RESTMapper {
  readonly #transport: Transport;
  readonly #minRefreshIntervalMs: number;
  readonly #now: () => number;
  #groups: Groups | undefined;
  #groupsLoading: Promise<Groups> | undefined;
  #versions = new Map<string, VersionState>();
  #lastMissRefresh: number | undefined;

  constructor(transport: Transport, options: RESTMapperOptions = {}) {
    this.#transport = transport;
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The resource and scope of `gvk`; rejects with NoKindMatchError when discovery lacks it. */
  async restMapping(gvk: GroupVersionKind, options: RESTMappingOptions = {}): Promise<RESTMapping> {
    const result = await this.#lookup(gvk.group, gvk.version, (index) => index.byKind.get(gvk.kind), options.signal);
    if (result.found !== undefined) return result.found;
    throw new NoKindMatchError(gvk, result.failure === undefined ? undefined : { cause: result.failure });
  }

  /** The kind served at `gvr` (plural or singular name); rejects with NoResourceMatchError. */
  async kindFor(gvr: GroupVersionResource, options: RESTMappingOptions = {}): Promise<GroupVersionKind> {
    const name = gvr.resource.toLowerCase();
    const result = await this.#lookup(gvr.group, gvr.version, (index) => index.byResource.get(name), options.signal);
    if (result.found !== undefined) return result.found;
    throw new NoResourceMatchError(gvr);
  }

  /** True when `gvk` is namespaced (controller-runtime's IsObjectNamespaced). */
  async isNamespaced(gvk: GroupVersionKind, options: RESTMappingOptions = {}): Promise<boolean> {
    return (await this.restMapping(gvk, options)).scope === 'Namespace';
  }

  /** Forgets everything discovered; the next lookup reads discovery again. */
  reset(): void {
    this.#groups = undefined;
    this.#versions = new Map();
  }

  async #lookup<R>(group: string, version: string, find: (index: VersionIndex) => R | undefined, signal: AbortSignal | undefined): Promise<Search<R>> {
    const fresh = this.#groups === undefined;
    const groups = this.#groups ?? (await abortable(this.#loadGroups(), signal));
    const first = await this.#search(groups, group, version, find, signal);
    // Discovery read just now for this lookup cannot be staler than a re-read would be.
    if (first.found !== undefined || fresh) return first;
    const refreshed = this.#refreshOnMiss(group);
    if (refreshed === undefined) return first;
    return this.#search(await abortable(refreshed, signal), group, version, find, signal);
  }

  // Reads the candidate versions in parallel and answers from the most preferred that has a match.
  async #search<R>(groups: Groups, group: string, version: string, find: (index: VersionIndex) => R | undefined, signal: AbortSignal | undefined): Promise<Search<R>> {
    const served = groups.versions.get(group) ?? [];
    const candidates = version === '' ? served : served.includes(version) ? [version] : [];
    const reads = candidates.map((v) => this.#version(groups, group, v));
    for (const read of reads) {
      const settled = await abortable(read, signal);
      const found = settled.state === 'ready' ? find(settled.index) : undefined;
      if (found !== undefined) return { found };
    }
    return { failure: this.#failureOf(group, version) };
  }

  // Why a kind of `group` (at `version`, or any version for "") may be missing: a failed discovery.
  #failureOf(group: string, version: string): Error | undefined {
    const wanted = groupVersionString({ group, version });
    for (const [key, state] of this.#versions) {
      if (state.state === 'failed' && (version === '' ? inGroup(key, group) : key === wanted)) return state.error;
    }
    return undefined;
  }

  #version(groups: Groups, group: string, version: string): Promise<SettledVersion> {
    const key = groupVersionString({ group, version });
    const known = this.#versions.get(key);
    if (known?.state === 'loading') return known.done;
    if (known?.state === 'ready') return Promise.resolve(known);
    // Aggregated discovery already said all it knows; a legacy failure is retried after the interval.
    if (known !== undefined && (groups.aggregated || this.#now() - known.at < this.#minRefreshIntervalMs)) return Promise.resolve(known);
    if (groups.aggregated) return Promise.resolve({ state: 'ready', index: indexOf([]) });
    const done = readGroupVersion(this.#transport, group, version).then(
      (resources): SettledVersion => ({ state: 'ready', index: indexOf(resources) }),
      (err: unknown): SettledVersion => ({ state: 'failed', error: asError(err), at: this.#now() }),
    );
    const loading: VersionState = { state: 'loading', done };
    this.#versions.set(key, loading);
    void done.then((settled) => {
      if (this.#versions.get(key) === loading) this.#versions.set(key, settled);
    });
    return done;
  }

  // A re-read for a miss on `group`, shared with concurrent misses; undefined inside the interval.
  #refreshOnMiss(group: string): Promise<Groups> | undefined {
    if (this.#groupsLoading !== undefined) return this.#groupsLoading;
    const now = this.#now();
    if (this.#lastMissRefresh !== undefined && now - this.#lastMissRefresh < this.#minRefreshIntervalMs) return undefined;
    this.#lastMissRefresh = now;
    // On a legacy server the group's versions are read again too (failed ones only once their
    // interval has passed); other groups keep theirs.
    for (const [key, known] of [...this.#versions]) {
      if (known.state === 'ready' && inGroup(key, group)) this.#versions.delete(key);
    }
    return this.#loadGroups();
  }

  #loadGroups(): Promise<Groups> {
    this.#groupsLoading ??= readServerGroups(this.#transport)
      .then((server) => {
        this.#groups = this.#adopt(server);
        return this.#groups;
      })
      .finally(() => {
        this.#groupsLoading = undefined;
      });
    return this.#groupsLoading;
  }

  #adopt(server: ServerGroups): Groups {
    const versions = new Map(server.groups.map((g) => [g.name, g.versions] as const));
    if (server.resources === undefined) return { versions, aggregated: false };
    this.#versions = new Map();
    for (const [key, read] of server.resources) {
      this.#versions.set(key, read.ok ? { state: 'ready', index: indexOf(read.resources) } : { state: 'failed', error: read.error, at: this.#now() });
    }
    return { versions, aggregated: true };
  }
}

function indexOf(resources: readonly DiscoveredResource[]): VersionIndex {
  const byKind = new Map<string, RESTMapping>();
  const byResource = new Map<string, GroupVersionKind>();
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    // The first resource of a kind wins, as in client-go (ordered as discovery lists them).
    if (!byKind.has(r.kind)) {
      byKind.set(r.kind, { gvk, resource: { group: r.group, version: r.version, resource: r.resource }, scope: r.namespaced ? 'Namespace' : 'Root' });
    }
    byResource.set(r.resource, gvk);
    if (!byResource.has(r.singular)) byResource.set(r.singular, gvk);
  }
  return { byKind, byResource };
}

// Whether a `group/version` key ("v1" for core) belongs to `group`.
function inGroup(key: string, group: string): boolean {
  return group === '' ? !key.includes('/') : key.startsWith(`${group}/`);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
