// `npm start`: a kubecache Cache at work, over an in-process fake APIServer (or read-only over a real cluster).

import { KubeConfig } from '@kubernetes/client-node';
import { Cache, ConfigMaps, metadataOnly, Pods, Secrets, structured, unstructured, type GroupVersionKind } from '../../src/index.ts';
import { FakeApiServer, type ResourceRef } from '../../src/testing/index.ts';
import { parseDemoArgs, USAGE, type DemoArgs } from './args.ts';
import { reportMemory } from './memory.ts';
import { EventLines, WatchedKind } from './progress.ts';
import { Reporter, type DemoSummary, type EventCounts } from './render.ts';
import { seed, WIDGET_GVK, WIDGET_GVR } from './seed.ts';
import { playWorkload, sleep } from './workload.ts';

/** A watched kind and, on the fake server, the resource it mirrors (for progress totals and the final check). */
interface Watched {
  readonly watched: WatchedKind;
  readonly resource: ResourceRef | undefined;
}

function watchedKinds(server: FakeApiServer | undefined): Watched[] {
  const entries: [string, GroupVersionKind, ResourceRef, 'structured' | 'metadata' | 'unstructured'][] = [
    ['pods', Pods.gvk, 'pods', 'structured'],
    ['pods(meta)', Pods.gvk, 'pods', 'metadata'],
    ['configmaps', ConfigMaps.gvk, 'configmaps', 'structured'],
    ['secrets(meta)', Secrets.gvk, 'secrets', 'metadata'],
  ];
  if (server !== undefined) entries.push(['widgets', WIDGET_GVK, WIDGET_GVR, 'unstructured']);
  return entries.map(([label, gvk, resource, representation]) => {
    const kind = representation === 'structured' ? structured(gvk) : representation === 'metadata' ? metadataOnly(gvk) : unstructured(gvk);
    const total = server === undefined ? undefined : () => server.objects.list(resource).length;
    return { watched: new WatchedKind(label, kind, total), resource: server === undefined ? undefined : resource };
  });
}

async function connect(args: DemoArgs): Promise<{ kc: KubeConfig; server: FakeApiServer | undefined }> {
  const kc = new KubeConfig();
  if (!args.cluster) {
    const server = await FakeApiServer.start();
    // Through YAML rather than server.kubeConfig(): that loads a second copy of client-node under tsx.
    kc.loadFromString(server.kubeConfigYaml());
    return { kc, server };
  }
  if (args.kubeconfig === undefined) kc.loadFromDefault();
  else kc.loadFromFile(args.kubeconfig);
  return { kc, server: undefined };
}

