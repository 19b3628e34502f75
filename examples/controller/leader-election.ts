// Leader election on a coordination.k8s.io/v1 Lease, with client-go's acquire / renew / release cycle.

import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import type { KubeConfig, V1Lease, V1LeaseSpec } from '@kubernetes/client-node';
import { isAlreadyExists, isConflict, isNotFound, realClock, type Clock } from '../../src/index.ts';

/** What the elector tells its owner. */
export interface LeaderCallbacks {
  /**
   * Called once the lease is ours. `signal` aborts when leadership ends (lost, or the elector's
   * run signal aborted). The returned promise should settle soon after `signal` aborts: on a
   * cancelled run the lease is released only after it settles, so two leaders never overlap.
   */
  onStartedLeading(signal: AbortSignal): Promise<void> | void;
  /** Called once when leadership ends, after the lease was released (if it was). */
  onStoppedLeading(): void;
  /** Called whenever the observed holder changes, ourselves included; `''` means nobody. */
  onNewLeader?(identity: string): void;
}

/** Options of a {@link LeaderElector}; durations in milliseconds, defaults as in client-go. */
export interface LeaderElectionConfig {
  /** Namespace of the Lease. */
  readonly leaseNamespace: string;
  /** Name of the Lease. */
  readonly leaseName: string;
  /** This replica's unique identity, written as `holderIdentity`. */
  readonly identity: string;
  readonly callbacks: LeaderCallbacks;
  /** How long a lease stays valid after its last renewal (written in whole seconds). @default 15000 */
  readonly leaseDuration?: number;
  /** How long the leader keeps retrying a failed renewal before it gives up. @default 10000 */
  readonly renewDeadline?: number;
  /** Time between attempts to acquire or renew. @default 2000 */
  readonly retryPeriod?: number;
  /** On a cancelled run, hand the lease back so another replica takes over at once. @default true */
  readonly releaseOnCancel?: boolean;
  /** Told about failed Lease requests (a lost race, a 409, is normal and not reported). @default console.warn */
  readonly onError?: (error: LeaderElectionError) => void;
  /** Timer source for waits. @default realClock */
  readonly clock?: Clock;
  /** Wall-clock time in ms since the epoch, for renewTime and expiry. @default Date.now */
  readonly wallTime?: () => number;
}

/** The Lease request that failed. */
export type LeaderElectionFailure = 'GetFailed' | 'CreateFailed' | 'UpdateFailed' | 'ReleaseFailed';

/**
 * A Lease request failed. Always retryable: the elector itself retries every retryPeriod, and a
 * leader that cannot renew within renewDeadline steps down.
 */
export class LeaderElectionError extends Error {
  override readonly name = 'LeaderElectionError';
  /** Which request failed. */
  readonly reason: LeaderElectionFailure;
  /** The HTTP status of the failed request, 0 when none was received. */
  readonly code: number;

