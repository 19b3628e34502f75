// Type-checks the Client's typing contracts (tsc sees this file; node --test does not run it):
// frozen cached objects go back through every write without a cast, mutable() gives the kind's
// own type, reads are frozen unless live or deepCopy, and typos in object literals are caught.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  Cache,
  Client,
  ConfigMaps,
  Deployments,
  metadataOnly,
  mergeFrom,
  mutable,
  Patch,
  Pods,
  retryOnConflict,
  unstructured,
} from '../../src/index.ts';

export async function typingContracts(kc: KubeConfig): Promise<void> {
  const client = new Client(kc, { cache: new Cache(kc) });
  const key = { namespace: 'a', name: 'b' };
  const cached = await client.get(Pods, key);
  // @ts-expect-error a cached read is deeply read-only
  cached.metadata!.name = 'x';
  await client.update(Pods, cached);
  await client.status().update(Pods, cached);
  await client.patch(Pods, cached, { metadata: { labels: { a: null } } });
  await client.delete(Pods, cached, { preconditions: { uid: cached.metadata?.uid } });

  const edited = mutable(cached);
  edited.metadata!.labels = { a: 'b' };
  const updated = await client.update(Pods, edited);
  updated.metadata!.name = 'write answers are mutable';
  await client.patch(Pods, edited, mergeFrom(cached, edited, { optimisticLock: true }));
  await client.patch(Pods, key, Patch.json([{ op: 'remove', path: '/metadata/labels/a' }]));

  const live = await client.get(Pods, key, { live: true });
  live.metadata!.name = 'live reads are mutable';
  const copied = await client.get(Pods, key, { deepCopy: true });
  copied.metadata!.name = 'copies are mutable';

  await client.create(ConfigMaps, { metadata: { name: 'x', namespace: 'y' }, data: { a: 'b' } });
  // @ts-expect-error a misspelt field of the kind's model
  await client.create(ConfigMaps, { metadata: { name: 'x', namespace: 'y' }, datta: { a: 'b' } });
  await client.apply(Deployments, { metadata: { name: 'x', namespace: 'y' }, spec: { replicas: 2 } });

  const Gadgets = unstructured({ group: 'g', version: 'v1', kind: 'Gadget' });
  const gadget = await client.get(Gadgets, key);
  await client.update(Gadgets, gadget);
  const gadgetCopy = mutable(gadget);
  gadgetCopy['spec'] = { color: 'red' };
  await client.update(Gadgets, gadgetCopy);

  const list = await client.list(Pods, { namespace: 'a' });
  console.log(list.metadata.resourceVersion, list.items[0]?.metadata?.name);
  const PodMeta = metadataOnly(Pods.gvk);
  const metas = await client.list(PodMeta, { live: true });
  if (metas.items[0] !== undefined) await client.patch(PodMeta, metas.items[0], { metadata: { labels: { x: 'y' } } });

  const scale = await client.subResource('scale').get(Deployments, key);
  await client.subResource('scale').update(Deployments, { ...scale, spec: { replicas: 3 } });
  await client.subResource('eviction').create(Pods, cached, { apiVersion: 'policy/v1', kind: 'Eviction', deleteOptions: { gracePeriodSeconds: 0 } });
  await retryOnConflict(async () => client.update(Pods, mutable(await client.get(Pods, key))));
}
