// kubecache/controller: the controller-manager the Cache is embedded in — work queue, rate limiters, leader election, Controller, Manager.

/**
 * kubecache's controller-manager: {@link Manager} (one Cache and one Client, leader election on a
 * Lease, health probes and metrics, graceful shutdown), {@link Controller} (watches, event handlers,
 * predicates, workers), and client-go's {@link WorkQueue}, rate limiters and {@link LeaderElector}.
 *
 * @packageDocumentation
 * @module kubecache/controller
 */

// First: on a Node.js too old for undici, fail with NodeVersionError before anything else loads.
import '../node-version.ts';

export { WORKQUEUE_DURATION_BUCKETS, WorkQueue, type WorkQueueMetrics, type WorkQueueOptions } from './work-queue.ts';
export {
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from './rate-limiter.ts';
export { BucketRateLimiter } from './bucket-rate-limiter.ts';
export {
  LeaderElector,
  type LeaderElectionMetrics,
  type LeaderElectorEvents,
  type LeaderElectorOptions,
  type StoppedLeading,
} from './leader-elector.ts';
export { LeaseLock, type LeaderElectionRecord, type LeaseLockOptions, type ResourceLock } from './lease-lock.ts';
export { Controller, type ControllerEvents, type ControllerOptions } from './controller.ts';
export { RECONCILE_TIME_BUCKETS, type ControllerMetrics, type ReconcileOutcome } from './controller-metrics.ts';
export {
  enqueueRequestForObject,
  enqueueRequestForOwner,
  enqueueRequestsFromMapFunc,
  type ControllerEvent,
  type EnqueueRequestForOwnerOptions,
  type EventHandler,
  type HandlerContext,
} from './event-handlers.ts';
export {
  and,
  annotationChangedPredicate,
  generationChangedPredicate,
  labelChangedPredicate,
  not,
  or,
  resourceVersionChangedPredicate,
  type Predicate,
} from './predicates.ts';
export { isTerminalError, requestKey, requestOfKey, TerminalError, type Reconciler, type Request, type Result } from './reconcile.ts';
export type { Runnable, RunnableStartOptions } from './runnable.ts';
export { Manager } from './manager.ts';
export type { ManagerLeaderElectionOptions, ManagerOptions } from './manager-options.ts';
export { ping, type HealthCheck } from './healthz.ts';
export { renderControllerPrometheus, type ControllerMetricsInput } from './prometheus.ts';
export {
  AlreadyStartedError,
  CacheSyncFailedError,
  ControllerError,
  DuplicateControllerNameError,
  GracefulShutdownTimeoutError,
  InvalidOptionsError,
  LeaderElectionLostError,
  LeaseNotInitializedError,
  StopEngagedError,
  type ControllerErrorReason,
} from './errors.ts';
