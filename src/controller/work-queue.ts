// WorkQueue: client-go's rate-limiting, delaying work queue with its dirty/processing sets and metrics.

import type { HistogramSnapshot } from '../api/prometheus-text.ts';
import { abortReason } from '../api/abortable.ts';
import { realClock, type Clock, type TimerHandle } from '../api/clock.ts';
import { Histogram } from '../api/histogram.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

/**
 * Work-queue duration buckets (seconds): 10 ns × 10ⁿ, twelve of them, 1e-8 … 1000 (client-go's).
 * @category Observability
 */
export const WORKQUEUE_DURATION_BUCKETS: readonly number[] = Object.freeze([1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10, 100, 1000]);

/**
 * Options of a {@link WorkQueue}.
 * @category Controller
 */
export interface WorkQueueOptions<T> {
  /** The `name` label of its metrics (controller-runtime uses the controller's name). @default '' */
  readonly name?: string;
  /** Decides the delays of {@link WorkQueue.addRateLimited}. @default defaultControllerRateLimiter(clock) */
  readonly rateLimiter?: RateLimiter<T>;
  /** Time source of delayed adds and of the duration metrics. @default realClock */
  readonly clock?: Clock;
}

/**
 * A queue's metrics at one moment, with client-go's meanings (`workqueue_*` in Prometheus).
 * @category Observability
 */
export interface WorkQueueMetrics {
  /** The queue's name label. */
  readonly name: string;
  /** Items waiting for a `get`: queued, or re-added while processed. */
  readonly depth: number;
  /** Effective adds so far (an add of an item that already waits is not one). */
  readonly adds: number;
  /** Calls of `addAfter` (and so of `addRateLimited`) so far, zero delays included. */
  readonly retries: number;
  /** Seconds from an item's first pending add to the `get` that handed it out. */
  readonly queueDuration: HistogramSnapshot;
  /** Seconds from `get` to `done`. */
  readonly workDuration: HistogramSnapshot;
  /** The summed age, in seconds, of the items being processed now. */
  readonly unfinishedWorkSeconds: number;
  /** The age, in seconds, of the oldest item being processed now (0 when none is). */
  readonly longestRunningProcessorSeconds: number;
}

/** Compact the FIFO once this many slots at its head are spent, and they are half of it. */
const COMPACT_AFTER = 1024;

/**
 * A work queue with client-go's guarantees (`workqueue.TypedRateLimitingInterface`):
 * - an item added several times before a worker gets it is handed out once (the `dirty` set);
 * - an item is never handed out while it is being processed: added meanwhile, it is queued again,
 *   once, when {@link WorkQueue.done} is called (the `processing` set) — so no item is ever
 *   worked on by two workers at once;
 * - {@link WorkQueue.addAfter} delays an add (of several pending delays for one item the earliest
 *   wins); {@link WorkQueue.addRateLimited} takes the delay from the rate limiter;
 * - after {@link WorkQueue.shutDown} adds are ignored and pending delays dropped, queued items are
 *   still handed out, and {@link WorkQueue.get} resolves `undefined` once none is left.
 *
 * Items are compared as Map keys (`SameValueZero`): use strings such as `namespace/name`.
 *
 * @example
 * const queue = new WorkQueue<string>({ name: 'pods' });
 * informer.addEventHandler({ onAdd: (pod) => queue.add(objectKeyOf(pod)) });
 * for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
 *   try { await reconcile(key); queue.forget(key); } catch { queue.addRateLimited(key); } finally { queue.done(key); }
 * }
 * @category Controller
 */
