// Client: controller-runtime's client.Client over kind handles — reads from the Cache (or live), writes to the APIServer.

import type { KubeConfig } from '@kubernetes/client-node';
import { apiVersionOf, gvkKey } from '../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../api/types.ts';
import { RestClient } from '../client/rest-client.ts';
import { RESTMapper } from '../client/rest-mapper.ts';
import { Transport } from '../client/transport.ts';
import { Cache } from '../cache/cache.ts';
import type { ObjectKeyInput } from '../cache/cache-reader.ts';
import type { Reader } from '../cache/interfaces.ts';
import type { KindRef } from '../cache/kinds.ts';
import { defaultScheme } from '../cache/scheme.ts';
import { KindRequests } from './kind-requests.ts';
import type {
  ApplyConfiguration,
  ApplyOptions,
  CallOptions,
  ClientDeleteOptions,
  ClientGetOptions,
  ClientList,
  ClientListOptions,
  ClientPatchOptions,
  ClientOptions,
  ClientReadResult,
  CreateOptions,
  DeleteAllOfOptions,
  UpdateOptions,
} from './options.ts';
import type { Patch } from './patch.ts';
import { StatusWriter, SubResourceClient, type KnownSubResources } from './subresource-client.ts';

/**
 * controller-runtime's `client.Client` for kind handles: `get` and `list` served by a Cache (the
 * delegating client) or by the server (`{ live: true }`, or always without a cache: the
 * APIReader); `create`, `update`, `patch`, `apply`, `delete` and `deleteAllOf` sent to the server;
 * the `status` and other subresources. Structured, unstructured and metadata-only handles work as
 * in the Cache, and every write accepts the frozen objects the Cache hands out, so a cached object
 * goes back without a cast (edit a {@link mutable} copy first).
 *
 * Writes resolve with the server's answer, a new mutable object (the argument is never changed).
 * Failures reject with the server's StatusError (`isNotFound`, `isConflict`, `isAlreadyExists`,
 * `isInvalid` with `status.details.causes`, `isForbidden`…), the transport's errors (timeouts,
 * connection failures: credentials never appear in either), or a {@link ClientError} for a call
 * that could not be sent. Every call takes an AbortSignal and is bounded by the transport's
 * request timeout.
 *
 * @example
 * const cache = new Cache(kc);
 * const client = new Client(kc, { cache, fieldOwner: 'my-operator' }); // shares the cache's connections and discovery
 * const cm = mutable(await client.get(ConfigMaps, { namespace: 'default', name: 'settings' }));
 * cm.data = { ...cm.data, mode: 'fast' };
 * await retryOnConflict(() => client.update(ConfigMaps, cm));
 * @category Client
 */
export class Client {
  readonly #requests: KindRequests;
  readonly #cache: Reader | undefined;
  readonly #uncached: ReadonlySet<string>;
  readonly #ownTransport: Transport | undefined;

