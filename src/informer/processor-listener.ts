// One handler's delivery queue: ordered, one at a time, isolated from the store and other handlers.

import PQueue from 'p-queue';
import { abortReason, type Clock } from './clock.ts';
import { HandlerError } from './errors.ts';
import type { ResourceEventHandler, ResourceEventHandlerRegistration } from './informer-types.ts';
import type { Notification } from './notification.ts';

/** What a listener needs from its informer. */
export interface ListenerContext {
  readonly clock: Clock;
  /** Whether the informer's store has synced (the upstream half of a handler's sync). */
  readonly informerHasSynced: () => boolean;
  readonly onHandlerError: (error: HandlerError) => void;
}

/**
 * client-go's processorListener: owns one handler and a `PQueue({ concurrency: 1 })`, so the
 * handler sees notifications one at a time in order (awaiting a returned promise), while adding
 * a notification never waits. A failing handler is reported as a {@link HandlerError} and the
 * next notification is delivered. Removal drops what is still queued.
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
  #pendingInitial = 0;
  #synced = false;
  #removed = false;
  #syncWaiters: (() => void)[] = [];

  constructor(handler: ResourceEventHandler<T>, requestedResyncMs: number, resyncPeriodMs: number, ctx: ListenerContext) {
    this.handler = handler;
    this.requestedResyncMs = requestedResyncMs;
    this.resyncPeriodMs = resyncPeriodMs;
    this.#ctx = ctx;
    this.#nextResyncAt = ctx.clock.now() + resyncPeriodMs;
  }

  get queueDepth(): number {
    return this.#queue.size + this.#queue.pending;
  }

  /** Queues a notification; ignored once the listener was removed. */
  add(notification: Notification<T>): void {
    if (this.#removed) return;
    const initial = notification.type === 'add' && notification.isInInitialList;
    if (initial) this.#pendingInitial++;
    // The task never rejects (deliver catches), and clear() rejections are not reported as unhandled.
    void this.#queue.add(() => this.#deliver(notification, initial));
  }

  hasSynced(): boolean {
    if (this.#synced) return true;
    if (this.#pendingInitial === 0 && this.#ctx.informerHasSynced()) this.#markSynced();
    return this.#synced;
  }

  onSynced(options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.hasSynced()) return Promise.resolve();
    const { signal } = options;
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = (): void => {
        this.#syncWaiters = this.#syncWaiters.filter((w) => w !== done);
        reject(abortReason(signal));
      };
      const done = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#syncWaiters.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
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

  /** Drops queued notifications and stops accepting new ones; resolves when the in-flight one finished. */
  async stop(): Promise<void> {
    this.#removed = true;
    this.#queue.clear();
    await this.#queue.onIdle();
  }

  async #deliver(n: Notification<T>, initial: boolean): Promise<void> {
    try {
      await this.#invoke(n);
    } catch (err) {
      this.#ctx.onHandlerError(new HandlerError(this, n, err));
    } finally {
      if (initial) {
        this.#pendingInitial--;
        this.hasSynced();
      }
    }
  }

  async #invoke(n: Notification<T>): Promise<void> {
    const h = this.handler;
    switch (n.type) {
      case 'add':
        await h.onAdd?.(n.obj, n.isInInitialList);
        return;
      case 'update':
        await h.onUpdate?.(n.oldObj, n.newObj);
        return;
      case 'delete':
        await h.onDelete?.(n.obj);
        return;
    }
  }

  #markSynced(): void {
    this.#synced = true;
    const waiters = this.#syncWaiters;
    this.#syncWaiters = [];
    for (const wake of waiters) wake();
  }
}
