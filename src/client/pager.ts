// listAllPages: a whole collection through limit/continue, as client-go's tools/pager does it.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isResourceExpired } from '../api/errors.ts';
import type { ListOptions, ListPage, ListerWatcher } from '../api/lister-watcher.ts';

/** The default page size (client-go's pager and kubectl's --chunk-size). */
export const DEFAULT_PAGE_SIZE = 500;

/** Options of {@link listAllPages}. */
export interface ListAllPagesOptions<T> extends ListOptions {
  /** Items per page; 0 lists everything in one request. @default 500 */
  readonly pageSize?: number;
  /** Called after each page (numbered from 0) — for progress; the loop yields to the event loop after it. */
  readonly onPage?: (items: T[], page: number) => void;
}

/** Every item of a collection and the resourceVersion of the snapshot they come from. */
export interface ListAllPagesResult<T> {
  readonly items: T[];
  readonly resourceVersion: string;
}

/**
 * Lists every page. Pages after the first send only `limit` and `continue` (the token pins the
 * snapshot, so `resourceVersion`/`resourceVersionMatch` are dropped). When a continue token has
 * expired (410 reason Expired on a later page), the whole list is fetched once more without a
 * limit at the original version, and its items replace those gathered so far. Other errors
 * reject as the ListerWatcher raised them; aborting `signal` rejects with its reason.
 */
export async function listAllPages<T>(lw: ListerWatcher<T>, options: ListAllPagesOptions<T>): Promise<ListAllPagesResult<T>> {
  const { pageSize = DEFAULT_PAGE_SIZE, onPage, ...listOptions } = options;
  const first = await lw.list(pageSize > 0 ? { ...listOptions, limit: pageSize } : listOptions);
  onPage?.(first.items, 0);
  if (first.continue === undefined) return { items: first.items, resourceVersion: first.resourceVersion };
  const items = first.items.slice();
  let token: string | undefined = first.continue;
  for (let page = 1; token !== undefined; page++) {
    await yieldToLoop(undefined, { signal: listOptions.signal });
    let next: ListPage<T>;
    try {
      next = await lw.list(continueOptions(listOptions, pageSize, token));
    } catch (err) {
      if (!isResourceExpired(err)) throw err;
      return fullList(lw, listOptions, onPage, page);
    }
    onPage?.(next.items, page);
    for (const item of next.items) items.push(item);
    token = next.continue;
  }
  return { items, resourceVersion: first.resourceVersion };
}

function continueOptions(options: ListOptions, pageSize: number, token: string): ListOptions {
  const next: { -readonly [K in keyof ListOptions]: ListOptions[K] } = { ...options, limit: pageSize, continue: token };
  delete next.resourceVersion;
  delete next.resourceVersionMatch;
  return next;
}

async function fullList<T>(
  lw: ListerWatcher<T>,
  options: ListOptions,
  onPage: ((items: T[], page: number) => void) | undefined,
  page: number,
): Promise<ListAllPagesResult<T>> {
  const full: { -readonly [K in keyof ListOptions]: ListOptions[K] } = { ...options };
  delete full.limit;
  delete full.continue;
  const all = await lw.list(full);
  onPage?.(all.items, page);
  return { items: all.items, resourceVersion: all.resourceVersion };
}
