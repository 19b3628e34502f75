// The options of a Manager: its cache and client, leader election, endpoints, graceful shutdown.

import type { Logger } from '../api/logger.ts';
import type { CacheOptions } from '../cache/options.ts';
import type { Clock } from '../api/clock.ts';
import type { ClientOptions } from '../kube-client/options.ts';
import type { ResourceLock } from './lease-lock.ts';

/**
 * Leader election settings of a {@link Manager}; durations default to client-go's 15 s / 10 s / 2 s.
 * @category Controller
 */
export interface ManagerLeaderElectionOptions {
  /** The Lease's name (controller-runtime's `LeaderElectionID`). */
  readonly id: string;
  /** The Lease's namespace. @default the pod's own (read from the service-account mount); required outside a cluster */
  readonly namespace?: string;
  /** This replica's identity in the Lease. @default `<hostname>_<uuid>` */
  readonly identity?: string;
  /** How long a holder's claim lasts after it was last seen to change (LeaderElector's). @default 15000 */
  readonly leaseDurationMs?: number;
  /** How long the leader retries a failed renewal before it steps down. @default 10000 */
  readonly renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew. @default 2000 */
  readonly retryPeriodMs?: number;
  /**
   * Hand the Lease back on a graceful stop whose work finished in time, so a standby takes over at
   * its next attempt. @default true (controller-runtime's default is false)
   */
  readonly releaseOnCancel?: boolean;
  /** Labels of the Lease when this replica creates it. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Elect on this lock instead of a Lease (controller-runtime's `LeaderElectionResourceLockInterface`). */
  readonly lock?: ResourceLock;
}

/**
 * Options of a {@link Manager}.
 * @category Controller
 */
export interface ManagerOptions {
  /** The options of the manager's Cache (its `logger` defaults to the manager's). */
  readonly cache?: CacheOptions;
  /** The options of the manager's Client, e.g. its `fieldOwner` (it always reads from the manager's cache). */
  readonly client?: Omit<ClientOptions, 'cache'>;
  /** Run leader-election runnables only while this replica holds the Lease. @default no election: all run at once */
  readonly leaderElection?: ManagerLeaderElectionOptions;
  /** Serve `GET /metrics` here: `host:port`, `:port` (every interface) or `"0"`. @default '0' (not served) */
  readonly metricsBindAddress?: string;
  /** Serve `/healthz` and `/readyz` here (may equal the metrics address). @default '0' (not served) */
  readonly healthProbeBindAddress?: string;
  /**
   * After the start signal aborts, how long in-flight work may take before its signal aborts and
   * `start` rejects with GracefulShutdownTimeoutError; 0 does not wait, a negative value waits
   * indefinitely. @default 30000
   */
  readonly gracefulShutdownTimeoutMs?: number;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** Time source of the controllers, leader election and the shutdown timeout. @default realClock */
  readonly clock?: Clock;
}
