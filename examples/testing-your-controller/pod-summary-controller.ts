// The controller under test: keeps a ConfigMap "pod-summary" per namespace counting that namespace's pods by phase.

import { isDeepStrictEqual } from 'node:util';
import { ConfigMaps, isNotFound, mutable, Pods, type Client, type Informers, type Reader } from '../../src/index.ts'; // 'kubecache'
import { Controller, enqueueRequestsFromMapFunc, type ControllerOptions } from '../../src/controller/index.ts'; // 'kubecache/controller'

/** Where the controller writes its result; a real one uses the API, a unit test records the calls. */
export interface SummaryWriter {
  /** Makes `namespace`'s summary hold exactly `data`. */
  write(namespace: string, data: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void>;
}

/** Name of the ConfigMap the controller maintains in each namespace. */
export const SUMMARY_NAME = 'pod-summary';

/**
 * A Controller that reconciles `<namespace>/pod-summary` whenever a pod of that namespace is
 * added, changes or goes away: it counts the namespace's pods by `status.phase` from the cache
 * (never from the API) and writes the counts. Every pod event of a namespace maps to the same
 * request, so a burst of events makes one reconcile, and reconciles of one namespace never overlap.
 * It depends only on `Reader & Informers`, so tests can pass a real Cache or FakeInformers.
 */
export function podSummaryController(cache: Reader & Informers, writer: SummaryWriter, options: ControllerOptions = {}): Controller {
  const controller = new Controller(
    'pod-summary',
    cache,
    async ({ namespace }, signal) => {
      const pods = await cache.list(Pods, { namespace });
      const counts: Record<string, string> = { total: String(pods.length) };
      for (const pod of pods) {
        const phase = (pod.status?.phase ?? 'Unknown').toLowerCase();
        counts[phase] = String(Number(counts[phase] ?? '0') + 1);
      }
      await writer.write(namespace, counts, signal);
    },
    options,
  );
  return controller.watches(Pods, enqueueRequestsFromMapFunc((pod) => [{ namespace: pod.metadata?.namespace ?? '', name: SUMMARY_NAME }]));
}

/**
 * A {@link SummaryWriter} through the Client, controller-runtime's CreateOrUpdate: read the
 * summary (from the cache), create it when absent, else update a mutable copy whose data is exactly
 * `data`. A write that fails — a 409 because the cached copy was stale, a refused request — throws,
 * and the controller retries the request with backoff.
 */
export function clientSummaryWriter(client: Client): SummaryWriter {
  return {
    async write(namespace, data, signal) {
      let current;
      try {
        current = await client.get(ConfigMaps, { namespace, name: SUMMARY_NAME }, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await client.create(ConfigMaps, { metadata: { namespace, name: SUMMARY_NAME }, data: { ...data } }, { signal });
        return;
      }
      if (isDeepStrictEqual(current.data ?? {}, data)) return;
      const summary = mutable(current);
      summary.data = { ...data };
      await client.update(ConfigMaps, summary, { signal });
    },
  };
}
