// client-go's DeltaFIFO: per-object change lists in first-arrival order, with relist tombstones.

import { yieldToEventLoop } from '../api/time-slice.ts';
import type { DeepReadonly } from '../api/types.ts';
import { DeletedFinalStateUnknown, isDeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { DeltaFIFOClosedError } from './errors.ts';
import { deletionHandlingKey } from './object-helpers.ts';

/** What happened to an object. `Replaced` comes from a relist, `Sync` from a resync (or a relist when Replaced is not emitted). */
export type DeltaType = 'Added' | 'Updated' | 'Deleted' | 'Replaced' | 'Sync';

/** One change of one object. A `Deleted` delta may carry a {@link DeletedFinalStateUnknown}. */
export interface Delta<T> {
  readonly type: DeltaType;
  readonly object: DeepReadonly<T> | DeletedFinalStateUnknown<T>;
}

/** The changes of one object, oldest first; never empty. */
export type Deltas<T> = readonly Delta<T>[];

/** The objects the consumer already holds (the informer's Indexer), consulted by replace and resync. */
export interface KnownObjects<T> {
  listKeys(): string[];
  get(key: string): DeepReadonly<T> | undefined;
}

/**
 * Processes one object's deltas; runs synchronously inside {@link DeltaFIFO.pop}. `key` is the
 * queue key of the object (computed once on arrival, so the consumer need not compute it again).
 */
export type PopProcessFunc<T> = (deltas: Deltas<T>, isInInitialList: boolean, key: string) => void;

/** Options of {@link DeltaFIFO}. */
export interface DeltaFIFOOptions<T> {
  /** @default "namespace/name" from metadata; tombstones yield their key */
  readonly keyFunc?: (obj: DeepReadonly<T>) => string;
  /** Lets replace detect deletions of objects no longer queued, and enables resync. */
  readonly knownObjects?: KnownObjects<T>;
  /** Emit `Replaced` (not `Sync`) for the items of a replace. @default false */
  readonly emitDeltaTypeReplaced?: boolean;
  /** Called once, when {@link DeltaFIFO.hasSynced} turns true. */
  readonly onSynced?: () => void;
}

// Compact the consumed head of the key queue once it is this long and half the array.
const COMPACT_AFTER = 1024;

/**
 * A producer/consumer queue of {@link Deltas} keyed by object. A key keeps its queue position
 * while more deltas accumulate on it; only two trailing deletions are merged. `replace` turns
 * objects missing from a relist into `Deleted` tombstones. Writers never block; `pop` waits for
 * an item and runs the consumer's callback synchronously, so the callback sees no concurrent
 * queue mutation.
 */
export class DeltaFIFO<T> {
  readonly #keyFunc: (obj: DeepReadonly<T>) => string;
  readonly #knownObjects: KnownObjects<T> | undefined;
  readonly #emitReplaced: boolean;
  readonly #onSynced: (() => void) | undefined;
  readonly #items = new Map<string, Delta<T>[]>();
  // Invariant: each key of #items appears exactly once in #queue[#head..], and nothing else does.
  #queue: string[] = [];
  #head = 0;
  #populated = false;
  #initialPopulationCount = 0;
  #synced = false;
  #closed = false;
  // True while replaceGradually runs: the queue is in between two consistent states.
  #replacing = false;
  #waiters: (() => void)[] = [];

  constructor(options: DeltaFIFOOptions<T> = {}) {
    this.#keyFunc = options.keyFunc ?? ((obj) => deletionHandlingKey(obj));
    this.#knownObjects = options.knownObjects;
    this.#emitReplaced = options.emitDeltaTypeReplaced ?? false;
    this.#onSynced = options.onSynced;
  }

  /** Queued keys (objects with pending deltas). */
  get length(): number {
    return this.#queue.length - this.#head;
  }

  /** The queue key of an object or tombstone. */
  keyOf(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): string {
    return isDeletedFinalStateUnknown<T>(obj) ? obj.key : this.#keyFunc(obj);
  }

  /** Queues an `Added` delta. */
  add(obj: DeepReadonly<T>): void {
    this.#markPopulated();
    this.#queueAction('Added', obj);
  }

  /** Queues an `Updated` delta. */
  update(obj: DeepReadonly<T>): void {
    this.#markPopulated();
    this.#queueAction('Updated', obj);
  }

  /**
   * Queues a `Deleted` delta, unless the object is neither queued nor known (then there is
   * nothing to delete and the call is ignored).
   */
  delete(obj: DeepReadonly<T> | DeletedFinalStateUnknown<T>): void {
    const key = this.keyOf(obj);
    this.#markPopulated();
    const known = this.#knownObjects === undefined ? false : this.#knownObjects.get(key) !== undefined;
    if (!known && !this.#items.has(key)) return;
    this.#queueAction('Deleted', obj, key);
  }

  /**
   * Queues the complete current state after a (re)list: a `Replaced` (or `Sync`) delta per
   * item, and a `Deleted` tombstone for every queued or known key the list lacks. The first
   * replace defines the initial population that {@link DeltaFIFO.hasSynced} waits for.
   * The resource version is not used by the queue.
   */
  replace(list: readonly DeepReadonly<T>[], _resourceVersion: string): void {
    const steps = this.#replaceSteps(list, Infinity);
    while (steps.next().done !== true);
  }

  /**
   * {@link DeltaFIFO.replace} in slices of `chunkSize` items with a turn of the event loop
   * between them, so a list of 100k objects never blocks the loop for long. Consumers see
   * nothing of it until it completes: pops wait meanwhile, so the result is indistinguishable
   * from one atomic replace. The caller must not write to the queue before it resolves.
   */
  async replaceGradually(list: readonly DeepReadonly<T>[], _resourceVersion: string, chunkSize = 1000): Promise<void> {
    this.#replacing = true;
    try {
      const steps = this.#replaceSteps(list, chunkSize);
      while (steps.next().done !== true) await yieldToEventLoop();
    } finally {
      this.#replacing = false;
      if (this.length > 0) this.#wake();
    }
  }

  // Does the work of replace, yielding after every `chunkSize` units of work.
  *#replaceSteps(list: readonly DeepReadonly<T>[], chunkSize: number): Generator<void, void, void> {
    const action: DeltaType = this.#emitReplaced ? 'Replaced' : 'Sync';
    const keys = new Set<string>();
    let work = 0;
    for (const item of list) {
      const key = this.#keyFunc(item);
      keys.add(key);
      this.#queueAction(action, item, key);
      if (++work % chunkSize === 0) yield;
    }
    let queuedDeletions = 0;
    const missing: string[] = [];
    for (const key of this.#items.keys()) {
      if (!keys.has(key)) missing.push(key);
      if (++work % chunkSize === 0) yield;
    }
    for (const key of missing) {
      const deltas = this.#items.get(key) as Delta<T>[];
      const newest = (deltas[deltas.length - 1] as Delta<T>).object;
      const last = isDeletedFinalStateUnknown<T>(newest) ? newest.obj : newest;
      this.#queueAction('Deleted', new DeletedFinalStateUnknown<T>(key, last), key);
      queuedDeletions++;
    }
    for (const key of this.#knownObjects?.listKeys() ?? []) {
      if (++work % chunkSize === 0) yield;
      if (keys.has(key) || this.#items.has(key)) continue;
      this.#queueAction('Deleted', new DeletedFinalStateUnknown<T>(key, this.#knownObjects?.get(key)), key);
      queuedDeletions++;
    }
    if (!this.#populated) {
      this.#populated = true;
      this.#initialPopulationCount = keys.size + queuedDeletions;
      this.#checkSynced();
    }
  }

  /**
   * Queues a `Sync` delta for every known object that has no pending delta (a pending delta is
   * newer than the known object, so resyncing it would go back in time).
   */
  resync(): void {
    if (this.#knownObjects === undefined) return;
    for (const key of this.#knownObjects.listKeys()) {
      if (this.#items.has(key)) continue;
      const obj = this.#knownObjects.get(key);
      if (obj !== undefined) this.#queueAction('Sync', obj, key);
    }
  }

  /**
   * Takes the oldest queued object's deltas and runs `process` on them synchronously. Waits while
   * the queue is empty; rejects with {@link DeltaFIFOClosedError} once closed and drained. If
   * `process` throws, the deltas are still consumed and the error propagates.
   */
  async pop(process: PopProcessFunc<T>): Promise<Deltas<T>> {
    for (;;) {
      const deltas = this.tryPop(process);
      if (deltas !== undefined) return deltas;
      if (this.#closed) throw new DeltaFIFOClosedError();
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Like {@link DeltaFIFO.pop} but never waits: undefined when the queue is empty. */
  tryPop(process: PopProcessFunc<T>): Deltas<T> | undefined {
    if (this.#replacing || this.#head >= this.#queue.length) return undefined;
    const key = this.#queue[this.#head] as string;
    this.#queue[this.#head] = '';
    this.#head++;
    this.#compact();
    const deltas = this.#items.get(key) as Delta<T>[];
    this.#items.delete(key);
    const isInInitialList = !this.#synced;
    try {
      process(deltas, isInInitialList, key);
    } finally {
      // Synced flips only after the last initial item was processed, so readers see it stored.
      if (this.#initialPopulationCount > 0) {
        this.#initialPopulationCount--;
        this.#checkSynced();
      }
    }
    return deltas;
  }

  /** Resolves when an item is queued (true) or the queue is closed and empty (false). */
  async waitForItems(): Promise<boolean> {
    while (this.length === 0 || this.#replacing) {
      if (this.#closed) return false;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return true;
  }

  /** True once the first replace's items (or a first add/update/delete) have all been popped. Latched. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Stops waiting consumers; queued items can still be popped. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  #markPopulated(): void {
    if (this.#populated) return;
    this.#populated = true;
    this.#checkSynced();
  }

  #checkSynced(): void {
    if (this.#synced || !this.#populated || this.#initialPopulationCount !== 0) return;
    this.#synced = true;
    this.#onSynced?.();
  }

  #queueAction(type: DeltaType, object: Delta<T>['object'], key = this.keyOf(object)): void {
    const delta: Delta<T> = { type, object };
    const deltas = this.#items.get(key);
    if (deltas === undefined) {
      this.#items.set(key, [delta]);
      this.#queue.push(key);
      this.#wake();
      return;
    }
    deltas.push(delta);
    dedupTrailingDeletes(deltas);
  }

  #wake(): void {
    if (this.#waiters.length === 0 || this.#replacing) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #compact(): void {
    if (this.#head < COMPACT_AFTER || this.#head * 2 < this.#queue.length) return;
    this.#queue = this.#queue.slice(this.#head);
    this.#head = 0;
  }
}

/** Two deletions in a row are one: keep the older unless it is a tombstone (the newer knows more). */
function dedupTrailingDeletes<T>(deltas: Delta<T>[]): void {
  const n = deltas.length;
  if (n < 2) return;
  const newer = deltas[n - 1] as Delta<T>;
  const older = deltas[n - 2] as Delta<T>;
  if (newer.type !== 'Deleted' || older.type !== 'Deleted') return;
  deltas.splice(n - 2, 2, isDeletedFinalStateUnknown(older.object) ? newer : older);
}
