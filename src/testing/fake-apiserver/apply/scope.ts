// The field-manager scope of a write: the kind's typed schema (schema/typed-schema.ts), its empty
// object, and the fields the endpoint resets (status through the main resource, all but status
// through `/status`).

import type { UnstructuredObject } from '../../../api/types.ts';
import { apiVersionOf, type ResourceType } from '../registry.ts';
import { modelOfKind } from '../schema/models.ts';
import { typedSchemaOf } from '../schema/typed-schema.ts';
import { zeroObject } from '../schema/zero-values.ts';
import { FieldSet } from './field-set.ts';
import type { FieldManagerScope } from './field-manager.ts';
import { fieldElement } from './path-element.ts';

const STATUS = fieldElement('status');
const STATUS_SET = FieldSet.of([[STATUS]]);

/** How a kind's writes reset fields (structured-merge-diff's reset-field filter). */
function resetFilter(rt: ResourceType, subresource: string | undefined): (set: FieldSet) => FieldSet {
  if (subresource === 'status') return (set) => set.restrictTo([STATUS.id]);
  if (rt.statusSubresource) return (set) => set.recursiveDifference(STATUS_SET);
  return (set) => set;
}

/** The empty object of a kind: the Go zero value of a built-in, only type fields for others. */
export function emptyObjectOf(rt: ResourceType): UnstructuredObject {
  const model = rt.custom ? undefined : modelOfKind(rt.group, rt.version, rt.kind);
  const zero = model === undefined ? {} : zeroObject(model);
  return { ...zero, apiVersion: apiVersionOf(rt), kind: rt.kind };
}

/** The scope of one write through `rt` (and `subresource`) at time `now`. */
export function fieldManagerScope(rt: ResourceType, subresource: string | undefined, now: string): FieldManagerScope {
  return {
    group: rt.group,
    version: rt.version,
    kind: rt.kind,
    type: typedSchemaOf(rt),
    ...(subresource === undefined ? {} : { subresource }),
    ignore: resetFilter(rt, subresource),
    emptyObject: emptyObjectOf(rt),
    now,
  };
}
