// The steps every write goes through between the body and storage, shared by create, update and
// apply: decoding as the kind (write-conversions.ts), managedFields tracking, the name checks of
// PATCH results.

import type { UnstructuredObject } from '../../api/types.ts';
import { trackUpdate, type FieldManagerScope } from './apply/field-manager.ts';
import { managedFieldsCauses } from './apply/managed-fields.ts';
import type { ResourceType } from './registry.ts';
import * as status from './status.ts';
import { decodeForWrite, foldStringData } from './write-conversions.ts';

/** Records managedFields for one write: from the live object (the kind's empty one on a create) to `next`. */
export type Tracker = (live: UnstructuredObject, next: UnstructuredObject) => UnstructuredObject;

/** A tracker recording Updates by `manager` (no tracking without one); `scope` is built on first use. */
export function tracker(scope: () => FieldManagerScope, manager: string | undefined): Tracker {
  if (manager === undefined) return (_live, next) => next;
  return (live, next) => trackUpdate(scope(), live, next, manager);
}

/** `obj` carrying these managedFields (none when undefined). */
export function withManagedFields(obj: UnstructuredObject, managedFields: unknown[] | undefined): UnstructuredObject {
  const metadata = { ...(obj.metadata ?? {}) };
  if (managedFields === undefined) delete metadata.managedFields;
  else metadata.managedFields = managedFields;
  return { ...obj, metadata };
}

/**
 * A write as the server decodes and stores it: re-encoded as its kind (empty optional maps and
 * lists gone), tracked (the managedFields sent are seen as sent; an empty list is stored as none),
 * `stringData` folded, and its managedFields validated (422).
 */
export function decodeWrite(rt: ResourceType, obj: UnstructuredObject, live: UnstructuredObject, track: Tracker): UnstructuredObject {
  const decoded = withManagedFields(decodeForWrite(rt, obj), obj.metadata?.managedFields);
  const tracked = track(live, decoded);
  // managedFields is omitempty: what is left of an emptied list is no list.
  const entries = tracked.metadata?.managedFields;
  const out = foldStringData(rt, Array.isArray(entries) && entries.length === 0 ? withManagedFields(tracked, undefined) : tracked);
  const causes = managedFieldsCauses(out.metadata?.managedFields);
  if (causes.length > 0) throw status.invalid(rt, out.metadata?.name ?? '', causes);
  return out;
}

/** The name and namespace checks a PATCH result passes before it is written (the server's checkName). */
export function checkAppliedName(obj: UnstructuredObject, name: string, namespace: string | undefined): void {
  const objName = obj.metadata?.name ?? '';
  if (objName === '') throw status.badRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (objName !== name) throw status.badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
  const objNamespace = obj.metadata?.namespace ?? '';
  if (namespace !== undefined && objNamespace !== '' && objNamespace !== namespace) {
    throw status.badRequest(`the namespace of the object (${objNamespace}) does not match the namespace on the request (${namespace})`);
  }
}
