// ListWatch and RestClient against the fake APIServer: the normal list/watch/CRUD protocol over HTTP.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAlreadyExists, isConflict, isNotFound, isTooOldResourceVersion, StatusError } from '../../src/api/errors.ts';
import type { WatchEvent } from '../../src/api/lister-watcher.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { Transport } from '../../src/client/transport.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { collect} from './helpers.ts';
import { eventually } from '../helpers.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

function cm(name: string, namespace: string, data: Record<string, string> = {}): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { suite: 'lw' } }, data };
}

/** Pulls events until `count` have arrived (or the stream ends). */
async function take<T>(iterator: AsyncIterator<WatchEvent<T>>, count: number): Promise<WatchEvent<T>[]> {
  const out: WatchEvent<T>[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    out.push(next.value);
  }
  return out;
}

function names(events: readonly WatchEvent<ConfigMap>[]): string[] {
  return events.map((e) => (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED' ? `${e.type} ${e.object.metadata?.name ?? ''}` : e.type));
}

void describe('ListWatch over the fake APIServer', () => {
  let server: FakeApiServer;
  let transport: Transport;
  let rest: RestClient;

  void before(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 50 });
    transport = Transport.fromKubeConfig(server.kubeConfig());
    rest = new RestClient(transport);
    for (const name of ['paged', 'watched', 'bookmarks', 'initial', 'compacted', 'dropped', 'meta', 'errors']) {
      await rest.createObject({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name } });
    }
  });
  void after(async () => {
    transport.close();
    await server.stop();
  });

  void it('lists a namespace in pages that share one resourceVersion and carry continue and remainingItemCount', async () => {
    for (const name of ['p-a', 'p-b', 'p-c']) await rest.createObject(configmaps, cm(name, 'paged'));
    const lw = new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace: 'paged' });
    const first = await lw.list({ limit: 2 });
    assert.deepEqual(first.items.map((i) => i.metadata?.name), ['p-a', 'p-b']);
    assert.equal(first.remainingItemCount, 1);
    assert.ok(first.continue !== undefined);
    const second = await lw.list({ limit: 2, continue: first.continue });
    assert.deepEqual(second.items.map((i) => i.metadata?.name), ['p-c']);
    assert.equal(second.continue, undefined);
    assert.equal(second.resourceVersion, first.resourceVersion);
  });

  void it('watches creates, updates, patches and deletes made through RestClient from the list resourceVersion', async () => {
    const lw = new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace: 'watched' });
    const { resourceVersion } = await lw.list({});
    const iterator = lw.watch({ resourceVersion });
    const first = iterator.next();
    const created = await rest.createObject(configmaps, cm('w-a', 'watched', { v: '1' }));
    await rest.updateObject(configmaps, { ...created, data: { v: '2' } });
    await rest.patchObject(configmaps, 'w-a', { data: { v: '3' } }, { namespace: 'watched' });
    await rest.deleteObject(configmaps, 'w-a', { namespace: 'watched' });
    const firstEvent = await first;
    assert.equal(firstEvent.done, false);
    const events = [firstEvent.value, ...(await take(iterator, 3))];
    await iterator.return?.();
    assert.deepEqual(names(events), ['ADDED w-a', 'MODIFIED w-a', 'MODIFIED w-a', 'DELETED w-a']);
    const patched = events[2];
    assert.ok(patched?.type === 'MODIFIED');
    assert.deepEqual(patched.object.data, { v: '3' });
  });

  void it('delivers bookmarks with the server resourceVersion when asked for them', async () => {
    const lw = new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace: 'bookmarks' });
    const { resourceVersion } = await lw.list({});
    const iterator = lw.watch({ resourceVersion, allowWatchBookmarks: true });
    const [event] = await take(iterator, 1);
    await iterator.return?.();
    assert.ok(event?.type === 'BOOKMARK');
    assert.ok(Number(event.resourceVersion) >= Number(resourceVersion));
    assert.equal(event.initialEventsEnd, false);
  });

  void it('streams the initial state then the initial-events-end bookmark for sendInitialEvents', async () => {
    for (const name of ['i-a', 'i-b']) await rest.createObject(configmaps, cm(name, 'initial'));
    const lw = new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace: 'initial' });
    const iterator = lw.watch({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
    const events: WatchEvent<ConfigMap>[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      events.push(next.value);
      if (next.value.type === 'BOOKMARK' && next.value.initialEventsEnd) break;
    }
    await iterator.return?.();
    assert.deepEqual(names(events).slice(0, 2).sort(), ['ADDED i-a', 'ADDED i-b']);
    const end = events.at(-1);
    assert.ok(end?.type === 'BOOKMARK' && end.initialEventsEnd);
  });

  void it('yields a 410 Expired ERROR event and then ends when watching from a compacted resourceVersion', async () => {
    const lw = new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace: 'compacted' });
    const { resourceVersion } = await lw.list({});
    await rest.createObject(configmaps, cm('c-a', 'compacted'));
    server.faults.compact();
    const events = await collect(lw.watch({ resourceVersion }));
    assert.equal(events.length, 1);
    const event = events[0];
    assert.ok(event?.type === 'ERROR');
    assert.ok(event.error instanceof StatusError);
    assert.equal(event.error.code, 410);
    assert.ok(isTooOldResourceVersion(event.error));
  });

  void it('ends the iteration normally when the server drops the watch', async () => {
    const lw = new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace: 'dropped' });
    const { resourceVersion } = await lw.list({});
    const done = collect(lw.watch({ resourceVersion }));
    await eventually(() => server.watches.size > 0, 'the watch to be registered');
    server.faults.dropWatches();
    assert.deepEqual(await done, []);
  });

  void it('lists and watches PartialObjectMetadata when metadataOnly is set', async () => {
    const lw = new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: 'meta', metadataOnly: true });
    await rest.createObject(configmaps, cm('m-a', 'meta', { big: 'x'.repeat(100) }));
    const page = await lw.list({});
    assert.equal(page.items[0]?.kind, 'PartialObjectMetadata');
    assert.equal((page.items[0] as { data?: unknown }).data, undefined);
    const iterator = lw.watch({ resourceVersion: page.resourceVersion });
    const next = iterator.next();
    await rest.patchObject(configmaps, 'm-a', { metadata: { labels: { changed: 'yes' } } }, { namespace: 'meta' });
    const event = (await next).value as WatchEvent<KubeObject>;
    await iterator.return?.();
    assert.ok(event.type === 'MODIFIED');
    assert.equal(event.object.kind, 'PartialObjectMetadata');
    assert.equal(event.object.metadata?.labels?.['changed'], 'yes');
  });

  void it('surfaces NotFound, AlreadyExists and Conflict from RestClient as StatusErrors the predicates recognise', async () => {
    const missing = await rest.getObject(configmaps, 'nope', { namespace: 'default' }).catch((e: unknown) => e);
    assert.ok(isNotFound(missing));
    const created = await rest.createObject(configmaps, cm('dup', 'errors'));
    assert.ok(isAlreadyExists(await rest.createObject(configmaps, cm('dup', 'errors')).catch((e: unknown) => e)));
    await rest.patchObject(configmaps, 'dup', { data: { v: 'new' } }, { namespace: 'errors' });
    assert.ok(isConflict(await rest.updateObject(configmaps, { ...created, data: { v: 'stale' } }).catch((e: unknown) => e)));
    const read = await rest.getObject<ConfigMap>(configmaps, 'dup', { namespace: 'errors' });
    assert.deepEqual(read.data, { v: 'new' });
  });

  void it('releases every watch socket after the watches above were closed', async () => {
    await eventually(() => transport.stats().activeSockets === 0, 'no request to hold a socket');
  });
});

