// A rate-limited work queue with client-go's guarantees, and a worker pool that drains it.

import PQueue from 'p-queue';
import { realClock, type Clock, type TimerHandle } from '../../src/index.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { defaultControllerRateLimiter } from './rate-limiter.ts';

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions<K> {
  /** Decides retry delays for {@link WorkQueue.addRateLimited}. @default defaultControllerRateLimiter(clock) */
  readonly rateLimiter?: RateLimiter<K>;
  /** The time source for delayed adds. @default realClock */
  readonly clock?: Clock;
}

/** What a reconcile asks for besides success; controller-runtime's `reconcile.Result`. */
export interface ReconcileResult {
  /** Requeue with the rate limiter's backoff (ignored when `requeueAfter` is set). */
  readonly requeue?: boolean;
  /** Requeue after this many milliseconds; the key's failure count is reset. */
  readonly requeueAfter?: number;
}

/**
 * Reconciles one key. Resolve to succeed; reject to be retried with backoff. `signal` aborts when the
 * worker pool is asked to stop.
 */
export type ReconcileFunc<K> = (key: K, options: { readonly signal: AbortSignal }) => Promise<ReconcileResult | void>;

/** Options of {@link WorkQueue.run}. */
export interface RunOptions<K> {
  /** How many keys are reconciled at once (never the same key twice). @default 1 */
  readonly concurrency?: number;
  /** Stops taking new keys; `run` resolves once in-flight reconciles finish. */
  readonly signal?: AbortSignal;
  /** Told about every failed reconcile (the key is already requeued). @default logs to stderr */
  readonly onError?: (key: K, error: unknown) => void;
}

/**
 * A queue of keys to reconcile, with client-go's workqueue contract:
 * - a key is queued at most once: adding a key that waits in the queue is a no-op;
 * - a key is never handed out while it is being processed: adding it meanwhile marks it dirty,
 *   and it is queued again (once) when {@link WorkQueue.done} is called;
 * - {@link WorkQueue.addAfter} and {@link WorkQueue.addRateLimited} delay an add; of several
 *   pending delays for one key the earliest wins;
 * - after {@link WorkQueue.shutDown} adds are ignored, keys already queued are still handed out,
 *   and {@link WorkQueue.get} resolves `undefined` once the queue is empty.
 *
 * Keys are compared with `===`, so use strings such as `namespace/name`.
 *
 * @example
 * const queue = new WorkQueue<string>();
 * informer.addEventHandler({ onAdd: (obj) => queue.add(keyOf(obj)) });
 * await queue.run(async (key) => { ... }, { concurrency: 2, signal });
 */
