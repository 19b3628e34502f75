// The two halves of a cache, as controller-runtime splits them: Reader (get, list) and Informers.

import type { GroupVersionKind } from '../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { ObjectKeyInput } from './cache-reader.ts';
import type { FieldExtractor } from './field-index.ts';
import type { Informer } from './informer.ts';
import type { KindRef } from './kinds.ts';
import type { FieldSelectorInput, LabelSelectorInput } from './options.ts';

/**
 * Options of {@link Reader.get}.
 * @category Cache
 */
export interface GetOptions {
  /**
   * Return a mutable deep copy instead of the frozen stored object. A value given here wins over
   * the kind's `deepCopy` setting in either direction. @default the kind's deepCopy setting (false)
   */
  readonly deepCopy?: boolean;
  /** Bounds the wait for a new informer's first sync; aborting rejects with a 504 Timeout StatusError. */
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link Reader.list}.
 * @category Cache
 */
export interface CacheListOptions extends GetOptions {
  /** Only objects of this namespace. @default all namespaces the cache holds */
  readonly namespace?: string;
  /** Filters in memory after the index lookup. */
  readonly labelSelector?: LabelSelectorInput;
  /**
   * Exact matches only (`field=value`), on fields registered with {@link Informers.indexField}, or on
   * metadata.name / metadata.namespace.
   */
  readonly fieldSelector?: FieldSelectorInput;
  /** At most this many objects (in no particular order). 0 or absent: all. */
  readonly limit?: number;
  /** Always rejected: the cache answers in one piece. */
  readonly continue?: string;
}

/**
 * Options of {@link Informers.getInformer}.
 * @category Cache
 */
export interface GetInformerOptions {
  /** Once the cache runs, wait for the informer's first sync. @default true */
  readonly blockUntilSynced?: boolean;
  /** Bounds that wait; aborting rejects with a 504 Timeout StatusError. */
  readonly signal?: AbortSignal;
}

/**
 * A read's result: frozen stored objects, or mutable copies when `deepCopy: true` is passed.
 * @category Cache
 */
export type ReadResult<T, O> = O extends { readonly deepCopy: true } ? T : DeepReadonly<T>;

/**
 * Reads served from memory (controller-runtime's client.Reader).
 * @category Cache
 */
export interface Reader {
  /** The object `key` names; rejects with a 404 StatusError when absent. */
  get<T extends KubeObject, O extends GetOptions = GetOptions>(
    kind: KindRef<T>,
    key: ObjectKeyInput,
    options?: O,
  ): Promise<ReadResult<T, O>>;
  /** The objects matching `options`, in no particular order. */
  list<T extends KubeObject, O extends CacheListOptions = CacheListOptions>(
    kind: KindRef<T>,
    options?: O,
  ): Promise<ReadResult<T, O>[]>;
}

/**
 * The informer registry (controller-runtime's cache.Informers, with FieldIndexer).
 * @category Cache
 */
export interface Informers {
  getInformer<T extends KubeObject>(kind: KindRef<T>, options?: GetInformerOptions): Promise<Informer<T>>;
  getInformerForKind<T extends KubeObject = KubeObject>(gvk: GroupVersionKind, options?: GetInformerOptions): Promise<Informer<T>>;
  removeInformer(kind: KindRef): Promise<void>;
  indexField<T extends KubeObject>(kind: KindRef<T>, field: string, extract: FieldExtractor<T>): Promise<void>;
  /** Runs until `signal` aborts; rejects on a second call. */
  start(signal: AbortSignal): Promise<void>;
  /** True once every informer existing when start was called has synced; false on abort. */
  waitForCacheSync(signal?: AbortSignal): Promise<boolean>;
}
