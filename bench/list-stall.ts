// The event-loop stall of a first list that a real APIServer answers in one body (rv=0 ignores `limit`).
//
// `npm run bench:list-stall -- [--pods 20000,100000] [--runs 3]` forks the fake APIServer
// (which answers rv=0 lists whole, as a real one does) seeded with the bench's ~2 KB pods, then, in
// this process, measures for each size: the ListWatch's own list (one rv=0 request with limit 500),
// the same body parsed with one JSON.parse (what the client did before it decoded incrementally),
// and a SharedIndexInformer's whole initial sync. It prints wall time, this process's CPU time and
// the longest event-loop stall (monitorEventLoopDelay, 10 ms resolution, as bench/measure.ts) of
// each, medians of `runs`. Stalls are wall time: on a loaded machine they include the time the
// process sat descheduled, so the main thread's CPU time between two turns of a 1 ms timer is
// printed too (max CPU stall): what the stall would be on an idle machine.

import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ListWatch, toListPage } from '../src/client/list-watch.ts';
import { Transport } from '../src/client/transport.ts';
import { SharedIndexInformer } from '../src/informer/shared-index-informer.ts';
import { FakeApiServer } from '../src/testing/fake-apiserver/server.ts';
import { benchKubeConfig } from './contenders/client-node.ts';
import { makePod, namespaceOf, type BenchPod } from './pods.ts';
import { median } from './report.ts';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

interface Sample {
  readonly wallMs: number;
  /** User + system CPU time of this process (the server is another process). */
  readonly cpuMs: number;
  readonly maxStallMs: number;
  /** The most main-thread CPU time spent between two turns of a 1 ms timer: the stall on an idle machine. */
  readonly maxCpuStallMs: number;
  readonly count: number;
}

/** Watches the main thread's CPU time between turns of a 1 ms timer; `stop` returns the largest gap. */
function watchCpuStalls(): { stop(): number } {
  const cpuMs = (): number => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let last = cpuMs();
  let max = 0;
  const timer = setInterval(() => {
    const now = cpuMs();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}

/** Child mode: a fake APIServer holding `pods` bench pods; sends its URL over IPC. */
async function serve(pods: number): Promise<void> {
  const server = await FakeApiServer.start();
  const layout = { pods, perNamespace: 2000, perNode: 100 };
  for (let ns = 0; ns * layout.perNamespace < pods; ns++) {
    server.objects.create('namespaces', { metadata: { name: namespaceOf(ns * layout.perNamespace, layout) } });
  }
  for (let i = 0; i < pods; i++) {
    const pod = makePod(i, 0, layout);
    delete pod.metadata?.resourceVersion;
    server.objects.create('pods', pod);
  }
  process.send?.({ url: server.url });
  process.on('disconnect', () => {
    void server.stop().then(() => process.exit(0));
  });
}

async function measured(run: () => Promise<number>): Promise<Sample> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpuStalls = watchCpuStalls();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const count = await run();
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  // A stall at the very end (the last parse) shows when the monitor's next timer fires: let it.
  await new Promise((resolve) => setTimeout(resolve, 30));
  delay.disable();
  const maxCpuStallMs = cpuStalls.stop();
  return { wallMs, cpuMs: (user + system) / 1000, maxStallMs: delay.max / 1e6, maxCpuStallMs, count };
}

async function informerSync(transport: Transport): Promise<number> {
  const informer = new SharedIndexInformer<BenchPod>(new ListWatch<BenchPod>({ transport, resource: PODS }), { objectDescription: 'pods' });
  const stop = new AbortController();
  const running = informer.run(stop.signal);
  await informer.onSynced();
  const size = informer.getIndexer().size;
  stop.abort();
  await running;
  return size;
}

const MODES: Readonly<Record<string, (transport: Transport) => Promise<number>>> = {
  'list, incremental decode': async (transport) =>
    (await new ListWatch<BenchPod>({ transport, resource: PODS }).list({ resourceVersion: '0', limit: 500 })).items.length,
  'list, one JSON.parse': async (transport) =>
    toListPage<BenchPod>(await transport.requestJson({ path: '/api/v1/pods?resourceVersion=0&limit=500' }), undefined).items.length,
  'informer sync': informerSync,
};

async function measureSize(pods: number, runs: number): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(pods)], {
    execArgv: ['--max-old-space-size=8192', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('message', (msg) => resolve(msg as { url: string }));
    child.once('exit', (code) => reject(new Error(`the fake APIServer exited with ${code ?? 'a signal'} before it listened`)));
  });
  try {
    const modes = Object.keys(MODES);
    const samples = new Map<string, Sample[]>(modes.map((mode) => [mode, []]));
    // The modes take turns, the first one rotating, so none always runs on a cold JIT.
    for (let r = 0; r < runs; r++) {
      for (let m = 0; m < modes.length; m++) {
        const mode = modes[(m + r) % modes.length] as string;
        const transport = Transport.fromKubeConfig(benchKubeConfig(url));
        globalThis.gc?.();
        const sample = await measured(() => (MODES[mode] as (t: Transport) => Promise<number>)(transport));
        transport.close();
        if (sample.count !== pods) throw new Error(`${mode}: got ${sample.count} pods, expected ${pods}`);
        samples.get(mode)?.push(sample);
      }
    }
    for (const [mode, list] of samples) {
      const wall = median(list.map((s) => s.wallMs));
      const cpu = median(list.map((s) => s.cpuMs));
      const stall = median(list.map((s) => s.maxStallMs));
      const worst = Math.max(...list.map((s) => s.maxStallMs));
      const cpuStall = median(list.map((s) => s.maxCpuStallMs));
      console.log(
        `${pods} pods | ${mode.padEnd(24)} | wall ${wall.toFixed(0).padStart(6)} ms | cpu ${cpu.toFixed(0).padStart(6)} ms | ` +
          `max stall ${stall.toFixed(1).padStart(7)} ms (worst ${worst.toFixed(1)}) | max CPU stall ${cpuStall.toFixed(1).padStart(7)} ms`,
      );
    }
  } finally {
    child.disconnect();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pods: { type: 'string', default: '20000,100000' }, runs: { type: 'string', default: '3' }, serve: { type: 'string' } } });
  if (values.serve !== undefined) {
    await serve(Number(values.serve));
    return;
  }
  for (const pods of values.pods.split(',').map(Number)) await measureSize(pods, Number(values.runs));
}

await main();
