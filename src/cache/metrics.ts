// A cache's counters as plain numbers: one labelled entry per informer.

import type { GroupVersionKind } from '../api/gvk.ts';
import type { InformerStats } from '../informer/informer-types.ts';
import type { LabelledInformer } from './backend.ts';
import type { Representation } from './kinds.ts';
import type { WorkingSetStatsEntry } from './working-set/working-set-stats.ts';

/**
 * The counters of one informer of a cache, labelled with what it caches. Counters only grow while
 * the informer lives; removing an informer (or stopping the cache) drops its entry.
 * @category Observability
 */
export interface InformerStatsEntry extends InformerStats {
  readonly gvk: GroupVersionKind;
  readonly representation: Representation;
  /** The namespace it lists and watches; "" = all namespaces (and cluster-scoped kinds). */
  readonly namespace: string;
  /** Its first list has been stored. */
  readonly synced: boolean;
  /** Handlers registered now. */
  readonly listeners: number;
  /** Notifications waiting in (or being delivered by) all its handlers' queues together. */
  readonly listenerQueueDepthSum: number;
  /** The longest of its handlers' queues. */
  readonly listenerQueueDepthMax: number;
}

/**
 * What {@link Cache.stats} returns: a snapshot taken at the call, with no live references.
 * @category Observability
 */
export interface CacheStats {
  /** One entry per informer, ordered by group, version, kind, representation, namespace. */
  readonly informers: readonly InformerStatsEntry[];
  /** One entry per working set (`cacheFullObjects: 'whenRead'` kind and representation read), ordered likewise. */
  readonly workingSets: readonly WorkingSetStatsEntry[];
}

/**
 * Snapshots the stats of `sources` (and of `workingSets`), sorted so that two snapshots line up.
 * @category Observability
 */
export function collectCacheStats(sources: Iterable<LabelledInformer>, workingSets: Iterable<WorkingSetStatsEntry> = []): CacheStats {
  const informers = [...sources].map(entryOf).sort(compareEntries);
  return { informers, workingSets: [...workingSets].sort(compareEntries) };
}

function entryOf(source: LabelledInformer): InformerStatsEntry {
  const stats = source.informer.stats();
  const depths = stats.listenerQueueDepths;
  return {
    ...stats,
    gvk: { ...source.gvk },
    representation: source.representation,
    namespace: source.namespace,
    synced: source.informer.hasSynced(),
    listeners: depths.length,
    listenerQueueDepthSum: depths.reduce((sum, d) => sum + d, 0),
    listenerQueueDepthMax: depths.reduce((max, d) => Math.max(max, d), 0),
  };
}

type Labelled = Pick<InformerStatsEntry, 'gvk' | 'representation'> & { readonly namespace?: string };

function compareEntries(a: Labelled, b: Labelled): number {
  const keyA = [a.gvk.group, a.gvk.version, a.gvk.kind, a.representation, a.namespace ?? ''];
  const keyB = [b.gvk.group, b.gvk.version, b.gvk.kind, b.representation, b.namespace ?? ''];
  for (let i = 0; i < keyA.length; i++) {
    const x = keyA[i] ?? '';
    const y = keyB[i] ?? '';
    // Code-unit order, not localeCompare: the order must not depend on the process locale.
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