void describe('Transport over TLS with a bearer token (fake APIServer)', () => {
  let server: FakeApiServer;
  const transports: Transport[] = [];

  void before(async () => {
    server = await FakeApiServer.start({ tls: true, token: 't0ken-value' });
  });
  void after(async () => {
    for (const t of transports) t.close();
    await server.stop();
  });

  function transportWith(edit: (kc: ReturnType<FakeApiServer['kubeConfig']>) => void): Transport {
    const kc = server.kubeConfig();
    edit(kc);
    const transport = Transport.fromKubeConfig(kc, { requestTimeoutMs: 5000 });
    transports.push(transport);
    return transport;
  }

  void it('lists over HTTPS with the kubeconfig CA and token', async () => {
    const transport = transportWith(() => undefined);
    assert.ok(transport.server.startsWith('https://127.0.0.1:'));
    const page = await new ListWatch({ transport, resource: configmaps }).list({});
    assert.match(page.resourceVersion, /^\d+$/);
  });

  void it('gets 401 Unauthorized as a StatusError without the token', async () => {
    const transport = transportWith((kc) => {
      kc.loadFromOptions({ ...kc, users: [{ name: kc.getCurrentUser()?.name ?? 'u' }] });
    });
    const err = await transport.requestJson({ path: '/api/v1/configmaps' }).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError);
    assert.equal(err.code, 401);
    assert.equal(err.reason, 'Unauthorized');
  });

  void it('fails TLS verification without the CA, and never turns verification off by itself', async () => {
    const transport = transportWith((kc) => {
      const cluster = kc.getCurrentCluster();
      assert.ok(cluster !== null);
      kc.loadFromOptions({ ...kc, clusters: [{ name: cluster.name, server: cluster.server, skipTLSVerify: false }] });
    });
    const err = await transport.requestJson({ path: '/api' }).catch((e: unknown) => e);
    assert.ok(err instanceof Error && 'reason' in err, String(err));
    assert.equal(err.reason, 'TLSVerificationFailed');
    assert.doesNotMatch(err.message, /t0ken-value/);
  });

  void it('connects without the CA only when the kubeconfig says insecure-skip-tls-verify', async () => {
    const transport = transportWith((kc) => {
      const cluster = kc.getCurrentCluster();
      assert.ok(cluster !== null);
      kc.loadFromOptions({ ...kc, clusters: [{ name: cluster.name, server: cluster.server, skipTLSVerify: true }] });
    });
    const versions = (await transport.requestJson({ path: '/api' })) as { versions?: string[] };
    assert.deepEqual(versions.versions, ['v1']);
  });
});
