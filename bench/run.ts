// `npm run bench`: kubecache vs client-node vs kubernetes-fluent-client vs the parse floor, over the same bytes from a separate server process.
//
// Usage: npm run bench -- [--quick] [--runs N] [--repeats N] [--only s1,s2] [--contenders c1,c2] [--profile DIR] [--worker-flags "--max-semi-space-size=64"]
//   --profile writes a .cpuprofile of each measured window (ingest, initial sync) into DIR;
//   summarise with `node --import tsx bench/profile-summary.ts DIR`.
//                         [--pods N] [--events N] [--sync-pods N] [--read-ms N]
// Prints one JSON line per scenario × contender on stdout, then a Markdown table with the targets.
// Progress goes to stderr.

import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONTENDERS, type ContenderName } from './contender.ts';
import type { DatasetSpec } from './dataset.ts';
import type { Measurement, WorkerTask } from './measure.ts';
import { runWorker, startServer } from './processes.ts';
import { markdownReport, summarise, type ResultLine } from './report.ts';
import { FULL_SIZES, JOBS, QUICK_SIZES, SCENARIO_INFO, SCENARIOS, contendersOf, scenariosOf, type BenchSizes, type DatasetName, type Job, type ScenarioName } from './scenarios.ts';

interface Settings {
  readonly sizes: BenchSizes;
  readonly scenarios: ReadonlySet<ScenarioName>;
  readonly contenders: readonly ContenderName[];
  readonly profileDir: string | undefined;
  /** Extra V8/Node flags for every measuring process, e.g. `--max-semi-space-size=64`. */
  readonly workerFlags: readonly string[];
}

function listArg<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] {
  if (value === undefined) return [...allowed];
  const names = value.split(',').filter((s) => s !== '');
  for (const n of names) if (!(allowed as readonly string[]).includes(n)) throw new TypeError(`unknown ${what} ${JSON.stringify(n)}; expected one of ${allowed.join(', ')}`);
  return names as T[];
}

