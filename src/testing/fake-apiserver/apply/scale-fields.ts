// Field ownership through the `scale` subresource (the server's ScaleHandler): the parent's
// managedFields seen as a Scale's — who owns the replicas, now owning `.spec.replicas` at autoscaling/v1
// — and the Scale's entries after a write turned back into the parent's.

import type { JsonObject } from '../json.ts';
import { FieldSet } from './field-set.ts';
import { decodeManagedFields, emptyManaged, encodeManagedFields, type Managed } from './managed-fields.ts';
import { fieldElement, type Path } from './path-element.ts';
import type { VersionedSet } from './updater.ts';

const SCALE_API_VERSION = 'autoscaling/v1';
const SCALE_REPLICAS: Path = [fieldElement('spec'), fieldElement('replicas')];

/** Where a kind keeps its replicas, and which of its managers' apiVersions know that path. */
export interface ReplicasMapping {
  /** The parent's apiVersion a scale write is recorded at (`apps/v1`). */
  readonly apiVersion: string;
  /** The replicas path in the parent (`.spec.replicas`, or a CRD's `specReplicasPath`). */
  readonly path: Path;
  /** True for an apiVersion whose objects keep replicas at `path`; entries of others are dropped. */
  readonly knows: (apiVersion: string) => boolean;
}

/** A dotted JSON path (`.spec.replicas`) as a field path. */
export function replicasPath(dotted: string): Path {
  return dotted.replace(/^\./, '').split('.').map(fieldElement);
}

function encoded(managed: Managed): JsonObject[] {
  return encodeManagedFields(managed) ?? [];
}

/**
 * The Scale's managedFields: each parent manager owning the replicas, owning `.spec.replicas` at
 * autoscaling/v1 (its time kept); managers of other fields are left out.
 */
export function toScaleEntries(parentEntries: unknown, mapping: ReplicasMapping): JsonObject[] {
  const parent = decodeManagedFields(parentEntries);
  const out = emptyManaged();
  for (const [id, owned] of parent.fields) {
    if (!mapping.knows(owned.apiVersion) || !owned.set.has(mapping.path)) continue;
    out.fields.set(id, { set: FieldSet.of([SCALE_REPLICAS]), apiVersion: SCALE_API_VERSION, applied: owned.applied });
    out.times.set(id, parent.times.get(id));
  }
  return encoded(out);
}

/**
 * The parent's managedFields after a scale write: a manager that no longer owns the Scale's replicas
 * loses the parent's (and goes when it owned nothing else); one that still does keeps its entry as it
 * was; a new owner of the replicas owns the parent's replicas path at the parent's apiVersion. Times
 * come from the parent's entries only, so a manager new to the object is stored without one, as the
 * server's ScaleHandler does.
 */
export function toParentEntries(parentEntries: unknown, scaleEntries: unknown, mapping: ReplicasMapping): JsonObject[] {
  const parent = decodeManagedFields(parentEntries);
  const scale = decodeManagedFields(scaleEntries);
  const out = emptyManaged();
  const keep = (id: string, owned: VersionedSet): void => {
    out.fields.set(id, owned);
    out.times.set(id, parent.times.get(id));
  };
  for (const [id, owned] of parent.fields) {
    if (!mapping.knows(owned.apiVersion)) continue;
    if (!owned.set.has(mapping.path)) keep(id, owned);
    else if (scale.fields.has(id)) {
      keep(id, owned);
      scale.fields.delete(id);
    } else {
      const rest = owned.set.difference(FieldSet.of([mapping.path]));
      if (!rest.empty()) keep(id, { ...owned, set: rest });
    }
  }
  for (const [id, owned] of scale.fields) {
    if (owned.set.has(SCALE_REPLICAS)) keep(id, { set: FieldSet.of([mapping.path]), apiVersion: mapping.apiVersion, applied: owned.applied });
  }
  return encoded(out);
}
