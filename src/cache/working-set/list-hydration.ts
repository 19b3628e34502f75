// A working-set list: selectors answered by the metadata informer, then the matches' full objects from the set, GETs or one live LIST.

import { isNotFound } from '../../api/errors.ts';
import type { FieldSelector } from '../../api/field-selector.ts';
import type { DeepReadonly, KubeObject } from '../../api/types.ts';
import { joinSelector } from '../../client/paths.ts';
import type { ReaderListOptions } from '../cache-reader.ts';
import type { MetadataObject } from '../kinds.ts';
import type { ResolvedConfig } from '../options.ts';
import type { FetchedObject, LiveReads } from './live-reads.ts';
import type { ResolvedWorkingSet } from './options.ts';
import { isOlder, newestResourceVersion } from './resource-version.ts';
import { storeKey } from './store-keys.ts';

/** What list hydration needs of its working set. */
export interface ListHydrationHost<T extends KubeObject> {
  readonly options: ResolvedWorkingSet & { readonly clusterWide: boolean };
  /** The held object for `md` when current (counted as a hit). */
  held(md: DeepReadonly<MetadataObject>): DeepReadonly<T> | undefined;
  /** Counts reads that need the server. */
  missed(n: number): void;
  /** One GET for `md`, shared with concurrent readers; `queued` bounds concurrency. */
  fetch(md: DeepReadonly<MetadataObject>, signal: AbortSignal | undefined, queued: boolean): Promise<FetchedObject<T>>;
  /** Counts and keeps an object a live LIST brought. */
  received(fetched: FetchedObject<T>): void;
  /** Counts LIST requests. */
  listed(pages: number): void;
  liveReads(): Promise<LiveReads<T>>;
  configFor(namespace: string): ResolvedConfig;
  output(obj: DeepReadonly<T>, md: DeepReadonly<MetadataObject>, copy: boolean | undefined): DeepReadonly<T> | T;
}

type Found<T> = (DeepReadonly<T> | undefined)[];

/**
 * The full objects of `matches` (the metadata informer's answer to the list's selectors), in their
 * order. Held current objects cost nothing. The others are grouped by the namespace a LIST would
 * ask (one group for a cluster-wide informer or a cluster-scoped kind, else one per namespace); a
 * group of more than `liveListAbove` is fetched with one paged live LIST carrying the list's label
 * selector and namespace plus the informer's own selectors, when the list's field selector is one
 * the server understands (metadata.name / metadata.namespace); every other group with one GET per
 * object, `hydrationConcurrency` at a time. An object the server no longer has (or that stopped
 * matching the LIST's selectors) since the metadata informer saw it is left out.
 */
export async function hydrateList<T extends KubeObject>(
  host: ListHydrationHost<T>,
  matches: readonly DeepReadonly<MetadataObject>[],
  options: ReaderListOptions & { readonly signal?: AbortSignal },
): Promise<(DeepReadonly<T> | T)[]> {
  const found: Found<T> = new Array<DeepReadonly<T> | undefined>(matches.length);
  const missing: number[] = [];
  matches.forEach((md, i) => {
    const held = host.held(md);
    if (held === undefined) missing.push(i);
    else found[i] = held;
  });
  if (missing.length > 0) {
    host.missed(missing.length);
    await fetchMissing(host, matches, missing, found, options);
  }
  const out: (DeepReadonly<T> | T)[] = [];
  found.forEach((obj, i) => {
    const md = matches[i];
    if (obj !== undefined && md !== undefined) out.push(host.output(obj, md, options.deepCopy));
  });
  return out;
}

