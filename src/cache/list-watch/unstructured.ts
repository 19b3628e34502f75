// The unstructured list-watch: plain JSON objects of any kind, CRDs included.

import type { ListerWatcher } from '../../api/lister-watcher.ts';
import type { UnstructuredObject } from '../../api/types.ts';
import { ListWatch } from '../../client/list-watch.ts';
import { objectDecoder, selectorFields, withWatchBookmarks, type ListWatchContext } from './common.ts';

/** Lists and watches any served kind as plain JSON objects (apiVersion and kind filled in when missing). */
export function unstructuredListWatch(context: ListWatchContext): ListerWatcher<UnstructuredObject> {
  const lw = new ListWatch<UnstructuredObject>({
    transport: context.transport,
    resource: context.resource,
    ...(context.namespace === '' ? {} : { namespace: context.namespace }),
    decode: objectDecoder<UnstructuredObject>('unstructured', context.gvk, context.scheme),
    ...selectorFields(context),
  });
  return withWatchBookmarks(lw, context.enableWatchBookmarks);
}
