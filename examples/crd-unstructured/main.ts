// A custom resource whose CRD is created after the cache started, cached as plain JSON (unstructured),
// written through a Client. With --kubeconfig it writes: it creates the CRD
// gadgets.example.kubecache.dev and two Gadgets in `default`, then deletes the CRD (and with it the Gadgets).

import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import {
  Cache,
  Client,
  CustomResourceDefinitions,
  isDeletedFinalStateUnknown,
  unstructured,
  type DeepReadonly,
  type UnstructuredObject,
} from '../../src/index.ts';
import { FakeApiServer } from '../../src/testing/index.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' } } });
const kc = new KubeConfig();
const fake = values.kubeconfig === undefined ? await FakeApiServer.start() : undefined;
if (values.kubeconfig !== undefined) kc.loadFromFile(values.kubeconfig);
else if (fake !== undefined) kc.loadFromString(fake.kubeConfigYaml());

const Gadgets = unstructured({ group: 'example.kubecache.dev', version: 'v1', kind: 'Gadget' });
// The CRD as plain JSON: its schema fields keep their wire names (x-kubernetes-…).
const Crds = unstructured(CustomResourceDefinitions.gvk);

const cache = new Cache(kc);
const client = new Client(kc, { cache }); // writes go to the API server; reads come from the cache
const stop = new AbortController();
const running = cache.start(stop.signal);
await cache.waitForCacheSync();

// The kind does not exist yet. Creating its CRD serves it; the cache's RESTMapper rediscovers on a miss.
await client.create(Crds, {
  metadata: { name: 'gadgets.example.kubecache.dev' },
  spec: {
    group: Gadgets.gvk.group,
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});
console.log('created CRD gadgets.example.kubecache.dev');

const informer = await cache.getInformer(Gadgets); // starts the informer and waits for its sync
let changes = 0;
let allSeen: () => void = () => undefined;
const fourChanges = new Promise<void>((resolve) => (allSeen = resolve));
const report = (what: string, name: string | undefined): void => {
  console.log(`${what} gadget ${name ?? '?'}`);
  if (++changes === 4) allSeen();
};
const colorOf = (g: UnstructuredObject | DeepReadonly<UnstructuredObject>): string => String((g['spec'] as { color?: unknown } | undefined)?.color);
informer.addEventHandler({
  onAdd: (g) => report('add', g.metadata?.name),
  onUpdate: (_old, g) => report(`update (color=${colorOf(g)})`, g.metadata?.name),
  onDelete: (g) => report('delete', isDeletedFinalStateUnknown(g) ? g.key : g.metadata?.name),
});

const gadget = (name: string, color: string): UnstructuredObject => ({ metadata: { name, namespace: 'default' }, spec: { color } });
await client.create(Gadgets, gadget('g1', 'red'));
await client.create(Gadgets, gadget('g2', 'blue'));
await client.patch(Gadgets, { namespace: 'default', name: 'g1' }, { spec: { color: 'green' } }); // a JSON merge patch
await client.delete(Gadgets, { namespace: 'default', name: 'g2' });

// The handler runs after the cache was updated; wait (bounded) until it has seen all four changes.
await Promise.race([fourChanges, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
const listed = await cache.list(Gadgets, { namespace: 'default' });
console.log(`cached gadgets: ${listed.map((g) => `${g.metadata?.name}=${colorOf(g)}`).join(', ')}`);

stop.abort();
await running;
await client.delete(Crds, { name: 'gadgets.example.kubecache.dev' }); // cleans up, on a real cluster too
await fake?.stop();
