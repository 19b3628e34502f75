// LIST: resourceVersion semantics, selectors and limit/continue pagination over a store snapshot.

import type { StatusError } from '../../api/errors.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import type { ResourceType } from './registry.ts';
import type { Selection } from './selectors.ts';
import * as status from './status.ts';
import { CompactedError, lowerBound, type ObjectStore, type Snapshot, type StoredObject } from './store.ts';

/** The list parameters of metav1.ListOptions, as strings from the query. */
export interface ListQuery {
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
  readonly limit?: string;
  readonly continue?: string;
}

/** One page of a list. */
export interface ListResult {
  readonly items: StoredObject[];
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

const TOKEN_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** Parses a resourceVersion parameter: "" and "0" are 0; anything not a decimal is a 400. */
export function parseResourceVersion(value: string | undefined, onError: (message: string) => Error): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value)) {
    throw onError(`strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return Number(value);
}

function validate(q: ListQuery): void {
  const match = q.resourceVersionMatch ?? '';
  const rv = q.resourceVersion ?? '';
  if (match !== '') {
    if (rv === '') {
      throw status.invalidListOptions('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    }
    if ((q.continue ?? '') !== '') {
      throw status.invalidListOptions('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch is forbidden when continue is provided');
    }
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      throw status.invalidListOptions('resourceVersionMatch', 'FieldValueNotSupported', `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    }
    if (match === 'Exact' && rv === '0') {
      throw status.invalidListOptions('resourceVersionMatch', 'FieldValueForbidden', 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
  }
  if ((q.continue ?? '') !== '' && rv !== '' && rv !== '0') {
    throw status.badRequest('specifying resource version is not allowed when using continue');
  }
}

function parseLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw status.badRequest(`invalid limit: ${JSON.stringify(value)}`);
  return n;
}

/**
 * Which state a LIST reads, decided from its options alone as a real APIServer decides it:
 * `current` (rv unset, "0", or "not older than" N; an rv=0 list ignores the limit and is one
 * body), `exact` (rv=N with a limit and no match, or match Exact: the snapshot at N), or
 * `continue` (the snapshot the token pins, -1 = the latest, from the key after `start`).
 */
export type ListReadPlan =
  | { readonly at: 'current'; readonly limit: number }
  | { readonly at: 'exact'; readonly rv: number; readonly limit: number }
  | { readonly at: 'continue'; readonly rv: number; readonly start: string; readonly limit: number };

/**
 * Validates the options of a LIST against a server whose newest version is `currentRv` and
 * says what to read. Throws StatusErrors: 400/422 for bad options, 504 for a future version.
 * Shared by the fake APIServer and the bench server, so both answer by the same rules.
 */
export function planListRead(q: ListQuery, currentRv: number): ListReadPlan {
  validate(q);
  const limit = parseLimit(q.limit);
  if ((q.continue ?? '') !== '') {
    const token = decodeContinue(q.continue ?? '');
    return { at: 'continue', rv: token.rv, start: token.start, limit };
  }
  const rv = parseResourceVersion(q.resourceVersion, (m) => status.badRequest(`invalid resource version: ${m}`));
  // The watch cache serves rv=0 and ignores the limit: the whole collection in one body.
  if (q.resourceVersion === '0') return { at: 'current', limit: 0 };
  if (rv === 0) return { at: 'current', limit };
  if (rv > currentRv) throw status.tooLargeResourceVersion(rv, currentRv);
  const exact = q.resourceVersionMatch === 'Exact' || ((q.resourceVersionMatch ?? '') === '' && limit > 0);
  return exact ? { at: 'exact', rv, limit } : { at: 'current', limit };
}

/** 410 for a continue token whose snapshot is compacted, with a token to go on inconsistently. */
export function continueTooOld(start: string): StatusError {
  const e = status.expired(TOKEN_TOO_OLD);
  e.status.metadata = { continue: encodeContinue({ rv: -1, start }) };
  return e;
}

/** 410 for an Exact list at a compacted version. */
export function listTooOld(): StatusError {
  return status.expired('The resourceVersion for the provided list is too old.');
}

/** The snapshot a request reads and the key to start after (relative to the namespace prefix). */
interface ReadPoint {
  readonly snapshot: Snapshot;
  readonly start: string | undefined;
  readonly limit: number;
}

function snapshotAt(store: ObjectStore, rt: ResourceType, rv: number, tooOld: () => Error): Snapshot {
  try {
    return store.at(rt, rv);
  } catch (err) {
    if (err instanceof CompactedError) throw tooOld();
    throw err;
  }
}

function readPoint(store: ObjectStore, rt: ResourceType, q: ListQuery): ReadPoint {
  const plan = planListRead(q, store.resourceVersion);
  switch (plan.at) {
    case 'current':
      return { snapshot: store.current(rt), start: undefined, limit: plan.limit };
    case 'exact':
      return { snapshot: snapshotAt(store, rt, plan.rv, listTooOld), start: undefined, limit: plan.limit };
    case 'continue':
      if (plan.rv === -1) return { snapshot: store.current(rt), start: plan.start, limit: plan.limit };
      return { snapshot: snapshotAt(store, rt, plan.rv, () => continueTooOld(plan.start)), start: plan.start, limit: plan.limit };
  }
}

/**
 * Lists one page. Items come in storage-key order; every page of one list reports the
 * snapshot version of its first page; `remainingItemCount` only when nothing is filtered.
 * Errors are StatusErrors: 400/422 for bad options, 410 for compacted versions, 504 for future ones.
 */
export function listObjects(
  store: ObjectStore,
  rt: ResourceType,
  namespace: string | undefined,
  selection: Selection,
  q: ListQuery,
): ListResult {
  const { snapshot, start, limit } = readPoint(store, rt, q);
  const prefix = namespace === undefined ? '' : `${namespace}/`;
  const keys = snapshot.keys;
  const end = prefix === '' ? keys.length : lowerBound(keys, `${namespace}0`);
  let i = lowerBound(keys, prefix + (start ?? ''));
  const items: StoredObject[] = [];
  let lastKey: string | undefined;
  for (; i < end; i++) {
    if (limit > 0 && items.length >= limit) break;
    const key = keys[i];
    const obj = key === undefined ? undefined : snapshot.get(key);
    if (key === undefined || obj === undefined) continue;
    lastKey = key;
    if (selection.matches(obj)) items.push(obj);
  }
  const result: { -readonly [K in keyof ListResult]: ListResult[K] } = { items, resourceVersion: String(snapshot.rv) };
  if (i < end && lastKey !== undefined) {
    result.continue = encodeContinue({ rv: snapshot.rv, start: `${lastKey.slice(prefix.length)}\u0000` });
    if (!selection.filtered) result.remainingItemCount = end - i;
  }
  return result;
}
