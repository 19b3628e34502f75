// One handler's delivery queue: ordered, one at a time, isolated from the store and other handlers.

import PQueue from 'p-queue';
import { TimeSlice, yieldToEventLoop } from '../api/time-slice.ts';
import type { Clock } from '../api/clock.ts';
import { HandlerError, InformerStoppedError } from './errors.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from './handler.ts';
import type { Notification } from './notification.ts';
import { SyncLatch } from './sync-latch.ts';

/** What a listener needs from its informer. */
export interface ListenerContext {
  readonly clock: Clock;
  /** Whether the informer's store has synced (the upstream half of a handler's sync). */
  readonly informerHasSynced: () => boolean;
  readonly onHandlerError: (error: HandlerError) => void;
  /** Receives the duration in ms of each handler call (until a returned promise settles). */
  readonly onHandlerLatency?: (ms: number) => void;
}

// Notifications delivered at most in one go before the listener yields to the event loop (time bounds it too).
const DELIVERY_SLICE = 500;

/**
 * client-go's processorListener: owns one handler and a `PQueue({ concurrency: 1 })`, so the
 * handler sees notifications one at a time in order (awaiting a returned promise), while adding
 * a notification never waits. A failing handler is reported as a {@link HandlerError} and the
 * next notification is delivered. Removal drops what is still queued.
 *
 * Notifications wait in a plain array (client-go's unbounded ring buffer); the queue runs one
 * delivery task at a time that empties it, yielding to the event loop every few hundred
 * notifications. A queue task per notification would cost more than most handlers do.
 */
export class ProcessorListener<T> implements ResourceEventHandlerRegistration {
  readonly handler: ResourceEventHandler<T>;
  /** The resync period asked for; 0 = never. */
  readonly requestedResyncMs: number;
  /** The period actually used (raised to the informer's check period); 0 = never. */
  resyncPeriodMs: number;
  /** Whether the current resync round includes this listener. */
  isSyncing = true;
  #nextResyncAt: number;
  readonly #ctx: ListenerContext;
  readonly #queue = new PQueue({ concurrency: 1 });
  #buffer: (Notification<T> | undefined)[] = [];
  #head = 0;
  #deliveryScheduled = false;
  #delivering = false;
  #pendingInitial = 0;
  readonly #synced = new SyncLatch();
  readonly #slice: TimeSlice;
  #removed = false;

  constructor(handler: ResourceEventHandler<T>, requestedResyncMs: number, resyncPeriodMs: number, ctx: ListenerContext) {
    this.handler = handler;
    this.requestedResyncMs = requestedResyncMs;
    this.resyncPeriodMs = resyncPeriodMs;
    this.#ctx = ctx;
    this.#slice = new TimeSlice(() => ctx.clock.now());
    this.#nextResyncAt = ctx.clock.now() + resyncPeriodMs;
  }

  get queueDepth(): number {
    return this.#buffer.length - this.#head + (this.#delivering ? 1 : 0);
  }

