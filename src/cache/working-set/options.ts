// The working-set options: which kinds keep full objects only for what is read, and how that set is bounded and kept fresh.

import { InvalidCacheOptionsError } from '../errors.ts';

/**
 * Which objects of a kind the cache holds in full.
 *
 * - `'always'`: every object the informer lists and watches (controller-runtime's behaviour).
 * - `'whenRead'`: the informer lists and watches **metadata only** for every object; the cache
 *   keeps the full object only for those `get`/`list` read (the working set, bounded by
 *   {@link WorkingSetOptions}). Reads still return full objects; event handlers receive metadata
 *   objects (read the full one with `cache.get`). The server must allow `get` (and `list` for
 *   large lists) besides `list`/`watch`.
 * @category Cache
 */
export type CacheFullObjects = 'always' | 'whenRead';

/**
 * What a new version of an object in the working set does, as the metadata watch reports it:
 * `'invalidate'` drops the full object and the next read fetches it (one GET per update that is
 * read); `'refresh'` fetches it at once (one GET per update, read or not), so a handler reading it
 * right after the event finds it, or joins the request already under way.
 * @category Cache
 */
export type WorkingSetUpdatePolicy = 'invalidate' | 'refresh';

/**
 * Bounds and freshness of a `cacheFullObjects: 'whenRead'` kind's working set. Every field is optional.
 * @category Cache
 */
export interface WorkingSetOptions {
  /** Full objects kept at most; the least recently read is dropped first. `Infinity`: no bound. @default 1000 */
  readonly maxObjects?: number;
  /**
   * Bytes of full objects kept at most (each counted as the length of its JSON); the least recently
   * read is dropped first, and an object larger than the bound is returned but not kept.
   * @default 67108864 (64 MiB)
   */
  readonly maxBytes?: number;
  /** @default 'invalidate' */
  readonly onUpdate?: WorkingSetUpdatePolicy;
  /** GET requests one kind's list hydrations and refreshes run at once. @default 8 */
  readonly hydrationConcurrency?: number;
  /**
   * A list that misses more full objects than this (in one namespace, or in all for a cluster-wide
   * informer) fetches them with one live LIST carrying its selectors instead of one GET each.
   * `Infinity`: always GETs. @default 16
   */
  readonly liveListAbove?: number;
}

/**
 * {@link WorkingSetOptions} after defaulting.
 * @category Cache
 */
export interface ResolvedWorkingSet {
  readonly maxObjects: number;
  readonly maxBytes: number;
  readonly onUpdate: WorkingSetUpdatePolicy;
  readonly hydrationConcurrency: number;
  readonly liveListAbove: number;
}

/**
 * The defaults of {@link WorkingSetOptions}.
 * @category Cache
 */
export const DEFAULT_WORKING_SET: ResolvedWorkingSet = Object.freeze({
  maxObjects: 1000,
  maxBytes: 64 * 1024 * 1024,
  onUpdate: 'invalidate',
  hydrationConcurrency: 8,
  liveListAbove: 16,
});

const MODES: readonly CacheFullObjects[] = ['always', 'whenRead'];
const POLICIES: readonly WorkingSetUpdatePolicy[] = ['invalidate', 'refresh'];

/** Throws InvalidCacheOptionsError unless `value` is a known {@link CacheFullObjects}. */
export function checkCacheFullObjects(value: CacheFullObjects | undefined, where: string): CacheFullObjects | undefined {
  if (value === undefined || MODES.includes(value)) return value;
  throw new InvalidCacheOptionsError(`${where}: cacheFullObjects must be one of ${MODES.join(', ')}, got ${JSON.stringify(value)}`);
}

function count(value: number | undefined, min: number, name: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (value === Infinity || (Number.isInteger(value) && value >= min)) return value;
  throw new InvalidCacheOptionsError(`${where}: workingSet.${name} must be an integer ≥ ${min} or Infinity, got ${String(value)}`);
}

/**
 * `own` over `inherited`, field by field, validated: counts must be whole and positive (`maxBytes`
 * any positive number), `liveListAbove` may be 0. Throws InvalidCacheOptionsError naming `where`.
 */
export function mergeWorkingSetOptions(
  own: WorkingSetOptions | undefined,
  inherited: WorkingSetOptions | undefined,
  where: string,
): WorkingSetOptions {
  const o = own ?? {};
  if (o.onUpdate !== undefined && !POLICIES.includes(o.onUpdate)) {
    throw new InvalidCacheOptionsError(`${where}: workingSet.onUpdate must be one of ${POLICIES.join(', ')}, got ${JSON.stringify(o.onUpdate)}`);
  }
  if (o.maxBytes !== undefined && !(o.maxBytes > 0)) {
    throw new InvalidCacheOptionsError(`${where}: workingSet.maxBytes must be a positive number or Infinity, got ${String(o.maxBytes)}`);
  }
  const merged: { -readonly [K in keyof WorkingSetOptions]: WorkingSetOptions[K] } = { ...inherited };
  const maxObjects = count(o.maxObjects, 1, 'maxObjects', where);
  const concurrency = count(o.hydrationConcurrency, 1, 'hydrationConcurrency', where);
  const liveListAbove = count(o.liveListAbove, 0, 'liveListAbove', where);
  if (maxObjects !== undefined) merged.maxObjects = maxObjects;
  if (o.maxBytes !== undefined) merged.maxBytes = o.maxBytes;
  if (o.onUpdate !== undefined) merged.onUpdate = o.onUpdate;
  if (concurrency !== undefined) merged.hydrationConcurrency = concurrency;
  if (liveListAbove !== undefined) merged.liveListAbove = liveListAbove;
  return merged;
}

/** Every field of `options`, defaulted. */
export function completeWorkingSet(options: WorkingSetOptions): ResolvedWorkingSet {
  return {
    maxObjects: options.maxObjects ?? DEFAULT_WORKING_SET.maxObjects,
    maxBytes: options.maxBytes ?? DEFAULT_WORKING_SET.maxBytes,
    onUpdate: options.onUpdate ?? DEFAULT_WORKING_SET.onUpdate,
    hydrationConcurrency: options.hydrationConcurrency ?? DEFAULT_WORKING_SET.hydrationConcurrency,
    liveListAbove: options.liveListAbove ?? DEFAULT_WORKING_SET.liveListAbove,
  };
}
