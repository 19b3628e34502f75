// The structured list-watch: JSON decoded through the kind's Scheme registration.

import type { KubeObject } from '../../api/types.ts';
import { ListWatch } from '../../client/list-watch.ts';
import { selectorFields, stampKind, withWatchBookmarks, type ListWatchContext } from './common.ts';
import type { ListerWatcher } from '../../api/lister-watcher.ts';

/** Lists and watches a Scheme-registered kind, decoding each object with the registration's `decode`. */
export function structuredListWatch<T extends KubeObject>(context: ListWatchContext): ListerWatcher<T> {
  const registration = context.scheme.require(context.gvk);
  const stamp = stampKind<T>(context.gvk, false);
  const custom = registration.decode as ((raw: unknown) => T) | undefined;
  const decode = custom === undefined ? (raw: unknown) => stamp(raw as T) : (raw: unknown) => stamp(custom(raw));
  const lw = new ListWatch<T>({
    transport: context.transport,
    resource: context.resource,
    ...(context.namespace === '' ? {} : { namespace: context.namespace }),
    decode,
    ...selectorFields(context),
  });
  return withWatchBookmarks(lw, context.enableWatchBookmarks);
}
