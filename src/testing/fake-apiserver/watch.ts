// WATCH streams: initial state, history replay, live events with selector transitions, bookmarks, timeouts.

import type { ServerResponse } from 'node:http';
import type { Status } from '../../api/types.ts';
import { parseResourceVersion } from './list.ts';
import type { Representation } from './negotiate.ts';
import { gvrKey, type ResourceType } from './registry.ts';
import { renderBookmark, renderObject, type RenderOptions } from './render.ts';
import type { Selection } from './selectors.ts';
import * as status from './status.ts';
import { CompactedError, type ObjectStore, type StoreEvent, type StoredObject } from './store.ts';

// Initial ADDED events are written this many at a time, yielding to the event loop in between.
const INITIAL_EVENTS_BATCH = 1000;

// Initial events stop being written while this much is unread, until the socket drains.
const INITIAL_EVENTS_HIGH_WATER_BYTES = 4 * 1024 * 1024;

// The real server sends a last bookmark this long before a watch's deadline.
const FINAL_BOOKMARK_LEAD_MS = 2000;

// setTimeout fires at once for longer delays (about 24.8 days); a longer watch is capped there.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The watch parameters of metav1.ListOptions, as strings from the query. */
export interface WatchQuery {
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents?: boolean;
  readonly timeoutSeconds?: string;
}

/** What a watch stream needs besides its query. */
export interface WatchContext {
  readonly store: ObjectStore;
  readonly rt: ResourceType;
  readonly selection: Selection;
  readonly representation: Representation;
  readonly render: RenderOptions;
  readonly bookmarkIntervalMs: number;
  /** Used when the request has no timeoutSeconds. */
  readonly defaultTimeoutSeconds: number;
  /** A client this far behind on live events is cut off; it re-watches from its last version, as with a real server. */
  readonly maxBufferedBytes: number;
}

/** How a watch ends: `clean` finishes the chunked response, `abrupt` destroys the socket. */
export type WatchCloseMode = 'clean' | 'abrupt';

/** One watch the server is serving: it writes the events of one watch request to its response. */
export class ServedWatch {
  readonly rt: ResourceType;
  readonly #res: ServerResponse;
  readonly #ctx: WatchContext;
  readonly #timers: NodeJS.Timeout[] = [];
  #bookmarkTimer: NodeJS.Timeout | undefined;
  #streamingInitial = false;
  #unsubscribe: (() => void) | undefined;
  #closed = false;
  #sentColumns = false;
  readonly #onClose: (stream: ServedWatch) => void;

  constructor(res: ServerResponse, ctx: WatchContext, onClose: (stream: ServedWatch) => void) {
    this.rt = ctx.rt;
    this.#res = res;
    this.#ctx = ctx;
    this.#onClose = onClose;
    res.on('close', () => this.close('clean'));
  }

