// Store keys of metadata objects, as the informers key them: "namespace/name", or "name".

import type { DeepReadonly } from '../../api/types.ts';
import type { DeletedFinalStateUnknown } from '../../informer/deleted-final-state-unknown.ts';
import { isDeletedFinalStateUnknown } from '../../informer/deleted-final-state-unknown.ts';
import type { ObjectKeyInput } from '../cache-reader.ts';
import type { MetadataObject } from '../kinds.ts';

/** The informer store key of an object: "namespace/name", or "name" without a namespace. */
export function storeKey(obj: DeepReadonly<MetadataObject>): string {
  const ns = obj.metadata.namespace ?? '';
  return ns === '' ? (obj.metadata.name ?? '') : `${ns}/${obj.metadata.name ?? ''}`;
}

/** The key a delete notification names, tombstones included. */
export function deletedKey(obj: DeepReadonly<MetadataObject> | DeletedFinalStateUnknown<MetadataObject>): string {
  return isDeletedFinalStateUnknown(obj) ? obj.key : storeKey(obj);
}

/** A store key as a read names it. Names never contain "/", so the first one ends the namespace. */
export function splitKey(key: string): ObjectKeyInput {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
