// The OpenAPI extensions that carry the merge markers of list-types.ts, read back the way
// structured-merge-diff's schema conversion reads them.

import type { JsonObject } from '../json.ts';
import type { FieldSemantics } from './list-types.ts';
import type { ListNode } from './type-node.ts';

/** The extensions the real documents publish for a field's merge markers (`x-kubernetes-list-type`, …). */
export function markerExtensions(semantics: FieldSemantics | undefined): JsonObject {
  if (semantics === undefined) return {};
  const out: JsonObject = {};
  if (semantics.listType !== undefined) out['x-kubernetes-list-type'] = semantics.listType;
  if (semantics.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...semantics.listMapKeys];
  const mapType = semantics.mapType ?? semantics.structType;
  if (mapType !== undefined) out['x-kubernetes-map-type'] = mapType;
  if (semantics.patchStrategy !== undefined) out['x-kubernetes-patch-strategy'] = semantics.patchStrategy;
  if (semantics.patchMergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = semantics.patchMergeKey;
  return out;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The merge markers a schema's extensions declare (the inverse of {@link markerExtensions}). */
export function markersOf(schema: JsonObject): FieldSemantics {
  const listType = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'];
  const mapType = schema['x-kubernetes-map-type'];
  const patchStrategy = stringOf(schema['x-kubernetes-patch-strategy']);
  const patchMergeKey = stringOf(schema['x-kubernetes-patch-merge-key']);
  return {
    ...(listType === 'atomic' || listType === 'set' || listType === 'map' ? { listType } : {}),
    ...(Array.isArray(keys) ? { listMapKeys: keys.filter((k): k is string => typeof k === 'string') } : {}),
    ...(mapType === 'atomic' || mapType === 'granular' ? { mapType } : {}),
    ...(patchStrategy === undefined ? {} : { patchStrategy }),
    ...(patchMergeKey === undefined ? {} : { patchMergeKey }),
  };
}

/**
 * How server-side apply treats a list, from its markers as kube-openapi converts them: an explicit
 * `listType` wins; otherwise a strategic `merge` with a merge key is a map keyed by it, a `merge`
 * without one a set, and anything else atomic.
 */
export function listSemantics(markers: FieldSemantics): Pick<ListNode, 'relationship' | 'keys'> {
  if (markers.listType === 'atomic') return { relationship: 'atomic', keys: [] };
  if (markers.listType === 'set') return { relationship: 'associative', keys: [] };
  if (markers.listType === 'map') return { relationship: 'associative', keys: markers.listMapKeys ?? [] };
  const merge = markers.patchStrategy?.split(',').includes('merge') === true;
  if (merge && markers.patchMergeKey !== undefined) return { relationship: 'associative', keys: [markers.patchMergeKey] };
  return merge ? { relationship: 'associative', keys: [] } : { relationship: 'atomic', keys: [] };
}