  /** Queues a notification; ignored once the listener was removed. */
  add(notification: Notification<T>): void {
    if (this.#removed) return;
    if (notification.type === 'add' && notification.isInInitialList) this.#pendingInitial++;
    this.#buffer.push(notification);
    if (this.#deliveryScheduled) return;
    this.#deliveryScheduled = true;
    // PQueue starts an idle queue's task synchronously; deferring it lets a caller adding a batch
    // (the initial list of a late handler) finish first, so sync is not declared halfway through.
    queueMicrotask(this.#scheduleDelivery);
  }

  readonly #scheduleDelivery = (): void => {
    // The task never rejects (each delivery catches), and clear() rejections are not reported as unhandled.
    void this.#queue.add(() => this.#deliverAll());
  };

  hasSynced(): boolean {
    if (this.#synced.done) return true;
    if (this.#pendingInitial === 0 && this.#ctx.informerHasSynced()) this.#synced.resolve();
    return this.#synced.done;
  }

  /**
   * Resolves once {@link ProcessorListener.hasSynced}; rejects with the signal's reason on abort, or
   * with {@link InformerStoppedError} when the handler is removed or the informer stops first.
   */
  onSynced(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.hasSynced()) return Promise.resolve();
    return this.#synced.wait(options.signal);
  }

  /** Re-evaluates sync; the informer calls this when its store syncs. */
  checkSynced(): void {
    this.hasSynced();
  }

  /** Decides whether this listener takes part in a resync at `now`, scheduling its next one. */
  shouldResync(now: number): boolean {
    const due = this.resyncPeriodMs !== 0 && now >= this.#nextResyncAt;
    this.isSyncing = due;
    if (due) this.#nextResyncAt = now + this.resyncPeriodMs;
    return due;
  }

  /** Changes the effective resync period (before the informer starts). */
  setResyncPeriod(periodMs: number): void {
    this.resyncPeriodMs = periodMs;
    this.#nextResyncAt = this.#ctx.clock.now() + periodMs;
  }

  /**
   * Drops queued notifications and stops accepting new ones; resolves when the in-flight one
   * finished. A handler not synced yet never will: its `onSynced` waiters reject with
   * {@link InformerStoppedError} saying `why`.
   */
  async stop(why = 'handler was removed before it synced'): Promise<void> {
    this.#removed = true;
    this.#synced.fail(new InformerStoppedError(why));
    this.#buffer = [];
    this.#head = 0;
    this.#queue.clear();
    await this.#queue.onIdle();
  }

  // Delivers until the buffer is empty (including notifications added meanwhile) or removal.
  // An emptied buffer is given one more turn of the event loop before the task ends: during a
  // burst of watch events the next socket chunk usually arrives by then, so a single queue task
  // (whose bookkeeping costs several event dispatches) serves the whole burst.
  async #deliverAll(): Promise<void> {
    let delivered = 0;
    let lingered = false;
    this.#slice.start();
    for (;;) {
      if (this.#removed) break;
      if (this.#head >= this.#buffer.length) {
        if (lingered) break;
        lingered = true;
        // Nothing is pending: start the array afresh so a long-lived task does not grow it forever.
        this.#buffer = [];
        this.#head = 0;
        await yieldToEventLoop();
        delivered = 0;
        this.#slice.start();
        continue;
      }
      lingered = false;
      const n = this.#buffer[this.#head] as Notification<T>;
      this.#buffer[this.#head++] = undefined;
      this.#delivering = true;
      const pending = this.#deliver(n);
      // Only an async handler costs a promise turn; synchronous ones run back to back.
      if (pending !== undefined) await pending;
      this.#delivering = false;
      if (++delivered === DELIVERY_SLICE || this.#slice.spent()) {
        await yieldToEventLoop();
        delivered = 0;
        this.#slice.start();
      }
    }
    this.#buffer = [];
    this.#head = 0;
    this.#deliveryScheduled = false;
  }

  // Calls the handler; returns a promise only when the handler returned one (settled, never rejecting).
  #deliver(n: Notification<T>): Promise<void> | undefined {
    const startedAt = performance.now();
    let result: void | PromiseLike<void>;
    try {
      result = this.#invoke(n);
    } catch (err) {
      this.#ctx.onHandlerError(new HandlerError(this, n, err));
      this.#delivered(n, startedAt);
      return undefined;
    }
    if (!isPromiseLike(result)) {
      this.#delivered(n, startedAt);
      return undefined;
    }
    return Promise.resolve(result).then(
      () => this.#delivered(n, startedAt),
      (err: unknown) => {
        this.#ctx.onHandlerError(new HandlerError(this, n, err));
        this.#delivered(n, startedAt);
      },
    );
  }

  #delivered(n: Notification<T>, startedAt: number): void {
    this.#ctx.onHandlerLatency?.(performance.now() - startedAt);
    if (n.type === 'add' && n.isInInitialList) {
      this.#pendingInitial--;
      this.hasSynced();
    }
  }

  #invoke(n: Notification<T>): void | PromiseLike<void> {
    const h = this.handler;
    switch (n.type) {
      case 'add':
        return h.onAdd?.(n.obj, n.isInInitialList);
      case 'update':
        return h.onUpdate?.(n.oldObj, n.newObj);
      case 'delete':
        return h.onDelete?.(n.obj);
    }
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
