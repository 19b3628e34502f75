// The working set's requests: GET one object not older than a version, LIST pages with selectors; answers decoded, transformed, frozen.

import { deepFreeze } from '../../api/deep-freeze.ts';
import type { GroupVersionResource } from '../../api/gvk.ts';
import type { DeepReadonly, KubeObject } from '../../api/types.ts';
import type { RestClient } from '../../client/rest-client.ts';
import type { ObjectKeyInput } from '../cache-reader.ts';

/** A full object as the server sent it, ready to hand out and to keep. */
export interface FetchedObject<T> {
  /** The store key: "namespace/name", or "name" for cluster-scoped kinds. */
  readonly key: string;
  /** "" for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
  readonly object: DeepReadonly<T>;
  readonly uid: string;
  readonly resourceVersion: string;
  /** The length of its JSON, what `maxBytes` counts. */
  readonly bytes: number;
}

/** One live LIST: where, which objects, and the version its answer must not be older than. */
export interface LiveListRequest {
  /** "" lists across all namespaces. */
  readonly namespace: string;
  readonly labelSelector: string;
  readonly fieldSelector: string;
  /** Sent as `resourceVersion` with `resourceVersionMatch=NotOlderThan`; undefined: a consistent read. */
  readonly minResourceVersion: string | undefined;
}

/** What the requests of one kind need. */
export interface LiveReadsOptions<T> {
  readonly rest: RestClient;
  readonly resource: GroupVersionResource;
  readonly scope: 'Namespace' | 'Root';
  /** Wire JSON → T, as the kind's informer decodes (Scheme, kind stamping). */
  readonly decode: (raw: unknown) => T;
  /** The cache's transform for objects of `namespace`, if any. */
  readonly transformFor: (namespace: string) => ((obj: T) => T) | undefined;
}

/** LIST page size, as the informers' own lists use. */
const PAGE_SIZE = 500;

/**
 * The live requests behind a working set. Each answer is decoded, transformed as the informers
 * transform, measured and deep-frozen, so what a read returns looks like what a full cache holds.
 */
export class LiveReads<T extends KubeObject> {
  readonly #o: LiveReadsOptions<T>;

  constructor(options: LiveReadsOptions<T>) {
    this.#o = options;
  }

  /**
   * GET the object `key` names. `resourceVersion` undefined is a consistent read (the latest
   * state); a version asks for a state not older than it, which the server answers from its watch
   * cache. Rejects with the server's StatusError (404 when the object is gone).
   */
  async get(key: ObjectKeyInput, resourceVersion: string | undefined, signal: AbortSignal): Promise<FetchedObject<T>> {
    const namespace = this.#o.scope === 'Root' ? undefined : key.namespace;
    const raw = await this.#o.rest.getObject<unknown>(this.#o.resource, key.name, { namespace, resourceVersion, signal });
    return this.#prepare(raw);
  }

  /** Whether the kind's objects live in namespaces. */
  get scope(): 'Namespace' | 'Root' {
    return this.#o.scope;
  }

  /**
   * LIST pages of `request` (500 objects each, followed by `continue`), each item prepared, handed
   * to `onPage` page by page so only one page of full objects is alive at a time.
   */
  async list(request: LiveListRequest, signal: AbortSignal, onPage: (items: FetchedObject<T>[]) => void): Promise<void> {
    let next: string | undefined;
    do {
      const page = await this.#o.rest.listObjects<unknown>(this.#o.resource, {
        namespace: request.namespace === '' ? undefined : request.namespace,
        ...(request.labelSelector === '' ? {} : { labelSelector: request.labelSelector }),
        ...(request.fieldSelector === '' ? {} : { fieldSelector: request.fieldSelector }),
        limit: PAGE_SIZE,
        // Continuation pages carry only the token: the server serves them at the first page's snapshot.
        ...(next === undefined ? versionOf(request.minResourceVersion) : { continue: next }),
        signal,
      });
      onPage(page.items.map((raw) => this.#prepare(raw)));
      next = page.metadata?.continue;
    } while (next !== undefined && next !== '');
  }

  #prepare(raw: unknown): FetchedObject<T> {
    let obj = this.#o.decode(raw);
    const namespace = obj.metadata?.namespace ?? '';
    const transform = this.#o.transformFor(namespace);
    if (transform !== undefined) obj = transform(obj);
    const name = obj.metadata?.name ?? '';
    const scoped = this.#o.scope === 'Root' ? '' : namespace;
    return {
      key: scoped === '' ? name : `${scoped}/${name}`,
      namespace: scoped,
      name,
      uid: obj.metadata?.uid ?? '',
      resourceVersion: obj.metadata?.resourceVersion ?? '',
      bytes: JSON.stringify(obj).length,
      object: deepFreeze(obj),
    };
  }
}

function versionOf(minResourceVersion: string | undefined): { resourceVersion?: string; resourceVersionMatch?: 'NotOlderThan' } {
  return minResourceVersion === undefined ? {} : { resourceVersion: minResourceVersion, resourceVersionMatch: 'NotOlderThan' };
}
