// The internal contract between the public Cache and the caches it routes to (one config, or many namespaces).

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { ObjectKeyInput, ReaderListOptions } from './cache-reader.ts';
import type { FieldExtractor } from './field-index.ts';
import type { Informer } from './informer.ts';
import type { KindRef } from './kinds.ts';

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
}
