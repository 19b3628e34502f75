// What the three list-watch flavours share: their inputs, kind stamping, and the bookmark setting.

import { apiVersionOf, type GroupVersionKind, type GroupVersionResource } from '../../api/gvk.ts';
import type { ListerWatcher } from '../../api/lister-watcher.ts';
import type { KubeObject } from '../../api/types.ts';
import type { Transport } from '../../client/transport.ts';
import type { Representation } from '../kinds.ts';
import type { Scheme } from '../scheme.ts';

/** Everything a list-watch factory needs to build the ListerWatcher of one informer. */
export interface ListWatchContext {
  readonly transport: Transport;
  readonly gvk: GroupVersionKind;
  readonly resource: GroupVersionResource;
  /** "" lists and watches across all namespaces (and is the only value for cluster-scoped kinds). */
  readonly namespace: string;
  /** Server-side selectors; "" selects everything. */
  readonly labelSelector: string;
  readonly fieldSelector: string;
  readonly enableWatchBookmarks: boolean;
  readonly scheme: Scheme;
}

/** Builds the ListerWatcher of one representation; the only thing the three informer maps differ in. */
export type ListWatchFactory<T extends KubeObject> = (context: ListWatchContext) => ListerWatcher<T>;

/**
 * Sets apiVersion and kind on a freshly decoded object. Servers omit them on list items of
 * built-in kinds; stamping them keeps every cached object self-describing. Unless `force`, an
 * object that names another kind throws a TypeError (as client-go's reflector rejects an event of
 * an unexpected GVK), so a confused server or proxy cannot put a Secret into a ConfigMap cache;
 * the watch fails with WatchDecodeError `DecodeFailed`, a list with ListError, and both retry.
 */
export function stampKind<T extends KubeObject>(gvk: GroupVersionKind, force: boolean): (obj: T) => T {
  const apiVersion = apiVersionOf(gvk);
  return (obj) => {
    if (!force && obj.kind !== undefined && obj.kind !== gvk.kind) {
      throw new TypeError(`expected an object of kind ${gvk.kind}, got kind ${JSON.stringify(obj.kind)}`);
    }
    if (force || obj.apiVersion === undefined) obj.apiVersion = apiVersion;
    if (force || obj.kind === undefined) obj.kind = gvk.kind;
    return obj;
  };
}

/**
 * How one representation turns a freshly parsed wire object into what reads hand out: structured
 * kinds through their Scheme registration's `decode` (the kind must be registered, else
 * KindNotRegisteredError), then kind stamping; metadata-only objects get the real kind forced
 * over `PartialObjectMetadata`. The informers and the Client's live reads share it.
 */
export function objectDecoder<T extends KubeObject>(representation: Representation, gvk: GroupVersionKind, scheme: Scheme): (raw: unknown) => T {
  switch (representation) {
    case 'structured': {
      const custom = scheme.require(gvk).decode as ((raw: unknown) => T) | undefined;
      const stamp = stampKind<T>(gvk, false);
      return custom === undefined ? (raw) => stamp(raw as T) : (raw) => stamp(custom(raw));
    }
    case 'unstructured': {
      const stamp = stampKind<T>(gvk, false);
      return (raw) => stamp(raw as T);
    }
    case 'metadata': {
      const stamp = stampKind<T>(gvk, true);
      return (raw) => stamp(raw as T);
    }
  }
}

/**
 * Forces the cache's bookmark setting on every watch, as controller-runtime's outer ListWatch
 * does; a watch-list keeps bookmarks, since its initial-events-end marker is one.
 */
export function withWatchBookmarks<T>(lw: ListerWatcher<T>, enabled: boolean): ListerWatcher<T> {
  return {
    list: (options) => lw.list(options),
    watch: (options) =>
      lw.watch({ ...options, allowWatchBookmarks: enabled || options.sendInitialEvents === true }),
  };
}

/** The selector fields of ListWatch's constructor, omitting empty ones. */
export function selectorFields(context: ListWatchContext): { labelSelector?: string; fieldSelector?: string } {
  const out: { labelSelector?: string; fieldSelector?: string } = {};
  if (context.labelSelector !== '') out.labelSelector = context.labelSelector;
  if (context.fieldSelector !== '') out.fieldSelector = context.fieldSelector;
  return out;
}