function intArg(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`--${what} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function parseSettings(argv: readonly string[]): Settings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      repeats: { type: 'string' },
      only: { type: 'string' },
      contenders: { type: 'string' },
      profile: { type: 'string' },
      pods: { type: 'string' },
      events: { type: 'string' },
      'sync-pods': { type: 'string' },
      'read-ms': { type: 'string' },
      'worker-flags': { type: 'string' },
    },
  });
  const base = values.quick ? QUICK_SIZES : FULL_SIZES;
  const pods = intArg(values.pods, base.ingest.pods, 'pods');
  const syncPods = intArg(values['sync-pods'], base.sync.pods, 'sync-pods');
  // Small data sets keep one namespace and one node per (at most) a tenth of the pods.
  const layout = (n: number): Pick<DatasetSpec, 'perNamespace' | 'perNode'> => ({
    perNamespace: Math.min(base.ingest.perNamespace, Math.max(1, Math.floor(n / 2))),
    perNode: Math.min(base.ingest.perNode, Math.max(1, Math.floor(n / 10))),
  });
  const sizes: BenchSizes = {
    ingest: { ...base.ingest, pods, events: intArg(values.events, base.ingest.events, 'events'), ...layout(pods) },
    sync: { ...base.sync, pods: syncPods, ...layout(syncPods) },
    realistic: { ...base.realistic, pods, ...layout(pods) },
    recovery: { ...base.recovery, pods, events: Math.max(10, Math.min(base.recovery.events, Math.floor(pods / 20))), ...layout(pods) },
    runs: intArg(values.runs, base.runs, 'runs'),
    repeats: intArg(values.repeats, base.repeats, 'repeats'),
    readMinMs: intArg(values['read-ms'], base.readMinMs, 'read-ms'),
  };
  return {
    sizes,
    scenarios: new Set(listArg(values.only, SCENARIOS, 'scenario')),
    contenders: listArg(values.contenders, CONTENDERS, 'contender'),
    profileDir: values.profile,
    workerFlags: (values['worker-flags'] ?? '').split(/\s+/).filter((f) => f !== ''),
  };
}

/** Per scenario × contender: the run values and the extras (maxStallMs). */
class Collector {
  readonly #values = new Map<string, { values: number[]; extras: Record<string, number[]> }>();

  add(contender: ContenderName, m: Measurement): void {
    const key = `${m.scenario}|${contender}`;
    let entry = this.#values.get(key);
    if (entry === undefined) {
      entry = { values: [], extras: {} };
      this.#values.set(key, entry);
    }
    entry.values.push(m.value);
    for (const [name, v] of Object.entries(m.extra ?? {})) (entry.extras[name] ??= []).push(v);
  }

  lines(): ResultLine[] {
    const out: ResultLine[] = [];
    for (const s of SCENARIOS) {
      for (const c of CONTENDERS) {
        const entry = this.#values.get(`${s}|${c}`);
        if (entry !== undefined) out.push(summarise(s, c, entry.values, entry.extras));
      }
    }
    return out;
  }
}

function wanted(job: Job, settings: Settings): boolean {
  return scenariosOf(job).some((s) => settings.scenarios.has(s));
}

/** The contenders of a job in this run's order: the start rotates every run so nobody always goes first. */
function contenderOrder(job: Job, settings: Settings, run: number): ContenderName[] {
  const takes = contendersOf(job).filter(
    (c) => settings.contenders.includes(c) && scenariosOf(job).some((s) => settings.scenarios.has(s) && SCENARIO_INFO[s].contenders.includes(c)),
  );
  return takes.map((_, i) => takes[(i + run) % takes.length] as ContenderName);
}

async function runGroup(group: DatasetName, settings: Settings, collector: Collector): Promise<void> {
  const jobs = JOBS[group].filter((j) => wanted(j, settings));
  if (jobs.length === 0) return;
  const spec = settings.sizes[group];
  process.stderr.write(`bench: starting the ${group} server (${spec.pods} pods, ${spec.events} events)\n`);
  const server = await startServer(spec);
  try {
    for (let run = 0; run < settings.sizes.runs; run++) {
      for (const job of jobs) {
        for (const contender of contenderOrder(job, settings, run)) {
          const task: WorkerTask = {
            job,
            contender,
            server: server.url,
            spec,
            readMinMs: settings.sizes.readMinMs,
            repeats: settings.sizes.repeats,
            timeoutMs: 300_000,
            profileDir: settings.profileDir === undefined ? undefined : path.resolve(settings.profileDir),
          };
          const startedAt = performance.now();
          const reply = await runWorker(task, { timeoutMs: 600_000, flags: settings.workerFlags });
          const took = ((performance.now() - startedAt) / 1000).toFixed(1);
          if (reply.type === 'error') throw new Error(`${job.scenario} / ${contender} failed:\n${reply.message}`);
          for (const m of reply.measurements) if (settings.scenarios.has(m.scenario)) collector.add(contender, m);
          process.stderr.write(`bench: run ${run + 1}/${settings.sizes.runs} ${job.scenario} ${contender} ${reply.measurements.map((m) => `${m.scenario}=${m.value.toFixed(1)}`).join(' ')} (${took} s)\n`);
        }
      }
    }
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  if (settings.profileDir !== undefined) await mkdir(settings.profileDir, { recursive: true });
  const collector = new Collector();
  for (const group of ['ingest', 'sync', 'realistic', 'recovery'] as const) await runGroup(group, settings, collector);
  const lines = collector.lines();
  for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
  const s = settings.sizes;
  const flags = settings.workerFlags.length === 0 ? '' : `; worker flags: ${settings.workerFlags.join(' ')}`;
  const sizes = `watch/memory/reads: ${s.ingest.pods} pods + ${s.ingest.events} MODIFIED events; initial-sync: ${s.sync.pods} pods; realistic memory: ${s.realistic.pods} pods; recovery: ${s.recovery.pods} pods + ${s.recovery.events} events; ${s.runs} process run(s) × ${s.repeats} measurement(s) each${flags}`;
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`\n${markdownReport(lines, { cores: os.availableParallelism(), node: process.version, cpu, sizes, load })}\n`);
}

await main();
