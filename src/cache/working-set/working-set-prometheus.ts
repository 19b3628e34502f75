// The working sets' Prometheus families: one sample per working set, labelled with its kind and representation.

import type { MetricFamily } from '../../api/prometheus-text.ts';
import type { WorkingSetStatsEntry } from './working-set-stats.ts';

type Field = Exclude<keyof WorkingSetStatsEntry, 'gvk' | 'representation'>;

const FAMILIES: readonly { readonly name: string; readonly type: 'counter' | 'gauge'; readonly help: string; readonly field: Field }[] = [
  { name: 'working_set_objects', type: 'gauge', help: 'Full objects held by the working set.', field: 'objects' },
  { name: 'working_set_bytes', type: 'gauge', help: 'Size of the full objects held (the length of their JSON).', field: 'bytes' },
  { name: 'working_set_max_objects', type: 'gauge', help: 'The working set bound on objects (+Inf: none).', field: 'maxObjects' },
  { name: 'working_set_max_bytes', type: 'gauge', help: 'The working set bound on bytes (+Inf: none).', field: 'maxBytes' },
  { name: 'working_set_hits_total', type: 'counter', help: 'Objects read from the working set at the metadata cache version.', field: 'hits' },
  { name: 'working_set_misses_total', type: 'counter', help: 'Objects read that needed the server.', field: 'misses' },
  { name: 'working_set_hydrations_total', type: 'counter', help: 'Full objects received from the server by GET or live LIST.', field: 'hydrations' },
  { name: 'working_set_evictions_total', type: 'counter', help: 'Full objects dropped to stay within the bounds, least recently read first.', field: 'evictions' },
  { name: 'working_set_invalidations_total', type: 'counter', help: 'Full objects dropped because a newer version or a delete was watched.', field: 'invalidations' },
  { name: 'working_set_get_requests_total', type: 'counter', help: 'GET requests sent for full objects.', field: 'getRequests' },
  { name: 'working_set_list_requests_total', type: 'counter', help: 'LIST requests (pages) sent for full objects.', field: 'listRequests' },
  { name: 'working_set_refresh_errors_total', type: 'counter', help: 'Refreshes (onUpdate refresh) that failed.', field: 'refreshErrors' },
];

/** The working-set families of `entries`, every name prefixed `kubecache_`; labels `group`, `version`, `kind`, `representation`. */
export function workingSetFamilies(entries: readonly WorkingSetStatsEntry[]): MetricFamily[] {
  return FAMILIES.map((f) => ({
    name: `kubecache_${f.name}`,
    type: f.type,
    help: f.help,
    samples: entries.map((e) => ({
      labels: { group: e.gvk.group, version: e.gvk.version, kind: e.gvk.kind, representation: e.representation },
      value: e[f.field],
    })),
  }));
}
