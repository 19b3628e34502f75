// Renders CacheStats in the Prometheus text exposition format: one family per counter, one sample per informer.

import { histogramSamples, renderMetricFamilies, type MetricFamily, type MetricSample, type MetricType } from '../api/prometheus-text.ts';
import type { CacheStats, InformerStatsEntry } from './metrics.ts';
import { workingSetFamilies } from './working-set/working-set-prometheus.ts';

export { escapeLabelValue, PROMETHEUS_CONTENT_TYPE } from '../api/prometheus-text.ts';

interface InformerFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly samples: (e: InformerStatsEntry) => readonly MetricSample[];
}

const EVENT_TYPES = [
  ['ADDED', 'added'],
  ['MODIFIED', 'modified'],
  ['DELETED', 'deleted'],
  ['BOOKMARK', 'bookmark'],
  ['ERROR', 'error'],
] as const;

const one = (value: number): readonly MetricSample[] => [{ value }];

const FAMILIES: readonly InformerFamily[] = [
  { name: 'informer_synced', type: 'gauge', help: 'Whether the informer has stored its first list (1) or not (0).', samples: (e) => one(e.synced ? 1 : 0) },
  { name: 'informer_objects', type: 'gauge', help: 'Objects held in the informer store.', samples: (e) => one(e.objects) },
  {
    name: 'informer_events_total',
    type: 'counter',
    help: 'Watch events received, by event type.',
    samples: (e) => EVENT_TYPES.map(([type, field]) => ({ labels: { type }, value: e.events[field] })),
  },
  { name: 'informer_relists_total', type: 'counter', help: 'Lists (or watch-lists) started, the first one included.', samples: (e) => one(e.relists) },
  { name: 'informer_watch_restarts_total', type: 'counter', help: 'Watches the server closed and the informer resumed without relisting.', samples: (e) => one(e.watchRestarts) },
  { name: 'informer_watch_errors_total', type: 'counter', help: 'List and watch failures (each is retried).', samples: (e) => one(e.watchErrors) },
  { name: 'informer_handler_errors_total', type: 'counter', help: 'Event handler calls that threw or rejected.', samples: (e) => one(e.handlerErrors) },
  {
    name: 'informer_last_sync_resource_version',
    type: 'gauge',
    help: 'The resource version the store reflects, when the server uses numeric versions.',
    samples: (e) => (/^\d+$/.test(e.lastSyncResourceVersion) ? one(Number(e.lastSyncResourceVersion)) : []),
  },
  { name: 'informer_listeners', type: 'gauge', help: 'Event handlers registered.', samples: (e) => one(e.listeners) },
  { name: 'informer_listener_queue_depth', type: 'gauge', help: 'Notifications queued across all event handlers.', samples: (e) => one(e.listenerQueueDepthSum) },
  { name: 'informer_listener_queue_depth_max', type: 'gauge', help: 'Notifications queued for the most backlogged event handler.', samples: (e) => one(e.listenerQueueDepthMax) },
  {
    name: 'informer_handler_duration_seconds',
    type: 'histogram',
    help: 'Duration of event handler calls (until a returned promise settles).',
    samples: (e) => handlerHistogram(e),
  },
  {
    name: 'informer_handler_duration_max_seconds',
    type: 'gauge',
    help: 'Longest event handler call so far.',
    samples: (e) => one(e.handlerLatency.maxMs / 1000),
  },
];

function handlerHistogram(e: InformerStatsEntry): MetricSample[] {
  const h = e.handlerLatency;
  const buckets = h.buckets.map((b) => ({ le: b.le / 1000, count: b.count }));
  return histogramSamples({ count: h.count, sum: h.totalMs / 1000, buckets });
}

/**
 * Renders `stats` as Prometheus text: for each metric a `# HELP` and a `# TYPE` line, then one
 * sample per informer labelled `group`, `version`, `kind`, `representation`, `namespace`, and the
 * `kubecache_working_set_*` families with one sample per working set (labelled `group`,
 * `version`, `kind`, `representation`). Every name starts with `kubecache_`. Counters restart
 * from zero for an informer that was removed and created again, which Prometheus treats as a
 * counter reset.
 *
 * @example
 * http.createServer((req, res) => {
 *   res.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
 *   res.end(renderPrometheus(cache.stats()));
 * });
 * @category Observability
 */
export function renderPrometheus(stats: CacheStats): string {
  const families: MetricFamily[] = FAMILIES.map((family) => ({
    name: `kubecache_${family.name}`,
    type: family.type,
    help: family.help,
    samples: stats.informers.flatMap((entry) => {
      const base = informerLabels(entry);
      return family.samples(entry).map((s) => ({ ...s, labels: { ...base, ...s.labels } }));
    }),
  }));
  return renderMetricFamilies([...families, ...workingSetFamilies(stats.workingSets)]);
}

function informerLabels(e: InformerStatsEntry): Record<string, string> {
  return {
    group: e.gvk.group,
    version: e.gvk.version,
    kind: e.gvk.kind,
    representation: e.representation,
    namespace: e.namespace,
  };
}
