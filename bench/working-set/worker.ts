// A working-set measuring process: one cache mode over the big Secrets, retained heap, get latencies, requests per update.
//
// Forked by bench/working-set/run.ts with the task as argv[2] (JSON), so each mode starts from a
// fresh heap; replies over IPC.

import { performance } from 'node:perf_hooks';
import { Cache, ConfigMaps, metadataOnly, RestClient, Secrets, Transport, type CacheOptions, type KindRef, type KubeObject } from '../../src/index.ts';
import { KubeConfig } from '@kubernetes/client-node';
import { fullGc } from '../measure.ts';
import { NAMESPACE, secretName, WARM_UP_CONFIGMAPS, type WorkingSetMode, type WorkingSetResult, type WorkingSetTask } from './scenario.ts';

const SECRET_GVK = { group: '', version: 'v1', kind: 'Secret' };
const SECRET_METADATA = metadataOnly(SECRET_GVK);
const SECRETS_GVR = { group: '', version: 'v1', resource: 'secrets' };

function kubeConfigOf(task: WorkingSetTask): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(task.kubeConfigYaml);
  return kc;
}

function optionsOf(mode: WorkingSetMode): CacheOptions {
  switch (mode) {
    case 'full':
    case 'metadata':
      return {};
    case 'working-set':
      return { defaultCacheFullObjects: 'whenRead' };
    case 'working-set-refresh':
      return { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { onUpdate: 'refresh' } };
  }
}

function kindOf(mode: WorkingSetMode): KindRef<KubeObject> {
  return mode === 'metadata' ? SECRET_METADATA : Secrets;
}

/** A started cache; `stop` ends it and waits. */
function startCache(task: WorkingSetTask): { cache: Cache; stop: () => Promise<void> } {
  const cache = new Cache(kubeConfigOf(task), optionsOf(task.mode));
  const ac = new AbortController();
  const running = cache.start(ac.signal);
  return {
    cache,
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

// The same code paths on a few ConfigMaps, so that compiled code and module state are not charged to the Secrets.
async function warmUp(task: WorkingSetTask): Promise<void> {
  const { cache, stop } = startCache(task);
  const kind: KindRef<KubeObject> = task.mode === 'metadata' ? metadataOnly(ConfigMaps.gvk) : ConfigMaps;
  for (let i = 0; i < WARM_UP_CONFIGMAPS; i++) await cache.get(kind, { namespace: NAMESPACE, name: `warm-${i}` });
  await cache.list(kind, { namespace: NAMESPACE });
  await stop();
}

/** The names the controller reads: `reads` Secrets spread over the whole set. */
function readNames(task: WorkingSetTask): string[] {
  const step = Math.max(1, Math.floor(task.secrets / task.reads));
  return Array.from({ length: task.reads }, (_, i) => secretName(i * step));
}

const ROUNDS = 11;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Median over {@link ROUNDS} of the mean nanoseconds per cached get, for each of `kinds`, the
 * kinds taking turns round by round so a burst of load on a shared machine hits them alike.
 */
async function getLatenciesNs(cache: Cache, kinds: readonly KindRef<KubeObject>[], names: readonly string[], totalMs: number): Promise<number[]> {
  const rounds = kinds.map((): number[] => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, kind] of kinds.entries()) rounds[i]?.push(await getLatencyNs(cache, kind, names, totalMs / ROUNDS / kinds.length));
  }
  return rounds.map(median);
}

/** Mean nanoseconds per cached get of `names`, looping for at least `minMs`. */
async function getLatencyNs(cache: Cache, kind: KindRef<KubeObject>, names: readonly string[], minMs: number): Promise<number> {
  let ops = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const name of names) await cache.get(kind, { namespace: NAMESPACE, name });
    ops += names.length;
    elapsed = performance.now() - started;
  } while (elapsed < minMs);
  return (elapsed * 1e6) / ops;
}

function getRequests(cache: Cache): number {
  return cache.stats().workingSets.reduce((sum, s) => sum + s.getRequests, 0);
}

