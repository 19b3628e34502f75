// A controller that reads the few Secrets its custom resources reference, among hundreds of big
// Helm release Secrets, with `cacheFullObjects: 'whenRead'`: the cache watches every Secret's
// metadata and holds only the read Secrets in full. Runs on the embedded fake APIServer.

import {
  Cache,
  Secrets,
  metadataOnly,
  unstructured,
  type DeepReadonly,
  type MetadataObject,
  type UnstructuredObject,
} from '../../src/index.ts';
import { FakeApiServer } from '../../src/testing/index.ts';

const NAMESPACE = 'shop';
const HELM_RELEASES = 300;
const Databases = unstructured({ group: 'example.kubecache.dev', version: 'v1', kind: 'Database' });

// The server: a Database CRD, three Databases each naming its credentials Secret, those Secrets,
// and 300 Helm release Secrets of 16 KiB that the controller never reads.
const fake = await FakeApiServer.start();
fake.objects.create('namespaces', { metadata: { name: NAMESPACE } });
fake.objects.create('customresourcedefinitions', {
  metadata: { name: 'databases.example.kubecache.dev' },
  spec: {
    group: Databases.gvk.group,
    scope: 'Namespaced',
    names: { plural: 'databases', singular: 'database', kind: 'Database' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});
const release = 'H4sI'.padEnd(16 * 1024, 'A');
for (let i = 0; i < HELM_RELEASES; i++) {
  fake.objects.create('secrets', { metadata: { name: `sh.helm.release.v1.app-${i}.v1`, namespace: NAMESPACE, labels: { owner: 'helm' } }, data: { release } });
}
const users = { orders: 'alice', billing: 'bob', search: 'carol' };
for (const [db, user] of Object.entries(users)) {
  fake.objects.create('secrets', { metadata: { name: `${db}-credentials`, namespace: NAMESPACE }, data: { user: btoa(user), password: btoa(`${user}-pw`) } });
  fake.objects.create('databases.example.kubecache.dev', { metadata: { name: db, namespace: NAMESPACE }, spec: { credentialsSecret: `${db}-credentials` } });
}
console.log(`secrets on the server: ${fake.objects.list('secrets').length} (${HELM_RELEASES} Helm releases of 16 KiB, 3 credentials)`);

// Secrets: metadata for every one, full objects only for those read (at most 100 kept).
const cache = new Cache(fake.kubeConfig(), {
  byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet: { maxObjects: 100 } }],
});
// Which Databases name a Secret: lets a Secret's event find the Databases to reconcile.
await cache.indexField(Databases, 'spec.credentialsSecret', (db) => [String((db.spec as { credentialsSecret?: string } | undefined)?.credentialsSecret ?? '')]);
const stop = new AbortController();
const running = cache.start(stop.signal);

const reconciled: string[] = [];
let onReconciled: () => void = () => undefined;

// The reconciler reads the full Secret with cache.get: a GET the first time (and after each
// change of the Secret), from memory afterwards.
async function reconcile(db: DeepReadonly<UnstructuredObject>): Promise<void> {
  const secretName = String((db.spec as { credentialsSecret?: string } | undefined)?.credentialsSecret);
  const secret = await cache.get(Secrets, { namespace: NAMESPACE, name: secretName });
  const user = atob(secret.data?.['user'] ?? '');
  console.log(`reconciled ${db.metadata?.name}: connects as ${user} (secret ${secretName}@${secret.metadata?.resourceVersion})`);
  reconciled.push(`${db.metadata?.name}:${user}`);
  onReconciled();
}

const databases = await cache.getInformer(Databases);
databases.addEventHandler({ onAdd: (db) => reconcile(db) });

// Secret handlers receive metadata objects (no `data`): enough to know which Secret changed.
const secrets = await cache.getInformer(Secrets);
secrets.addEventHandler({
  onUpdate: async (_old, secret) => {
    const metadata = secret as DeepReadonly<MetadataObject>;
    const owners = await cache.list(Databases, { namespace: NAMESPACE, fieldSelector: { 'spec.credentialsSecret': metadata.metadata.name ?? '' } });
    for (const db of owners) await reconcile(db);
  },
});

const until = (count: number): Promise<void> =>
  new Promise((resolve) => {
    onReconciled = () => {
      if (reconciled.length >= count) resolve();
    };
    onReconciled();
  });
await until(3);

// Rotate one credential: the metadata watch sees a new version, the held Secret is dropped, and
// the reconcile it triggers reads the new one with one GET.
fake.objects.update('secrets', { metadata: { name: 'billing-credentials', namespace: NAMESPACE }, data: { user: btoa('bob-2'), password: btoa('rotated') } });
console.log('rotated billing-credentials');
await until(4);

// A second pass over every Database, as a periodic resync would: each Secret is held and current, no request.
for (const db of await cache.list(Databases, { namespace: NAMESPACE })) await reconcile(db);

const [set] = cache.stats().workingSets;
const metadataBytes = (await cache.list(metadataOnly(Secrets.gvk))).reduce((sum, s) => sum + JSON.stringify(s).length, 0);
const fullBytes = fake.objects.list('secrets').reduce((sum, s) => sum + JSON.stringify(s).length, 0);
console.log(`working set: ${set?.objects} full secrets held of ${fake.objects.list('secrets').length} watched; ${set?.getRequests} GETs, ${set?.hits} hits, ${set?.misses} misses`);
console.log(`cached JSON: ${Math.round((metadataBytes + (set?.bytes ?? 0)) / 1024)} KiB (metadata of every secret + the read ones) instead of ${Math.round(fullBytes / 1024)} KiB for every full secret`);

stop.abort();
await running;
await fake.stop();
