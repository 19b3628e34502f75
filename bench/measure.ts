// The measurements one worker process takes: ingest rate, sync time and stall, retained heap, read cost.

import { writeFile } from 'node:fs/promises';
import { Session as InspectorSession } from 'node:inspector/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ContenderName, Session, SessionFactory, SessionOptions } from './contender.ts';
import type { DatasetSpec } from './dataset.ts';
import { namespaceOf, nodeOf, podName } from './pods.ts';
import { SCENARIO_INFO, type Job, type ScenarioName } from './scenarios.ts';

/** What a worker is asked to do. */
export interface WorkerTask {
  readonly job: Job;
  readonly contender: ContenderName;
  readonly server: string;
  readonly spec: DatasetSpec;
  readonly readMinMs: number;
  /** Measurements taken one after the other in this process, each with a fresh session. */
  readonly repeats: number;
  /** Write a CPU profile of the measured window (not of start-up) into this directory. */
  readonly profileDir?: string | undefined;
  /** Longest wait for the watch events, so a stuck contender fails instead of hanging. */
  readonly timeoutMs: number;
}

/** One scenario's number from one run. */
export interface Measurement {
  readonly scenario: ScenarioName;
  readonly value: number;
  readonly extra?: Readonly<Record<string, number>>;
}

const noUpdates = (): void => undefined;

/**
 * Runs `fn`, CPU-profiling it when the task asks for a profile. Only the measured window is
 * profiled, so module loading and the initial list do not drown the hot path.
 */
