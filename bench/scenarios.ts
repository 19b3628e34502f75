// The benchmark's scenarios, the jobs that measure them, and the sizes of a full and a quick run.

import type { CacheMode, ContenderName } from './contender.ts';
import type { DatasetSpec } from './dataset.ts';

/** Every scenario, in report order. */
export const SCENARIOS = [
  'watch-ingest',
  'fanout-10',
  'freeze-off',
  'initial-sync',
  'memory-full',
  'memory-metadata',
  'memory-transform',
  'read-get',
  'read-namespace',
  'read-index',
  'read-scan',
  'reconcile-1',
  'reconcile-10',
] as const;

/** One of {@link SCENARIOS}. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** The unit a scenario reports in, and whether more is better. */
export interface ScenarioInfo {
  readonly unit: 'events/s' | 'ms' | 'bytes/pod' | 'ns/op' | 'µs/op' | 'reconciles/s';
  readonly higherIsBetter: boolean;
  readonly contenders: readonly ContenderName[];
  /** The data set the scenario runs against. */
  readonly dataset: 'ingest' | 'sync';
}

const ALL: readonly ContenderName[] = ['kubecache', 'client-node', 'floor'];
const INFORMERS: readonly ContenderName[] = ['kubecache', 'client-node'];
const KUBECACHE: readonly ContenderName[] = ['kubecache'];

/** What each scenario measures and who takes part (client-node has no metadata mode, transform or index). */
export const SCENARIO_INFO: Readonly<Record<ScenarioName, ScenarioInfo>> = {
  'watch-ingest': { unit: 'events/s', higherIsBetter: true, contenders: ALL, dataset: 'ingest' },
  'fanout-10': { unit: 'events/s', higherIsBetter: true, contenders: INFORMERS, dataset: 'ingest' },
  'freeze-off': { unit: 'events/s', higherIsBetter: true, contenders: KUBECACHE, dataset: 'ingest' },
  'initial-sync': { unit: 'ms', higherIsBetter: false, contenders: ALL, dataset: 'sync' },
  'memory-full': { unit: 'bytes/pod', higherIsBetter: false, contenders: ALL, dataset: 'ingest' },
  'memory-metadata': { unit: 'bytes/pod', higherIsBetter: false, contenders: KUBECACHE, dataset: 'ingest' },
  'memory-transform': { unit: 'bytes/pod', higherIsBetter: false, contenders: KUBECACHE, dataset: 'ingest' },
  'read-get': { unit: 'ns/op', higherIsBetter: false, contenders: ALL, dataset: 'ingest' },
  'read-namespace': { unit: 'µs/op', higherIsBetter: false, contenders: INFORMERS, dataset: 'ingest' },
  'read-index': { unit: 'µs/op', higherIsBetter: false, contenders: KUBECACHE, dataset: 'ingest' },
  'read-scan': { unit: 'µs/op', higherIsBetter: false, contenders: ALL, dataset: 'ingest' },
  'reconcile-1': { unit: 'reconciles/s', higherIsBetter: true, contenders: KUBECACHE, dataset: 'ingest' },
  'reconcile-10': { unit: 'reconciles/s', higherIsBetter: true, contenders: KUBECACHE, dataset: 'ingest' },
};

/**
 * One measurement in one fresh process. The four read scenarios share a job (one sync, four
 * loops); every other scenario is a job of its own.
 */
export type Job =
  | { readonly kind: 'ingest'; readonly scenario: 'watch-ingest' | 'fanout-10' | 'freeze-off'; readonly handlers: number; readonly freeze: boolean }
  | { readonly kind: 'sync'; readonly scenario: 'initial-sync' }
  | { readonly kind: 'memory'; readonly scenario: 'memory-full' | 'memory-metadata' | 'memory-transform'; readonly mode: CacheMode }
  | { readonly kind: 'reads'; readonly scenario: 'reads' }
  | { readonly kind: 'reconcile'; readonly scenario: 'reconcile-1' | 'reconcile-10'; readonly workers: number };

/** The jobs of a run, grouped by data set so one server process serves each group. */
export const JOBS: Readonly<Record<'ingest' | 'sync', readonly Job[]>> = {
  ingest: [
    { kind: 'ingest', scenario: 'watch-ingest', handlers: 1, freeze: true },
    { kind: 'ingest', scenario: 'fanout-10', handlers: 10, freeze: true },
    { kind: 'ingest', scenario: 'freeze-off', handlers: 1, freeze: false },
    { kind: 'memory', scenario: 'memory-full', mode: 'full' },
    { kind: 'memory', scenario: 'memory-metadata', mode: 'metadata' },
    { kind: 'memory', scenario: 'memory-transform', mode: 'transform' },
    { kind: 'reads', scenario: 'reads' },
    { kind: 'reconcile', scenario: 'reconcile-1', workers: 1 },
    { kind: 'reconcile', scenario: 'reconcile-10', workers: 10 },
  ],
  sync: [{ kind: 'sync', scenario: 'initial-sync' }],
};

/** The scenarios a job reports. */
export function scenariosOf(job: Job): readonly ScenarioName[] {
  return job.kind === 'reads' ? ['read-get', 'read-namespace', 'read-index', 'read-scan'] : [job.scenario];
}

/** The contenders that take part in a job. */
export function contendersOf(job: Job): readonly ContenderName[] {
  const names = new Set<ContenderName>();
  for (const s of scenariosOf(job)) for (const c of SCENARIO_INFO[s].contenders) names.add(c);
  return [...names];
}

/** The sizes of a run. */
export interface BenchSizes {
  readonly ingest: DatasetSpec;
  readonly sync: DatasetSpec;
  /** Rounds of fresh worker processes (each job × contender gets one process per round). */
  readonly runs: number;
  /** Measurements per worker process, each on a fresh session; runs × repeats values per scenario. */
  readonly repeats: number;
  /** Each read loop runs at least this long. */
  readonly readMinMs: number;
}

/** The full run: 20k pods + 50k events, 100k pods for the initial sync, 5 runs of fresh processes. */
export const FULL_SIZES: BenchSizes = {
  ingest: { pods: 20_000, perNamespace: 2_000, perNode: 100, events: 50_000 },
  sync: { pods: 100_000, perNamespace: 2_000, perNode: 100, events: 0 },
  runs: 5,
  repeats: 1,
  readMinMs: 300,
};

/** `--quick`: a fifth of the objects and events; 3 measurements in one process per job × contender; shorter read loops. */
export const QUICK_SIZES: BenchSizes = {
  ingest: { pods: 4_000, perNamespace: 2_000, perNode: 100, events: 10_000 },
  sync: { pods: 20_000, perNamespace: 2_000, perNode: 100, events: 0 },
  runs: 1,
  repeats: 3,
  readMinMs: 100,
};
