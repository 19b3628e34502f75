// PartialObjectMetadata conversion: what metadata-only clients receive instead of full objects.

import type { KubeObject, ListMeta, ObjectMeta } from '../../api/types.ts';

/** A PartialObjectMetadata of either meta.k8s.io version. */
export interface PartialMetadata {
  readonly kind: 'PartialObjectMetadata';
  readonly apiVersion: string;
  readonly metadata: ObjectMeta;
}

/** A PartialObjectMetadataList. */
export interface PartialMetadataList {
  readonly kind: 'PartialObjectMetadataList';
  readonly apiVersion: string;
  readonly metadata: ListMeta;
  readonly items: PartialMetadata[];
}

/** The object's full metadata under PartialObjectMetadata's type. */
export function toPartialMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): PartialMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} };
}

/** A list's items as PartialObjectMetadata, keeping the list metadata (version, continue). */
export function toPartialMetadataList(
  items: readonly KubeObject[],
  listMeta: ListMeta,
  version: 'v1' | 'v1beta1' = 'v1',
): PartialMetadataList {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    items: items.map((o) => toPartialMetadata(o, version)),
  };
}
