// A custom resource whose CRD is created after the cache started, cached as plain JSON (unstructured).
// With --kubeconfig it writes: it creates the CRD gadgets.example.kubecache.dev and two Gadgets in
// `default`, then deletes the CRD (and with it the Gadgets).

import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import {
  Cache,
  isDeletedFinalStateUnknown,
  RestClient,
  Transport,
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
const gadgets = { group: 'example.kubecache.dev', version: 'v1', resource: 'gadgets' };
const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const transport = Transport.fromKubeConfig(kc);
const rest = new RestClient(transport); // writes go to the API server, never through the cache

const cache = new Cache(kc);
const stop = new AbortController();
const running = cache.start(stop.signal);
await cache.waitForCacheSync();

// The kind does not exist yet. Creating its CRD serves it; the cache's RESTMapper rediscovers on a miss.
await rest.createObject(crds, {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.kubecache.dev' },
  spec: {
    group: gadgets.group,
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

const gadget = (name: string, color: string): UnstructuredObject => ({
  apiVersion: 'example.kubecache.dev/v1',
  kind: 'Gadget',
  metadata: { name },
  spec: { color },
});
await rest.createObject(gadgets, gadget('g1', 'red'), { namespace: 'default' });
await rest.createObject(gadgets, gadget('g2', 'blue'), { namespace: 'default' });
await rest.patchObject(gadgets, 'g1', { spec: { color: 'green' } }, { namespace: 'default' });
await rest.deleteObject(gadgets, 'g2', { namespace: 'default' });

// The handler runs after the cache was updated; wait (bounded) until it has seen all four changes.
await Promise.race([fourChanges, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
const listed = await cache.list(Gadgets, { namespace: 'default' });
console.log(`cached gadgets: ${listed.map((g) => `${g.metadata?.name}=${colorOf(g)}`).join(', ')}`);

stop.abort();
await running;
await rest.deleteObject(crds, 'gadgets.example.kubecache.dev'); // cleans up, on a real cluster too
transport.close();
await fake?.stop();