  /**
   * A client for `kubeConfig`'s current context. Nothing is requested until used. Throws
   * TransportConfigError when the KubeConfig has no usable cluster and no transport is shared.
   */
  constructor(kubeConfig: KubeConfig, options: ClientOptions = {}) {
    const cache = options.cache;
    const lent = cache instanceof Cache ? cache.connection() : undefined;
    const sameContext = lent !== undefined && lent.transport.servesContextOf(kubeConfig);
    const transport = sameContext && options.transport === undefined ? lent.transport : Transport.fromKubeConfig(kubeConfig, options.transport);
    this.#ownTransport = sameContext && transport === lent.transport ? undefined : transport;
    this.#requests = new KindRequests({
      rest: new RestClient(transport),
      mapper: sameContext ? lent.mapper : new RESTMapper(transport),
      scheme: options.scheme ?? lent?.scheme ?? defaultScheme,
      fieldOwner: options.fieldOwner,
      logger: options.logger,
    });
    this.#cache = cache;
    this.#uncached = new Set((options.disableFor ?? []).map((kind) => gvkKey(kind.gvk)));
  }

  /**
   * The object `key` names. From the cache (frozen unless `deepCopy: true`; the cache's rules:
   * an informer is started on first use) unless `live: true`, the kind is in `disableFor`, or the
   * client has no cache; then from the server (a fresh object). Rejects with a 404 StatusError
   * when absent.
   */
  get<T extends KubeObject, O extends ClientGetOptions = ClientGetOptions>(
    kind: KindRef<T>,
    key: ObjectKeyInput,
    options?: O,
  ): Promise<ClientReadResult<T, O>> {
    const o: ClientGetOptions = options ?? {};
    const cache = this.#cacheFor(kind, o);
    if (cache !== undefined) {
      const read = cache.get(kind, key, { ...(o.deepCopy === undefined ? {} : { deepCopy: o.deepCopy }), ...signalOf(o) });
      return read as Promise<ClientReadResult<T, O>>;
    }
    return this.#requests.get<ClientReadResult<T, O>>(kind, key, o.signal);
  }

  /**
   * The objects matching `options` with the list's metadata (see {@link ClientList}). From the
   * cache, in no particular order, unless live (as for `get`); live, one request: with `limit`,
   * one page whose `metadata.continue` names the next.
   */
  async list<T extends KubeObject, O extends ClientListOptions = ClientListOptions>(
    kind: KindRef<T>,
    options?: O,
  ): Promise<ClientList<ClientReadResult<T, O>>> {
    const o: ClientListOptions = options ?? {};
    const cache = this.#cacheFor(kind, o);
    if (cache === undefined) return (await this.#requests.list(kind, o)) as ClientList<ClientReadResult<T, O>>;
    if (o.resourceVersion !== undefined || o.resourceVersionMatch !== undefined) {
      throw new TypeError('list: resourceVersion and resourceVersionMatch apply to live lists only; pass { live: true }');
    }
    const items = await cache.list(kind, o);
    const list = { apiVersion: apiVersionOf(kind.gvk), kind: `${kind.gvk.kind}List`, metadata: {}, items };
    return list as ClientList<ClientReadResult<T, O>>;
  }

  /**
   * Creates `obj` (POST); `metadata.name` or `generateName` names it, `metadata.namespace` places
   * it (required for namespaced kinds). Resolves with the stored object (uid, resourceVersion…).
   * Rejects 409 AlreadyExists when the name is taken; metadata-only kinds reject with
   * MetadataOnlyWriteError.
   */
  create<T extends KubeObject>(kind: KindRef<T>, obj: NoInfer<DeepReadonly<T>>, options: CreateOptions = {}): Promise<T> {
    return this.#requests.create(kind, obj, options);
  }

  /**
   * Replaces the object with `obj` (PUT), which must carry the resourceVersion it was read at: a
   * stale one rejects with 409 Conflict (see {@link retryOnConflict}). `status` is not written
   * through the main resource for kinds with a status subresource: use `status().update`.
   */
  update<T extends KubeObject>(kind: KindRef<T>, obj: NoInfer<DeepReadonly<T>>, options: UpdateOptions = {}): Promise<T> {
    return this.#requests.update<T>(kind, obj, options);
  }

  /**
   * Patches the object `target` names (a key, or an object whose metadata names it) with a
   * {@link Patch} (e.g. `mergeFrom(original, modified)`) or a bare body of `options.type`
   * (`merge` by default; `json` takes an operation list; `strategic` is refused by custom
   * resources with 415). Only the fields the patch mentions change.
   */
  patch<T extends KubeObject>(
    kind: KindRef<T>,
    target: ObjectKeyInput | NoInfer<DeepReadonly<T>>,
    patch: Patch | object,
    options: ClientPatchOptions = {},
  ): Promise<T> {
    return this.#requests.patch<T>(kind, target, patch, options);
  }

  /**
   * Server-side apply (`application/apply-patch+yaml` carrying JSON): declares the fields `config`
   * sets as owned by `fieldManager` (or the client's `fieldOwner`), creating the object when
   * absent. Fields this manager applied before and now leaves out are removed unless another
   * manager owns them; changing a field another manager owns rejects with 409 Conflict naming each
   * field (`status.details.causes`) unless `force: true` takes it over.
   */
  apply<T extends KubeObject>(kind: KindRef<T>, config: NoInfer<ApplyConfiguration<T>>, options: ApplyOptions = {}): Promise<T> {
    return this.#requests.apply<T>(kind, config, options);
  }

  /**
   * Deletes the object `target` names. Objects with finalizers are only marked (deletionTimestamp)
   * until their finalizers are removed. `preconditions` make it conditional: a uid or
   * resourceVersion that no longer matches rejects with 409 Conflict. A missing object rejects
   * with 404 (see `ignoreNotFound`).
   */
  delete<T extends KubeObject>(kind: KindRef<T>, target: ObjectKeyInput | NoInfer<DeepReadonly<T>>, options: ClientDeleteOptions = {}): Promise<void> {
    return this.#requests.delete(kind, target, options);
  }

  /** Deletes every object of `kind` in `options.namespace` that the selectors match (deletecollection). */
  deleteAllOf(kind: KindRef, options: DeleteAllOfOptions = {}): Promise<void> {
    return this.#requests.deleteAllOf(kind, options);
  }

  /** Writes to the `status` subresource: what controllers report, leaving spec untouched. */
  status(): StatusWriter {
    return new StatusWriter(this.#requests);
  }

  /**
   * A client for one subresource (controller-runtime's `SubResource`): `scale` (get, update,
   * patch), `eviction` (create, for pods), `status`, or any other the server serves.
   */
  subResource<N extends string>(name: N): SubResourceClient<N extends keyof KnownSubResources ? KnownSubResources[N] : KubeObject> {
    return new SubResourceClient(this.#requests, name);
  }

  /** True when objects of `kind` live in namespaces (from the RESTMapper; `signal` stops waiting for discovery). */
  isNamespaced(kind: KindRef, options: CallOptions = {}): Promise<boolean> {
    return this.#requests.isNamespaced(kind, options.signal);
  }

  /** Closes the client's own idle connections; a client sharing a cache's transport leaves them to the cache. */
  close(): void {
    this.#ownTransport?.close();
  }

  // The reader serving this call, or undefined when it goes to the server.
  #cacheFor(kind: KindRef, options: ClientGetOptions): Reader | undefined {
    return options.live === true || this.#uncached.has(gvkKey(kind.gvk)) ? undefined : this.#cache;
  }
}

function signalOf(options: { readonly signal?: AbortSignal }): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}
