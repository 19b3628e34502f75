// The full objects of a working set: bounded by count and bytes, least recently read dropped first.

import type { DeepReadonly } from '../../api/types.ts';

/** One full object kept, with what decides whether a read may use it. */
export interface HeldObject<T> {
  readonly object: DeepReadonly<T>;
  readonly uid: string;
  readonly resourceVersion: string;
  /** Its size as counted against `maxBytes` (the length of its JSON). */
  readonly bytes: number;
}

// A node of the recency list, oldest at the head.
interface Slot<T> {
  readonly key: string;
  readonly held: HeldObject<T>;
  older: Slot<T> | undefined;
  newer: Slot<T> | undefined;
}

/**
 * A least-recently-used map of full objects under two bounds: a Map for lookups and a doubly
 * linked list for recency, so a hit's touch moves two pointers instead of rehashing, and every
 * operation is O(1) apart from the evictions it causes.
 */
export class WorkingSetStore<T> {
  readonly #slots = new Map<string, Slot<T>>();
  readonly #maxObjects: number;
  readonly #maxBytes: number;
  #oldest: Slot<T> | undefined;
  #newest: Slot<T> | undefined;
  #bytes = 0;
  #evictions = 0;

  constructor(limits: { readonly maxObjects: number; readonly maxBytes: number }) {
    this.#maxObjects = limits.maxObjects;
    this.#maxBytes = limits.maxBytes;
  }

  /** The entry under `key`, without making it recent. */
  peek(key: string): HeldObject<T> | undefined {
    return this.#slots.get(key)?.held;
  }

  /** Makes `key` the most recently read entry (no-op when absent). */
  touch(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined || slot === this.#newest) return;
    this.#unlink(slot);
    this.#append(slot);
  }

  /**
   * Keeps `held` under `key` as the most recent entry, evicting the least recent ones past either
   * bound. False (and nothing kept, an older entry under `key` dropped) when `held` alone exceeds `maxBytes`.
   */
  set(key: string, held: HeldObject<T>): boolean {
    this.delete(key);
    if (held.bytes > this.#maxBytes) return false;
    const slot: Slot<T> = { key, held, older: undefined, newer: undefined };
    this.#slots.set(key, slot);
    this.#append(slot);
    this.#bytes += held.bytes;
    while (this.#oldest !== undefined && (this.#slots.size > this.#maxObjects || this.#bytes > this.#maxBytes)) {
      this.delete(this.#oldest.key);
      this.#evictions++;
    }
    return true;
  }

  /** Drops the entry under `key`; true when there was one. */
  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#unlink(slot);
    this.#bytes -= slot.held.bytes;
    return true;
  }

  /** Drops every entry (not counted as evictions). */
  clear(): void {
    this.#slots.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#bytes = 0;
  }

  /** Entries kept. */
  get size(): number {
    return this.#slots.size;
  }

  /** Bytes of the entries kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries dropped to stay within the bounds, since creation. */
  get evictions(): number {
    return this.#evictions;
  }

  #append(slot: Slot<T>): void {
    slot.older = this.#newest;
    slot.newer = undefined;
    if (this.#newest === undefined) this.#oldest = slot;
    else this.#newest.newer = slot;
    this.#newest = slot;
  }

  #unlink(slot: Slot<T>): void {
    if (slot.older === undefined) this.#oldest = slot.newer;
    else slot.older.newer = slot.newer;
    if (slot.newer === undefined) this.#newest = slot.older;
    else slot.newer.older = slot.older;
    slot.older = undefined;
    slot.newer = undefined;
  }
}
