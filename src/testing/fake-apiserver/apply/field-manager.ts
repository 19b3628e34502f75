// The APIServer's field manager: records managedFields on every write and runs server-side apply,
// with the server's bookkeeping around the Updater (manager identities, times, stripped metadata,
// `before-first-apply`, `ancient-changes`, managedFields sent in the body, conflicts as Status 409).

import { StatusError } from '../../../api/errors.ts';
import type { StatusCause, UnstructuredObject } from '../../../api/types.ts';
import { cloneJson, isJsonObject } from '../json.ts';
import { internalError } from '../status.ts';
import type { MapNode } from '../schema/type-node.ts';
import { FieldSet } from './field-set.ts';
import { decodeManagedFields, emptyManaged, encodeManagedFields, managerIdentifier, parseIdentifier, type Managed } from './managed-fields.ts';
import { MergeError } from './merge.ts';
import { goQuote } from '../go-format.ts';
import { fieldElement, pathString } from './path-element.ts';
import { applyConfiguration, ConflictsError, recordUpdate, type Conflict } from './updater.ts';
import { formatErrors, validate } from './validate.ts';

/** The endpoint a write goes through: its kind and schema, and what it resets. */
export interface FieldManagerScope {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly type: MapNode;
  /** Set for subresource writes (`status`): their managers are recorded with it. */
  readonly subresource?: string;
  /** Drops the paths this endpoint resets from ownership and comparisons. */
  readonly ignore: (set: FieldSet) => FieldSet;
  /** The empty object of the kind (what a create or the first apply starts from). */
  readonly emptyObject: UnstructuredObject;
  /** The current time, RFC 3339 seconds. */
  readonly now: string;
}

/** Managers beyond this many Update entries are merged into `ancient-changes`. */
const MAX_UPDATE_MANAGERS = 10;

const STRIPPED = FieldSet.of(
  [['apiVersion'], ['kind'], ['metadata'], ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['metadata', f])].map((p) =>
    p.map(fieldElement),
  ),
);

function apiVersion(scope: FieldManagerScope): string {
  return scope.group === '' ? scope.version : `${scope.group}/${scope.version}`;
}

