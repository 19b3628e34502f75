// The README's quick start as a project that installed the packed kubecache would write it, on the fake APIServer.
// scripts/check-package.ts copies this file into a scratch project, type-checks it under
// moduleResolution node16 and bundler, compiles it and runs it; it prints one line and exits 0.

import { Cache, isNotFound, Pods, type DeepReadonly, type Pod } from 'kubecache';
import { FakeApiServer } from 'kubecache/testing';

const server = await FakeApiServer.start();
server.objects.create('pods', {
  metadata: { namespace: 'default', name: 'web-0', labels: { app: 'web' } },
  spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx' }] },
  status: { phase: 'Running' },
});

const cache = new Cache(server.kubeConfig());
await cache.indexField(Pods, 'spec.nodeName', (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
const added: string[] = [];
const informer = await cache.getInformer(Pods, { blockUntilSynced: false });
informer.addEventHandler({ onAdd: (pod) => void added.push(pod.metadata?.name ?? '') });

const stop = new AbortController();
const running = cache.start(stop.signal);
if (!(await cache.waitForCacheSync(AbortSignal.timeout(20_000)))) throw new Error('the cache did not sync');

const onNode = await cache.list(Pods, { fieldSelector: { 'spec.nodeName': 'node-1' } });
const pod: DeepReadonly<Pod> = await cache.get(Pods, { namespace: 'default', name: 'web-0' });
// Reads are frozen, and typed so: the declarations must carry DeepReadonly through (an `any`
// from an unresolved declaration would make the expected error below go missing).
export function rename(cached: DeepReadonly<Pod>): void {
  if (cached.metadata === undefined) return;
  // @ts-expect-error a cached object is read-only
  cached.metadata.name = 'renamed';
}
const copy: Pod = await cache.get(Pods, { namespace: 'default', name: 'web-0' }, { deepCopy: true });
copy.metadata = { ...copy.metadata, name: 'renamed' };
const missing = await cache.get(Pods, { namespace: 'default', name: 'absent' }).then(
  () => false,
  (err: unknown) => isNotFound(err),
);

stop.abort();
await running;
await server.stop();
const timestamp: string | undefined = pod.metadata?.creationTimestamp;
console.log(
  `quickstart ok: ${onNode.length} pod on node-1, phase ${pod.status?.phase}, added ${added.join(',')}, ` +
    `missing is NotFound: ${missing}, created ${typeof timestamp}`,
);
