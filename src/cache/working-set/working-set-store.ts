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

/**
 * A least-recently-used map of full objects under two bounds. A Map keeps insertion order, so
 * touching an entry is a delete and a set, and the oldest entry is the first one: every
 * operation is O(1) apart from the evictions it causes.
 */
export class WorkingSetStore<T> {
  readonly #entries = new Map<string, HeldObject<T>>();
  readonly #maxObjects: number;
  readonly #maxBytes: number;
  #bytes = 0;
  #evictions = 0;

  constructor(limits: { readonly maxObjects: number; readonly maxBytes: number }) {
    this.#maxObjects = limits.maxObjects;
    this.#maxBytes = limits.maxBytes;
  }

  /** The entry under `key`, without making it recent. */
  peek(key: string): HeldObject<T> | undefined {
    return this.#entries.get(key);
  }

  /** Makes `key` the most recently read entry (no-op when absent). */
  touch(key: string): void {
    const held = this.#entries.get(key);
    if (held === undefined) return;
    this.#entries.delete(key);
    this.#entries.set(key, held);
  }

  /**
   * Keeps `held` under `key` as the most recent entry, evicting the least recent ones past either
   * bound. False (and nothing kept, an older entry under `key` dropped) when `held` alone exceeds `maxBytes`.
   */
  set(key: string, held: HeldObject<T>): boolean {
    this.delete(key);
    if (held.bytes > this.#maxBytes) return false;
    this.#entries.set(key, held);
    this.#bytes += held.bytes;
    while (this.#entries.size > this.#maxObjects || this.#bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
      this.#evictions++;
    }
    return true;
  }

  /** Drops the entry under `key`; true when there was one. */
  delete(key: string): boolean {
    const held = this.#entries.get(key);
    if (held === undefined) return false;
    this.#entries.delete(key);
    this.#bytes -= held.bytes;
    return true;
  }

  /** Drops every entry (not counted as evictions). */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** Every key, least recently read first. */
  keys(): IterableIterator<string> {
    return this.#entries.keys();
  }

  /** Entries kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes of the entries kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries dropped to stay within the bounds, since creation. */
  get evictions(): number {
    return this.#evictions;
  }
}
