// Quickstart: a Cache with a field index and an event handler, and a Client writing back, over a cluster or an in-process fake APIServer.
// With --kubeconfig it writes one ConfigMap, default/kubecache-quickstart, and deletes it again.

import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { Cache, Client, ConfigMaps, isDeletedFinalStateUnknown, mutable, Pods, retryOnConflict } from '../../src/index.ts'; // 'kubecache' once installed
import { FakeApiServer } from '../../src/testing/index.ts'; // 'kubecache/testing'

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' } } });
const kc = new KubeConfig();
const fake = values.kubeconfig === undefined ? await FakeApiServer.start() : undefined;
if (values.kubeconfig !== undefined) kc.loadFromFile(values.kubeconfig);
else if (fake !== undefined) kc.loadFromString(fake.kubeConfigYaml());
fake?.objects.create('pods', { metadata: { name: 'web-0', namespace: 'default' }, spec: { nodeName: 'node-a' } });

const cache = new Cache(kc);
const client = new Client(kc, { cache, fieldOwner: 'kubecache-quickstart' }); // reads from the cache; shares its connections
await cache.indexField(Pods, 'spec.nodeName', (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
const informer = await cache.getInformer(Pods);
informer.addEventHandler({
  onAdd: (pod) => console.log('added', pod.metadata?.namespace, pod.metadata?.name),
  onUpdate: (_old, pod) => console.log('updated', pod.metadata?.namespace, pod.metadata?.name),
  onDelete: (pod) => console.log('deleted', isDeletedFinalStateUnknown(pod) ? pod.key : pod.metadata?.name),
});

const stop = new AbortController();
const running = cache.start(stop.signal);
await cache.waitForCacheSync();
const onNodeA = await client.list(Pods, { fieldSelector: { 'spec.nodeName': 'node-a' } });
console.log(`pods on node-a: ${onNodeA.items.length}`);

// Writing back: server-side apply a summary, then a read-modify-write of the cached (frozen) copy.
const summary = { namespace: 'default', name: 'kubecache-quickstart' };
await client.apply(ConfigMaps, { metadata: summary, data: { podsOnNodeA: String(onNodeA.items.length) } });
const written = await retryOnConflict(async () => {
  const cm = mutable(await client.get(ConfigMaps, summary));
  cm.data = { ...cm.data, checked: 'yes' };
  return client.update(ConfigMaps, cm);
});
console.log(`wrote configmap default/kubecache-quickstart: ${JSON.stringify(written.data)}`);
await client.delete(ConfigMaps, summary);

stop.abort(); // a controller would run until SIGTERM
await running;
await fake?.stop();