  constructor(reason: LeaderElectionFailure, lease: string, cause: unknown) {
    const code = typeof (cause as { code?: unknown } | null)?.code === 'number' ? (cause as { code: number }).code : 0;
    super(`lease ${lease}: ${reason} (${code}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.reason = reason;
    this.code = code;
  }
}

/** client-go's wait.Jitter factor for the acquire loop: waits fall in [period, 2.2 × period). */
const JITTER_FACTOR = 1.2;

/**
 * Competes for a Lease and runs the callbacks as leadership comes and goes, like client-go's
 * `LeaderElector`. The lease is free when it is absent, has no holder, or its
 * `renewTime + leaseDurationSeconds` lies in the past; writes use the read resourceVersion, so
 * of two replicas racing for a free lease one gets a 409 and keeps waiting. Expiry is judged
 * from the record's renewTime as the brief asks; client-go instead times it from when it first
 * observed the record, which tolerates clock skew between replicas.
 *
 * @example
 * const elector = new LeaderElector(kubeConfig, {
 *   leaseNamespace: 'default', leaseName: 'my-controller', identity: hostname(),
 *   callbacks: { onStartedLeading: (signal) => queue.run(reconcile, { signal }), onStoppedLeading: () => process.exit(0) },
 * });
 * await elector.run(shutdownSignal);
 */
export class LeaderElector {
  readonly #api: CoordinationV1Api;
  readonly #config: LeaderElectionConfig;
  readonly #leaseDuration: number;
  readonly #renewDeadline: number;
  readonly #retryPeriod: number;
  readonly #clock: Clock;
  readonly #wallTime: () => number;
  #isLeader = false;
  #observedHolder: string | undefined;

  constructor(kubeConfig: KubeConfig, config: LeaderElectionConfig) {
    this.#leaseDuration = config.leaseDuration ?? 15_000;
    this.#renewDeadline = config.renewDeadline ?? 10_000;
    this.#retryPeriod = config.retryPeriod ?? 2_000;
    validate(config.identity, this.#leaseDuration, this.#renewDeadline, this.#retryPeriod);
    this.#api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.#config = config;
    this.#clock = config.clock ?? realClock;
    this.#wallTime = config.wallTime ?? Date.now;
  }

  /** True while this replica holds the lease. */
  isLeader(): boolean {
    return this.#isLeader;
  }

  /** The holder last seen on the Lease (`''` for nobody), or undefined before the first read. */
  getLeader(): string | undefined {
    return this.#observedHolder;
  }

  /**
   * Waits for the lease, leads until the lease is lost or `signal` aborts, then returns. Like
   * client-go, one elector leads at most once: create a new one to compete again.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.#acquire(signal))) return;
    this.#isLeader = true;
    const leading = new AbortController();
    const stopLeading = (): void => leading.abort(signal.reason);
    signal.addEventListener('abort', stopLeading, { once: true });
    const work = this.#startLeading(leading.signal);
    const outcome = await this.#renewUntilLostOrAborted(signal);
    // Not the leader from here on, though the work may take a moment to stop: a lost lease may
    // already be someone else's, and a cancelled one will be once released.
    this.#isLeader = false;
    signal.removeEventListener('abort', stopLeading);
    leading.abort(new Error(`leadership of ${this.#leaseKey()} ended: ${outcome}`));
    await work;
    if (outcome === 'aborted' && this.#config.releaseOnCancel !== false) await this.#release();
    this.#config.callbacks.onStoppedLeading();
  }

  async #startLeading(signal: AbortSignal): Promise<void> {
    try {
      await this.#config.callbacks.onStartedLeading(signal);
    } catch (error) {
      // The leader's work failing is the owner's business; leadership itself goes on until it ends.
      console.error(`onStartedLeading for ${this.#leaseKey()} failed:`, error);
    }
  }

  /** Tries every retryPeriod (jittered) until the lease is ours; false if `signal` aborts first. */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      if (await orFalseOnAbort(this.#tryAcquireOrRenew(signal), signal)) return true;
      const wait = this.#retryPeriod * (1 + Math.random() * JITTER_FACTOR);
      if (!(await this.#sleep(wait, signal))) return false;
    }
  }

  /** Renews every retryPeriod; a round that cannot renew within renewDeadline loses the lease. */
  async #renewUntilLostOrAborted(signal: AbortSignal): Promise<'lost' | 'aborted'> {
    for (;;) {
      if (!(await this.#sleep(this.#retryPeriod, signal))) return 'aborted';
      const deadline = this.#clock.now() + this.#renewDeadline;
      for (;;) {
        const left = deadline - this.#clock.now();
        if (left <= 0) return 'lost';
        if (await this.#attemptWithin(left)) break;
        if (signal.aborted) return 'aborted';
        const untilDeadline = deadline - this.#clock.now();
        if (untilDeadline <= 0) return 'lost';
        if (!(await this.#sleep(Math.min(this.#retryPeriod, untilDeadline), signal))) return 'aborted';
      }
    }
  }

  /** One read-modify-write of the Lease; true if we hold it afterwards. No write once `cancelled` aborted. */
  async #tryAcquireOrRenew(cancelled?: AbortSignal): Promise<boolean> {
    const now = this.#wallTime();
    let lease: V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ name: this.#config.leaseName, namespace: this.#config.leaseNamespace });
    } catch (error) {
      if (!isNotFound(error)) return this.#fail('GetFailed', error);
      return cancelled?.aborted === true ? false : this.#create(now);
    }
    if (cancelled?.aborted === true) return false;
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.#observe(holder);
    if (holder !== '' && holder !== this.#config.identity && !this.#expired(spec, now)) return false;
    const ours = holder === this.#config.identity;
    const body: V1Lease = {
      ...lease,
      spec: {
        holderIdentity: this.#config.identity,
        leaseDurationSeconds: Math.ceil(this.#leaseDuration / 1000),
        acquireTime: ours && spec.acquireTime !== undefined ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
      },
    };
    return this.#replace(body, 'UpdateFailed');
  }

  async #create(now: number): Promise<boolean> {
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.#config.leaseName, namespace: this.#config.leaseNamespace },
      spec: {
        holderIdentity: this.#config.identity,
        leaseDurationSeconds: Math.ceil(this.#leaseDuration / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      },
    };
    try {
      await this.#api.createNamespacedLease({ namespace: this.#config.leaseNamespace, body });
    } catch (error) {
      // AlreadyExists: another replica created it first, which is a lost race, not a failure.
      return isAlreadyExists(error) || isConflict(error) ? false : this.#fail('CreateFailed', error);
    }
    this.#observe(this.#config.identity);
    return true;
  }

  async #replace(body: V1Lease, failure: LeaderElectionFailure): Promise<boolean> {
    try {
      await this.#api.replaceNamespacedLease({ name: this.#config.leaseName, namespace: this.#config.leaseNamespace, body });
    } catch (error) {
      // A 409 means the lease changed since we read it: someone else renewed or won it.
      return isConflict(error) ? false : this.#fail(failure, error);
    }
    this.#observe(body.spec?.holderIdentity ?? '');
    return true;
  }

  /** Hands the lease back: no holder and a 1 s duration, so a waiting replica takes it at once. */
  async #release(): Promise<void> {
    let lease: V1Lease;
    try {
      lease = await this.#api.readNamespacedLease({ name: this.#config.leaseName, namespace: this.#config.leaseNamespace });
    } catch (error) {
      this.#fail('ReleaseFailed', error);
      return;
    }
    const spec = lease.spec ?? {};
    if (spec.holderIdentity !== this.#config.identity) return;
    const now = microTime(this.#wallTime());
    const released: V1LeaseSpec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
    if (spec.leaseTransitions !== undefined) released.leaseTransitions = spec.leaseTransitions;
    await this.#replace({ ...lease, spec: released }, 'ReleaseFailed');
  }

  #expired(spec: V1LeaseSpec, now: number): boolean {
    if (spec.renewTime === undefined) return true;
    // client-node hands MicroTime back as the wire string despite its Date type; Date accepts both.
    const renewed = new Date(spec.renewTime).getTime();
    return Number.isNaN(renewed) || renewed + (spec.leaseDurationSeconds ?? 0) * 1000 < now;
  }

  #observe(holder: string): void {
    if (holder === this.#observedHolder) return;
    this.#observedHolder = holder;
    this.#config.callbacks.onNewLeader?.(holder);
  }

  #fail(reason: LeaderElectionFailure, cause: unknown): false {
    const error = new LeaderElectionError(reason, this.#leaseKey(), cause);
    (this.#config.onError ?? ((e: LeaderElectionError) => console.warn(e.message)))(error);
    return false;
  }

  /** Sleeps on the clock; false if `signal` aborted (the abort itself is the answer, not an error). */
  async #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.#clock.sleep(ms, signal);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      throw error;
    }
  }

  /**
   * One attempt bounded by `ms`: a hung request must not outlive the renew deadline. A timed-out
   * attempt counts as failed and is told to make no further write once its read returns.
   */
  async #attemptWithin(ms: number): Promise<boolean> {
    const timedOut = new AbortController();
    const handle = this.#clock.setTimeout(() => timedOut.abort(), ms);
    const timeout = new Promise<boolean>((resolve) => {
      timedOut.signal.addEventListener('abort', () => resolve(false), { once: true });
    });
    try {
      return await Promise.race([this.#tryAcquireOrRenew(timedOut.signal), timeout]);
    } finally {
      this.#clock.clearTimeout(handle);
    }
  }

  #leaseKey(): string {
    return `${this.#config.leaseNamespace}/${this.#config.leaseName}`;
  }
}

/** `attempt`'s answer, or false as soon as `signal` aborts (a hung request must not delay shutdown). */
function orFalseOnAbort(attempt: Promise<boolean>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<boolean>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([attempt, aborted]).finally(() => {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  });
}

function microTime(ms: number): V1MicroTime {
  return new V1MicroTime(ms);
}

function validate(identity: string, leaseDuration: number, renewDeadline: number, retryPeriod: number): void {
  if (identity === '') throw new TypeError('identity must not be empty');
  if (!(retryPeriod > 0)) throw new TypeError(`retryPeriod must be positive, got ${retryPeriod}`);
  if (!(leaseDuration > renewDeadline)) {
    throw new TypeError(`leaseDuration (${leaseDuration}) must be greater than renewDeadline (${renewDeadline})`);
  }
  if (!(renewDeadline > JITTER_FACTOR * retryPeriod)) {
    throw new TypeError(`renewDeadline (${renewDeadline}) must be greater than ${JITTER_FACTOR} × retryPeriod (${retryPeriod})`);
  }
}
