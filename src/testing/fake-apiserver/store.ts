// The fake APIServer's storage: objects per resource, one global resourceVersion, event history.

import type { ObjectMeta, UnstructuredObject } from '../../api/types.ts';
import type { GroupVersionResource } from './registry.ts';

/**
 * An object as stored: name and resourceVersion always set; deep-frozen.
 * @category Testing
 */
export type StoredObject = UnstructuredObject & {
  readonly metadata: ObjectMeta & { readonly name: string; readonly resourceVersion: string };
};

/** The type of a stored change. */
export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One committed write. `object` is the new state (for DELETED: the last state stamped with
 * the deletion's version); `prev` the state before, which lets the store rewind to a past version.
 */
export interface StoreEvent {
  readonly rv: number;
  readonly type: StoreEventType;
  readonly gvr: string;
  readonly key: string;
  readonly object: StoredObject;
  readonly prev: StoredObject | undefined;
}

/** A consistent, sorted view of one resource at one version. */
export interface Snapshot {
  readonly rv: number;
  /** Storage keys (`ns/name` or `name`) in byte order, like etcd's. */
  readonly keys: readonly string[];
  get(key: string): StoredObject | undefined;
}

/** Why a past version cannot be read: it is older than what history retains. */
export class CompactedError extends Error {
  override readonly name = 'CompactedError';
  readonly reason = 'Expired';
  readonly code = 410;
  /** The oldest version still readable. */
  readonly compactedRv: number;
  constructor(requested: number, compactedRv: number) {
    super(`resource version ${requested} is older than the compacted version ${compactedRv}`);
    this.compactedRv = compactedRv;
  }
}

interface Bucket {
  readonly objects: Map<string, StoredObject>;
  /** Sorted keys, built lazily; kept up to date by splicing for a while, then rebuilt. */
  sorted: string[] | undefined;
  splices: number;
}

// Past this many splices since the last sort, dropping the cache and sorting once is cheaper.
const MAX_SPLICES = 256;

/** The storage key of an object: `namespace/name`, or `name` when cluster-scoped. */
export function storageKey(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * The storage key of a resource: `group/resource`. Versions of one group/resource share storage
 * (as served versions of a CRD do on the real server); responses stamp the requested apiVersion.
 */
function resourceStorageKey(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.resource}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The index of the first of the sorted `keys` not below `target` (`keys.length` when none). */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? '') < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function updateSorted(bucket: Bucket, key: string, insert: boolean): void {
  const sorted = bucket.sorted;
  if (sorted === undefined) return;
  if (bucket.splices >= MAX_SPLICES) {
    bucket.sorted = undefined;
    return;
  }
  bucket.splices += 1;
  // Snapshots hand out this array: copy it rather than change one a caller may still hold.
  const next = sorted.slice();
  const at = lowerBound(next, key);
  if (insert) next.splice(at, 0, key);
  else if (next[at] === key) next.splice(at, 1);
  bucket.sorted = next;
}

/**
 * The state every resource shares: objects, one revision counter, and an event window.
 * @category Testing
 */
export class ObjectStore {
  /** The initial revision: a non-trivial value so that clients treating "0"/"1" specially fail. */
  static readonly INITIAL_RV = 1000;

  #rv = ObjectStore.INITIAL_RV;
  #compactedRv = ObjectStore.INITIAL_RV;
  #history: StoreEvent[] = [];
  #historyStart = 0;
  readonly #historyWindow: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #listeners = new Map<string, Set<(event: StoreEvent) => void>>();

  /** @param historyWindow how many events are kept before the oldest are compacted away. */
  constructor(historyWindow: number) {
    if (!Number.isInteger(historyWindow) || historyWindow < 1) {
      throw new TypeError(`historyWindow must be a positive integer, got ${historyWindow}`);
    }
    this.#historyWindow = historyWindow;
  }

  /** The current global resourceVersion (the revision of the last write). */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** The oldest version from which history is complete: watches and exact reads may start here. */
  get compactedResourceVersion(): number {
    return this.#compactedRv;
  }

  #bucket(gvr: string): Bucket {
    let b = this.#buckets.get(gvr);
    if (b === undefined) {
      b = { objects: new Map(), sorted: undefined, splices: 0 };
      this.#buckets.set(gvr, b);
    }
    return b;
  }

  /** The current object at a key, if any. */
  get(gvr: GroupVersionResource, key: string): StoredObject | undefined {
    return this.#buckets.get(resourceStorageKey(gvr))?.objects.get(key);
  }

  /** How many objects of a resource are stored. */
  count(gvr: GroupVersionResource): number {
    return this.#buckets.get(resourceStorageKey(gvr))?.objects.size ?? 0;
  }

  /**
   * Writes a change under the next revision and tells the resource's subscribers synchronously.
   * `object` is stamped with the new resourceVersion; for DELETED pass the last stored state.
   */
  commit(gvr: GroupVersionResource, key: string, type: StoreEventType, object: UnstructuredObject): StoredObject {
    const gk = resourceStorageKey(gvr);
    const bucket = this.#bucket(gk);
    const prev = bucket.objects.get(key);
    this.#rv += 1;
    const metadata = { ...(object.metadata ?? {}), resourceVersion: String(this.#rv) };
    const stored = deepFreeze({ ...object, metadata }) as StoredObject;
    if (type === 'DELETED') {
      bucket.objects.delete(key);
      updateSorted(bucket, key, false);
    } else {
      if (prev === undefined) updateSorted(bucket, key, true);
      bucket.objects.set(key, stored);
    }
    const event: StoreEvent = { rv: this.#rv, type, gvr: gk, key, object: stored, prev };
    this.#record(event);
    for (const listener of [...(this.#listeners.get(gk) ?? [])]) listener(event);
    return stored;
  }

  #record(event: StoreEvent): void {
    this.#history.push(event);
    while (this.#history.length - this.#historyStart > this.#historyWindow) {
      const evicted = this.#history[this.#historyStart];
      this.#historyStart += 1;
      if (evicted !== undefined) this.#compactedRv = evicted.rv;
    }
    // Drop the evicted prefix now and then, so eviction stays O(1) amortised.
    if (this.#historyStart > 1024 && this.#historyStart * 2 > this.#history.length) {
      this.#history = this.#history.slice(this.#historyStart);
      this.#historyStart = 0;
    }
  }

  /** Forgets all history: any version older than the current one becomes unreadable (410). */
  compact(): void {
    this.#history = [];
    this.#historyStart = 0;
    this.#compactedRv = this.#rv;
  }

  /** Retained events of one resource with rv > `after`, oldest first. Throws CompactedError if gone. */
  eventsAfter(gvr: GroupVersionResource, after: number): StoreEvent[] {
    if (after < this.#compactedRv) throw new CompactedError(after, this.#compactedRv);
    const gk = resourceStorageKey(gvr);
    const out: StoreEvent[] = [];
    for (let i = this.#history.length - 1; i >= this.#historyStart; i--) {
      const e = this.#history[i];
      if (e === undefined || e.rv <= after) break;
      if (e.gvr === gk) out.push(e);
    }
    return out.reverse();
  }

  /** Calls `listener` for every later commit to this resource; returns the unsubscribe function. */
  subscribe(gvr: GroupVersionResource, listener: (event: StoreEvent) => void): () => void {
    const gk = resourceStorageKey(gvr);
    let set = this.#listeners.get(gk);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(gk, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** The current state of a resource, keys sorted. */
  current(gvr: GroupVersionResource): Snapshot {
    const bucket = this.#bucket(resourceStorageKey(gvr));
    if (bucket.sorted === undefined) {
      bucket.sorted = [...bucket.objects.keys()].sort(compareKeys);
      bucket.splices = 0;
    }
    const objects = bucket.objects;
    return { rv: this.#rv, keys: bucket.sorted, get: (key) => objects.get(key) };
  }

  /**
   * The state of a resource as of revision `rv` (rewinding retained history).
   * Throws CompactedError when `rv` is older than the retained window.
   */
  at(gvr: GroupVersionResource, rv: number): Snapshot {
    const later = this.eventsAfter(gvr, rv);
    const now = this.current(gvr);
    if (later.length === 0) return { ...now, rv };
    const overlay = new Map<string, StoredObject | undefined>();
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i];
      if (e !== undefined) overlay.set(e.key, e.prev);
    }
    const keySet = new Set(now.keys);
    for (const [key, obj] of overlay) {
      if (obj === undefined) keySet.delete(key);
      else keySet.add(key);
    }
    const keys = [...keySet].sort(compareKeys);
    return { rv, keys, get: (key) => (overlay.has(key) ? overlay.get(key) : now.get(key)) };
  }
}
