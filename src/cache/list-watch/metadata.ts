// The metadata-only list-watch: the server sends PartialObjectMetadata; the cache stamps the real kind.

import type { ListerWatcher } from '../../api/lister-watcher.ts';
import { ListWatch } from '../../client/list-watch.ts';
import type { MetadataObject } from '../kinds.ts';
import { objectDecoder, selectorFields, withWatchBookmarks, type ListWatchContext } from './common.ts';

/**
 * Lists and watches a kind as metadata only (the server strips spec and status). Every object's
 * apiVersion and kind are overwritten with the watched kind's, as controller-runtime's GVK fix-up
 * does, since the server labels them `meta.k8s.io/v1 PartialObjectMetadata`.
 */
export function metadataListWatch(context: ListWatchContext): ListerWatcher<MetadataObject> {
  const lw = new ListWatch<MetadataObject>({
    transport: context.transport,
    resource: context.resource,
    ...(context.namespace === '' ? {} : { namespace: context.namespace }),
    metadataOnly: true,
    decode: objectDecoder<MetadataObject>('metadata', context.gvk, context.scheme),
    ...selectorFields(context),
  });
  return withWatchBookmarks(lw, context.enableWatchBookmarks);
}
