// The counters of one working set, as plain numbers.

import type { GroupVersionKind } from '../../api/gvk.ts';
import type { Representation } from '../kinds.ts';

/**
 * One `cacheFullObjects: 'whenRead'` kind's working set: what it holds and what it cost. Counters
 * only grow while the cache runs; removing the kind's informer empties the set but keeps them.
 * @category Observability
 */
export interface WorkingSetStatsEntry {
  readonly gvk: GroupVersionKind;
  /** The representation reads asked for (`structured` or `unstructured`); each has its own set. */
  readonly representation: Representation;
  /** Full objects held now. */
  readonly objects: number;
  /** Their size (the length of their JSON). */
  readonly bytes: number;
  readonly maxObjects: number;
  readonly maxBytes: number;
  /** Objects read (by `get` or within a `list`) that the set held at the metadata cache's version. */
  readonly hits: number;
  /** Objects read that the set did not hold, or held at an older version: each needed the server. */
  readonly misses: number;
  /** Full objects received from the server (by GET, or in a live LIST) and handed to a read or kept. */
  readonly hydrations: number;
  /** Full objects dropped to stay within `maxObjects` / `maxBytes` (least recently read first). */
  readonly evictions: number;
  /** Full objects dropped because the metadata watch reported a newer version, or the object's deletion. */
  readonly invalidations: number;
  /** GET requests sent (reads, list hydration, refreshes). */
  readonly getRequests: number;
  /** LIST requests sent (pages of live lists). */
  readonly listRequests: number;
  /** `onUpdate: 'refresh'` fetches that failed (the next read fetches again). */
  readonly refreshErrors: number;
}
