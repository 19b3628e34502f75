// RestClient: get, create, update, patch and delete single objects over a Transport.

import type { KubeObject } from '../api/types.ts';
import type { GroupVersionResource } from './gvk.ts';
import { resourcePath } from './paths.ts';
import type { Transport } from './transport.ts';

/** Options every RestClient call takes. */
export interface RestCallOptions {
  /** The object's namespace; omit for cluster-scoped resources. */
  readonly namespace?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The patch formats the API accepts, by their content types. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const patchContentTypes: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Options of {@link RestClient.patchObject}. */
export interface PatchOptions extends RestCallOptions {
  /** @default 'merge' */
  readonly patchType?: PatchType;
  /** Required by server-side apply. */
  readonly fieldManager?: string;
  readonly force?: boolean;
}

/** Options of {@link RestClient.deleteObject}. */
export interface DeleteOptions extends RestCallOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
  /** Delete only if the object still has this resourceVersion (409 Conflict otherwise). */
  readonly preconditionResourceVersion?: string;
}

/**
 * A small client for single objects, for writing through the API in examples and tests.
 * Every method rejects with a StatusError on a non-2xx answer (`isNotFound`, `isConflict`...).
 *
 * @example
 * const rest = new RestClient(transport);
 * const cm = { gvr: { group: '', version: 'v1', resource: 'configmaps' } };
 * await rest.createObject(cm.gvr, { metadata: { name: 'a' }, data: {} }, { namespace: 'default' });
 */
export class RestClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** GET one object. */
  async getObject<T = KubeObject>(gvr: GroupVersionResource, name: string, options: RestCallOptions = {}): Promise<T> {
    return (await this.#transport.requestJson({ path: this.#path(gvr, options, name), signal: options.signal })) as T;
  }

  /** POST a new object; its namespace defaults to `object.metadata.namespace`. */
  async createObject<T extends KubeObject>(gvr: GroupVersionResource, object: T, options: RestCallOptions = {}): Promise<T> {
    const namespace = options.namespace ?? object.metadata?.namespace;
    return (await this.#transport.requestJson({
      method: 'POST',
      path: resourcePath({ resource: gvr, namespace }),
      body: JSON.stringify(object),
      signal: options.signal,
    })) as T;
  }

  /** PUT an object back; a stale `metadata.resourceVersion` rejects with 409 Conflict. */
  async updateObject<T extends KubeObject>(gvr: GroupVersionResource, object: T, options: RestCallOptions = {}): Promise<T> {
    const name = object.metadata?.name;
    if (name === undefined || name === '') throw new TypeError('updateObject: object.metadata.name is required');
    const namespace = options.namespace ?? object.metadata?.namespace;
    return (await this.#transport.requestJson({
      method: 'PUT',
      path: resourcePath({ resource: gvr, namespace, name }),
      body: JSON.stringify(object),
      signal: options.signal,
    })) as T;
  }

  /** PATCH an object; `patch` is serialised as JSON (YAML is a JSON superset for apply). */
  async patchObject<T = KubeObject>(gvr: GroupVersionResource, name: string, patch: unknown, options: PatchOptions = {}): Promise<T> {
    const query = new URLSearchParams();
    if (options.fieldManager !== undefined) query.set('fieldManager', options.fieldManager);
    if (options.force !== undefined) query.set('force', String(options.force));
    const search = query.size === 0 ? '' : `?${query.toString()}`;
    return (await this.#transport.requestJson({
      method: 'PATCH',
      path: `${this.#path(gvr, options, name)}${search}`,
      headers: { 'Content-Type': patchContentTypes[options.patchType ?? 'merge'] },
      body: JSON.stringify(patch),
      signal: options.signal,
    })) as T;
  }

  /** DELETE an object; resolves with the server's answer (the object, or a Success Status). */
  async deleteObject(gvr: GroupVersionResource, name: string, options: DeleteOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.propagationPolicy !== undefined) body.propagationPolicy = options.propagationPolicy;
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.preconditionResourceVersion !== undefined) {
      body.preconditions = { resourceVersion: options.preconditionResourceVersion };
    }
    return this.#transport.requestJson({
      method: 'DELETE',
      path: this.#path(gvr, options, name),
      body: JSON.stringify(body),
      signal: options.signal,
    });
  }

  #path(gvr: GroupVersionResource, options: RestCallOptions, name: string): string {
    return resourcePath({ resource: gvr, namespace: options.namespace, name });
  }
}