export class WorkQueue<K> {
  /** Keys ready to be handed out, in order. Invariant: every key here is also in #dirty. */
  #queue: K[] = [];
  /** Keys that need processing (queued, or added again while processing). */
  readonly #dirty = new Set<K>();
  /** Keys handed out by get() and not yet done(). */
  readonly #processing = new Set<K>();
  /** Delayed adds, one timer per key. */
  readonly #waiting = new Map<K, { readonly due: number; readonly handle: TimerHandle }>();
  /** Callers of get() waiting for a key. */
  #getters: ((key: K | undefined) => void)[] = [];
  /** Callers of shutDownWithDrain() waiting for processing to end. */
  #drainers: (() => void)[] = [];
  #shuttingDown = false;
  readonly #rateLimiter: RateLimiter<K>;
  readonly #clock: Clock;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.#clock = options.clock ?? realClock;
    this.#rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.#clock);
  }

  /** Marks `key` as needing processing. No-op if it is already queued or the queue is shutting down. */
  add(key: K): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#handOut();
  }

  /** Adds `key` after `delayMs` milliseconds (at once if `delayMs <= 0`). */
  addAfter(key: K, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const due = this.#clock.now() + delayMs;
    const pending = this.#waiting.get(key);
    if (pending !== undefined) {
      if (pending.due <= due) return;
      this.#clock.clearTimeout(pending.handle);
    }
    const handle = this.#clock.setTimeout(() => {
      this.#waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.#waiting.set(key, { due, handle });
  }

  /** Adds `key` once the rate limiter allows it; each call counts one more failure of `key`. */
  addRateLimited(key: K): void {
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  /** Ends the failure history of `key`, so its next retry starts from the base delay. */
  forget(key: K): void {
    this.#rateLimiter.forget(key);
  }

  /** How many times `key` was rate-limited since it was last forgotten. */
  numRequeues(key: K): number {
    return this.#rateLimiter.numRequeues(key);
  }

  /** How many keys are queued and ready (not counting delayed or in-process keys). */
  get length(): number {
    return this.#queue.length;
  }

  /** True once {@link WorkQueue.shutDown} or {@link WorkQueue.shutDownWithDrain} was called. */
  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Takes the next key and marks it as processing; the caller must call {@link WorkQueue.done}
   * with it. Waits while the queue is empty. Resolves `undefined` when the queue is shut down
   * and empty, or when `signal` aborts.
   */
  get(options: { readonly signal?: AbortSignal } = {}): Promise<K | undefined> {
    const { signal } = options;
    const ready = this.#take();
    if (ready !== undefined) return Promise.resolve(ready.key);
    if (this.#shuttingDown || signal?.aborted === true) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const getter = (key: K | undefined): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(key);
      };
      const onAbort = (): void => {
        this.#getters = this.#getters.filter((g) => g !== getter);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#getters.push(getter);
    });
  }

  /** Ends processing of `key`; if it was added meanwhile, it is queued again now. */
  done(key: K): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) {
      this.#queue.push(key);
      this.#handOut();
    }
    if (this.#processing.size === 0) {
      const drainers = this.#drainers;
      this.#drainers = [];
      for (const wake of drainers) wake();
    }
  }

  /** Stops accepting adds, cancels delayed adds, and wakes idle getters with `undefined`. */
  shutDown(): void {
    this.#shuttingDown = true;
    for (const { handle } of this.#waiting.values()) this.#clock.clearTimeout(handle);
    this.#waiting.clear();
    // Getters only wait while the queue is empty, so none of them can still receive a key.
    const getters = this.#getters;
    this.#getters = [];
    for (const getter of getters) getter(undefined);
  }

  /** Like {@link WorkQueue.shutDown}, then resolves once no key is being processed. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return;
    await new Promise<void>((resolve) => this.#drainers.push(resolve));
  }

  /**
   * Runs `reconcile` on queued keys with at most `concurrency` at a time, following
   * controller-runtime's rules: a rejection requeues the key rate-limited; `requeueAfter`
   * forgets the key and requeues it after that delay; `requeue` requeues it rate-limited;
   * plain success forgets it. Resolves when `signal` aborts or the queue is shut down and
   * empty, after the in-flight reconciles finish.
   */
  async run(reconcile: ReconcileFunc<K>, options: RunOptions<K> = {}): Promise<void> {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TypeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    const signal = options.signal ?? new AbortController().signal;
    const onError = options.onError ?? logReconcileError;
    const pool = new PQueue({ concurrency });
    while (!signal.aborted) {
      if (pool.pending + pool.size >= concurrency) {
        // A key is only taken from the queue when a worker is free to start it at once.
        await new Promise<void>((resolve) => pool.addEventListener('next', () => resolve(), { once: true }));
        continue;
      }
      const key = await this.get({ signal });
      if (key === undefined) break;
      void pool.add(() => this.#processItem(key, reconcile, signal, onError));
    }
    await pool.onIdle();
  }

  async #processItem(
    key: K,
    reconcile: ReconcileFunc<K>,
    signal: AbortSignal,
    onError: NonNullable<RunOptions<K>['onError']>,
  ): Promise<void> {
    try {
      const result = await reconcile(key, { signal });
      if (result !== undefined && result.requeueAfter !== undefined && result.requeueAfter > 0) {
        this.forget(key);
        this.addAfter(key, result.requeueAfter);
      } else if (result?.requeue === true) {
        this.addRateLimited(key);
      } else {
        this.forget(key);
      }
    } catch (error) {
      this.addRateLimited(key);
      reportSafely(onError, key, error);
    } finally {
      this.done(key);
    }
  }

  /** Moves the head of the queue to processing. */
  #take(): { key: K } | undefined {
    if (this.#queue.length === 0) return undefined;
    const key = this.#queue.shift() as K;
    this.#dirty.delete(key);
    this.#processing.add(key);
    return { key };
  }

  /** Gives queued keys to waiting getters, oldest getter first. */
  #handOut(): void {
    while (this.#getters.length > 0) {
      const ready = this.#take();
      if (ready === undefined) return;
      const getter = this.#getters.shift();
      getter?.(ready.key);
    }
  }
}

function logReconcileError(key: unknown, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`reconcile ${String(key)} failed, requeued with backoff: ${message}`);
}

function reportSafely<K>(onError: (key: K, error: unknown) => void, key: K, error: unknown): void {
  try {
    onError(key, error);
  } catch (reportError) {
    // A throwing error hook must not kill the worker; the original failure is already requeued.
    console.error(`onError hook threw for ${String(key)}:`, reportError);
  }
}