async function profiled<T>(task: WorkerTask, label: string, fn: () => Promise<T>): Promise<T> {
  const dir = task.profileDir;
  if (dir === undefined) return fn();
  const inspector = new InspectorSession();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  await inspector.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await inspector.post('Profiler.stop');
    const file = path.join(dir, `${label}-${task.contender}-${process.pid}-${Date.now()}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    inspector.disconnect();
  }
}

function baseOptions(task: WorkerTask): SessionOptions {
  return { server: task.server, mode: 'full', freeze: true, nodeIndex: false, handlers: 0, onUpdate: noUpdates };
}

/**
 * CPU seconds (user + system, all threads: GC helpers and libuv included) this process used since
 * `before`. On a loaded machine it moves far less than wall time, which also counts descheduling.
 */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/**
 * Starts measuring the longest stretch of main-thread CPU time between two turns of a 1 ms timer:
 * the stall the event loop would see on an idle machine. Unlike the wall-clock delay it does not
 * count time the process sat descheduled, so it holds on a loaded machine. The stop function
 * returns the maximum in ms.
 */
function startCpuStallProbe(): () => number {
  let last = process.threadCpuUsage();
  let maxUs = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    const now = process.threadCpuUsage();
    maxUs = Math.max(maxUs, now.user - last.user + (now.system - last.system));
    last = now;
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return () => {
    clearTimeout(timer);
    tick();
    clearTimeout(timer);
    return maxUs / 1000;
  };
}

/** Sends a control request (`/bench/reset`, `/bench/release`) to the bench server. */
export async function post(url: string): Promise<void> {
  const res = await fetch(url, { method: 'POST' });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Events per second until every handler has seen every MODIFIED event (timed from the server's release), and the longest event-loop stall meanwhile. */
export async function measureIngest(
  task: WorkerTask,
  factory: SessionFactory,
  scenario: ScenarioName,
  options: { readonly handlers: number; readonly freeze: boolean },
): Promise<Measurement> {
  const { handlers, freeze } = options;
  const total = task.spec.events;
  const counts = new Array<number>(handlers).fill(0);
  let pending = handlers;
  let finishedAt = 0;
  let finish: () => void = noUpdates;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const onUpdate = (h: number): void => {
    counts[h] = (counts[h] ?? 0) + 1;
    if (counts[h] === total && --pending === 0) {
      finishedAt = performance.now();
      finish();
    }
  };
  await post(`${task.server}/bench/reset`);
  const session = await factory({ ...baseOptions(task), handlers, freeze, onUpdate });
  await session.start();
  await session.handlersSynced();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const stopProbe = startCpuStallProbe();
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  await profiled(task, task.job.scenario, async () => {
    await post(`${task.server}/bench/release`);
    await withTimeout(finished, task.timeoutMs, `${task.contender} ingesting ${total} events`);
  });
  const cpuSeconds = cpuSecondsSince(cpuBefore);
  delay.disable();
  const maxCpuStallMs = stopProbe();
  await session.stop();
  const extra = { perCpuSecond: total / cpuSeconds, maxStallMs: delay.max / 1e6, maxCpuStallMs };
  return { scenario, value: total / ((finishedAt - startedAt) / 1000), extra };
}

/** Wall time of the initial list until synced, and the longest event-loop stall meanwhile (wall clock and CPU). */
export async function measureSync(task: WorkerTask, factory: SessionFactory): Promise<Measurement> {
  const session = await factory(baseOptions(task));
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const stopProbe = startCpuStallProbe();
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  await profiled(task, 'initial-sync', () => session.start());
  const elapsed = performance.now() - startedAt;
  const cpuMs = cpuSecondsSince(cpuBefore) * 1000;
  delay.disable();
  const maxCpuStallMs = stopProbe();
  checkSize(session, task.spec.pods, task.contender);
  await session.stop();
  return { scenario: 'initial-sync', value: elapsed, extra: { maxStallMs: delay.max / 1e6, maxCpuStallMs, cpuMs } };
}

function checkSize(session: Session, expected: number, contender: ContenderName): void {
  if (session.size() !== expected) throw new Error(`${contender} holds ${session.size()} pods, expected ${expected}`);
}

/** Full collections, with event-loop turns between them, until what can be freed is freed. */
export async function fullGc(): Promise<void> {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('memory scenarios need node --expose-gc');
  // Several rounds with turns in between let weak callbacks and finalizers release what they hold.
  for (let i = 0; i < 4; i++) {
    gc();
    await nextTurn();
  }
}

/**
 * Heap bytes retained per cached pod: heap after sync minus heap before, after full collections.
 * A first session syncs and stops before the baseline is taken, so code compiled and module state
 * initialised on first use (megabytes, and the same whatever the pod count) are not charged to pods.
 */
export async function measureMemory(task: WorkerTask, factory: SessionFactory, scenario: ScenarioName, mode: SessionOptions['mode']): Promise<Measurement> {
  const warmUp = await factory({ ...baseOptions(task), mode });
  await warmUp.start();
  await warmUp.stop();
  await fullGc();
  const before = process.memoryUsage().heapUsed;
  const session = await factory({ ...baseOptions(task), mode });
  await session.start();
  await session.handlersSynced();
  await fullGc();
  const after = process.memoryUsage().heapUsed;
  checkSize(session, task.spec.pods, task.contender);
  await session.stop();
  return { scenario, value: (after - before) / task.spec.pods };
}

/** Mean nanoseconds per `op` over `args` (precomputed, so building keys is not timed), looping for at least `minMs`. */
async function timeLoop<A>(minMs: number, args: readonly A[], op: (arg: A) => unknown, expected: number | undefined): Promise<number> {
  let ops = 0;
  let checked = expected === undefined;
  const startedAt = process.hrtime.bigint();
  const deadline = startedAt + BigInt(minMs) * 1_000_000n;
  let now = startedAt;
  while (now < deadline) {
    for (const arg of args) {
      let result = op(arg);
      if (result instanceof Promise) result = await result;
      if (!checked) {
        const length = Array.isArray(result) ? result.length : -1;
        if (length !== expected) throw new Error(`a read returned ${length} objects, expected ${expected}`);
        checked = true;
      }
      if (result === undefined) throw new Error(`a read of ${String(arg)} found nothing`);
    }
    ops += args.length;
    now = process.hrtime.bigint();
  }
  return Number(now - startedAt) / ops;
}

function spread(count: number, modulo: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.imul(i + 1, 2654435761) >>> 0).map((h) => h % modulo);
}

/** The read operations the four read scenarios time; a Session and kubecache's Cache reader both have them. */
interface ReadOps {
  get(namespace: string, name: string): unknown;
  listNamespace(namespace: string): unknown;
  readonly byNode: ((node: string) => unknown) | undefined;
  scanNode(node: string): unknown;
}

/** Times every read scenario `takes` allows on `reader`: ns/op for read-get, µs/op for the lists. */
async function readLoops(task: WorkerTask, reader: ReadOps, takes: (s: ScenarioName) => boolean): Promise<Map<ScenarioName, number>> {
  const spec = task.spec;
  const out = new Map<ScenarioName, number>();
  const pods = spread(1000, spec.pods).map((i) => [namespaceOf(i, spec), podName(i)] as const);
  const nodes = spread(64, Math.floor(spec.pods / spec.perNode)).map((n) => nodeOf(n, spec));
  const namespaces = spread(8, Math.floor(spec.pods / spec.perNamespace)).map((n) => namespaceOf(n * spec.perNamespace, spec));
  if (takes('read-get')) out.set('read-get', await timeLoop(task.readMinMs, pods, ([ns, name]) => reader.get(ns, name), undefined));
  if (takes('read-namespace')) {
    out.set('read-namespace', (await timeLoop(task.readMinMs, namespaces, (ns) => reader.listNamespace(ns), spec.perNamespace)) / 1000);
  }
  const byNode = reader.byNode;
  if (takes('read-index') && byNode !== undefined) {
    out.set('read-index', (await timeLoop(task.readMinMs, nodes, (node) => byNode(node), spec.perNode)) / 1000);
  }
  if (takes('read-scan')) out.set('read-scan', (await timeLoop(task.readMinMs, nodes, (node) => reader.scanNode(node), spec.perNode)) / 1000);
  return out;
}

/**
 * read-get (ns/op), read-namespace, read-index and read-scan (µs/op) over one synced cache. For
 * kubecache the same reads are then timed through the public, async `Cache` reader and attached
 * to each line as `viaCache`.
 */
export async function measureReads(task: WorkerTask, factory: SessionFactory): Promise<Measurement[]> {
  const session = await factory({ ...baseOptions(task), nodeIndex: true });
  await session.start();
  checkSize(session, task.spec.pods, task.contender);
  const takes = (s: ScenarioName): boolean => SCENARIO_INFO[s].contenders.includes(task.contender);
  const direct = await readLoops(task, session, takes);
  await session.stop();
  let viaCache = new Map<ScenarioName, number>();
  if (task.contender === 'kubecache') {
    const { openCacheReads } = await import('./contenders/kubecache-cache.ts');
    const reader = await openCacheReads(task.server, AbortSignal.timeout(task.timeoutMs));
    viaCache = await readLoops(task, reader, takes);
    await reader.stop();
  }
  return [...direct].map(([scenario, value]) => {
    const cached = viaCache.get(scenario);
    return cached === undefined ? { scenario, value } : { scenario, value, extra: { viaCache: cached } };
  });
}
