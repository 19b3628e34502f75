// Summaries of the runs: the JSON lines, the ratios, the targets and the Markdown table.

import type { ContenderName } from './contender.ts';
import { SCENARIO_INFO, SCENARIOS, type ScenarioName } from './scenarios.ts';

/** One scenario × contender over all runs: the line `npm run bench` prints. */
export interface ResultLine {
  readonly scenario: ScenarioName;
  readonly contender: ContenderName;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  readonly runs: number;
  /** Medians (and maxima, as `<name>Max`) of additional per-run numbers: maxStallMs, maxCpuStallMs, cpuMs, perCpuSecond, viaCache. */
  readonly [extra: string]: number | string;
}

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000;
}

/** Builds the line of one scenario × contender from its per-run values and extras. */
export function summarise(
  scenario: ScenarioName,
  contender: ContenderName,
  values: readonly number[],
  extras: Readonly<Record<string, readonly number[]>>,
): ResultLine {
  const line: Record<string, number | string> = {
    scenario,
    contender,
    median: round(median(values)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    unit: SCENARIO_INFO[scenario].unit,
    runs: values.length,
  };
  for (const [name, list] of Object.entries(extras)) {
    line[name] = round(median(list));
    line[`${name}Max`] = round(Math.max(...list));
  }
  return line as unknown as ResultLine;
}

type Lookup = (scenario: ScenarioName, contender: ContenderName, field?: string) => number | undefined;

function lookupIn(lines: readonly ResultLine[]): Lookup {
  return (scenario, contender, field = 'median') => {
    const line = lines.find((l) => l.scenario === scenario && l.contender === contender);
    const v = line?.[field];
    return typeof v === 'number' ? v : undefined;
  };
}

/** A target of the issue, evaluated on one run's medians. */
export interface TargetResult {
  readonly target: string;
  readonly actual: string;
  readonly met: boolean | undefined;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

function check(target: string, value: number | undefined, ok: (v: number) => boolean, show: (v: number) => string): TargetResult {
  return value === undefined ? { target, actual: 'n/a', met: undefined } : { target, actual: show(value), met: ok(value) };
}

const x = (v: number): string => `${v.toFixed(2)}x`;

/** Evaluates every target of the issue against the medians. */
export function evaluateTargets(lines: readonly ResultLine[]): TargetResult[] {
  const get = lookupIn(lines);
  const kc = (s: ScenarioName, field?: string): number | undefined => get(s, 'kubecache', field);
  const freezeCost = ratio(kc('watch-ingest'), kc('freeze-off'));
  const cpu = (s: ScenarioName, c: ContenderName = 'kubecache'): number | undefined => get(s, c, 'perCpuSecond');
  const freezeCpuCost = ratio(cpu('watch-ingest'), cpu('freeze-off'));
  return [
    check('watch-ingest >= 0.85x floor', ratio(kc('watch-ingest'), get('watch-ingest', 'floor')), (v) => v >= 0.85, x),
    check('watch-ingest >= 1.3x client-node', ratio(kc('watch-ingest'), get('watch-ingest', 'client-node')), (v) => v >= 1.3, x),
    check('initial-sync wall <= 0.8x client-node', ratio(kc('initial-sync'), get('initial-sync', 'client-node')), (v) => v <= 0.8, x),
    check('initial-sync max stall <= 50 ms', kc('initial-sync', 'maxStallMs'), (v) => v <= 50, (v) => `${v.toFixed(1)} ms`),
    check('watch-ingest max stall (CPU) <= 50 ms', kc('watch-ingest', 'maxCpuStallMs'), (v) => v <= 50, (v) => `${v.toFixed(1)} ms`),
    check('memory-full <= 0.8x client-node', ratio(kc('memory-full'), get('memory-full', 'client-node')), (v) => v <= 0.8, x),
    check('memory-metadata <= 0.15x memory-full', ratio(kc('memory-metadata'), kc('memory-full')), (v) => v <= 0.15, x),
    check('read-index >= 100x faster than read-scan', ratio(kc('read-scan'), kc('read-index')), (v) => v >= 100, x),
    check('(Cache) read-index >= 100x faster than read-scan', ratio(kc('read-scan', 'viaCache'), kc('read-index', 'viaCache')), (v) => v >= 100, x),
    check('fanout-10 >= 0.7x watch-ingest', ratio(kc('fanout-10'), kc('watch-ingest')), (v) => v >= 0.7, x),
    check('freeze cost < 15%', freezeCost === undefined ? undefined : 1 - freezeCost, (v) => v < 0.15, (v) => `${(v * 100).toFixed(1)}%`),
    // The same ingest targets on CPU time, which a busy machine disturbs far less than wall time.
    check('(CPU) watch-ingest >= 0.85x floor', ratio(cpu('watch-ingest'), cpu('watch-ingest', 'floor')), (v) => v >= 0.85, x),
    check('(CPU) watch-ingest >= 1.3x client-node', ratio(cpu('watch-ingest'), cpu('watch-ingest', 'client-node')), (v) => v >= 1.3, x),
    check('(CPU) fanout-10 >= 0.7x watch-ingest', ratio(cpu('fanout-10'), cpu('watch-ingest')), (v) => v >= 0.7, x),
    check('(CPU) freeze cost < 15%', freezeCpuCost === undefined ? undefined : 1 - freezeCpuCost, (v) => v < 0.15, (v) => `${(v * 100).toFixed(1)}%`),
  ];
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);
}

/** Ratio of kubecache to another contender, oriented so that > 1 means kubecache is better. */
function betterRatio(scenario: ScenarioName, kc: number | undefined, other: number | undefined): string {
  const r = SCENARIO_INFO[scenario].higherIsBetter ? ratio(kc, other) : ratio(other, kc);
  return r === undefined ? '—' : x(r);
}

/** Extra rows under a scenario: field, label, unit (undefined = the scenario's), whether more is better. */
const EXTRA_ROWS: readonly (readonly [string, string, string | undefined, boolean])[] = [
  ['viaCache', 'via Cache (async)', undefined, false],
  ['perCpuSecond', 'per CPU second', 'events/CPU-s', true],
  ['cpuMs', 'CPU time', 'ms', false],
  ['maxStallMs', 'max stall', 'ms', false],
  ['maxCpuStallMs', 'max stall (CPU)', 'ms', false],
];

/** The Markdown report: environment, one row per scenario, then the targets. */
export function markdownReport(lines: readonly ResultLine[], env: { cores: number; node: string; cpu: string; sizes: string; load: string }): string {
  const get = lookupIn(lines);
  const out = [
    `Node ${env.node}, ${env.cores} cores (${env.cpu}), load average at the end ${env.load}; ${env.sizes}.`,
    'Medians of the runs; ratios > 1 mean kubecache is better.',
    '',
    '| scenario | unit | kubecache | client-node | floor | kubecache vs floor | kubecache vs client-node |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const s of SCENARIOS) {
    const kc = get(s, 'kubecache');
    const cn = get(s, 'client-node');
    const fl = get(s, 'floor');
    if (kc === undefined && cn === undefined && fl === undefined) continue;
    out.push(`| ${s} | ${SCENARIO_INFO[s].unit} | ${fmt(kc)} | ${fmt(cn)} | ${fmt(fl)} | ${betterRatio(s, kc, fl)} | ${betterRatio(s, kc, cn)} |`);
    for (const [field, label, unit, higher] of EXTRA_ROWS) {
      const [k, c, f] = (['kubecache', 'client-node', 'floor'] as const).map((name) => get(s, name, field));
      if (k === undefined && c === undefined && f === undefined) continue;
      const r = (other: number | undefined): string => {
        const v = higher ? ratio(k, other) : ratio(other, k);
        return v === undefined ? '—' : x(v);
      };
      out.push(`| ${s} ${label} | ${unit ?? SCENARIO_INFO[s].unit} | ${fmt(k)} | ${fmt(c)} | ${fmt(f)} | ${r(f)} | ${r(c)} |`);
    }
  }
  out.push('', '| target | actual | met |', '|---|---:|:---:|');
  for (const t of evaluateTargets(lines)) out.push(`| ${t.target} | ${t.actual} | ${t.met === undefined ? 'n/a' : t.met ? 'met' : 'missed'} |`);
  return out.join('\n');
}
