// The internal contract between the public Cache and the caches it routes to (one config, or many namespaces).

import type { GroupVersionKind } from '../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { SharedIndexInformer } from '../informer/shared-index-informer.ts';
import type { ObjectKeyInput, ReaderListOptions } from './cache-reader.ts';
import type { FieldExtractor } from './field-index.ts';
import type { Informer } from './informer.ts';
import type { KindRef, Representation } from './kinds.ts';
import type { WorkingSetStatsEntry } from './working-set/working-set-stats.ts';

/** Per-call options of a backend read. */
export interface BackendReadOptions {
  readonly deepCopy?: boolean;
  readonly signal?: AbortSignal;
}

/** Per-call options of a backend getInformer. */
export interface BackendInformerOptions {
  readonly blockUntilSynced: boolean;
  readonly signal?: AbortSignal;
}

/**
 * One running informer of a backend, with what tells it apart from the others (for stats and sync progress).
 * @category Observability
 */
export interface LabelledInformer {
  readonly gvk: GroupVersionKind;
  readonly representation: Representation;
  /** "" = all namespaces (and cluster-scoped kinds). */
  readonly namespace: string;
  readonly informer: SharedIndexInformer<KubeObject>;
}

/**
 * A cache the public Cache delegates to: the same operations as controller-runtime's Cache, with
 * options already parsed. `start` returns at once; `stopped` settles when every informer it ran
 * has stopped.
 */
export interface CacheBackend {
  get<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput, options: BackendReadOptions): Promise<DeepReadonly<T> | T>;
  list<T extends KubeObject>(
    kind: KindRef<T>,
    options: ReaderListOptions & { readonly signal?: AbortSignal },
  ): Promise<(DeepReadonly<T> | T)[]>;
  getInformer<T extends KubeObject>(kind: KindRef<T>, options: BackendInformerOptions): Promise<Informer<T>>;
  removeInformer(kind: KindRef): Promise<void>;
  indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void>;
  start(signal: AbortSignal): void;
  stopped(): Promise<void>;
  /** Waits for the informers that exist now; false if `signal` aborts first or one stops unsynced. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
  /** Every informer that exists now, labelled. */
  informers(): LabelledInformer[];
  /**
   * The stored object `key` names, synchronously, when `kind`'s informer exists and has synced:
   * the object (never copied), or null when absent. Undefined when that cannot be answered without
   * waiting (no informer yet, not synced, cache not started, a namespace the cache does not watch):
   * `get` then.
   */
  peek<T extends KubeObject>(kind: KindRef<T>, key: ObjectKeyInput): DeepReadonly<T> | null | undefined;
  /** The working sets of `cacheFullObjects: 'whenRead'` kinds; absent: none. */
  workingSets?(): WorkingSetStatsEntry[];
}
