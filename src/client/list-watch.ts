// ListWatch: the ListerWatcher of one resource over HTTP (client-go's cache.ListWatch).

import type { ListPage, ListOptions, ListerWatcher, WatchEvent, WatchOptions } from '../api/lister-watcher.ts';
import { InvalidResponseError } from './errors.ts';
import type { GroupVersionResource } from './gvk.ts';
import { listQuery, resourcePath, watchQuery, type FixedSelectors } from './paths.ts';
import { HttpWatchStream } from './http-watch-stream.ts';
import { readListBody } from './response.ts';
import type { Transport, TransportRequest } from './transport.ts';

/** Accept header of a metadata-only LIST (as client-go's metadata client, minus protobuf). */
export const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/** Accept header of a metadata-only WATCH or GET. */
export const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/**
 * Options of a {@link ListWatch}.
 * @category Informers
 */
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
 * `list` fetches one page (pagination belongs to the caller, see `paginatedList`). A real
 * APIServer answers a `resourceVersion=0` list in one body whatever the `limit`, so bodies are
 * decoded item by item as they arrive, yielding to the event loop every few milliseconds: the
 * loop never stalls for the whole collection, the body is never held whole, and the transport's
 * `maxResponseBytes` bounds one item rather than the list. `watch` returns a stream that sends its
 * request on the first `next()`; opening errors and a WatchDecodeError (after the events before the
 * bad line) reject a `next()`, a server-side end finishes it, and aborting the signal or calling
 * `return()` closes the request at once, settling a waiting `next()` with `done`.
 *
 * @example
 * const lw = new ListWatch({ transport, resource: { group: 'apps', version: 'v1', resource: 'deployments' } });
 * const page = await lw.list({ limit: 500 });
 * for await (const event of lw.watch({ resourceVersion: page.resourceVersion, allowWatchBookmarks: true })) { ... }
 * @category Informers
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

  /**
   * Fetches one page; rejects with StatusError (e.g. 410 Expired for an old continue token), and
   * with InvalidResponseError for a body that is not a list or holds an item over the limit.
   */
  async list(options: ListOptions): Promise<ListPage<T>> {
    const request = {
      path: `${this.#collection}${listQuery(options, this.#selectors)}`,
      headers: { Accept: this.#metadataOnly ? METADATA_LIST_ACCEPT : 'application/json' },
      signal: options.signal,
    };
    return (await requestList(this.#transport, request, this.#decode)).page;
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

/** A decoded list body: its page, and its other top-level fields (`kind`, `apiVersion`, …). */
export interface DecodedList<T> {
  readonly page: ListPage<T>;
  readonly envelope: Readonly<Record<string, unknown>>;
}

/**
 * Sends a LIST request and decodes the body item by item as it arrives (see
 * {@link readListBody}): `decode` runs on each item as soon as it is parsed. Rejects as
 * {@link ListWatch.list} does.
 */
export async function requestList<T>(transport: Transport, request: TransportRequest, decode: ((raw: unknown) => T) | undefined): Promise<DecodedList<T>> {
  return transport.requestDecoded(request, async (response) => {
    const items: T[] = [];
    const onItem = decode === undefined ? (item: unknown) => items.push(item as T) : (item: unknown) => items.push(decode(item));
    const envelope = await readListBody(response, { onItem });
    return { page: listPageOf(envelope, items), envelope };
  });
}

/** Checks the shape of a list body parsed whole and decodes its items. */
export function toListPage<T>(body: unknown, decode: ((raw: unknown) => T) | undefined): ListPage<T> {
  if (typeof body !== 'object' || body === null) throw malformedList(body, 'a list response is not a JSON object');
  const { items: rawItems, ...envelope } = body as Record<string, unknown>;
  if (rawItems !== undefined && rawItems !== null && !Array.isArray(rawItems)) throw malformedList(envelope, 'a list response has no items array');
  const list = (rawItems ?? []) as unknown[];
  return listPageOf(envelope, decode === undefined ? (list as T[]) : list.map((item) => decode(item)));
}

/**
 * The page of a list body's top-level fields (`items` aside) and its decoded items: rejects with
 * InvalidResponseError when `metadata.resourceVersion` is missing or `items` was not an array.
 */
export function listPageOf<T>(envelope: Record<string, unknown>, items: T[]): ListPage<T> {
  const raw = envelope['metadata'];
  const metadata = (typeof raw === 'object' && raw !== null ? raw : {}) as { resourceVersion?: unknown; continue?: unknown; remainingItemCount?: unknown };
  const { resourceVersion } = metadata;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') {
    throw malformedList(envelope, 'a list response has no metadata.resourceVersion');
  }
  // A non-array `items` did not stream as items: it is still among the envelope's fields.
  const stray = envelope['items'];
  if (stray !== undefined && stray !== null) throw malformedList(envelope, 'a list response has no items array');
  const page: { items: T[]; resourceVersion: string; continue?: string; remainingItemCount?: number } = { items, resourceVersion };
  if (typeof metadata.continue === 'string' && metadata.continue !== '') page.continue = metadata.continue;
  if (typeof metadata.remainingItemCount === 'number') page.remainingItemCount = metadata.remainingItemCount;
  return page;
}

// Quotes the envelope, never the items: a list can be hundreds of megabytes.
function malformedList(envelope: unknown, detail: string): InvalidResponseError {
  return new InvalidResponseError({
    reason: 'MalformedResponse',
    code: 200,
    contentType: 'application/json',
    body: JSON.stringify(envelope) ?? String(envelope),
    detail,
  });
}
