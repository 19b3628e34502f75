// The structured list-watch: JSON decoded through the kind's Scheme registration.

import type { ListerWatcher } from '../../api/lister-watcher.ts';
import type { KubeObject } from '../../api/types.ts';
import { ListWatch } from '../../client/list-watch.ts';
import { objectDecoder, selectorFields, withWatchBookmarks, type ListWatchContext } from './common.ts';

/** Lists and watches a Scheme-registered kind, decoding each object with the registration's `decode`. */
export function structuredListWatch<T extends KubeObject>(context: ListWatchContext): ListerWatcher<T> {
  const lw = new ListWatch<T>({
    transport: context.transport,
    resource: context.resource,
    ...(context.namespace === '' ? {} : { namespace: context.namespace }),
    decode: objectDecoder<T>('structured', context.gvk, context.scheme),
    ...selectorFields(context),
  });
  return withWatchBookmarks(lw, context.enableWatchBookmarks);
}
