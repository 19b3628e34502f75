// Lists a whole collection page by page through a ListerWatcher (client-go's tools/pager).

import { waitUnlessAborted } from '../api/abortable.ts';
import { isResourceExpired } from '../api/errors.ts';
import type { ListerWatcher, ListOptions, ListPage } from '../api/lister-watcher.ts';

/** The result of {@link paginatedList}. */
export interface PaginatedListResult<T> {
  readonly items: T[];
  /** The resource version of the first page (a snapshot of the whole list). */
  readonly resourceVersion: string;
  /** True when more than one request was needed. */
  readonly paginated: boolean;
}

/** Options of {@link paginatedList}. */
export interface PaginatedListOptions<T> {
  /** Items per page; 0 asks for everything at once. @default 500 */
  readonly pageSize?: number;
  /** When a continue token expires, fetch the rest as one unpaginated list at the original version. @default true */
  readonly fullListIfExpired?: boolean;
  /** Called after each page with that page's items and the running total. */
  readonly onPage?: (items: readonly T[], total: number) => void;
}

/**
 * Lists every item with `limit`/`continue`. Continue pages drop the resource version (the token
 * pins the snapshot). If a later page fails with 410 Expired, the whole list is fetched again
 * in one request at the original version. Errors reject as the ListerWatcher raised them; an
 * abort of `options.signal` rejects at once, even if the ListerWatcher ignores the signal.
 */
export async function paginatedList<T>(
  lw: ListerWatcher<T>,
  options: ListOptions,
  pagerOptions: PaginatedListOptions<T> = {},
): Promise<PaginatedListResult<T>> {
  const pageSize = pagerOptions.pageSize ?? 500;
  const fullListIfExpired = pagerOptions.fullListIfExpired ?? true;
  const items: T[] = [];
  let resourceVersion: string | undefined;
  let request: ListOptions = pageSize > 0 ? { ...options, limit: pageSize } : options;
  for (let pages = 0; ; pages++) {
    options.signal?.throwIfAborted();
    let page;
    try {
      page = await listUnlessAborted(lw, request);
    } catch (err) {
      if (!(pages > 0 && fullListIfExpired && isResourceExpired(err))) throw err;
      const full = await listUnlessAborted(lw, unpaginated(options));
      pagerOptions.onPage?.(full.items, full.items.length);
      return { items: full.items, resourceVersion: full.resourceVersion, paginated: true };
    }
    resourceVersion ??= page.resourceVersion;
    for (const item of page.items) items.push(item);
    pagerOptions.onPage?.(page.items, items.length);
    if (page.continue === undefined || page.continue === '') {
      return { items, resourceVersion, paginated: pages > 0 };
    }
    request = continuation(request, page.continue);
  }
}

function listUnlessAborted<T>(lw: ListerWatcher<T>, request: ListOptions): Promise<ListPage<T>> {
  return waitUnlessAborted<ListPage<T>>(request.signal, (resolve, reject) => {
    lw.list(request).then(resolve, reject);
    return () => undefined;
  });
}

function unpaginated(options: ListOptions): ListOptions {
  const rest: { -readonly [K in keyof ListOptions]: ListOptions[K] } = { ...options };
  delete rest.limit;
  delete rest.continue;
  return rest;
}

function continuation(previous: ListOptions, token: string): ListOptions {
  const rest: { -readonly [K in keyof ListOptions]: ListOptions[K] } = { ...previous, continue: token };
  delete rest.resourceVersion;
  delete rest.resourceVersionMatch;
  return rest;
}
