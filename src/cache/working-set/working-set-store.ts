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

/** A kept entry: the object and its place in the recency list (oldest at the head). */
export interface Slot<T> {
  readonly namespace: string;
  readonly name: string;
  readonly held: HeldObject<T>;
  older: Slot<T> | undefined;
  newer: Slot<T> | undefined;
}

/**
 * A least-recently-used map of full objects under two bounds. Entries are found by namespace then
 * name, so a read looks up the strings its object already carries (their hashes cached) instead of
 * building a key; a doubly linked list keeps recency, so a hit's touch moves two pointers. Every
 * operation is O(1) apart from the evictions it causes.
 */
export class WorkingSetStore<T> {
  readonly #namespaces = new Map<string, Map<string, Slot<T>>>();
  readonly #maxObjects: number;
  readonly #maxBytes: number;
  #oldest: Slot<T> | undefined;
  #newest: Slot<T> | undefined;
  #size = 0;
  #bytes = 0;
  #evictions = 0;

  constructor(limits: { readonly maxObjects: number; readonly maxBytes: number }) {
    this.#maxObjects = limits.maxObjects;
    this.#maxBytes = limits.maxBytes;
  }

  /** The entry of `namespace` ("" for cluster-scoped kinds) and `name`, without making it recent. */
  find(namespace: string, name: string): Slot<T> | undefined {
    return this.#namespaces.get(namespace)?.get(name);
  }

  /** Makes `slot`, just returned by {@link WorkingSetStore.find}, the most recently read entry. */
  touch(slot: Slot<T>): void {
    if (slot === this.#newest) return;
    this.#unlink(slot);
    this.#append(slot);
  }

  /**
   * Keeps `held` as the most recent entry, evicting the least recent ones past either bound. False
   * (and nothing kept, an older entry dropped) when `held` alone exceeds `maxBytes`.
   */
  set(namespace: string, name: string, held: HeldObject<T>): boolean {
    this.delete(namespace, name);
    if (held.bytes > this.#maxBytes) return false;
    const slot: Slot<T> = { namespace, name, held, older: undefined, newer: undefined };
    let names = this.#namespaces.get(namespace);
    if (names === undefined) {
      names = new Map();
      this.#namespaces.set(namespace, names);
    }
    names.set(name, slot);
    this.#append(slot);
    this.#size++;
    this.#bytes += held.bytes;
    while (this.#oldest !== undefined && (this.#size > this.#maxObjects || this.#bytes > this.#maxBytes)) {
      this.delete(this.#oldest.namespace, this.#oldest.name);
      this.#evictions++;
    }
    return true;
  }

  /** Drops the entry; true when there was one. */
  delete(namespace: string, name: string): boolean {
    const names = this.#namespaces.get(namespace);
    const slot = names?.get(name);
    if (names === undefined || slot === undefined) return false;
    names.delete(name);
    if (names.size === 0) this.#namespaces.delete(namespace);
    this.#unlink(slot);
    this.#size--;
    this.#bytes -= slot.held.bytes;
    return true;
  }

  /** Drops every entry (not counted as evictions). */
  clear(): void {
    this.#namespaces.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#size = 0;
    this.#bytes = 0;
  }

  /** Entries kept. */
  get size(): number {
    return this.#size;
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
