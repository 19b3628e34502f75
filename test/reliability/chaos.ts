// A seeded chaos harness: a random workload and random faults against the fake APIServer, five caches watching.

import { Cache } from '../../src/cache/cache.ts';
import { ConfigMaps, metadataOnly, unstructured, type KindRef } from '../../src/cache/kinds.ts';
import type { CacheOptions } from '../../src/cache/options.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { Transport } from '../../src/client/transport.ts';
import { isDeletedFinalStateUnknown } from '../../src/informer/deleted-final-state-unknown.ts';
import type { KubeObject, UnstructuredObject } from '../../src/api/types.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { WIDGET_CRD, WIDGET_GVK } from '../helpers.ts';
import { FAULT_TYPES, faultSequence, injectFault, type FaultType } from './chaos-faults.ts';

/** The seed of a run: KUBECACHE_SEED when set, else `fallback`. */
export function seedFromEnv(fallback: number): number {
  const raw = process.env['KUBECACHE_SEED'];
  if (raw === undefined || raw === '') return fallback;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new TypeError(`KUBECACHE_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The namespaces the workload writes in. */
export const NAMESPACES = ['ns1', 'ns2', 'ns3', 'ns4'];
const CM_GVK = { group: '', version: 'v1', kind: 'ConfigMap' };
/** The finalizer the workload adds and removes. */
export const FINALIZER = 'example.com/hold';

/** One resource of the workload: how the server names it and how each cache reads it. */
export interface Resource {
  readonly ref: string;
  readonly full: KindRef;
  readonly metadata: KindRef;
}

/** The workload's resources. */
export const RESOURCES: readonly Resource[] = [
  { ref: 'configmaps', full: ConfigMaps, metadata: metadataOnly(CM_GVK) },
  { ref: 'widgets.example.com', full: unstructured(WIDGET_GVK), metadata: metadataOnly(WIDGET_GVK) },
];

/** How much chaos to run. */
export interface ChaosPlan {
  readonly seed: number;
  readonly operations: number;
  /** About one fault every `operations / faults` operations. */
  readonly faults: number;
  /** Bound on the wait for convergence once the workload stopped. */
  readonly convergeTimeoutMs: number;
  /** Pause between operations; 0 yields one event-loop turn only. @default 0 */
  readonly pauseMs?: number;
}

/** What a run did and found; `divergences` lists every cache or replay that did not match the server. */
export interface ChaosSummary {
  seed: number;
  operations: number;
  rejectedOperations: number;
  /** Namespaces deleted (with their contents) and created again. */
  namespaceRecreations: number;
  /** Widget CRD deletions (every Widget goes; the CRD returns a few operations later). */
  crdDeletions: number;
  faults: Record<FaultType, number>;
  watchErrors: number;
  /** Watch requests the server received: reconnections after drops, restarts, errors and 1–2 s server-side timeouts. */
  watchRequests: number;
  listRequests: number;
  deletedFinalStateUnknown: number;
  durationMs: number;
  convergedAfterMs: number;
  divergences: string[];
}

/** A cache under test, what it is expected to hold, and the state its replaying handlers rebuilt. */
interface Observer {
  readonly name: string;
  readonly cache: Cache;
  readonly metadataOnly: boolean;
  readonly includes: (obj: KubeObject) => boolean;
  readonly replay: Map<string, Map<string, string>>;
}

/** "namespace/name" of an object. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } | undefined }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** How one observing cache is configured and which server objects it must hold. */
interface ObserverSpec {
  readonly name: string;
  readonly options: CacheOptions;
  readonly metadataOnly: boolean;
  readonly includes: (o: KubeObject) => boolean;
}

const OBSERVERS: readonly ObserverSpec[] = [
  { name: 'full', options: {}, metadataOnly: false, includes: () => true },
  { name: 'metadata', options: {}, metadataOnly: true, includes: () => true },
  { name: 'selector', options: { defaultLabelSelector: 'tier=gold' }, metadataOnly: false, includes: (o) => o.metadata?.labels?.['tier'] === 'gold' },
  { name: 'watchList', options: { useWatchList: true }, metadataOnly: false, includes: () => true },
  {
    name: 'multiNamespace',
    options: { defaultNamespaces: ['ns1', 'ns2'] },
    metadataOnly: false,
    includes: (o) => o.metadata?.namespace === 'ns1' || o.metadata?.namespace === 'ns2',
  },
];

/** Fast retries and short server-side watches, so many faults still converge in seconds. */
export const CHAOS_CACHE_OPTIONS: CacheOptions = {
  backoff: { initialMs: 5, capMs: 100, factor: 2, jitter: 0.5 },
  minWatchTimeoutSeconds: 1,
  // Every failure is counted by the harness; none should become a process warning.
  defaultWatchErrorHandler: () => undefined,
};


// Through the API, as a user would; later re-creations in the workload go through the object API.
export async function createWidgetCrd(server: FakeApiServer): Promise<void> {
  const transport = Transport.fromKubeConfig(server.kubeConfig());
  try {
    const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
    await new RestClient(transport).createObject(crds, WIDGET_CRD);
  } finally {
    transport.close();
  }
}

/** The server's state of every resource for one observer: resource → key → resourceVersion. */
function expectedState(server: FakeApiServer, includes: (o: KubeObject) => boolean): Map<string, Map<string, string>> {
  const state = new Map<string, Map<string, string>>();
  for (const r of RESOURCES) {
    const objects = new Map<string, string>();
    for (const obj of server.objects.list(r.ref)) {
      if (includes(obj)) objects.set(keyOf(obj), obj.metadata.resourceVersion ?? '');
    }
    state.set(r.ref, objects);
  }
  return state;
}

/** The differences between the server's `want` and an observer's `got` (key → resourceVersion): missing, stale and phantom keys. */
export function diff(what: string, want: ReadonlyMap<string, string>, got: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [key, rv] of want) {
    const have = got.get(key);
    if (have === undefined) out.push(`${what}: missing ${key}@${rv}`);
    else if (have !== rv) out.push(`${what}: ${key} at ${have}, server at ${rv}`);
  }
  for (const [key, rv] of got) if (!want.has(key)) out.push(`${what}: phantom ${key}@${rv}`);
  return out;
}

/** Every difference between the server and the observers' caches and replays; empty when converged. */
async function divergences(server: FakeApiServer, observers: readonly Observer[]): Promise<string[]> {
  const out: string[] = [];
  for (const o of observers) {
    const want = expectedState(server, o.includes);
    for (const r of RESOURCES) {
      const listed = await o.cache.list(o.metadataOnly ? r.metadata : r.full);
      const got = new Map(listed.map((obj) => [keyOf(obj), obj.metadata?.resourceVersion ?? '']));
      const expected = want.get(r.ref) ?? new Map<string, string>();
      out.push(...diff(`${o.name} cache ${r.ref}`, expected, got));
      out.push(...diff(`${o.name} replay ${r.ref}`, expected, o.replay.get(r.ref) ?? new Map<string, string>()));
    }
  }
  return out;
}

/** Counters the handlers and error callbacks update. */
interface Counters {
  watchErrors: number;
  deletedFinalStateUnknown: number;
}

async function attachReplay(observer: Observer, counters: Counters): Promise<void> {
  for (const r of RESOURCES) {
    const replay = new Map<string, string>();
    observer.replay.set(r.ref, replay);
    const informer = await observer.cache.getInformer(observer.metadataOnly ? r.metadata : r.full);
    informer.addEventHandler({
      onAdd: (obj) => void replay.set(keyOf(obj), obj.metadata?.resourceVersion ?? ''),
      onUpdate: (_old, obj) => void replay.set(keyOf(obj), obj.metadata?.resourceVersion ?? ''),
      onDelete: (obj) => {
        if (isDeletedFinalStateUnknown(obj)) {
          counters.deletedFinalStateUnknown++;
          replay.delete(obj.key);
        } else {
          replay.delete(keyOf(obj));
        }
      },
    });
  }
}

/** The random workload's single steps, each a valid write given the server's current state. */
class Workload {
  readonly #server: FakeApiServer;
  readonly #random: () => number;
  #serial = 0;
  // Operations left until the deleted Widget CRD is created again; 0 while it exists.
  #crdGoneFor = 0;
  /** Structural operations done so far. */
  readonly structural = { namespaceRecreations: 0, crdDeletions: 0 };

  constructor(server: FakeApiServer, random: () => number) {
    this.#server = server;
    this.#random = random;
  }

  #pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.#random() * items.length)];
  }

  /** One random operation; returns false when the server refused it (counted, not fatal). */
  step(): boolean {
    try {
      const structural = this.#random();
      if (structural < 0.005) this.#recreateNamespace();
      else if (structural < 0.008 && this.#crdGoneFor === 0) this.#deleteCrd();
      else this.#objectStep();
      return true;
    } catch (err) {
      // A Status answer (say a conflict) is a refused write, counted in the summary; anything else is a harness bug.
      if (err instanceof Error && 'code' in err) return false;
      throw err;
    } finally {
      if (this.#crdGoneFor > 0 && --this.#crdGoneFor === 0) this.#server.objects.create('customresourcedefinitions', WIDGET_CRD);
    }
  }

  /** Brings the Widget CRD back if the workload stopped while it was deleted. */
  finish(): void {
    if (this.#crdGoneFor === 0) return;
    this.#crdGoneFor = 0;
    this.#server.objects.create('customresourcedefinitions', WIDGET_CRD);
  }

  #objectStep(): void {
    const picked = this.#pick(RESOURCES) ?? RESOURCES[0]!;
    // While the CRD is gone its kind is not served: work on ConfigMaps instead.
    const resource = this.#crdGoneFor > 0 ? RESOURCES[0]! : picked;
    const existing = this.#server.objects.list(resource.ref);
    const target = this.#pick(existing);
    const roll = this.#random();
    if (target === undefined || roll < 0.3 || existing.length < 10) this.#create(resource.ref);
    else if (roll < 0.5) this.#update(resource.ref, target, (o) => ({ ...o, data: { n: String(this.#serial++) } }));
    else if (roll < 0.65) this.#update(resource.ref, target, (o) => withLabel(o, this.#random() < 0.5 ? 'gold' : 'silver'));
    else if (roll < 0.75) this.#update(resource.ref, target, (o) => withFinalizers(o, [FINALIZER]));
    else if (roll < 0.85) this.#update(resource.ref, target, (o) => withFinalizers(o, []));
    else this.#server.objects.delete(resource.ref, target.metadata.name ?? '', { namespace: target.metadata.namespace ?? '' });
  }

  // Deleting a namespace removes everything in it at once (finalizers included), then it comes back empty.
  #recreateNamespace(): void {
    const namespace = this.#pick(NAMESPACES) ?? 'ns4';
    this.structural.namespaceRecreations++;
    this.#server.objects.delete('namespaces', namespace);
    this.#server.objects.create('namespaces', { metadata: { name: namespace } });
  }

  // Deleting the CRD removes every Widget and ends their watches; it returns some operations later.
  #deleteCrd(): void {
    this.structural.crdDeletions++;
    this.#server.objects.delete('customresourcedefinitions', 'widgets.example.com');
    this.#crdGoneFor = 3 + Math.floor(this.#random() * 20);
  }

  #create(ref: string): void {
    const namespace = this.#pick(NAMESPACES) ?? 'ns1';
    const tier = this.#random() < 0.5 ? 'gold' : 'silver';
    const body: UnstructuredObject = { metadata: { name: `o${this.#serial++}`, namespace, labels: { tier } }, data: { n: '0' } };
    this.#server.objects.create(ref, body);
  }

  #update(ref: string, target: UnstructuredObject, change: (o: UnstructuredObject) => UnstructuredObject): void {
    this.#server.objects.update(ref, change(target), { namespace: target.metadata?.namespace ?? '' });
  }
}

