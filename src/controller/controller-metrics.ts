// A controller's reconcile counters (controller-runtime's controller_runtime_* metrics), kept as plain numbers.

import type { HistogramSnapshot } from '../api/prometheus-text.ts';
import { Histogram, RECONCILE_TIME_BUCKETS } from './histogram.ts';
import type { WorkQueueMetrics } from './work-queue.ts';

/**
 * How a reconcile ended, the `result` label of `controller_runtime_reconcile_total`.
 * @category Observability
 */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/**
 * One controller's metrics at one moment.
 * @category Observability
 */
export interface ControllerMetrics {
  /** The controller's name (the `controller` label). */
  readonly name: string;
  /** Reconciles so far by outcome; every outcome is present, 0 until it happens. */
  readonly reconcileTotal: Readonly<Record<ReconcileOutcome, number>>;
  /** Reconciles that threw, terminal errors included. */
  readonly reconcileErrors: number;
  /** Reconciles that threw a TerminalError (not retried). */
  readonly terminalReconcileErrors: number;
  /** Event handler calls (mapping events to requests) that threw; their events were dropped. */
  readonly eventHandlerErrors: number;
  /** Reconcile durations in seconds. */
  readonly reconcileTime: HistogramSnapshot;
  /** The configured number of workers. */
  readonly maxConcurrentReconciles: number;
  /** Workers running a reconcile now. */
  readonly activeWorkers: number;
  /** The controller's work queue. */
  readonly workqueue: WorkQueueMetrics;
}

/** The mutable counters behind {@link ControllerMetrics}. */
export class ControllerCounters {
  readonly reconcileTotal: Record<ReconcileOutcome, number> = { success: 0, error: 0, requeue: 0, requeue_after: 0 };
  reconcileErrors = 0;
  terminalReconcileErrors = 0;
  eventHandlerErrors = 0;
  activeWorkers = 0;
  readonly reconcileTime = new Histogram(RECONCILE_TIME_BUCKETS);

  /** A snapshot with the controller's identity and its queue's metrics. */
  snapshot(name: string, maxConcurrentReconciles: number, workqueue: WorkQueueMetrics): ControllerMetrics {
    return {
      name,
      reconcileTotal: { ...this.reconcileTotal },
      reconcileErrors: this.reconcileErrors,
      terminalReconcileErrors: this.terminalReconcileErrors,
      eventHandlerErrors: this.eventHandlerErrors,
      reconcileTime: this.reconcileTime.snapshot(),
      maxConcurrentReconciles,
      activeWorkers: this.activeWorkers,
      workqueue,
    };
  }
}