// Changes each Secret through the API (an annotation: the object gets a new resourceVersion) and
// waits until the metadata watch shows it; `read` then reads it. Returns GET requests per update.
async function requestsPerUpdate(task: WorkingSetTask, cache: Cache, names: readonly string[], round: string, read: boolean): Promise<number> {
  const transport = Transport.fromKubeConfig(kubeConfigOf(task));
  const rest = new RestClient(transport);
  const before = getRequests(cache);
  try {
    for (const name of names) {
      const patched = await rest.patchObject<KubeObject>(SECRETS_GVR, name, { metadata: { annotations: { 'bench/round': round } } }, { namespace: NAMESPACE });
      const version = patched.metadata?.resourceVersion;
      const deadline = Date.now() + task.timeoutMs;
      while ((await cache.get(SECRET_METADATA, { namespace: NAMESPACE, name })).metadata.resourceVersion !== version) {
        if (Date.now() > deadline) throw new Error(`the watch never showed ${name}@${version}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (read) {
        const got = await cache.get(Secrets, { namespace: NAMESPACE, name });
        if (got.metadata?.resourceVersion !== version) throw new Error(`read ${name}@${got.metadata?.resourceVersion}, expected ${version}`);
      }
    }
    // A refresh may still be under way for the last update.
    if (task.mode === 'working-set-refresh') await settle(cache);
  } finally {
    transport.close();
  }
  return (getRequests(cache) - before) / names.length;
}

async function settle(cache: Cache): Promise<void> {
  let last = -1;
  for (let still = 0; still < 5; ) {
    const now = getRequests(cache);
    still = now === last ? still + 1 : 0;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measure(task: WorkingSetTask): Promise<WorkingSetResult> {
  await warmUp(task);
  await fullGc();
  const baseline = process.memoryUsage().heapUsed;
  const { cache, stop } = startCache(task);
  const kind = kindOf(task.mode);
  const syncStarted = performance.now();
  await cache.getInformer(kind);
  const syncMs = performance.now() - syncStarted;
  const names = readNames(task);
  const missStarted = performance.now();
  for (const name of names) await cache.get(kind, { namespace: NAMESPACE, name });
  const missMs = (performance.now() - missStarted) / names.length;
  const getsForReads = getRequests(cache);
  await fullGc();
  const retainedBytes = process.memoryUsage().heapUsed - baseline;
  const objects = (await cache.list(SECRET_METADATA, { namespace: NAMESPACE })).length;
  if (objects !== task.secrets) throw new Error(`the cache holds ${objects} Secrets, expected ${task.secrets}`);
  const workingSet = task.mode === 'working-set' || task.mode === 'working-set-refresh';
  const [getNs = NaN, plainGetNs = NaN] = await getLatenciesNs(cache, workingSet ? [kind, SECRET_METADATA] : [kind], names, task.readMs);
  const result: WorkingSetResult = {
    mode: task.mode,
    retainedBytes,
    syncMs,
    getNs,
    ...(workingSet
      ? {
          plainGetNs,
          missMs,
          getsPerMiss: getsForReads / names.length,
          requestsPerReadUpdate: await requestsPerUpdate(task, cache, names, 'read', true),
          requestsPerUnreadUpdate: await requestsPerUpdate(task, cache, names, 'unread', false),
        }
      : {}),
  };
  await stop();
  return result;
}

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(1));
  const arg = process.argv[2];
  if (arg === undefined) throw new TypeError('working-set worker: expected the task (JSON) as the first argument');
  const task = JSON.parse(arg) as WorkingSetTask;
  let reply: unknown;
  try {
    reply = { type: 'result', result: await measure(task) };
  } catch (err) {
    reply = { type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  if (process.send === undefined) console.log(JSON.stringify(reply));
  else await new Promise<void>((resolve, reject) => process.send?.(reply, (err: Error | null) => (err === null ? resolve() : reject(err))));
  process.exit(0);
}

await main();
