// Progress of a cache's initial sync: objects listed so far and synced flags, per informer.

import type { GroupVersionKind } from '../api/gvk.ts';
import type { LabelledInformer } from './backend.ts';
import type { Representation } from './kinds.ts';

/**
 * Where one informer's initial sync stands.
 * @category Observability
 */
export interface InformerSyncProgress {
  readonly gvk: GroupVersionKind;
  readonly representation: Representation;
  /** "" = all namespaces (and cluster-scoped kinds). */
  readonly namespace: string;
  /** Objects received so far by its list (the whole list once synced). */
  readonly listed: number;
  /** Its first list has been stored. */
  readonly synced: boolean;
}

/**
 * A snapshot of a cache's sync, handed to `onProgress` after each change.
 * @category Observability
 */
export interface SyncProgress {
  readonly informers: readonly InformerSyncProgress[];
  /** How many of `informers` have synced. */
  readonly synced: number;
  /** How many informers are awaited. */
  readonly total: number;
}

/**
 * Options of `Cache.waitForCacheSync`.
 * @category Cache
 */
export interface WaitForCacheSyncOptions {
  /** Stops waiting (the answer is then false). */
  readonly signal?: AbortSignal;
  /**
   * Called at once with the starting point, then after every page (or watch-list batch) an awaited
   * informer receives and every sync, until the wait ends. Runs inside the informer's list loop:
   * keep it short. An exception it throws is reported as a process warning and otherwise ignored.
   */
  readonly onProgress?: (progress: SyncProgress) => void;
}

interface Tracked {
  readonly source: LabelledInformer;
  listed: number;
  synced: boolean;
}

/**
 * Follows the `listProgress` and `synced` events of `sources`, calling `onProgress` with a fresh
 * snapshot on each change (and once right away). Returns the function that stops following.
 * @category Observability
 */
export function followSyncProgress(
  sources: readonly LabelledInformer[],
  onProgress: (progress: SyncProgress) => void,
): () => void {
  const tracked: Tracked[] = sources.map((source) => ({
    source,
    synced: source.informer.hasSynced(),
    listed: source.informer.hasSynced() ? source.informer.stats().objects : 0,
  }));
  const report = (): void => {
    try {
      onProgress(snapshot(tracked));
    } catch (err) {
      // A throw here would unwind into the informer's list loop and fail the list: report it instead.
      process.emitWarning(err instanceof Error ? err : new Error(String(err)), { code: 'KUBECACHE_SYNC_PROGRESS_CALLBACK' });
    }
  };
  const unsubscribe = tracked.map((t) => {
    const events = t.source.informer.events;
    const onListed = (listed: number): void => {
      if (t.synced) return;
      t.listed = listed;
      report();
    };
    const onSynced = (): void => {
      t.synced = true;
      report();
    };
    events.on('listProgress', onListed);
    events.on('synced', onSynced);
    return () => {
      events.off('listProgress', onListed);
      events.off('synced', onSynced);
    };
  });
  report();
  return () => {
    for (const off of unsubscribe) off();
  };
}

/**
 * The progress of `sources` as an async iterable: the starting point, then a snapshot after each
 * change, ending after the snapshot in which every informer has synced. It also ends (without
 * throwing) when `signal` aborts or one of the informers stops before syncing. Snapshots a slow
 * consumer has not taken yet are coalesced: it always receives the latest.
 * @category Observability
 */
export async function* syncProgressOf(
  sources: readonly LabelledInformer[],
  signal?: AbortSignal,
): AsyncGenerator<SyncProgress, void, undefined> {
  let latest: SyncProgress | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const end = (): void => {
    ended = true;
    notify();
  };
  const unfollow = followSyncProgress(sources, (p) => {
    latest = p;
    notify();
  });
  const offStopped = sources.map(({ informer }) => {
    const onStopped = (): void => {
      if (!informer.hasSynced()) end();
    };
    informer.events.on('stopped', onStopped);
    if (informer.isStopped()) onStopped();
    return () => informer.events.off('stopped', onStopped);
  });
  signal?.addEventListener('abort', end, { once: true });
  try {
    while (latest !== undefined || !ended) {
      if (latest === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const next: SyncProgress = latest;
      latest = undefined;
      yield next;
      if (next.synced === next.total) return;
      if (signal?.aborted === true) return;
    }
  } finally {
    signal?.removeEventListener('abort', end);
    for (const off of offStopped) off();
    unfollow();
  }
}

function snapshot(tracked: readonly Tracked[]): SyncProgress {
  const informers = tracked.map(
    (t): InformerSyncProgress => ({
      gvk: { ...t.source.gvk },
      representation: t.source.representation,
      namespace: t.source.namespace,
      listed: t.listed,
      synced: t.synced,
    }),
  );
  return { informers, synced: informers.filter((i) => i.synced).length, total: informers.length };
}