function withLabel(o: UnstructuredObject, tier: string): UnstructuredObject {
  return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata?.labels, tier } } };
}

function withFinalizers(o: UnstructuredObject, finalizers: string[]): UnstructuredObject {
  return { ...o, metadata: { ...o.metadata, finalizers } };
}

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * Runs the plan: a server with namespaces ns1–ns4 and a Widget CRD created over HTTP, five caches
 * (full, metadata-only, label-selected, watch-list, two namespaces) with replaying handlers, the workload
 * with faults interleaved, then a wait until every cache and replay equals the server. The
 * summary's `divergences` is what remained when the wait gave up (empty on success).
 */
export async function runChaos(plan: ChaosPlan): Promise<ChaosSummary> {
  const random = seededRandom(plan.seed);
  const began = Date.now();
  const server = await FakeApiServer.start();
  const stop = new AbortController();
  const runs: Promise<void>[] = [];
  const runFailures: string[] = [];
  const counters: Counters = { watchErrors: 0, deletedFinalStateUnknown: 0 };
  try {
    for (const ns of NAMESPACES) server.objects.create('namespaces', { metadata: { name: ns } });
    await createWidgetCrd(server);
    const observers: Observer[] = [];
    for (const spec of OBSERVERS) {
      const { observer, running } = await startObserver(server, spec, stop.signal, counters);
      runs.push(running.catch((err: unknown) => void runFailures.push(`${spec.name} start: ${String(err)}`)));
      observers.push(observer);
    }
    for (const o of observers) {
      if (!(await o.cache.waitForCacheSync(AbortSignal.timeout(plan.convergeTimeoutMs)))) throw new Error(`${o.name} never synced`);
    }
    const { rejected, faults, structural } = await runWorkload(server, plan, random);
    server.faults.clear();
    const started = Date.now();
    const remaining = await awaitConvergence(server, observers, plan.convergeTimeoutMs);
    return {
      seed: plan.seed,
      operations: plan.operations,
      rejectedOperations: rejected,
      ...structural,
      faults,
      watchErrors: counters.watchErrors,
      watchRequests: server.requests.count({ verb: 'watch' }),
      listRequests: server.requests.count({ verb: 'list' }),
      deletedFinalStateUnknown: counters.deletedFinalStateUnknown,
      durationMs: Date.now() - began,
      convergedAfterMs: Date.now() - started,
      divergences: [...runFailures, ...remaining],
    };
  } finally {
    stop.abort();
    await Promise.allSettled(runs);
    await server.stop();
  }
}

