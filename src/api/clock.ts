// Time as a dependency: the real clock, and a fake one that tests advance by hand.

import { sleep } from './abortable.ts';
import { yieldToEventLoop } from './time-slice.ts';

/**
 * An opaque handle returned by {@link Clock.setTimeout}.
 * @category API Machinery
 */
export type TimerHandle = object;

/**
 * The time source of every time-dependent piece (backoff, resync, watch timeouts, retries),
 * injected so tests can run on virtual time.
 * @category API Machinery
 */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; only differences are meaningful. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or already-fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
  /**
   * Resolves after `ms` milliseconds. Rejects with `signal.reason` if the signal aborts first
   * (or is already aborted), and the timer is released.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The wall clock: `performance.now()` and Node's timers.
 * @category API Machinery
 */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  sleep: (ms, signal) => sleep(ms, { timers: realClock, signal }),
};

interface FakeTimer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}


/**
 * A manually driven clock for tests. Time stands still until {@link FakeClock.advance} moves it;
 * timers fire in due order (ties in creation order), each followed by a turn of the event loop
 * so code woken by one timer can schedule the next before time moves on.
 *
 * @example
 * const clock = new FakeClock();
 * const slept = clock.sleep(1000);
 * await clock.advance(1000); // `slept` is now resolved
 * @category API Machinery
 */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, FakeTimer>();
  #waiters: (() => void)[] = [];

  /** @param startMs the initial reading of {@link FakeClock.now}. @default 0 */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: this.#nextId++, due: this.#now + Math.max(0, ms), fn };
    this.#timers.set(timer.id, timer);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id?: unknown }).id;
    if (typeof id === 'number') this.#timers.delete(id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleep(ms, { timers: this, signal });
  }

  /** How many timers are scheduled and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** The delays (relative to now) of the scheduled timers, soonest first. */
  pendingDelays(): number[] {
    return [...this.#timers.values()].map((t) => t.due - this.#now).sort((a, b) => a - b);
  }

  /** Resolves once at least `count` timers are pending (checked after each new timer). */
  async waitForTimers(count = 1): Promise<void> {
    while (this.#timers.size < count) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await yieldToEventLoop();
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.due > target) break;
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.due);
      next.fn();
      await yieldToEventLoop();
    }
    this.#now = target;
    await yieldToEventLoop();
  }

  #earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers.values()) {
      if (best === undefined || t.due < best.due || (t.due === best.due && t.id < best.id)) best = t;
    }
    return best;
  }
}