export class WorkQueue<T extends NonNullable<unknown>> {
  /** Items ready to be handed out, oldest first, from #head on. Each is also in #dirty and not in #processing. */
  #fifo: T[] = [];
  #head = 0;
  /** Items that need processing: queued, or added again while being processed. */
  readonly #dirty = new Set<T>();
  /** Items handed out and not yet done, with the clock time of their `get`. */
  readonly #processing = new Map<T, number>();
  /** The clock time of each dirty item's first add since it was last handed out. */
  readonly #addedAt = new Map<T, number>();
  /** Delayed adds: one timer per item, the earliest wins. */
  readonly #waiting = new Map<T, { readonly readyAt: number; readonly handle: TimerHandle }>();
  #getters: ((item: T | undefined) => void)[] = [];
  #drainers: (() => void)[] = [];
  #idlers: (() => void)[] = [];
  #shuttingDown = false;
  #drain = false;
  #adds = 0;
  #retries = 0;
  readonly #queueDuration = new Histogram(WORKQUEUE_DURATION_BUCKETS);
  readonly #workDuration = new Histogram(WORKQUEUE_DURATION_BUCKETS);
  readonly #name: string;
  readonly #rateLimiter: RateLimiter<T>;
  readonly #clock: Clock;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.#name = options.name ?? '';
    this.#clock = options.clock ?? realClock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.#clock);
  }

  /** Marks `item` as needing processing. Ignored while it already waits, or once shutting down. */
  add(item: T): void {
    if (this.#shuttingDown || this.#dirty.has(item)) return;
    this.#adds++;
    this.#dirty.add(item);
    if (!this.#addedAt.has(item)) this.#addedAt.set(item, this.#clock.now());
    if (this.#processing.has(item)) return;
    this.#fifo.push(item);
    this.#handOut();
  }

  /**
   * Adds `item` after `delayMs` (at once when `delayMs <= 0`). Of several pending delays for one
   * item the earliest wins. Ignored once shutting down; counted as a retry in the metrics.
   */
  addAfter(item: T, delayMs: number): void {
    if (this.#shuttingDown) return;
    this.#retries++;
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.#clock.now() + delayMs;
    const pending = this.#waiting.get(item);
    if (pending !== undefined) {
      if (pending.readyAt <= readyAt) return;
      this.#clock.clearTimeout(pending.handle);
    }
    const handle = this.#clock.setTimeout(() => {
      this.#waiting.delete(item);
      this.add(item);
    }, delayMs);
    this.#waiting.set(item, { readyAt, handle });
  }

  /** Adds `item` after the rate limiter's delay for it, which counts one more retry of it. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.#rateLimiter.when(item));
  }

  /** Ends the retry history of `item` in the rate limiter; {@link WorkQueue.done} is still required. */
  forget(item: T): void {
    this.#rateLimiter.forget(item);
  }

  /** How many times `item` was rate-limited since it was last forgotten. */
  numRequeues(item: T): number {
    return this.#rateLimiter.numRequeues(item);
  }

  /** Items ready to be handed out (not those being processed, nor delayed ones). client-go's `Len`. */
  get length(): number {
    return this.#fifo.length - this.#head;
  }

  /** True once {@link WorkQueue.shutDown} or {@link WorkQueue.shutDownWithDrain} was called. */
  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * The next item, now marked as processing; the caller must call {@link WorkQueue.done} with it.
   * Waits while the queue is empty. Resolves `undefined` once the queue is shut down and empty.
   * Rejects with the signal's reason if `signal` is aborted, or aborts while waiting (no item is taken then).
   */
  get(options: { readonly signal?: AbortSignal } = {}): Promise<T | undefined> {
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    if (this.length > 0) return Promise.resolve(this.#take());
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const getter = (item: T | undefined): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(item);
      };
      const onAbort = (): void => {
        this.#getters = this.#getters.filter((g) => g !== getter);
        reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#getters.push(getter);
    });
  }

  /** Ends the processing of `item`. If it was added meanwhile it is queued now, even after shutdown. */
  done(item: T): void {
    const startedAt = this.#processing.get(item);
    if (startedAt === undefined) return;
    this.#workDuration.observe((this.#clock.now() - startedAt) / 1000);
    this.#processing.delete(item);
    if (this.#dirty.has(item)) {
      this.#fifo.push(item);
      this.#handOut();
    }
    if (this.#processing.size === 0) wake(this.#drainers.splice(0));
    this.#wakeIdlers();
  }

  /**
   * Stops accepting adds, drops pending delayed adds, and resolves waiting `get`s with `undefined`.
   * Items already queued are still handed out. Ends the wait of a {@link WorkQueue.shutDownWithDrain}.
   */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#drain = false;
    for (const { handle } of this.#waiting.values()) this.#clock.clearTimeout(handle);
    this.#waiting.clear();
    // Getters wait only while nothing is queued, so none of them can still receive an item.
    for (const getter of this.#getters.splice(0)) getter(undefined);
    wake(this.#drainers.splice(0));
  }

  /**
   * {@link WorkQueue.shutDown}, then resolves once no item is being processed (every handed-out
   * item was `done`). A later `shutDown()` ends the wait early; so does `signal`, without error.
   */
  async shutDownWithDrain(options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    this.shutDown();
    this.#drain = true;
    const { signal } = options;
    while (this.#drain && this.#processing.size > 0 && signal?.aborted !== true) {
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#drainers.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  /**
   * Resolves once nothing is queued or being processed (items waiting on a delay do not count).
   * For tests and benchmarks that feed the queue and wait for the workers to catch up.
   */
  onIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idlers.push(resolve));
  }

  /** The queue's metrics now; see {@link WorkQueueMetrics}. */
  metrics(): WorkQueueMetrics {
    const now = this.#clock.now();
    let unfinished = 0;
    let longest = 0;
    for (const startedAt of this.#processing.values()) {
      const age = (now - startedAt) / 1000;
      unfinished += age;
      longest = Math.max(longest, age);
    }
    return {
      name: this.#name,
      depth: this.#dirty.size,
      adds: this.#adds,
      retries: this.#retries,
      queueDuration: this.#queueDuration.snapshot(),
      workDuration: this.#workDuration.snapshot(),
      unfinishedWorkSeconds: unfinished,
      longestRunningProcessorSeconds: longest,
    };
  }

  /** Moves the head of the FIFO to processing. The FIFO must not be empty. */
  #take(): T {
    const item = this.#fifo[this.#head] as T;
    this.#head++;
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#fifo.length) {
      this.#fifo = this.#fifo.slice(this.#head);
      this.#head = 0;
    }
    const now = this.#clock.now();
    this.#dirty.delete(item);
    this.#processing.set(item, now);
    const addedAt = this.#addedAt.get(item);
    this.#addedAt.delete(item);
    if (addedAt !== undefined) this.#queueDuration.observe((now - addedAt) / 1000);
    return item;
  }

  /** Gives queued items to waiting getters, the longest-waiting getter first. */
  #handOut(): void {
    while (this.#getters.length > 0 && this.length > 0) {
      const getter = this.#getters.shift();
      getter?.(this.#take());
    }
  }

  #isIdle(): boolean {
    return this.#dirty.size === 0 && this.#processing.size === 0;
  }

  #wakeIdlers(): void {
    if (this.#idlers.length > 0 && this.#isIdle()) wake(this.#idlers.splice(0));
  }
}

function wake(waiters: readonly (() => void)[]): void {
  for (const w of waiters) w();
}
