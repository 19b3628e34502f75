// ListWatch: the ListerWatcher of one resource over HTTP (client-go's cache.ListWatch).

import type { ListPage, ListOptions, ListerWatcher, WatchEvent, WatchOptions } from '../api/lister-watcher.ts';
import { InvalidResponseError } from './errors.ts';
import type { GroupVersionResource } from './gvk.ts';
import { listQuery, resourcePath, watchQuery, type FixedSelectors } from './paths.ts';
import type { Transport } from './transport.ts';
import { HttpWatchStream } from './http-watch-stream.ts';

/** Accept header of a metadata-only LIST (as client-go's metadata client, minus protobuf). */
export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/** Accept header of a metadata-only WATCH or GET. */
export const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** Options of a {@link ListWatch}. */
export interface ListWatchOptions<T> {
  readonly transport: Transport;
  readonly resource: GroupVersionResource;
  /** Restricts to one namespace; absent or "" lists across all namespaces. */
  readonly namespace?: string | undefined;
  /** Ask the server for PartialObjectMetadata instead of whole objects. @default false */
  readonly metadataOnly?: boolean | undefined;
  /** Turns each wire object into T. @default the object as parsed */
  readonly decode?: ((raw: unknown) => T) | undefined;
  /** Added (as a conjunction) to every request's label selector. */
  readonly labelSelector?: string | undefined;
  /** Added (as a conjunction) to every request's field selector. */
  readonly fieldSelector?: string | undefined;
  /** The longest watch line accepted. @default 64 MiB */
  readonly maxEventBytes?: number | undefined;
}

/**
 * Lists and watches one resource through a {@link Transport}.
 *
 * `list` fetches one page (pagination belongs to the caller, see `paginatedList`); each page is
 * parsed with a single `JSON.parse`. `watch` returns a stream that sends its request on the
 * first `next()`; see {@link HttpWatchStream} for its error and cancellation contract.
 *
 * @example
 * const lw = new ListWatch({ transport, resource: { group: 'apps', version: 'v1', resource: 'deployments' } });
 * const page = await lw.list({ limit: 500 });
 * for await (const event of lw.watch({ resourceVersion: page.resourceVersion, allowWatchBookmarks: true })) { ... }
 */
export class ListWatch<T> implements ListerWatcher<T> {
  readonly #transport: Transport;
  readonly #collection: string;
  readonly #metadataOnly: boolean;
  readonly #decode: ((raw: unknown) => T) | undefined;
  readonly #selectors: FixedSelectors;
  readonly #maxEventBytes: number | undefined;

  constructor(options: ListWatchOptions<T>) {
    this.#transport = options.transport;
    this.#collection = resourcePath({ resource: options.resource, namespace: options.namespace });
    this.#metadataOnly = options.metadataOnly ?? false;
    this.#decode = options.decode;
    this.#selectors = { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector };
    this.#maxEventBytes = options.maxEventBytes;
  }

  /** Fetches one page; rejects with StatusError (e.g. 410 Expired for an old continue token). */
  async list(options: ListOptions): Promise<ListPage<T>> {
    const body = await this.#transport.requestJson({
      path: `${this.#collection}${listQuery(options, this.#selectors)}`,
      headers: { Accept: this.#metadataOnly ? METADATA_LIST_ACCEPT : 'application/json' },
      signal: options.signal,
    });
    return toListPage(body, this.#decode);
  }

  /** Opens a watch; see {@link ListerWatcher.watch}. */
  watch(options: WatchOptions): AsyncIterableIterator<WatchEvent<T>> {
    const path = `${this.#collection}${watchQuery(options, this.#selectors)}`;
    const accept = this.#metadataOnly ? METADATA_ACCEPT : 'application/json';
    const transport = this.#transport;
    return new HttpWatchStream<T>((signal) => transport.requestStream({ path, headers: { Accept: accept }, signal }), {
      decode: this.#decode,
      maxEventBytes: this.#maxEventBytes,
      signal: options.signal,
    });
  }
}

/** Checks the shape of a list body and decodes its items. */
export function toListPage<T>(body: unknown, decode: ((raw: unknown) => T) | undefined): ListPage<T> {
  const list = body as { kind?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown; remainingItemCount?: unknown }; items?: unknown };
  const metadata = typeof body === 'object' && body !== null ? list.metadata : undefined;
  const resourceVersion = metadata?.resourceVersion;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') {
    throw malformedList(body, 'a list response has no metadata.resourceVersion');
  }
  const rawItems = list.items ?? [];
  if (!Array.isArray(rawItems)) throw malformedList(body, 'a list response has no items array');
  const items = decode === undefined ? (rawItems as T[]) : rawItems.map((item: unknown) => decode(item));
  const page: { items: T[]; resourceVersion: string; continue?: string; remainingItemCount?: number } = { items, resourceVersion };
  if (typeof metadata?.continue === 'string' && metadata.continue !== '') page.continue = metadata.continue;
  if (typeof metadata?.remainingItemCount === 'number') page.remainingItemCount = metadata.remainingItemCount;
  return page;
}

function malformedList(body: unknown, detail: string): InvalidResponseError {
  // Quote the envelope, not the items: a page can be hundreds of megabytes.
  const envelope = typeof body === 'object' && body !== null ? { ...(body as Record<string, unknown>), items: '…' } : body;
  return new InvalidResponseError({
    reason: 'MalformedResponse',
    code: 200,
    contentType: 'application/json',
    body: JSON.stringify(envelope) ?? String(body),
    detail,
  });
}
