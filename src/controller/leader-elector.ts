// LeaderElector: client-go's leader election on a lock — acquire, renew until the deadline, release on stop.

import { EventEmitter } from 'eventemitter3';
import { isAlreadyExists, isConflict, isNotFound } from '../api/errors.ts';
import { errorFields, silentLogger, type Logger } from '../api/logger.ts';
import { realClock, type Clock } from '../api/clock.ts';
import { AlreadyStartedError, InvalidOptionsError, LeaderElectionLostError } from './errors.ts';
import type { LeaderElectionRecord, ResourceLock } from './lease-lock.ts';

/**
 * Why {@link LeaderElector.run} ended, as the `stoppedLeading` event tells it.
 * @category Controller
 */
export interface StoppedLeading {
  /** True when this candidate held the lease during the run. */
  readonly wasLeader: boolean;
  /** True when leadership ended because no renewal succeeded within the renew deadline. */
  readonly lost: boolean;
  /** The last renewal failure, when `lost`. */
  readonly cause?: unknown;
}

/**
 * The events of a {@link LeaderElector} (eventemitter3 typed map). A throwing listener is logged, never fatal.
 * @category Controller
 */
export interface LeaderElectorEvents {
  /**
   * The lease is ours. `signal` aborts when leadership ends: lost (its reason a
   * LeaderElectionLostError), or the run's signal aborted (its reason that signal's).
   */
  startedLeading: [signal: AbortSignal];
  /** `run` is about to return; emitted once per run, whether or not the candidate led (as client-go). */
  stoppedLeading: [info: StoppedLeading];
  /** The observed holder changed (the first observation and this candidate included; `''` = released). */
  newLeader: [identity: string];
  /** A lock request failed other than by losing a race (409s are normal and not reported). */
  leaseError: [error: unknown];
}

/**
 * Options of a {@link LeaderElector}; the durations default to client-go's core values.
 * @category Controller
 */
export interface LeaderElectorOptions {
  /** Where the record lives, usually a {@link LeaseLock}; its identity is this candidate's. */
  readonly lock: ResourceLock;
  /** How long a holder's claim lasts after it was last seen to change; written in whole seconds. @default 15000 */
  readonly leaseDurationMs?: number;
  /** How long the leader keeps retrying a failed renewal before it steps down. @default 10000 */
  readonly renewDeadlineMs?: number;
  /** Time between attempts; candidates wait it ×[1, 2.2) between attempts to acquire. @default 2000 */
  readonly retryPeriodMs?: number;
  /** When the run's signal aborts while leading, hand the lease back so a standby takes over at once. @default false */
  readonly releaseOnCancel?: boolean;
  /** The `name` label of the metrics. @default the lock's `namespace/name` */
  readonly name?: string;
  /** Monotonic time for waits and for judging expiry. @default realClock */
  readonly clock?: Clock;
  /** Wall-clock milliseconds since the epoch, written as acquire and renew times. @default Date.now */
  readonly wallClock?: () => number;
  /** Uniform numbers in [0, 1) for the acquire jitter. @default Math.random */
  readonly random?: () => number;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/**
 * A candidate's leader-election metrics (`leader_election_*` in Prometheus).
 * @category Observability
 */
export interface LeaderElectionMetrics {
  readonly name: string;
  /** True while this candidate leads. */
  readonly isLeader: boolean;
  /** Renewals that had to re-read the lease first (the optimistic update had failed). */
  readonly slowpathTotal: number;
}

/** client-go's `JitterFactor`: candidates wait `retryPeriod × (1 + random × 1.2)` between attempts. */
const JITTER_FACTOR = 1.2;

/**
 * Competes for a lock and leads while it holds it, with client-go's `leaderelection` semantics:
 * - a candidate tries at once, then every `retryPeriodMs` (jittered); it takes the lease when it
 *   is absent, released (no holder), or expired;
 * - expiry is judged by this candidate's own clock: a record counts as alive until
 *   `leaseDurationSeconds` after the moment this candidate last *saw it change*, never from the
 *   holder's timestamps, so clock skew between nodes does not matter;
 * - writes are optimistic (the resourceVersion read); of two racing candidates one gets a 409;
 * - the leader renews every `retryPeriodMs`; when no renewal succeeds within `renewDeadlineMs` it
 *   stops leading, says so (an error log and `stoppedLeading` with `lost: true`), and does not
 *   touch the lease again — the deadline is shorter than the lease, so it has stopped before any
 *   other candidate can take over;
 * - with `releaseOnCancel`, aborting the run's signal writes an empty holder with a 1 s lease, so
 *   a standby takes over at its next attempt instead of waiting for expiry.
 *
 * One elector runs once (as in client-go): create a new one to compete again.
 *
 * @example
 * const elector = new LeaderElector({ lock: new LeaseLock({ transport, namespace: 'ops', name: 'op', identity }) });
 * elector.events.on('startedLeading', (signal) => void runControllers(signal));
 * elector.events.on('stoppedLeading', ({ lost }) => { if (lost) process.exit(1); });
 * await elector.run(shutdownSignal);
 * @category Controller
 */
export class LeaderElector {
  /** Lifecycle events; see {@link LeaderElectorEvents}. */
  readonly events = new EventEmitter<LeaderElectorEvents>();
  readonly #lock: ResourceLock;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  readonly #releaseOnCancel: boolean;
  readonly #name: string;
  readonly #clock: Clock;
  readonly #wallClock: () => number;
  readonly #random: () => number;
  readonly #logger: Logger;
  #observed: LeaderElectionRecord | undefined;
  /** Clock time at which #observed was last seen to change. */
  #observedTime = 0;
  #reportedLeader: string | undefined;
  #leading = false;
  #slowpathTotal = 0;
  #ran = false;
  #keepLease = false;
  /** The last failed lock request of the current renewal round or release, the cause of a lost lease. */
  #lastFailure: unknown;