function gvkString(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

function withoutManagedFields(obj: UnstructuredObject): UnstructuredObject {
  const metadata = { ...(obj.metadata ?? {}) };
  delete metadata.managedFields;
  return { ...obj, metadata };
}

function withManaged(obj: UnstructuredObject, managed: Managed): UnstructuredObject {
  const out = withoutManagedFields(obj);
  const encoded = encodeManagedFields(managed);
  if (encoded !== undefined) out.metadata = { ...out.metadata, managedFields: encoded };
  return out;
}

/** The decoded entries, or why they cannot be decoded. */
function tryDecode(entries: unknown): { readonly managed: Managed } | { readonly error: string } {
  try {
    return { managed: decodeManagedFields(entries) };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    return { error: err.message };
  }
}

/** Decoded entries; undecodable ones count as none, as the server's decodeLiveOrNew treats them. */
function decodedOrEmpty(entries: unknown): Managed {
  const decoded = tryDecode(entries);
  return 'managed' in decoded ? decoded.managed : emptyManaged();
}

function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isJsonObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

// The managedFields a write starts from: the body's when it sends decodable ones (main resource only).
function decodeLiveOrNew(scope: FieldManagerScope, live: UnstructuredObject, next: UnstructuredObject): Managed {
  if (scope.subresource !== undefined) return decodedOrEmpty(live.metadata?.managedFields);
  const sent: unknown = next.metadata?.managedFields;
  if (isReset(sent)) return emptyManaged();
  const decoded = decodedOrEmpty(sent);
  return decoded.fields.size === 0 ? decodedOrEmpty(live.metadata?.managedFields) : decoded;
}

function strip(managed: Managed, id: string): void {
  const owned = managed.fields.get(id);
  if (owned === undefined) return;
  const set = owned.set.difference(STRIPPED);
  if (set.empty()) managed.fields.delete(id);
  else managed.fields.set(id, { ...owned, set });
}

function typeErrors(scope: FieldManagerScope, obj: UnstructuredObject, strict: boolean): string | undefined {
  const errors = validate(obj, scope.type, { allowDuplicates: !strict, allowUndeclared: !strict });
  return errors.length === 0 ? undefined : formatErrors(errors);
}

// One Update as the server's managers chain runs it: identity, union into the manager's entry, time.
// Both objects must type under the scope's schema (see `typeErrors`).
function update(scope: FieldManagerScope, live: UnstructuredObject, next: UnstructuredObject, managed: Managed, manager: string): Managed {
  const id = managerIdentifier({ manager: manager === '' ? 'unknown' : manager, operation: 'Update', apiVersion: apiVersion(scope), ...(scope.subresource === undefined ? {} : { subresource: scope.subresource }) });
  const current = 'current-operation';
  const fields = recordUpdate(scope, live, next, apiVersion(scope), managed.fields, current);
  const out: Managed = { fields, times: new Map(managed.times) };
  strip(out, current);
  const mine = out.fields.get(current);
  if (mine !== undefined) {
    out.fields.delete(current);
    const previous = out.fields.get(id);
    out.fields.set(id, previous === undefined ? mine : { ...mine, set: mine.set.union(previous.set) });
    out.times.set(id, scope.now);
  }
  capUpdateManagers(out);
  return out;
}

function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.fields].filter(([, owned]) => !owned.applied).map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  const seconds = (id: string): number => Math.floor(Date.parse(managed.times.get(id) ?? '') / 1000) || 0;
  updaters.sort((a, b) => seconds(a) - seconds(b) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const id of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const owned = managed.fields.get(id);
    if (owned === undefined) continue;
    const bucket = managerIdentifier({ manager: 'ancient-changes', operation: 'Update', apiVersion: owned.apiVersion });
    const first = firstOfVersion.get(owned.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(owned.apiVersion, id);
      continue;
    }
    if (!managed.fields.has(bucket)) {
      const moved = managed.fields.get(first);
      managed.fields.delete(first);
      if (moved !== undefined) managed.fields.set(bucket, moved);
    }
    const into = managed.fields.get(bucket);
    managed.fields.set(bucket, { ...owned, set: owned.set.union(into?.set ?? new FieldSet()) });
    managed.fields.delete(id);
    managed.times.set(bucket, managed.times.get(id));
    length--;
  }
}

/**
 * Records a non-apply write (create, PUT, merge/JSON/strategic PATCH) by `manager` and returns `next`
 * carrying the new managedFields. As the server's `UpdateNoErrors`, it never fails the write: when the
 * objects cannot be typed, `next` keeps the live object's managedFields. On a create pass the kind's
 * empty object as `live`. An object without managedFields stays untracked (only creates start tracking).
 */
export function trackUpdate(scope: FieldManagerScope, live: UnstructuredObject, next: UnstructuredObject, manager: string): UnstructuredObject {
  const managed = decodeLiveOrNew(scope, live, next);
  const stripped = withoutManagedFields(next);
  const creating = live.metadata?.uid === undefined || live.metadata.uid === '';
  if (managed.fields.size === 0 && !creating) return stripped;
  if (typeErrors(scope, live, false) !== undefined || typeErrors(scope, stripped, false) !== undefined) {
    const kept = live.metadata?.managedFields;
    return kept === undefined ? stripped : { ...stripped, metadata: { ...stripped.metadata, managedFields: kept } };
  }
  return withManaged(stripped, update(scope, live, stripped, managed, manager));
}

function objectGvknn(patch: UnstructuredObject, scope: FieldManagerScope): string {
  const meta = patch.metadata;
  return `${meta?.namespace ?? ''}/${meta?.name ?? ''}; ${gvkString(scope.group, scope.version, scope.kind)}`;
}

