// RestClient: get, list, create, update, patch and delete objects (and their subresources) over a Transport.

import type { ListOptions } from '../api/lister-watcher.ts';
import type { KeyedObject } from '../api/object-key.ts';
import type { KubeObject, ListMeta, ObjectList } from '../api/types.ts';
import type { GroupVersionResource } from './gvk.ts';
import { requestList } from './list-watch.ts';
import { listQuery, resourcePath } from './paths.ts';
import type { HttpMethod, Transport } from './transport.ts';

/**
 * Options every RestClient call takes.
 * @category Client
 */
export interface RestCallOptions {
  /** The object's namespace; omit for cluster-scoped resources. */
  readonly namespace?: string | undefined;
  /** Aborting ends the request; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** The Accept header, e.g. `METADATA_ACCEPT` for PartialObjectMetadata. @default 'application/json' */
  readonly accept?: string | undefined;
}

/**
 * Options of calls that may address a subresource (`status`, `scale`, `eviction`…).
 * @category Client
 */
export interface SubresourceCallOptions extends RestCallOptions {
  /** The subresource after the object's name; absent: the object itself. */
  readonly subresource?: string | undefined;
}

/**
 * Options of {@link RestClient.getObject}.
 * @category Client
 */
export interface GetObjectOptions extends SubresourceCallOptions {
  /**
   * `""` (or absent): the latest state, a consistent read from etcd; `"0"`: any state the server
   * has cached; a version: not older than it (served from the watch cache; a version the server
   * has not reached yet answers 504 after a wait).
   */
  readonly resourceVersion?: string | undefined;
}

/**
 * Options of writes: create, update and patch.
 * @category Client
 */
export interface WriteOptions extends SubresourceCallOptions {
  /** Sends `dryRun=All`: the server validates and answers, but stores nothing. */
  readonly dryRun?: boolean | undefined;
  /** The field manager recorded in `managedFields` (required by server-side apply). */
  readonly fieldManager?: string | undefined;
}

/**
 * The patch formats the API accepts, by their content types.
 * @category Client
 */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const patchContentTypes: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/**
 * Options of {@link RestClient.patchObject}.
 * @category Client
 */
export interface PatchOptions extends WriteOptions {
  /** @default 'merge' */
  readonly patchType?: PatchType | undefined;
  /** Server-side apply only: take over fields other managers own instead of answering 409. */
  readonly force?: boolean | undefined;
}

/**
 * metav1.Preconditions: the delete happens only if the stored object still matches (409 otherwise).
 * @category Client
 */
export interface Preconditions {
  /** The uid the object must still have (a re-created object of the same name has another). */
  readonly uid?: string | undefined;
  /** The resourceVersion the object must still be at. */
  readonly resourceVersion?: string | undefined;
}

/**
 * The metav1.DeleteOptions fields a delete sends.
 * @category Client
 */
export interface DeleteBodyOptions {
  /** Whether and how dependents are garbage-collected. @default the kind's default policy */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' | undefined;
  /** Seconds before the object is deleted; 0 deletes at once. @default the kind's default */
  readonly gracePeriodSeconds?: number | undefined;
  /** Sends `dryRun=All`: nothing is deleted. */
  readonly dryRun?: boolean | undefined;
}

/**
 * Options of {@link RestClient.deleteObject}.
 * @category Client
 */
export interface DeleteOptions extends RestCallOptions, DeleteBodyOptions {
  /** Delete only while the stored object matches these; otherwise 409 Conflict. */
  readonly preconditions?: Preconditions | undefined;
}

/**
 * Options of {@link RestClient.listObjects}: one LIST request (one page when `limit` is set).
 * @category Client
 */
export interface ListObjectsOptions extends RestCallOptions, Omit<ListOptions, 'signal' | 'timeoutSeconds'> {}

/**
 * Options of {@link RestClient.deleteCollection}.
 * @category Client
 */
export interface DeleteCollectionOptions extends RestCallOptions, DeleteBodyOptions, Pick<ListOptions, 'labelSelector' | 'fieldSelector'> {}

/**
 * A small client for objects of one resource at a time, under the Cache's and the Client's
 * writes: every method is one request. Each rejects with a StatusError on a non-2xx answer
 * (`isNotFound`, `isConflict`...), with the transport's errors (timeouts, connection failures)
 * otherwise; credentials never appear in either.
 *
 * @example
 * const rest = new RestClient(transport);
 * const cm = { gvr: { group: '', version: 'v1', resource: 'configmaps' } };
 * await rest.createObject(cm.gvr, { metadata: { name: 'a' }, data: {} }, { namespace: 'default' });
 * @category Client
 */
export class RestClient {
  readonly #transport: Transport;