  /** Validates the timings in client-go's order; throws {@link InvalidOptionsError}. */
  constructor(options: LeaderElectorOptions) {
    this.#lock = options.lock;
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    validate(this.#leaseDurationMs, this.#renewDeadlineMs, this.#retryPeriodMs, options.lock.identity);
    this.#releaseOnCancel = options.releaseOnCancel ?? false;
    this.#name = options.name ?? options.lock.describe();
    this.#clock = options.clock ?? realClock;
    this.#wallClock = options.wallClock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
  }

  /** This candidate's identity. */
  get identity(): string {
    return this.#lock.identity;
  }

  /** True while this candidate leads (between `startedLeading` and the end of its leadership). */
  isLeader(): boolean {
    return this.#leading;
  }

  /** The holder last observed on the lock (`''` when released), undefined before the first read. */
  getLeader(): string | undefined {
    return this.#observed?.holderIdentity;
  }

  /**
   * Tells a running elector not to release the lease when its signal aborts, whatever
   * `releaseOnCancel` says: the work it guarded did not finish, so a standby must wait for the
   * lease to expire instead of overlapping with it.
   */
  keepLeaseOnStop(): void {
    this.#keepLease = true;
  }

  /** This candidate's metrics now. */
  metrics(): LeaderElectionMetrics {
    return { name: this.#name, isLeader: this.#leading, slowpathTotal: this.#slowpathTotal };
  }

  /**
   * Competes until the lease is ours, leads until it is lost or `signal` aborts, then returns
   * (after releasing the lease, with `releaseOnCancel`). Emits `stoppedLeading` just before it
   * returns. Never rejects for lease trouble: that is retried, and reported through `leaseError`.
   * A second call rejects with AlreadyStartedError.
   */
  async run(signal: AbortSignal): Promise<void> {
    // One elector runs once, as in client-go: create a new one to compete again.
    if (this.#ran) throw new AlreadyStartedError('leader elector');
    this.#ran = true;
    let outcome: StoppedLeading = { wasLeader: false, lost: false };
    try {
      if (!(await this.#acquire(signal))) return;
      outcome = await this.#lead(signal);
    } finally {
      this.#emit('stoppedLeading', outcome);
    }
  }

  /** Tries at once, then after each jittered retry period; false when `signal` aborted first. */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    this.#logger.info('attempting to acquire leader lease', { lease: this.#lock.describe() });
    for (;;) {
      const acquired = await this.#tryAcquireOrRenew(signal);
      this.#reportTransition();
      if (acquired) {
        this.#logger.info('successfully acquired lease', { lease: this.#lock.describe() });
        return true;
      }
      const wait = this.#retryPeriodMs * (1 + this.#random() * JITTER_FACTOR);
      if (!(await this.#sleep(wait, signal))) return false;
    }
  }

  /** Leads: announces it, renews until a round fails or `signal` aborts, then ends leadership. */
  async #lead(signal: AbortSignal): Promise<StoppedLeading> {
    this.#leading = true;
    const leadership = new AbortController();
    this.#emit('startedLeading', leadership.signal);
    const failure = await this.#renewUntilLostOrStopped(signal);
    this.#leading = false;
    const lost = failure !== undefined;
    leadership.abort(lost ? new LeaderElectionLostError({ cause: failure.cause }) : signal.reason);
    if (lost) {
      this.#logger.error('failed to renew lease, stopped leading', { lease: this.#lock.describe(), ...errorFields(failure.cause) });
      return { wasLeader: true, lost, cause: failure.cause };
    }
    if (this.#releaseOnCancel && !this.#keepLease) await this.#release();
    return { wasLeader: true, lost };
  }

  /** Renews at once and every retry period after a success; resolves with the failure that lost the lease, or undefined once `signal` aborted. */
  async #renewUntilLostOrStopped(signal: AbortSignal): Promise<{ readonly cause: unknown } | undefined> {
    for (;;) {
      const round = await this.#renewRound(signal);
      if (signal.aborted) return undefined;
      if (round !== undefined) return round;
      if (!(await this.#sleep(this.#retryPeriodMs, signal))) return undefined;
    }
  }

  /** One renewal round: attempts every retry period until one succeeds (undefined) or the deadline passes. */
  async #renewRound(signal: AbortSignal): Promise<{ readonly cause: unknown } | undefined> {
    const deadline = new AbortController();
    const timer = this.#clock.setTimeout(() => deadline.abort(new Error('timed out waiting for the condition')), this.#renewDeadlineMs);
    const bounded = AbortSignal.any([signal, deadline.signal]);
    this.#lastFailure = undefined;
    try {
      for (;;) {
        const renewed = await this.#tryAcquireOrRenew(bounded);
        this.#reportTransition();
        if (renewed) return undefined;
        if (!(await this.#sleep(this.#retryPeriodMs, bounded))) return { cause: this.#lastFailure ?? deadline.signal.reason };
      }
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  /** One read-modify-write of the record (client-go's `tryAcquireOrRenew`); true when this candidate holds the lock afterwards. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.#clock.now();
    const wall = this.#wallClock();
    const desired: Mutable<LeaderElectionRecord> = {
      holderIdentity: this.#lock.identity,
      leaseDurationSeconds: Math.trunc(this.#leaseDurationMs / 1000),
      acquireTime: wall,
      renewTime: wall,
      leaseTransitions: 0,
    };
    const observed = this.#observed;
    // Fast path: we hold a lease that is still valid, so write over the version we last wrote.
    if (observed !== undefined && this.#isHeldByMe() && this.#isValid(now)) {
      desired.acquireTime = observed.acquireTime;
      desired.leaseTransitions = observed.leaseTransitions;
      if (await this.#attempt('update', signal, () => this.#lock.update(desired, signal))) {
        this.#setObserved(desired, now);
        return true;
      }
    }
    let current: LeaderElectionRecord;
    try {
      current = await this.#lock.get(signal);
    } catch (err) {
      if (!isNotFound(err)) return this.#failed('get', signal, err);
      const created = await this.#attempt('create', signal, () => this.#lock.create(desired, signal));
      if (created) this.#setObserved(desired, now);
      return created;
    }
    if (observed === undefined || renderInSeconds(current) !== renderInSeconds(observed)) this.#setObserved(current, now);
    if (current.holderIdentity !== '' && this.#isValid(now) && !this.#isHeldByMe()) return false;
    if (this.#isHeldByMe()) {
      desired.acquireTime = current.acquireTime;
      desired.leaseTransitions = current.leaseTransitions;
      this.#slowpathTotal++;
    } else {
      desired.leaseTransitions = current.leaseTransitions + 1;
    }
    const updated = await this.#attempt('update', signal, () => this.#lock.update(desired, signal));
    if (updated) this.#setObserved(desired, now);
    return updated;
  }

  /** Hands the lease back: an empty holder and a 1 s lease, so a standby takes it at its next attempt. */
  async #release(): Promise<void> {
    const timeout = new AbortController();
    const timer = this.#clock.setTimeout(() => timeout.abort(new Error('release timed out')), this.#renewDeadlineMs);
    try {
      // A 409 means the lease changed after our read (our own late renewal, say): read again.
      while (!timeout.signal.aborted) {
        let current: LeaderElectionRecord;
        try {
          current = await this.#lock.get(timeout.signal);
        } catch (err) {
          this.#failed('release', timeout.signal, err);
          return;
        }
        if (current.holderIdentity !== this.#lock.identity) return;
        const wall = this.#wallClock();
        const released = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: wall, renewTime: wall, leaseTransitions: current.leaseTransitions };
        if (await this.#attempt('release', timeout.signal, () => this.#lock.update(released, timeout.signal))) {
          this.#setObserved(released, this.#clock.now());
          this.#logger.info('released lease', { lease: this.#lock.describe() });
          return;
        }
        if (!isLostRace(this.#lastFailure)) return;
      }
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  /** Runs one lock write; false (and reported unless a lost race) when it fails. */
  async #attempt(what: string, signal: AbortSignal, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      return this.#failed(what, signal, err);
    }
  }

  #failed(what: string, signal: AbortSignal, err: unknown): false {
    this.#lastFailure = err;
    // A 409 is a lost race (someone renewed or won first), the normal way a standby loses. A
    // request cut by our own deadline or stop is reported by whoever aborted it, if at all.
    if (isLostRace(err) || signal.aborted) return false;
    this.#logger.warn(`leader election: lease ${what} failed`, { lease: this.#lock.describe(), ...errorFields(err) });
    this.#emit('leaseError', err);
    return false;
  }

  #isHeldByMe(): boolean {
    return this.#observed?.holderIdentity === this.#lock.identity;
  }

  /** The observed record is still valid: it changed less than its lease duration ago, by our clock. */
  #isValid(now: number): boolean {
    return this.#observed !== undefined && this.#observedTime + this.#observed.leaseDurationSeconds * 1000 > now;
  }

  #setObserved(record: LeaderElectionRecord, now: number): void {
    this.#observed = record;
    this.#observedTime = now;
  }

  #reportTransition(): void {
    const holder = this.#observed?.holderIdentity;
    if (holder === undefined || holder === this.#reportedLeader) return;
    this.#reportedLeader = holder;
    this.#emit('newLeader', holder);
  }

  #emit<E extends keyof LeaderElectorEvents>(event: E, ...args: LeaderElectorEvents[E]): void {
    try {
      (this.events.emit as (e: E, ...a: LeaderElectorEvents[E]) => boolean)(event, ...args);
    } catch (err) {
      // A listener's bug must not stop renewals, which would cost the lease.
      this.#logger.error(`leader election: a ${event} listener threw`, errorFields(err));
    }
  }

  /** Sleeps on the clock; false when `signal` aborted (the abort is the answer, not an error). */
  async #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#clock.sleep(ms, signal);
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      throw err;
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The record as client-go compares it: a JSON rendering whose times are in whole seconds. */
function renderInSeconds(r: LeaderElectionRecord): string {
  const seconds = (t: number | undefined): number | null => (t === undefined ? null : Math.floor(t / 1000));
  return JSON.stringify([r.holderIdentity, r.leaseDurationSeconds, seconds(r.acquireTime), seconds(r.renewTime), r.leaseTransitions]);
}

function isLostRace(err: unknown): boolean {
  return isConflict(err) || isAlreadyExists(err);
}

function validate(leaseDurationMs: number, renewDeadlineMs: number, retryPeriodMs: number, identity: string): void {
  if (!(leaseDurationMs > renewDeadlineMs)) throw new InvalidOptionsError('leaseDuration must be greater than renewDeadline');
  if (!(renewDeadlineMs > JITTER_FACTOR * retryPeriodMs)) {
    throw new InvalidOptionsError('renewDeadline must be greater than retryPeriod*JitterFactor');
  }
  for (const [field, value] of [['leaseDuration', leaseDurationMs], ['renewDeadline', renewDeadlineMs], ['retryPeriod', retryPeriodMs]] as const) {
    if (!(value > 0)) throw new InvalidOptionsError(`${field} must be greater than zero`);
  }
  if (identity === '') throw new InvalidOptionsError('Lock identity is empty');
}
