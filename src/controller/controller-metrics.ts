// A controller's reconcile counters (controller-runtime's controller_runtime_* metrics), kept as plain numbers.

import type { HistogramSnapshot } from '../api/prometheus-text.ts';
import { Histogram } from '../api/histogram.ts';
import type { WorkQueueMetrics } from './work-queue.ts';

/**
 * Reconcile duration buckets (seconds), controller-runtime's `controller_runtime_reconcile_time_seconds`.
 * @category Observability
 */
export const RECONCILE_TIME_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5,
  3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
]);

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