function managerText(id: string): string {
  const identity = parseIdentifier(id);
  let text = goQuote(identity.manager);
  if (identity.subresource !== undefined) text += ` with subresource ${goQuote(identity.subresource)}`;
  if (identity.operation === 'Update') text += ` using ${identity.apiVersion ?? ''}`;
  return text;
}

/** The 409 of an apply that would change fields other managers own. */
export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${managerText(c.manager)}`, field: pathString(c.path) }));
  let message: string;
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) {
    message = `Apply failed with 1 conflict: conflict with ${managerText(only.manager)}: ${pathString(only.path)}`;
  } else {
    const lines: string[] = [];
    for (const manager of [...new Set(conflicts.map((c) => c.manager))].sort()) {
      lines.push(`conflicts with ${managerText(manager)}:`);
      for (const c of conflicts) if (c.manager === manager) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return StatusError.of(409, 'Conflict', message, { causes });
}

function checkApplyKind(scope: FieldManagerScope, patch: UnstructuredObject): void {
  const [group, version] = (patch.apiVersion ?? '').includes('/') ? (patch.apiVersion ?? '').split('/', 2) : ['', patch.apiVersion ?? ''];
  if (group !== scope.group || version !== scope.version || (patch.kind ?? '') !== scope.kind) {
    throw StatusError.of(400, 'BadRequest', `invalid object type: ${gvkString(group ?? '', version ?? '', patch.kind ?? '')}`);
  }
  if (patch.metadata?.managedFields !== undefined && patch.metadata.managedFields !== null) {
    throw StatusError.of(400, 'BadRequest', 'metadata.managedFields must be nil');
  }
}

/**
 * Server-side apply of `patch` by `manager` over `live` (the kind's empty object when creating).
 * Returns the new object with its managedFields; when the apply changes nothing the live object is
 * returned with (possibly new) managedFields. Throws the server's StatusErrors: 400 for a wrong kind
 * or managedFields in the body, 500 for a configuration the schema rejects, 409 for conflicts.
 */
export function applyPatch(scope: FieldManagerScope, live: UnstructuredObject, patch: UnstructuredObject, manager: string, force: boolean): UnstructuredObject {
  checkApplyKind(scope, patch);
  const decoded = tryDecode(live.metadata?.managedFields);
  if ('error' in decoded) throw internalError(`failed to decode managed fields: ${decoded.error}`);
  let managed = decoded.managed;
  const liveObject = withoutManagedFields(live);
  const liveErrors = typeErrors(scope, liveObject, false);
  if (managed.fields.size === 0) {
    if (liveErrors !== undefined) throw internalError(`failed to create manager for existing fields: ${liveErrors}`);
    // Fields set before anyone applied belong to `before-first-apply` (nothing on a create).
    managed = update(scope, scope.emptyObject, liveObject, managed, 'before-first-apply');
  }
  const patchErrors = typeErrors(scope, patch, true);
  if (patchErrors !== undefined) throw internalError(`failed to create typed patch object (${objectGvknn(patch, scope)}): ${patchErrors}`);
  if (liveErrors !== undefined) throw internalError(`failed to create typed live object (${objectGvknn(liveObject, scope)}): ${liveErrors}`);
  const id = managerIdentifier({ manager, operation: 'Apply', ...(scope.subresource === undefined ? {} : { subresource: scope.subresource }) });
  let result: ReturnType<typeof applyConfiguration>;
  try {
    result = applyConfiguration(scope, liveObject, withoutManagedFields(patch), apiVersion(scope), managed.fields, id, force);
  } catch (err) {
    if (err instanceof ConflictsError) throw conflictError(err.conflicts);
    if (err instanceof MergeError) throw internalError(`failed to merge config: ${err.message}`);
    throw err;
  }
  const out: Managed = { fields: result.managers, times: new Map(managed.times) };
  strip(out, id);
  const changed = result.object !== undefined && isJsonObject(result.object);
  if (changed) out.times.set(id, scope.now);
  return withManaged(changed ? (cloneJson(result.object) as UnstructuredObject) : liveObject, out);
}
