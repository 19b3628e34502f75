// Every Secret's metadata, without holding any secret data: a metadata-only informer, listed by label.

import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { Cache, metadataOnly, Secrets } from '../../src/index.ts';
import { FakeApiServer } from '../../src/testing/index.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' } } });
const kc = new KubeConfig();
const fake = values.kubeconfig === undefined ? await FakeApiServer.start() : undefined;
if (values.kubeconfig !== undefined) kc.loadFromFile(values.kubeconfig);
else if (fake !== undefined) kc.loadFromString(fake.kubeConfigYaml());
for (let i = 0; i < 6; i++) {
  const labels = { 'app.kubernetes.io/name': i % 2 === 0 ? 'web' : 'db' };
  fake?.objects.create('secrets', { metadata: { name: `creds-${i}`, namespace: 'default', labels }, data: { password: 'c2VjcmV0' } });
}

// The server strips everything but apiVersion, kind and metadata (Accept: PartialObjectMetadata),
// so secret values never reach this process, and each cached object is a fraction of the size.
const SecretMetadata = metadataOnly(Secrets.gvk);
const cache = new Cache(kc);
const stop = new AbortController();
const running = cache.start(stop.signal);

const all = await cache.list(SecretMetadata); // starts the informer and waits for its sync
const withData = all.filter((s) => 'data' in s || 'stringData' in s);
console.log(`secrets cached: ${all.length}, with data: ${withData.length}`);
const onServer = fake?.objects.get('secrets', 'creds-0', { namespace: 'default' });
if (onServer !== undefined) console.log(`while on the server creds-0 has data keys: ${Object.keys(onServer['data'] ?? {}).join(', ')}`);
const first = all[0];
if (first !== undefined) console.log(`one of them: ${JSON.stringify({ apiVersion: first.apiVersion, kind: first.kind, name: first.metadata.name })}`);

const web = await cache.list(SecretMetadata, { labelSelector: 'app.kubernetes.io/name=web' });
console.log(`labelled app.kubernetes.io/name=web: ${web.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).join(', ') || '(none)'}`);

stop.abort();
await running;
await fake?.stop();