async function startObserver(
  server: FakeApiServer,
  spec: ObserverSpec,
  signal: AbortSignal,
  counters: Counters,
): Promise<{ observer: Observer; running: Promise<void> }> {
  const cache = new Cache(server.kubeConfig(), {
    ...CHAOS_CACHE_OPTIONS,
    ...spec.options,
    defaultWatchErrorHandler: () => void counters.watchErrors++,
  });
  const observer: Observer = { name: spec.name, cache, metadataOnly: spec.metadataOnly, includes: spec.includes, replay: new Map() };
  await attachReplay(observer, counters);
  return { observer, running: cache.start(signal) };
}

/** The workload with a fault every `operations / faults` operations; returns refused writes and faults by type. */
export async function runWorkload(
  server: FakeApiServer,
  plan: ChaosPlan,
  random: () => number,
): Promise<{ rejected: number; faults: Record<FaultType, number>; structural: Workload['structural'] }> {
  const faults = Object.fromEntries(FAULT_TYPES.map((f) => [f, 0])) as Record<FaultType, number>;
  const workload = new Workload(server, random);
  const faultEvery = Math.max(1, Math.floor(plan.operations / Math.max(1, plan.faults)));
  const nextFault = faultSequence(random);
  let rejected = 0;
  for (let i = 0; i < plan.operations; i++) {
    if (!workload.step()) rejected++;
    if (i % faultEvery === faultEvery - 1) {
      const type = nextFault();
      faults[type]++;
      await injectFault(server, type, random);
    }
    await pause(plan.pauseMs ?? 0);
  }
  workload.finish();
  return { rejected, faults, structural: workload.structural };
}

/** Polls until no divergence remains or `timeoutMs` passes; returns what remained. */
async function awaitConvergence(server: FakeApiServer, observers: readonly Observer[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let remaining = await divergences(server, observers);
  while (remaining.length > 0 && Date.now() < deadline) {
    await pause(20);
    remaining = await divergences(server, observers);
  }
  return remaining;
}