  /** Ends the stream (idempotent): timers stop, the store subscription ends. */
  close(mode: WatchCloseMode): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    for (const t of this.#timers) clearTimeout(t);
    clearTimeout(this.#bookmarkTimer);
    if (mode === 'abrupt') this.#res.destroy();
    else this.#res.end();
    this.#onClose(this);
  }

  #send(type: string, object: unknown): void {
    if (this.#closed) return;
    this.#res.write(`${JSON.stringify({ type, object })}\n`);
    // Like the real cacher, drop a watcher that cannot keep up with live events instead of
    // buffering without bound. Initial events instead wait for the client (see #startInitial).
    if (!this.#streamingInitial && this.#res.writableLength > this.#ctx.maxBufferedBytes) this.close('clean');
  }

  #sendObject(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: StoredObject): void {
    const withColumns = !this.#sentColumns;
    this.#sentColumns = true;
    this.#send(type, renderObject(this.rt, obj, this.#ctx.representation, this.#ctx.render, withColumns));
  }

  /** Sends an ERROR event carrying a Status, then closes the stream, as the real server does. */
  fail(s: Status): void {
    this.#send('ERROR', s);
    this.close('clean');
  }

  /**
   * Starts the stream: headers go out at once, then the initial state or the replayed history,
   * then live events. All of it happens in one synchronous step with the subscription, so no
   * write can fall between the replay and the live feed.
   */
  start(q: WatchQuery): void {
    // The client (or a server stop) may have gone while the request waited, e.g. on injected latency.
    if (this.#res.destroyed || this.#res.writableEnded) {
      this.close('clean');
      return;
    }
    this.#res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    this.#res.flushHeaders();
    const rv = parseResourceVersion(q.resourceVersion, (m) => new Error(m));
    const initial = q.sendInitialEvents === true || (q.sendInitialEvents === undefined && rv === 0);
    if (initial) {
      this.#startInitial(q.sendInitialEvents === true && q.allowWatchBookmarks);
    } else {
      if (rv > 0 && !this.#replay(rv)) return;
      this.#unsubscribe = this.#ctx.store.subscribe(this.rt, (e) => this.#deliver(e));
    }
    this.#startTimers(q);
  }

  /** Sends what came after `rv`; false (after an ERROR event) when history no longer has it. */
  #replay(rv: number): boolean {
    const store = this.#ctx.store;
    let replay: StoreEvent[];
    try {
      replay = store.eventsAfter(this.rt, rv);
    } catch (err) {
      if (!(err instanceof CompactedError)) throw err;
      // The real server answers a compacted version with 200, one ERROR event, and a close.
      this.fail(status.expired(`too old resource version: ${rv} (${store.compactedResourceVersion})`).status);
      return false;
    }
    for (const e of replay) this.#deliver(e);
    return true;
  }

  /**
   * Streams the current state as ADDED events in batches, yielding to the event loop between
   * them so a large state does not stall the process, and waiting for the socket to drain while
   * a few MiB are unread, as the real server's writes block on a slow client (it never cuts a
   * client off for reading its initial events slowly). Writes that land meanwhile are held and
   * delivered after the initial events (and the end bookmark), in order.
   */
  #startInitial(endBookmark: boolean): void {
    const snap = this.#ctx.store.current(this.rt);
    const objects: StoredObject[] = [];
    for (const key of snap.keys) {
      const obj = snap.get(key);
      if (obj !== undefined && this.#ctx.selection.matches(obj)) objects.push(obj);
    }
    const held: StoreEvent[] = [];
    this.#streamingInitial = true;
    this.#unsubscribe = this.#ctx.store.subscribe(this.rt, (e) => {
      if (this.#streamingInitial) held.push(e);
      else this.#deliver(e);
    });
    let next = 0;
    const step = (): void => {
      if (this.#closed) return;
      const end = Math.min(objects.length, next + INITIAL_EVENTS_BATCH);
      for (; next < end && this.#res.writableLength <= INITIAL_EVENTS_HIGH_WATER_BYTES; next++) {
        const obj = objects[next];
        if (obj !== undefined) this.#sendObject('ADDED', obj);
      }
      if (next < objects.length) {
        if (this.#res.writableLength > INITIAL_EVENTS_HIGH_WATER_BYTES) this.#res.once('drain', step);
        else setImmediate(step);
        return;
      }
      if (endBookmark) this.#send('BOOKMARK', renderBookmark(this.rt, snap.rv, this.#ctx.representation, true));
      this.#streamingInitial = false;
      for (const e of held.splice(0)) this.#deliver(e);
    };
    step();
  }

  #startTimers(q: WatchQuery): void {
    const timeout = q.timeoutSeconds === undefined || q.timeoutSeconds === '' ? 0 : Number(q.timeoutSeconds);
    const seconds = Number.isFinite(timeout) && timeout > 0 ? timeout : this.#ctx.defaultTimeoutSeconds;
    const lifetimeMs = Math.min(seconds * 1000, MAX_TIMER_MS);
    this.#timers.push(setTimeout(() => this.close('clean'), lifetimeMs));
    if (!q.allowWatchBookmarks) return;
    const bookmark = (): void => {
      // A periodic bookmark must not overtake initial events still being streamed.
      if (this.#streamingInitial) return;
      this.#send('BOOKMARK', renderBookmark(this.rt, this.#ctx.store.resourceVersion, this.#ctx.representation, false));
    };
    const tick = (): void => {
      bookmark();
      this.#bookmarkTimer = setTimeout(tick, this.#ctx.bookmarkIntervalMs);
    };
    this.#bookmarkTimer = setTimeout(tick, this.#ctx.bookmarkIntervalMs);
    // A bookmark just before the deadline lets the client resume from a fresh version.
    if (lifetimeMs > FINAL_BOOKMARK_LEAD_MS) this.#timers.push(setTimeout(bookmark, lifetimeMs - FINAL_BOOKMARK_LEAD_MS));
  }

  /** Applies selector transitions: entering the selection is ADDED, leaving it DELETED. */
  #deliver(e: StoreEvent): void {
    const matches = this.#ctx.selection.matches;
    if (e.type === 'ADDED') {
      if (matches(e.object)) this.#sendObject('ADDED', e.object);
      return;
    }
    if (e.type === 'DELETED') {
      if (matches(e.object)) this.#sendObject('DELETED', e.object);
      return;
    }
    const now = matches(e.object);
    const before = e.prev !== undefined && matches(e.prev);
    if (now && before) this.#sendObject('MODIFIED', e.object);
    else if (now) this.#sendObject('ADDED', e.object);
    else if (before && e.prev !== undefined) {
      const prev = e.prev;
      this.#sendObject('DELETED', { ...prev, metadata: { ...prev.metadata, resourceVersion: e.object.metadata.resourceVersion } });
    }
  }
}

/**
 * Every open watch, so faults, CRD removal and shutdown can end them.
 * @category Testing
 */
export class WatchHub {
  readonly #streams = new Set<ServedWatch>();

  /** Opens and registers a stream. */
  open(res: ServerResponse, ctx: WatchContext): ServedWatch {
    const stream = new ServedWatch(res, ctx, (s) => this.#streams.delete(s));
    this.#streams.add(stream);
    return stream;
  }

  /** How many watches are open (for tests asserting a client's behaviour). */
  get size(): number {
    return this.#streams.size;
  }

  /** Ends every watch. */
  closeAll(mode: WatchCloseMode): void {
    for (const s of [...this.#streams]) s.close(mode);
  }

  /** Ends the watches of a resource that no longer exists. */
  closeResource(rt: ResourceType): void {
    const key = gvrKey(rt);
    for (const s of [...this.#streams]) if (gvrKey(s.rt) === key) s.close('clean');
  }
}
