// handleDeltas: applies popped deltas to the Indexer and fans them out, synchronously.

import type { DeepReadonly, KubeObject } from '../api/types.ts';
import type { Delta, DeltaFIFO, Deltas } from './delta-fifo.ts';
import { DeletedFinalStateUnknown, isDeletedFinalStateUnknown } from './deleted-final-state-unknown.ts';
import { ProcessDeltasError, TransformError } from './errors.ts';
import type { Indexer } from './indexer.ts';
import type { Notification } from './notification.ts';
import { deepFreezeCompact } from '../api/deep-freeze.ts';
import { asReadonly } from './object-helpers.ts';
import { TimeSlice, yieldToEventLoop } from '../api/time-slice.ts';
import type { ProcessorListener } from './processor-listener.ts';

/** Items processed at most between two turns of the event loop while draining (time bounds it too). */
export const DRAIN_BATCH_SIZE = 500;

/** Inputs of {@link DeltaProcessor}. */
export interface DeltaProcessorOptions<T> {
  readonly indexer: Indexer<T>;
  readonly listeners: ReadonlySet<ProcessorListener<T>>;
  /** Deep-freeze objects before storing them. */
  readonly freeze: boolean;
  readonly transform: ((obj: T) => T) | undefined;
  /** Receives every failure; processing goes on with the next delta. */
  readonly onError: (err: ProcessDeltasError) => void;
  /** The time source bounding each synchronous run (the informer's clock). */
  readonly now: () => number;
}

/**
 * Turns deltas into store writes and notifications (client-go's processDeltas). For each delta:
 * transform and freeze the object once (objects already stored are recognised and left alone),
 * write the Indexer, then hand the notification to each listener's queue, with no await
 * between, so every handler observes a store at least as new as its notification.
 */
export class DeltaProcessor<T extends KubeObject> {
  readonly #indexer: Indexer<T>;
  readonly #listeners: ReadonlySet<ProcessorListener<T>>;
  readonly #freeze: boolean;
  readonly #transform: ((obj: T) => T) | undefined;
  readonly #onError: (err: ProcessDeltasError) => void;
  readonly #slice: TimeSlice;
  // Objects already transformed (and frozen): resync and tombstones hand stored objects back, and
  // those must not be transformed twice. Frozenness is no proof, as a source may freeze its output.
  readonly #prepared = new WeakSet<object>();

  constructor(options: DeltaProcessorOptions<T>) {
    this.#indexer = options.indexer;
    this.#listeners = options.listeners;
    this.#freeze = options.freeze;
    this.#transform = options.transform;
    this.#onError = options.onError;
    this.#slice = new TimeSlice(options.now);
  }

  /**
   * Pops and handles deltas until the queue is closed and empty or `signal` aborts, yielding to
   * the event loop once a run has used its time slice or handled {@link DRAIN_BATCH_SIZE} items.
   * Failures go to `onError` and the loop goes on.
   */
  async drain(fifo: DeltaFIFO<T>, signal: AbortSignal): Promise<void> {
    const handle = (deltas: Deltas<T>, isInInitialList: boolean, key: string): void =>
      this.handleDeltas(deltas, isInInitialList, key);
    const slice = this.#slice;
    for (;;) {
      let handled = 0;
      let full = false;
      slice.start();
      while (!signal.aborted && fifo.length > 0) {
        fifo.tryPop(handle);
        if (++handled === DRAIN_BATCH_SIZE || slice.spent()) {
          full = true;
          break;
        }
      }
      if (signal.aborted) return;
      if (full) await yieldToEventLoop();
      else if (!(await fifo.waitForItems())) return;
    }
  }

  /**
   * Applies one object's deltas, oldest first; a failure on one delta is reported and the next
   * ones are applied all the same. `queueKey` is the DeltaFIFO's key of the object; without a
   * transform it is the store key too (a transform might rename, so then it is recomputed).
   */
  handleDeltas(deltas: Deltas<T>, isInInitialList: boolean, queueKey?: string): void {
    const key = this.#transform === undefined ? queueKey : undefined;
    for (const delta of deltas) {
      try {
        if (delta.type === 'Deleted') this.#handleDelete(delta, key);
        else this.#handleUpsert(this.#prepare(delta.object as DeepReadonly<T>), isInInitialList, key);
      } catch (err) {
        this.#onError(new ProcessDeltasError(err));
      }
    }
  }

  #handleDelete(delta: Delta<T>, knownKey: string | undefined): void {
    const obj = isDeletedFinalStateUnknown<T>(delta.object)
      ? this.#prepareTombstone(delta.object)
      : this.#prepare(delta.object);
    this.#indexer.deleteByKey(knownKey ?? this.#indexer.keyOf(obj));
    // Deletes are announced even for objects the store never held.
    this.#distribute({ type: 'delete', obj }, false);
  }

  #handleUpsert(obj: DeepReadonly<T>, isInInitialList: boolean, knownKey: string | undefined): void {
    const key = knownKey ?? this.#indexer.keyOf(obj);
    const old = this.#indexer.updateByKey(key, obj);
    if (old === undefined) {
      this.#distribute({ type: 'add', obj, isInInitialList }, false);
      return;
    }
    // An unchanged version means a resync or a relist that found nothing new.
    const isSync =
      old.metadata !== undefined &&
      obj.metadata !== undefined &&
      old.metadata.resourceVersion === obj.metadata.resourceVersion;
    this.#distribute({ type: 'update', oldObj: old, newObj: obj }, isSync);
  }

  #distribute(notification: Notification<T>, isSync: boolean): void {
    for (const listener of this.#listeners) {
      if (!isSync || listener.isSyncing) listener.add(notification);
    }
  }

  #prepareTombstone(tombstone: DeletedFinalStateUnknown<T>): DeletedFinalStateUnknown<T> {
    if (tombstone.obj === undefined || this.#isPrepared(tombstone.obj)) return tombstone;
    if (this.#transform === undefined && (!this.#freeze || Object.isFrozen(tombstone.obj))) return tombstone;
    return new DeletedFinalStateUnknown<T>(tombstone.key, this.#prepare(tombstone.obj));
  }

  #prepare(obj: DeepReadonly<T>): DeepReadonly<T> {
    // Without a transform, preparing twice is harmless (freezing stops at a frozen root), so the
    // per-object WeakSet entry, which costs the garbage collector on every event, is not needed.
    // Stored objects share one frozen instance for each empty object and array they hold.
    if (this.#transform === undefined) return this.#freeze ? deepFreezeCompact(obj as unknown as T) : obj;
    if (this.#isPrepared(obj)) return obj;
    let transformed: T;
    try {
      transformed = this.#transform(obj as unknown as T);
    } catch (err) {
      // Stored as the server sent it: the store keeps every object, and the failure is reported.
      this.#onError(new ProcessDeltasError(new TransformError(this.#indexer.keyOf(obj), err)));
      transformed = obj as unknown as T;
    }
    this.#prepared.add(transformed);
    return this.#freeze ? deepFreezeCompact(transformed) : asReadonly(transformed);
  }

  #isPrepared(obj: DeepReadonly<T>): boolean {
    return this.#prepared.has(obj);
  }
}
