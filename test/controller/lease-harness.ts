// Drives leader election on a fake clock over real HTTP: locks that count their requests in flight, and clock steps that wait for them.

import { Transport } from '../../src/client/transport.ts';
import { LeaderElector, type LeaderElectorOptions, type StoppedLeading } from '../../src/controller/leader-elector.ts';
import { LeaseLock, type LeaderElectionRecord, type ResourceLock } from '../../src/controller/lease-lock.ts';
import { FakeClock } from '../../src/api/clock.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';

/** An arbitrary wall-clock start, so written times are recognisable dates. */
export const WALL_START = Date.UTC(2026, 0, 1);

/** A lock that counts its requests in flight, so a test knows when the electors are parked on the clock. */
export class TrackedLock implements ResourceLock {
  readonly #inner: ResourceLock;
  inFlight = 0;

  constructor(inner: ResourceLock) {
    this.#inner = inner;
  }

  get identity(): string {
    return this.#inner.identity;
  }

  describe(): string {
    return this.#inner.describe();
  }

  get(signal?: AbortSignal): Promise<LeaderElectionRecord> {
    return this.#track(() => this.#inner.get(signal));
  }

  create(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    return this.#track(() => this.#inner.create(record, signal));
  }

  update(record: LeaderElectionRecord, signal?: AbortSignal): Promise<void> {
    return this.#track(() => this.#inner.update(record, signal));
  }

  async #track<R>(call: () => Promise<R>): Promise<R> {
    this.inFlight++;
    try {
      return await call();
    } finally {
      this.inFlight--;
    }
  }
}

/** Virtual time shared by the candidates of one test, advanced only when no lock request is in flight. */
export class ElectionClock extends FakeClock {
  readonly locks: TrackedLock[] = [];

  /** Wall-clock time that follows the fake clock. */
  readonly wall = (): number => WALL_START + this.now();

  /** Waits (in real time) until no tracked lock has a request in flight and the event loop is quiet. */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      quiet = this.locks.every((l) => l.inFlight === 0) ? quiet + 1 : 0;
    }
  }

  /** Advances `ms` in steps of `stepMs`, settling after each, or until `until` holds (checked after each step). */
  async step(ms: number, options: { stepMs?: number; until?: () => boolean } = {}): Promise<void> {
    const stepMs = options.stepMs ?? 100;
    await this.settle();
    for (let passed = 0; passed < ms && options.until?.() !== true; passed += stepMs) {
      await this.advance(Math.min(stepMs, ms - passed));
      await this.settle();
    }
  }
}

/** One candidate: its elector, what it saw, and how to stop it. */
export interface Candidate {
  readonly identity: string;
  readonly elector: LeaderElector;
  readonly stop: AbortController;
  readonly done: Promise<void>;
  readonly events: string[];
  readonly stopped: StoppedLeading[];
  readonly leaseErrors: unknown[];
}

/** Starts a candidate for the Lease `default/<lease>` on `clock`, with client-go's default timings and no jitter. */
export function startCandidate(
  server: FakeApiServer,
  clock: ElectionClock,
  lease: string,
  identity: string,
  options: Partial<LeaderElectorOptions> = {},
): Candidate {
  const transport = Transport.fromKubeConfig(server.kubeConfig());
  const lock = new TrackedLock(new LeaseLock({ transport, namespace: 'default', name: lease, identity }));
  clock.locks.push(lock);
  const elector = new LeaderElector({ lock, clock, wallClock: clock.wall, random: () => 0, releaseOnCancel: true, ...options });
  const events: string[] = [];
  const stopped: StoppedLeading[] = [];
  const leaseErrors: unknown[] = [];
  elector.events.on('startedLeading', () => events.push('started'));
  elector.events.on('stoppedLeading', (info) => {
    events.push(info.lost ? 'lost' : 'stopped');
    stopped.push(info);
  });
  elector.events.on('newLeader', (holder) => events.push(`leader:${holder}`));
  elector.events.on('leaseError', (err) => leaseErrors.push(err));
  const stop = new AbortController();
  const done = elector.run(stop.signal).finally(() => transport.close());
  return { identity, elector, stop, done, events, stopped, leaseErrors };
}