/** Lists pods on the busiest node through the `spec.nodeName` field index. */
async function queryIndex(cache: Cache, reporter: Reporter): Promise<void> {
  const perNode = new Map<string, number>();
  for (const pod of await cache.list(Pods)) {
    const node = pod.spec?.nodeName;
    if (node !== undefined) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const busiest = [...perNode].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (busiest === undefined) return;
  const began = performance.now();
  const pods = await cache.list(Pods, { fieldSelector: { 'spec.nodeName': busiest } });
  const ms = Math.round((performance.now() - began) * 100) / 100;
  reporter.print({ type: 'index', field: 'spec.nodeName', value: busiest, count: pods.length, ms });
}

/** True once every informer holds exactly the server's objects at their versions; false after 5 s. */
async function consistent(cache: Cache, server: FakeApiServer, kinds: readonly Watched[]): Promise<boolean> {
  const deadline = Date.now() + 5000;
  for (;;) {
    let same = true;
    for (const { watched, resource } of kinds) {
      if (resource === undefined) continue;
      const versions = (objs: readonly { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }[]) =>
        objs.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort().join();
      if (versions(await cache.list(watched.kind)) !== versions(server.objects.list(resource))) same = false;
    }
    if (same) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function run(args: DemoArgs, reporter: Reporter, stop: AbortSignal): Promise<number> {
  const { kc, server } = await connect(args);
  try {
    const mode = server === undefined ? 'cluster' : 'fake';
    reporter.print({ type: 'start', mode, server: kc.getCurrentCluster()?.server ?? '?', durationS: args.durationS });
    if (server !== undefined) reporter.print({ type: 'seeded', objects: await seed(server, kc) });
    // Short retry delays so a 3-second run still shows recovery; the library defaults to client-go's 800 ms.
    const cache = new Cache(kc, server === undefined ? {} : { backoff: { initialMs: 100, capMs: 1000 } });
    await cache.indexField(Pods, 'spec.nodeName', (pod) => (pod.spec?.nodeName === undefined ? [] : [pod.spec.nodeName]));
    const kinds = watchedKinds(server);
    // Text shows at most 6 event lines per quarter second; JSON consumers get every event.
    const lines = new EventLines(reporter, args.json ? Number.POSITIVE_INFINITY : 6);
    // Handlers go on before start, so the first list is seen as it arrives.
    for (const { watched } of kinds) await watched.attach(cache, reporter, lines);
    const cacheStop = new AbortController();
    const running = cache.start(cacheStop.signal);
    try {
      return await afterStart({ args, cache, server, reporter, stop, kinds, lines });
    } finally {
      cacheStop.abort();
      await running;
    }
  } finally {
    await server?.stop();
  }
}

/** Everything {@link afterStart} and {@link live} work with. */
interface Run {
  readonly args: DemoArgs;
  readonly cache: Cache;
  readonly server: FakeApiServer | undefined;
  readonly reporter: Reporter;
  readonly stop: AbortSignal;
  readonly kinds: readonly Watched[];
  readonly lines: EventLines;
}

// Waits for sync, shows memory, plays the live part, then prints the summary; returns the exit code.
async function afterStart(r: Run): Promise<number> {
  if (!(await r.cache.waitForCacheSync(AbortSignal.any([r.stop, AbortSignal.timeout(60_000)])))) {
    if (r.stop.aborted) return 0;
    process.stderr.write('caches did not sync within 60 s\n');
    return 1;
  }
  const memoryKinds = r.kinds.filter((k) => ['pods', 'pods(meta)', 'secrets(meta)'].includes(k.watched.label));
  await reportMemory(r.cache, memoryKinds.map((k) => k.watched), r.reporter);
  const flush = (): void => {
    r.lines.tick();
    for (const { watched } of r.kinds) watched.poll(r.reporter);
  };
  const ticker = setInterval(flush, 250);
  let faults: number;
  try {
    faults = await live(r);
  } finally {
    clearInterval(ticker);
  }
  flush();
  const check = r.server === undefined ? undefined : await consistent(r.cache, r.server, r.kinds);
  r.reporter.print({ type: 'summary', summary: summarize(r.reporter, r.kinds, faults, check) });
  return check === false ? 1 : 0;
}

// The live part: the workload (fake only) and the index query, until the duration ends or Ctrl-C.
async function live(r: Run): Promise<number> {
  const durationMs = r.args.durationS * 1000;
  const workload = r.server === undefined ? Promise.resolve(0) : playWorkload(r.server, r.reporter, durationMs, r.stop);
  if (await sleep(durationMs * 0.8, r.stop)) await queryIndex(r.cache, r.reporter);
  await sleep(durationMs * 0.2, r.stop);
  return workload;
}

function summarize(reporter: Reporter, kinds: readonly Watched[], faults: number, check: boolean | undefined): DemoSummary {
  const cached: Record<string, number> = {};
  const events: Record<string, EventCounts> = {};
  let relists = 0;
  let watchRestarts = 0;
  let watchErrors = 0;
  for (const { watched } of kinds) {
    const s = watched.stats();
    cached[watched.label] = s.objects;
    events[watched.label] = { ...watched.events };
    relists += s.relists;
    watchRestarts += s.watchRestarts;
    watchErrors += s.watchErrors;
  }
  return { seconds: reporter.elapsedMs() / 1000, cached, events, faults, relists, watchRestarts, watchErrors, consistent: check };
}

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // A closed pipe (`npm start -- --json | head`) means nobody reads any more: end quietly, as CLIs do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
  const reporter = new Reporter({ json: args.json, color: process.stdout.isTTY });
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  return run(args, reporter, stop.signal);
}

process.exitCode = await main();
