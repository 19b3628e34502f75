// Event handlers: how a watched kind's events become reconcile requests (controller-runtime's pkg/handler).

import { parseApiVersion, type GroupVersionKind } from '../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { requestOfKey, type Request } from './reconcile.ts';

/**
 * One change a controller observed on a watched kind. A `delete` learned from a relist rather than
 * the watch has `deleteStateUnknown` (its `object` is the last state the cache knew, and is
 * undefined in the rare case even that was unknown); `key` always names the object.
 * @category Controller
 */
export type ControllerEvent<T> =
  | { readonly type: 'create'; readonly object: DeepReadonly<T>; readonly isInInitialList: boolean }
  | { readonly type: 'update'; readonly oldObject: DeepReadonly<T>; readonly object: DeepReadonly<T> }
  | {
      readonly type: 'delete';
      readonly object: DeepReadonly<T> | undefined;
      readonly key: string;
      readonly deleteStateUnknown: boolean;
    };

/**
 * What a handler may ask of its controller.
 * @category Controller
 */
export interface HandlerContext {
  /** Whether a kind is namespaced (`'Namespace'`) or cluster-scoped (`'Root'`): from the Scheme, else the RESTMapper. */
  scopeOf(gvk: GroupVersionKind): Promise<'Namespace' | 'Root'>;
}

/**
 * Maps an event to the requests to reconcile (controller-runtime's `handler.EventHandler`).
 * Requests are deduplicated by the work queue, so returning one twice is harmless.
 * @category Controller
 */
export type EventHandler<T> = (event: ControllerEvent<T>, context: HandlerContext) => readonly Request[] | Promise<readonly Request[]>;

/** The request naming an object itself. */
function requestFor(obj: DeepReadonly<KubeObject>): Request {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

/**
 * Enqueues the object of every event itself (controller-runtime's `EnqueueRequestForObject`),
 * what `Controller.for(kind)` watches with. A delete known only from a relist still names its key.
 * @category Controller
 */
export function enqueueRequestForObject<T extends KubeObject>(): EventHandler<T> {
  return (event) => {
    if (event.type === 'delete') return [requestOfKey(event.key)];
    return [requestFor(event.object)];
  };
}

/**
 * Options of {@link enqueueRequestForOwner}.
 * @category Controller
 */
export interface EnqueueRequestForOwnerOptions {
  /** Only the owner reference marked `controller: true` counts (what `Controller.owns` uses). @default false */
  readonly onlyControllerOwner?: boolean;
}

/**
 * Enqueues the owners of type `ownerKind` of each object (controller-runtime's
 * `EnqueueRequestForOwner`): a reference matches on kind and on the group of its apiVersion (the
 * version is ignored); the request is the owner's name in the object's namespace, or with no
 * namespace when the owner kind is cluster-scoped. An update enqueues the owners of the old and the
 * new object, so a changed owner reference reaches both owners.
 *
 * @example
 * controller.watches(ConfigMaps, enqueueRequestForOwner(Widgets.gvk, { onlyControllerOwner: true }));
 * @category Controller
 */
export function enqueueRequestForOwner<T extends KubeObject>(
  ownerKind: Readonly<GroupVersionKind>,
  options: EnqueueRequestForOwnerOptions = {},
): EventHandler<T> {
  const onlyController = options.onlyControllerOwner ?? false;
  return async (event, context) => {
    const objects = event.type === 'update' ? [event.oldObject, event.object] : [event.object];
    const owned = objects.flatMap((obj) => (obj === undefined ? [] : ownerNames(obj, ownerKind, onlyController).map((name) => ({ obj, name }))));
    if (owned.length === 0) return [];
    const clusterScoped = (await context.scopeOf(ownerKind)) === 'Root';
    return owned.map(({ obj, name }) => ({ namespace: clusterScoped ? '' : (obj.metadata?.namespace ?? ''), name }));
  };
}

function ownerNames(obj: DeepReadonly<KubeObject>, ownerKind: Readonly<GroupVersionKind>, onlyController: boolean): string[] {
  const names: string[] = [];
  for (const ref of obj.metadata?.ownerReferences ?? []) {
    if (onlyController && ref.controller !== true) continue;
    if (ref.kind !== ownerKind.kind || parseApiVersion(ref.apiVersion).group !== ownerKind.group) continue;
    names.push(ref.name);
  }
  return names;
}

/**
 * Enqueues what `map` returns for each object (controller-runtime's `EnqueueRequestsFromMapFunc`):
 * on an update, the union for the old and the new object. `map` may be async (to read the cache).
 *
 * @example
 * // Reconcile every Widget that names this Secret.
 * controller.watches(Secrets, enqueueRequestsFromMapFunc(async (secret) =>
 *   (await cache.list(Widgets, { namespace: secret.metadata?.namespace, fieldSelector: { 'spec.secretName': secret.metadata?.name ?? '' } }))
 *     .map((w) => ({ namespace: w.metadata?.namespace ?? '', name: w.metadata?.name ?? '' }))));
 * @category Controller
 */
export function enqueueRequestsFromMapFunc<T extends KubeObject>(
  map: (obj: DeepReadonly<T>) => readonly Request[] | Promise<readonly Request[]>,
): EventHandler<T> {
  return async (event) => {
    const objects = event.type === 'update' ? [event.oldObject, event.object] : [event.object];
    const requests: Request[] = [];
    for (const obj of objects) if (obj !== undefined) requests.push(...(await map(obj)));
    return requests;
  };
}