  /** A client sending its requests through `transport`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** GET one object (or one of its subresources, such as `scale`). */
  async getObject<T = KubeObject>(gvr: GroupVersionResource, name: string, options: GetObjectOptions = {}): Promise<T> {
    const rv = options.resourceVersion;
    const query = rv === undefined || rv === '' ? '' : `?${new URLSearchParams({ resourceVersion: rv }).toString()}`;
    return (await this.#send('GET', `${this.#objectPath(gvr, name, options)}${query}`, undefined, options)) as T;
  }

  /**
   * GET a collection: one page when `limit` is set (follow `metadata.continue`), everything
   * otherwise. The answer keeps the list's `metadata` (resourceVersion, continue,
   * remainingItemCount); rejects with InvalidResponseError when the body is not a list.
   */
  async listObjects<T = KubeObject>(
    gvr: GroupVersionResource,
    options: ListObjectsOptions = {},
    decode?: (raw: unknown) => T,
  ): Promise<ObjectList<T>> {
    const path = `${resourcePath({ resource: gvr, namespace: options.namespace })}${listQuery(options)}`;
    const headers: Record<string, string> = options.accept === undefined ? {} : { Accept: options.accept };
    const { page, envelope } = await requestList(this.#transport, { path, headers, signal: options.signal }, decode);
    const metadata: ListMeta = { resourceVersion: page.resourceVersion };
    if (page.continue !== undefined) metadata.continue = page.continue;
    if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
    const { apiVersion, kind } = envelope;
    const list: ObjectList<T> = { metadata, items: page.items };
    if (typeof apiVersion === 'string') list.apiVersion = apiVersion;
    if (typeof kind === 'string') list.kind = kind;
    return list;
  }

  /** POST a new object; its namespace defaults to `object.metadata.namespace`. */
  async createObject<T extends KeyedObject, R = T>(gvr: GroupVersionResource, object: T, options: WriteOptions = {}): Promise<R> {
    const namespace = options.namespace ?? object.metadata?.namespace;
    const path = `${resourcePath({ resource: gvr, namespace })}${writeQuery(options)}`;
    return (await this.#send('POST', path, JSON.stringify(object), options)) as R;
  }

  /** POST to a subresource of the object `name`, such as a pod's `eviction`. */
  async createSubresource<R = KubeObject>(
    gvr: GroupVersionResource,
    name: string,
    subresource: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<R> {
    const path = `${this.#objectPath(gvr, name, { ...options, subresource })}${writeQuery(options)}`;
    return (await this.#send('POST', path, JSON.stringify(body), options)) as R;
  }

  /** PUT an object (or a subresource) back; a stale `metadata.resourceVersion` rejects with 409 Conflict. */
  async updateObject<T extends KeyedObject, R = T>(gvr: GroupVersionResource, object: T, options: WriteOptions = {}): Promise<R> {
    const name = object.metadata?.name;
    if (name === undefined || name === '') throw new TypeError('updateObject: object.metadata.name is required');
    const namespace = options.namespace ?? object.metadata?.namespace;
    const path = `${this.#objectPath(gvr, name, { ...options, namespace })}${writeQuery(options)}`;
    return (await this.#send('PUT', path, JSON.stringify(object), options)) as R;
  }

  /** PATCH an object (or a subresource); `patch` is sent as JSON (YAML is a JSON superset for apply). */
  async patchObject<T = KubeObject>(gvr: GroupVersionResource, name: string, patch: unknown, options: PatchOptions = {}): Promise<T> {
    const path = `${this.#objectPath(gvr, name, options)}${writeQuery(options, options.force)}`;
    const contentType = patchContentTypes[options.patchType ?? 'merge'];
    return (await this.#send('PATCH', path, JSON.stringify(patch), options, contentType)) as T;
  }

  /** DELETE an object; resolves with the server's answer (the object, or a Success Status). */
  async deleteObject(gvr: GroupVersionResource, name: string, options: DeleteOptions = {}): Promise<unknown> {
    const body = deleteBody(options);
    if (options.preconditions !== undefined) {
      const { uid, resourceVersion } = options.preconditions;
      body.preconditions = { ...(uid === undefined ? {} : { uid }), ...(resourceVersion === undefined ? {} : { resourceVersion }) };
    }
    const path = `${this.#objectPath(gvr, name, options)}${writeQuery(options)}`;
    return this.#send('DELETE', path, JSON.stringify(body), options);
  }

  /** DELETE every object of a collection that the selectors match (deletecollection). */
  async deleteCollection(gvr: GroupVersionResource, options: DeleteCollectionOptions = {}): Promise<unknown> {
    const query = new URLSearchParams(listQuery(options));
    if (options.dryRun === true) query.set('dryRun', 'All');
    const search = query.size === 0 ? '' : `?${query.toString()}`;
    const path = `${resourcePath({ resource: gvr, namespace: options.namespace })}${search}`;
    return this.#send('DELETE', path, JSON.stringify(deleteBody(options)), options);
  }

  #send(method: HttpMethod, path: string, body: string | undefined, options: RestCallOptions, contentType?: string): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (options.accept !== undefined) headers['Accept'] = options.accept;
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    return this.#transport.requestJson({
      method,
      path,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: options.signal,
    });
  }

  #objectPath(gvr: GroupVersionResource, name: string, options: SubresourceCallOptions): string {
    return resourcePath({ resource: gvr, namespace: options.namespace, name, subresource: options.subresource });
  }
}

/** The query string of a write: `dryRun=All`, `fieldManager`, and `force` for apply. */
function writeQuery(options: WriteOptions | DeleteBodyOptions, force?: boolean): string {
  const query = new URLSearchParams();
  if (options.dryRun === true) query.set('dryRun', 'All');
  if ('fieldManager' in options && options.fieldManager !== undefined) query.set('fieldManager', options.fieldManager);
  if (force !== undefined) query.set('force', String(force));
  return query.size === 0 ? '' : `?${query.toString()}`;
}

function deleteBody(options: DeleteBodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
  if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
  return body;
}