async function fetchMissing<T extends KubeObject>(
  host: ListHydrationHost<T>,
  matches: readonly DeepReadonly<MetadataObject>[],
  missing: readonly number[],
  found: Found<T>,
  options: ReaderListOptions & { readonly signal?: AbortSignal },
): Promise<void> {
  const live = await host.liveReads();
  const fieldSelector = serverFieldSelector(options.fieldSelector);
  const oneGroup = host.options.clusterWide || live.scope === 'Root';
  const groups = new Map<string, number[]>();
  for (const i of missing) {
    const ns = live.scope === 'Root' ? '' : oneGroup ? (options.namespace ?? '') : (matches[i]?.metadata.namespace ?? '');
    const group = groups.get(ns);
    if (group === undefined) groups.set(ns, [i]);
    else group.push(i);
  }
  // The first failure ends the list; the requests only it waited for are aborted.
  const failed = new AbortController();
  const signal = options.signal === undefined ? failed.signal : AbortSignal.any([failed.signal, options.signal]);
  try {
    await Promise.all(
      [...groups].map(([namespace, indices]) =>
        fieldSelector !== undefined && indices.length > host.options.liveListAbove
          ? listLive(host, live, { namespace, labelSelector: options.labelSelector?.toString() ?? '', fieldSelector }, matches, indices, found, signal)
          : getEach(host, matches, indices, found, signal),
      ),
    );
  } catch (err) {
    failed.abort(err);
    throw err;
  }
}

async function getEach<T extends KubeObject>(
  host: ListHydrationHost<T>,
  matches: readonly DeepReadonly<MetadataObject>[],
  indices: readonly number[],
  found: Found<T>,
  signal: AbortSignal,
): Promise<void> {
  await Promise.all(
    indices.map(async (i) => {
      const md = matches[i];
      if (md === undefined) return;
      try {
        found[i] = (await host.fetch(md, signal, true)).object;
      } catch (err) {
        // Deleted since the metadata informer listed it: left out, as a list a moment later would.
        if (!isNotFound(err)) throw err;
      }
    }),
  );
}

interface ListSelectors {
  readonly namespace: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
}

async function listLive<T extends KubeObject>(
  host: ListHydrationHost<T>,
  live: LiveReads<T>,
  selectors: ListSelectors,
  matches: readonly DeepReadonly<MetadataObject>[],
  indices: readonly number[],
  found: Found<T>,
  signal: AbortSignal,
): Promise<void> {
  const wanted = new Map<string, number>();
  for (const i of indices) {
    const md = matches[i];
    if (md !== undefined) wanted.set(storeKey(md), i);
  }
  const config = host.configFor(selectors.namespace);
  const stale: number[] = [];
  const request = {
    namespace: selectors.namespace,
    labelSelector: joinSelector(config.labelSelector, selectors.labelSelector) ?? '',
    fieldSelector: joinSelector(config.fieldSelector, selectors.fieldSelector) ?? '',
    // Not older than the newest match: every object comes at least at the version its metadata showed.
    minResourceVersion: newestResourceVersion(indices.map((i) => matches[i]?.metadata.resourceVersion ?? '')),
  };
  await live.list(request, signal, (items) => {
    host.listed(1);
    for (const fetched of items) {
      const i = wanted.get(fetched.key);
      const md = i === undefined ? undefined : matches[i];
      if (i === undefined || md === undefined) continue;
      wanted.delete(fetched.key);
      if (isOlder(fetched.resourceVersion, md.metadata.resourceVersion ?? '')) stale.push(i);
      else {
        host.received(fetched);
        found[i] = fetched.object;
      }
    }
  });
  // Only a server ignoring resourceVersion answers older; those objects are read one by one, which checks them again.
  if (stale.length > 0) await getEach(host, matches, stale, found, signal);
}

// The list's field selector as a server can apply it, or undefined when it names a field only the
// cache's indexes know (the objects are then fetched one by one).
function serverFieldSelector(selector: FieldSelector | undefined): string | undefined {
  if (selector === undefined) return '';
  const serverSide = selector.requirements.every((r) => r.field === 'metadata.name' || r.field === 'metadata.namespace');
  return serverSide ? selector.toString() : undefined;
}
