// The Client's options: construction, and each call's (reads, writes, deletes, patches, apply).

import type { Logger } from '../api/logger.ts';
import type { DeepReadonly, KubeObject, ObjectList } from '../api/types.ts';
import type { TransportOptions } from '../client/transport.ts';
import type { KindRef } from '../cache/kinds.ts';
import type { FieldSelectorInput, LabelSelectorInput } from '../cache/options.ts';
import type { Reader } from '../cache/interfaces.ts';
import type { Scheme } from '../cache/scheme.ts';
import type { Preconditions } from '../client/rest-client.ts';
import type { ClientPatchType } from './patch.ts';

/**
 * Options of `new Client(kubeConfig, options)`.
 * @category Client
 */
export interface ClientOptions {
  /**
   * Serve `get` and `list` from this reader (controller-runtime's delegating client); without one
   * every read goes to the server. A `Cache` for the same cluster and user as the KubeConfig also
   * lends the client its transport, RESTMapper and Scheme, so nothing is connected or discovered
   * twice. Any other `Reader` (e.g. `FakeInformers`) only serves reads.
   * @default none: reads are live
   */
  readonly cache?: Reader;
  /** Kinds whose reads always go to the server although a cache is set (controller-runtime's `DisableFor`). */
  readonly disableFor?: readonly KindRef[];
  /**
   * HTTP limits of the client's own transport. Setting them gives the client its own transport
   * even when it could share the cache's (the RESTMapper is still shared).
   * @default the cache's transport when shared, else TransportOptions' defaults
   */
  readonly transport?: TransportOptions;
  /** Decoding of structured kinds on live reads and write answers. @default the cache's Scheme, else `defaultScheme` */
  readonly scheme?: Scheme;
  /**
   * The field manager of every write that names none (controller-runtime's `WithFieldOwner`):
   * recorded in `managedFields` by create, update and patch, and required by `apply`.
   * @default none: the server names Update managers after the user agent; apply then needs `fieldManager`
   */
  readonly fieldOwner?: string;
  /** Each request's outcome at debug level (verb, kind, namespace, name, code), never a body or credentials. @default silent */
  readonly logger?: Logger;
}

/**
 * What every Client call takes.
 * @category Client
 */
export interface CallOptions {
  /** Aborting ends the request; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link Client.get}.
 * @category Client
 */
export interface ClientGetOptions extends CallOptions {
  /**
   * Read from the server instead of the cache (controller-runtime's APIReader), e.g. right before a
   * write that must not race the cache. Always true without a cache.
   * @default false when the client has a cache
   */
  readonly live?: boolean;
  /** A cached read returns a mutable deep copy instead of the frozen stored object. @default the cache's setting */
  readonly deepCopy?: boolean;
}

/**
 * Options of {@link Client.list}.
 * @category Client
 */
export interface ClientListOptions extends ClientGetOptions {
  /** Only this namespace's objects. @default all namespaces */
  readonly namespace?: string;
  /** Label selector: string syntax, an equality map, or a parsed `LabelSelector`. */
  readonly labelSelector?: LabelSelectorInput;
  /**
   * Field selector. Live: any field the server supports for the kind. Cached: exact matches on
   * `indexField` fields and metadata.name / metadata.namespace.
   */
  readonly fieldSelector?: FieldSelectorInput;
  /** At most this many items; live, a page size (follow `metadata.continue`). */
  readonly limit?: number;
  /** Live only: the previous page's `metadata.continue`. The cache rejects it (ContinueNotSupportedError). */
  readonly continue?: string;
  /** Live only: "" (or absent) the latest state, "0" any, else a version; see `resourceVersionMatch`. */
  readonly resourceVersion?: string;
  /** Live only: how `resourceVersion` applies. */
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

/**
 * A read's result: mutable for live reads and `deepCopy: true`, otherwise the frozen cached object's type.
 * @category Client
 */
export type ClientReadResult<T, O> = O extends { readonly live: true } ? T : O extends { readonly deepCopy: true } ? T : DeepReadonly<T>;

/**
 * A list answer, as controller-runtime's `*List` objects: `items` and the list `metadata`. A live
 * list carries the server's `resourceVersion` (a point to start a watch from) and, when paged,
 * `continue` and `remainingItemCount`. A cached list has none of these (`metadata: {}`): it is
 * one complete answer from memory, and the informers' versions are not a consistent snapshot of it.
 * @category Client
 */
export type ClientList<T> = ObjectList<T>;

/**
 * Options of writes: create, update.
 * @category Client
 */
export interface WriteCallOptions extends CallOptions {
  /** The server validates and answers, but stores nothing (`dryRun=All`). @default false */
  readonly dryRun?: boolean;
  /** The field manager recorded in `managedFields`. @default the client's `fieldOwner` */
  readonly fieldManager?: string;
}

/**
 * Options of {@link Client.create}.
 * @category Client
 */
export type CreateOptions = WriteCallOptions;

/**
 * Options of {@link Client.update}.
 * @category Client
 */
export type UpdateOptions = WriteCallOptions;

/**
 * Options of {@link Client.patch}.
 * @category Client
 */
export interface ClientPatchOptions extends WriteCallOptions {
  /** The format of a bare patch body; a `Patch` carries its own (they must agree). @default 'merge' */
  readonly type?: ClientPatchType;
}

/**
 * Options of {@link Client.apply}: server-side apply.
 * @category Client
 */
export interface ApplyOptions extends CallOptions {
  /** The applier's name, which owns the fields the configuration sets. @default the client's `fieldOwner` (one is required) */
  readonly fieldManager?: string;
  /**
   * Take ownership of fields other managers own instead of failing with 409 Conflict (whose
   * `status.details.causes` name each field and its manager). @default false
   */
  readonly force?: boolean;
  /** @default false */
  readonly dryRun?: boolean;
}

/**
 * Options of {@link Client.delete}.
 * @category Client
 */
export interface ClientDeleteOptions extends CallOptions {
  /** Whether and how dependents are garbage-collected. @default the kind's default policy */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Seconds before the object goes; 0 deletes at once. @default the kind's default */
  readonly gracePeriodSeconds?: number;
  /** Delete only if the stored object still has this uid and/or resourceVersion (409 Conflict otherwise). */
  readonly preconditions?: Preconditions;
  /** @default false */
  readonly dryRun?: boolean;
}

/**
 * Options of {@link Client.deleteAllOf}: which objects (namespace required for namespaced kinds), and how.
 * @category Client
 */
export interface DeleteAllOfOptions extends Omit<ClientDeleteOptions, 'preconditions'> {
  /** The namespace to delete in; required for namespaced kinds (the API has no all-namespaces deletecollection). */
  readonly namespace?: string;
  /** Only objects with these labels. @default all */
  readonly labelSelector?: LabelSelectorInput;
  /** Only objects with these field values (fields the server supports for the kind). @default all */
  readonly fieldSelector?: FieldSelectorInput;
}

/**
 * The deep partial of a type, as apply configurations are: any subset of the fields, at any depth.
 * @category Client
 */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? readonly DeepPartial<E>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * A server-side apply configuration: the fields this manager wants set, and nothing else.
 * `metadata.name` is required (and `metadata.namespace` for namespaced kinds); `apiVersion` and
 * `kind` are filled in from the kind handle when absent.
 * @category Client
 */
export type ApplyConfiguration<T extends KubeObject> = DeepPartial<T>;
