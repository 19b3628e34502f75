// Renders controller, work-queue and leader-election metrics as Prometheus text, under controller-runtime's names.

import { histogramSamples, renderMetricFamilies, type MetricFamily, type MetricSample } from '../api/prometheus-text.ts';
import type { ControllerMetrics, ReconcileOutcome } from './controller-metrics.ts';
import type { LeaderElectionMetrics } from './leader-elector.ts';
import type { WorkQueueMetrics } from './work-queue.ts';

/**
 * What {@link renderControllerPrometheus} renders.
 * @category Observability
 */
export interface ControllerMetricsInput {
  readonly controllers: readonly ControllerMetrics[];
  /** Absent when the manager runs without leader election. */
  readonly leaderElection?: LeaderElectionMetrics | undefined;
}

const OUTCOMES: readonly ReconcileOutcome[] = ['success', 'error', 'requeue', 'requeue_after'];

type PerController = (c: ControllerMetrics, labels: Record<string, string>) => MetricSample[];
type PerQueue = (q: WorkQueueMetrics, labels: Record<string, string>) => MetricSample[];

const controllerFamilies: readonly [name: string, type: MetricFamily['type'], help: string, samples: PerController][] = [
  ['controller_runtime_reconcile_total', 'counter', 'Total number of reconciliations per controller.', (c, l) =>
    OUTCOMES.map((result) => ({ labels: { ...l, result }, value: c.reconcileTotal[result] }))],
  ['controller_runtime_reconcile_errors_total', 'counter', 'Total number of reconciliation errors per controller.', (c, l) => [{ labels: l, value: c.reconcileErrors }]],
  ['controller_runtime_terminal_reconcile_errors_total', 'counter', 'Total number of terminal reconciliation errors per controller.', (c, l) => [
    { labels: l, value: c.terminalReconcileErrors },
  ]],
  ['controller_runtime_reconcile_time_seconds', 'histogram', 'Length of time per reconciliation per controller.', (c, l) => histogramSamples(c.reconcileTime, l)],
  ['controller_runtime_max_concurrent_reconciles', 'gauge', 'Maximum number of concurrent reconciles per controller.', (c, l) => [
    { labels: l, value: c.maxConcurrentReconciles },
  ]],
  ['controller_runtime_active_workers', 'gauge', 'Number of currently used workers per controller.', (c, l) => [{ labels: l, value: c.activeWorkers }]],
  ['kubecache_controller_event_handler_errors_total', 'counter', 'Event handler or predicate calls that threw (their events were dropped).', (c, l) => [
    { labels: l, value: c.eventHandlerErrors },
  ]],
];

const queueFamilies: readonly [name: string, type: MetricFamily['type'], help: string, samples: PerQueue][] = [
  ['workqueue_depth', 'gauge', 'Current depth of workqueue.', (q, l) => [{ labels: l, value: q.depth }]],
  ['workqueue_adds_total', 'counter', 'Total number of adds handled by workqueue.', (q, l) => [{ labels: l, value: q.adds }]],
  ['workqueue_queue_duration_seconds', 'histogram', 'How long in seconds an item stays in workqueue before being requested.', (q, l) =>
    histogramSamples(q.queueDuration, l)],
  ['workqueue_work_duration_seconds', 'histogram', 'How long in seconds processing an item from workqueue takes.', (q, l) => histogramSamples(q.workDuration, l)],
  ['workqueue_unfinished_work_seconds', 'gauge', 'How many seconds of work has been done that is in progress and hasn\'t been observed by work_duration.', (q, l) => [
    { labels: l, value: q.unfinishedWorkSeconds },
  ]],
  ['workqueue_longest_running_processor_seconds', 'gauge', 'How many seconds has the longest running processor for workqueue been running.', (q, l) => [
    { labels: l, value: q.longestRunningProcessorSeconds },
  ]],
  ['workqueue_retries_total', 'counter', 'Total number of retries handled by workqueue.', (q, l) => [{ labels: l, value: q.retries }]],
];

/**
 * Renders the metrics controller-runtime exposes for controllers (`controller_runtime_*`, labelled
 * `controller`), their work queues (`workqueue_*`, labelled `name` and `controller`) and leader
 * election (`leader_election_*`, labelled `name`), with upstream's names, so existing dashboards
 * and alerts apply. Concatenate with the cache's `renderPrometheus` for one scrape.
 *
 * @example
 * res.end(renderPrometheus(cache.stats()) + renderControllerPrometheus({ controllers: [controller.metrics()] }));
 * @category Observability
 */
export function renderControllerPrometheus(input: ControllerMetricsInput): string {
  const families: MetricFamily[] = [
    ...controllerFamilies.map(([name, type, help, samples]) => ({
      name,
      type,
      help,
      samples: input.controllers.flatMap((c) => samples(c, { controller: c.name })),
    })),
    ...queueFamilies.map(([name, type, help, samples]) => ({
      name,
      type,
      help,
      samples: input.controllers.flatMap((c) => samples(c.workqueue, { name: c.workqueue.name, controller: c.name })),
    })),
  ];
  const le = input.leaderElection;
  if (le !== undefined) {
    families.push(
      { name: 'leader_election_master_status', type: 'gauge', help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.', samples: [{ labels: { name: le.name }, value: le.isLeader ? 1 : 0 }] },
      { name: 'leader_election_slowpath_total', type: 'counter', help: 'Total number of slow path exercised in renewing leader leases.', samples: [{ labels: { name: le.name }, value: le.slowpathTotal }] },
    );
  }
  return renderMetricFamilies(families);
}
