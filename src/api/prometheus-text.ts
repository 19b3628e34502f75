// The Prometheus text exposition format (version 0.0.4), written without a client library.

/**
 * The Content-Type to serve Prometheus text with.
 * @category Observability
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The metric types kubecache exposes. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One sample line: the family's name plus `suffix` (`_bucket`, `_sum`, `_count`), labels and a value. */
export interface MetricSample {
  readonly suffix?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric: its `# HELP` and `# TYPE` lines, then its samples. */
export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly samples: readonly MetricSample[];
}

/** A cumulative histogram as Prometheus wants it: bucket counts include every smaller bucket. */
export interface HistogramSnapshot {
  /** Observations so far. */
  readonly count: number;
  /** Their sum, in the histogram's unit. */
  readonly sum: number;
  /** Observations at most `le`, for each bound (the `+Inf` bucket is `count`). */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

/** The `_bucket`, `_sum` and `_count` samples of a histogram, each carrying `labels`. */
export function histogramSamples(h: HistogramSnapshot, labels: Readonly<Record<string, string>> = {}): MetricSample[] {
  return [
    ...h.buckets.map((b) => ({ suffix: '_bucket', labels: { ...labels, le: formatValue(b.le) }, value: b.count })),
    { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: h.count },
    { suffix: '_sum', labels, value: h.sum },
    { suffix: '_count', labels, value: h.count },
  ];
}

/** Renders `families` in order, ending with a line feed. */
export function renderMetricFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const s of family.samples) {
      lines.push(`${family.name}${s.suffix ?? ''}${formatLabels(s.labels ?? {})} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Escapes a label value: backslash, double quote and line feed, as the exposition format requires.
 * @category Observability
 */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
