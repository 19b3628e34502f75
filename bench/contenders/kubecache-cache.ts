// kubecache's public read path: the same reads through Cache.get / Cache.list (async, controller-runtime's Reader).

import { Cache } from '../../src/cache/cache.ts';
import { Pods } from '../../src/cache/kinds.ts';
import { benchKubeConfig } from './client-node.ts';

/** The four read scenarios answered through a started, synced {@link Cache}. */
export interface CacheReads {
  get(namespace: string, name: string): Promise<unknown>;
  listNamespace(namespace: string): Promise<readonly unknown[]>;
  byNode(node: string): Promise<readonly unknown[]>;
  scanNode(node: string): Promise<readonly unknown[]>;
  stop(): Promise<void>;
}

/**
 * Starts a Cache on the bench server with a `spec.nodeName` field index and waits for the pods
 * informer to sync. `byNode` is a field-selector list (served by the index); `scanNode` lists
 * every pod and filters, as code without an index would.
 */
export async function openCacheReads(server: string, signal: AbortSignal): Promise<CacheReads> {
  const cache = new Cache(benchKubeConfig(server));
  await cache.indexField(Pods, 'spec.nodeName', (p) => (p.spec?.nodeName === undefined ? [] : [p.spec.nodeName]));
  const stop = new AbortController();
  const running = cache.start(stop.signal);
  await cache.getInformer(Pods, { signal });
  if (!(await cache.waitForCacheSync(signal))) throw new Error('the kubecache Cache did not sync');
  return {
    get: (namespace, name) => cache.get(Pods, { namespace, name }),
    listNamespace: (namespace) => cache.list(Pods, { namespace }),
    byNode: (node) => cache.list(Pods, { fieldSelector: { 'spec.nodeName': node } }),
    scanNode: async (node) => (await cache.list(Pods)).filter((p) => p.spec?.nodeName === node),
    async stop() {
      stop.abort();
      await running;
    },
  };
}
