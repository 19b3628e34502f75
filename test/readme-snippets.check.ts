// Type-checks the README's code (tsc sees this file; node --test does not run it).
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import {
  Cache,
  Client,
  ConfigMaps,
  Deployments,
  isNotFound,
  ListWatch,
  loadKubeConfig,
  mergeFrom,
  mutable,
  Pods,
  retryOnConflict,
  Secrets,
  SharedIndexInformer,
  Transport,
  type WireObject,
} from '../src/index.ts';
import { generationChangedPredicate, Manager } from '../src/controller/index.ts';

export async function quickStart(): Promise<void> {
  const kc = loadKubeConfig();
  const cache = new Cache(kc);
  await cache.indexField(Pods, 'spec.nodeName', (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
  const informer = await cache.getInformer(Pods, { blockUntilSynced: false });
  informer.addEventHandler({
    onAdd: (pod) => console.log('added', pod.metadata?.namespace, pod.metadata?.name),
    onUpdate: (_old, pod) => console.log('updated', pod.metadata?.name),
    onDelete: (pod) => console.log('deleted', 'key' in pod ? pod.key : pod.metadata?.name),
  });
  const stop = new AbortController();
  void cache.start(stop.signal);
  await cache.waitForCacheSync();
  const onNode = await cache.list(Pods, { fieldSelector: { 'spec.nodeName': 'node-1' } });
  const pod = await cache.get(Pods, { namespace: 'default', name: 'web-0' });
  console.log(onNode.length, pod.status?.phase);
  stop.abort();
}

export async function informerDirectly(kc: KubeConfig): Promise<void> {
  const transport = Transport.fromKubeConfig(kc);
  const lw = new ListWatch<WireObject<V1Pod>>({ transport, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'default' });
  const informer = new SharedIndexInformer(lw, {
    indexers: { byNode: (pod) => [pod.spec?.nodeName ?? ''] },
    watchErrorHandler: (err) => console.warn('watch failed, retrying:', err),
  });
  informer.addEventHandler({ onAdd: (pod) => console.log(pod.metadata?.name) });
  const stop = new AbortController();
  const done = informer.run(stop.signal);
  await informer.onSynced();
  console.log(informer.getIndexer().byIndex('byNode', 'node-1').length, informer.stats());
  stop.abort();
  await done;
}

export async function writingBack(kc: KubeConfig): Promise<void> {
  const cache = new Cache(kc);
  const client = new Client(kc, { cache, fieldOwner: 'my-operator' });

  await retryOnConflict(async () => {
    const cm = mutable(await client.get(ConfigMaps, { namespace: 'default', name: 'settings' }));
    cm.data = { ...cm.data, mode: 'fast' };
    return client.update(ConfigMaps, cm);
  });

  const web = await client.get(Deployments, { namespace: 'default', name: 'web' });
  const scaled = mutable(web);
  scaled.spec = { ...scaled.spec!, replicas: 3 };
  await client.patch(Deployments, scaled, mergeFrom(web, scaled, { optimisticLock: true }));

  await client.apply(ConfigMaps, { metadata: { namespace: 'default', name: 'summary' }, data: { replicas: '3' } });

  await client.status().patch(Deployments, web, { status: { observedGeneration: web.metadata?.generation } });
  const scale = await client.subResource('scale').get(Deployments, web);
  await client.subResource('scale').update(Deployments, { ...scale, spec: { replicas: 5 } });
}

export async function handToClientNode(cache: Cache, kc: KubeConfig): Promise<void> {
  const body = mutable(await cache.get(Pods, { namespace: 'default', name: 'web-0' })) as unknown as V1Pod;
  body.metadata = { ...body.metadata, labels: { ...body.metadata?.labels, checked: 'yes' } };
  await kc.makeApiClient(CoreV1Api).replaceNamespacedPod({ namespace: 'default', name: 'web-0', body });
}

export async function writingAController(): Promise<void> {
  const kc = loadKubeConfig();
  const manager = new Manager(kc, {
    leaderElection: { id: 'web-config-operator' },
    healthProbeBindAddress: ':8081', metricsBindAddress: ':8080',
    client: { fieldOwner: 'web-config-operator' },
  });
  const { client } = manager;
  manager
    .newController('web-config', async ({ namespace, name }, signal) => {
      const deploy = await client.get(Deployments, { namespace, name }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e as Error)));
      if (deploy === undefined) return;
      const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deploy.metadata?.uid ?? '', controller: true };
      await client.apply(ConfigMaps, { metadata: { namespace, name: `${name}-config`, ownerReferences: [owner] }, data: { replicas: String(deploy.spec?.replicas ?? 1) } }, { force: true, signal });
    }, { maxConcurrentReconciles: 4 })
    .for(Deployments, generationChangedPredicate())
    .owns(ConfigMaps);
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  await manager.start(stop.signal);
}

export async function workingSet(kc: KubeConfig): Promise<void> {
  const cache = new Cache(kc, {
    byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet: { maxObjects: 500 } }],
  });
  const creds = await cache.get(Secrets, { namespace: 'shop', name: 'orders-credentials' }); // a full Secret
  console.log(creds.data?.['password']);
}
