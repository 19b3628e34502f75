// Client reads over HTTP: from the Cache (frozen, shared transport and discovery) or live (fresh, with list metadata).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound } from '../../src/api/errors.ts';
import { ConfigMaps, metadataOnly, Secrets } from '../../src/cache/kinds.ts';
import { Client } from '../../src/kube-client/client.ts';
import { cachedClient, liveClient, startServer, timeout, WIDGET_CRD, Widgets } from './helpers.ts';
import { deferCleanup } from '../cleanup.ts';

function seedConfigMaps(server: Awaited<ReturnType<typeof startServer>>, count: number): void {
  for (let i = 0; i < count; i++) {
    server.objects.create('configmaps', { metadata: { name: `cm-${i}`, namespace: 'ns1', labels: { app: i % 2 === 0 ? 'even' : 'odd' } }, data: { i: String(i) } });
  }
}

void describe('Client reads', () => {
  void it('serves get and list from the cache as frozen objects, and goes to the server with live: true', async (t) => {
    const server = await startServer(t);
    seedConfigMaps(server, 3);
    const { client } = cachedClient(t, server);

    const cached = await client.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' }, { signal: timeout() });
    assert.ok(Object.isFrozen(cached), 'a cached read hands out the frozen stored object');
    const gets = server.requests.count({ verb: 'get', resource: 'configmaps' });
    assert.equal(gets, 0, 'a cached get sends no GET');

    const live = await client.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' }, { live: true, signal: timeout() });
    assert.equal(Object.isFrozen(live), false);
    assert.equal(live.kind, 'ConfigMap');
    assert.deepEqual(live.data, { i: '0' });
    assert.equal(server.requests.count({ verb: 'get', resource: 'configmaps' }), 1);

    const list = await client.list(ConfigMaps, { namespace: 'ns1', labelSelector: { app: 'even' } });
    assert.deepEqual(list.items.map((cm) => cm.metadata?.name).sort(), ['cm-0', 'cm-2']);
    assert.deepEqual(list.metadata, {}, 'a cached list reports no resourceVersion and no continue');
    assert.equal(list.kind, 'ConfigMapList');
  });

  void it('shares the cache transport and RESTMapper: its requests go through the cache transport, with no second discovery', async (t) => {
    const server = await startServer(t);
    seedConfigMaps(server, 1);
    const { cache, client } = cachedClient(t, server);
    await cache.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' }, { signal: timeout() });
    const discoveryBefore = server.requests.count({ verb: 'discovery' });
    const transport = cache.connection().transport;
    const sent: string[] = [];
    const send = transport.requestJson.bind(transport);
    transport.requestJson = (request) => {
      sent.push(`${request.method ?? 'GET'} ${request.path}`);
      return send(request);
    };

    await client.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' }, { live: true });
    await client.create(ConfigMaps, { metadata: { name: 'new', namespace: 'ns1' } });

    assert.deepEqual(sent, ['GET /api/v1/namespaces/ns1/configmaps/cm-0', 'POST /api/v1/namespaces/ns1/configmaps']);
    assert.equal(server.requests.count({ verb: 'discovery' }), discoveryBefore, 'no discovery request');
  });

  void it('pages a live list: limit gives metadata.continue and remainingItemCount, continue gives the next page, resourceVersion is the list version', async (t) => {
    const server = await startServer(t);
    seedConfigMaps(server, 5);
    const client = liveClient(t, server);

    const first = await client.list(ConfigMaps, { namespace: 'ns1', limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata.continue !== undefined && first.metadata.continue !== '');
    assert.equal(first.metadata.remainingItemCount, 3);
    assert.match(first.metadata.resourceVersion ?? '', /^\d+$/);
    assert.equal(first.items[0]?.kind, 'ConfigMap', 'items are stamped with their kind');

    const names = first.items.map((cm) => cm.metadata?.name);
    let page = first;
    while (page.metadata.continue !== undefined) {
      page = await client.list(ConfigMaps, { namespace: 'ns1', limit: 2, continue: page.metadata.continue });
      names.push(...page.items.map((cm) => cm.metadata?.name));
    }
    assert.deepEqual(names, ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
    assert.equal(page.metadata.resourceVersion, first.metadata.resourceVersion, 'every page is of the first page version');
  });

  void it('lists metadata-only objects through the client, live and cached, with the real kind and no data', async (t) => {
    const server = await startServer(t);
    server.objects.create('secrets', { metadata: { name: 's1', namespace: 'ns1', labels: { tier: 'db' } }, data: { password: 'aHVudGVyMg==' } });
    server.objects.create('secrets', { metadata: { name: 's2', namespace: 'ns1' }, data: { password: 'aHVudGVyMg==' } });
    const SecretMeta = metadataOnly(Secrets.gvk);
    const { client } = cachedClient(t, server);

    const live = await client.list(SecretMeta, { namespace: 'ns1', labelSelector: 'tier=db', live: true });
    assert.deepEqual(live.items.map((s) => [s.apiVersion, s.kind, s.metadata.name]), [['v1', 'Secret', 's1']]);
    assert.equal('data' in (live.items[0] ?? {}), false);
    assert.equal(live.kind, 'SecretList');
    assert.match(live.metadata.resourceVersion ?? '', /^\d+$/);
    const lists = server.requests.filter({ verb: 'list', resource: 'secrets' });
    assert.equal(lists.length, 1);

    const cached = await client.list(SecretMeta, { namespace: 'ns1' });
    assert.deepEqual(cached.items.map((s) => s.metadata.name).sort(), ['s1', 's2']);
    assert.ok(cached.items.every((s) => !('data' in s)));
  });

  void it('reads the kinds in disableFor from the server although a cache is set', async (t) => {
    const server = await startServer(t);
    seedConfigMaps(server, 1);
    const { client } = cachedClient(t, server, { disableFor: [ConfigMaps] });
    const cm = await client.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' });
    assert.equal(Object.isFrozen(cm), false);
    assert.equal(server.requests.count({ verb: 'get', resource: 'configmaps' }), 1);
    assert.equal(server.requests.count({ verb: 'watch', resource: 'configmaps' }), 0, 'no informer was started for it');
  });

  void it('reads unstructured objects of a custom resource live, and rejects a missing one with a 404 StatusError', async (t) => {
    const server = await startServer(t);
    server.objects.create('customresourcedefinitions', WIDGET_CRD);
    const client = liveClient(t, server);
    await client.create(Widgets, { metadata: { name: 'g1', namespace: 'ns1' }, spec: { color: 'red' } });
    const g = await client.get(Widgets, { namespace: 'ns1', name: 'g1' });
    assert.deepEqual([g.apiVersion, g.kind, g['spec']], ['example.com/v1', 'Widget', { color: 'red' }]);
    const missing = await client.get(Widgets, { namespace: 'ns1', name: 'nope' }).catch((e: unknown) => e);
    assert.ok(isNotFound(missing), String(missing));
  });

  void it('gives a client for another user its own transport and discovery, still reading from the cache', async (t) => {
    const server = await startServer(t);
    seedConfigMaps(server, 1);
    const { cache } = cachedClient(t, server);
    const otherUser = server.kubeConfig();
    const user = otherUser.getCurrentUser();
    assert.ok(user !== null);
    otherUser.users = otherUser.users.map((u) => (u.name === user.name ? { ...u, token: 'another-token' } : u));
    const client = new Client(otherUser, { cache });
    deferCleanup(t, () => client.close());
    await cache.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' }, { signal: timeout() });
    const discoveryBefore = server.requests.count({ verb: 'discovery' });
    await client.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' });
    assert.equal(server.requests.count({ verb: 'discovery' }), discoveryBefore, 'the cached read needs no discovery');
    await client.get(ConfigMaps, { namespace: 'ns1', name: 'cm-0' }, { live: true });
    assert.ok(server.requests.count({ verb: 'discovery' }) > discoveryBefore, 'the live read discovered with its own mapper');
  });
});
