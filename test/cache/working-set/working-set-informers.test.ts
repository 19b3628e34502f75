// cacheFullObjects 'whenRead': handlers see metadata objects, one informer per kind, informer removal, the Client, defaults.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CacheNotStartedError, KindNotRegisteredError } from '../../../src/cache/errors.ts';
import { ConfigMaps, metadataOnly, Namespaces, Secrets, structured, unstructured } from '../../../src/cache/kinds.ts';
import type { CacheTransform } from '../../../src/cache/options.ts';
import { Client } from '../../../src/kube-client/client.ts';
import { eventually, newCache, startCache, startServer, timeout } from '../../helpers.ts';
import { base64, createSecrets, secretRequests, secretSet, startWorkingSetCache } from './helpers.ts';

const SECRET_GVK = { group: '', version: 'v1', kind: 'Secret' };
const key = (name: string) => ({ namespace: 'ns1', name });

void describe("cacheFullObjects 'whenRead': informers and clients", () => {
  void it('handlers receive metadata objects, and cache.get in a handler returns the full object', async (t) => {
    const server = await startServer(t);
    const cache = startWorkingSetCache(t, server);
    const informer = await cache.getInformer(Secrets, { signal: timeout() });
    const seen: { hasData: boolean; kind: string | undefined; full: string | undefined }[] = [];
    informer.addEventHandler({
      onAdd: async (secret) => {
        const full = await cache.get(Secrets, { namespace: secret.metadata?.namespace ?? '', name: secret.metadata?.name ?? '' });
        seen.push({ hasData: 'data' in secret, kind: secret.kind, full: full.data?.['token'] });
      },
    });
    server.objects.create('secrets', { metadata: { name: 'fresh', namespace: 'ns1' }, data: { token: base64('t') } });
    await eventually(() => seen.length === 1, 'the add');
    assert.deepEqual(seen, [{ hasData: false, kind: 'Secret', full: base64('t') }]);
  });

  void it('every representation of the kind shares the one metadata informer; structured and unstructured reads keep their own sets', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = startWorkingSetCache(t, server);
    const byStructured = await cache.getInformer(Secrets, { signal: timeout() });
    assert.equal(await cache.getInformer(unstructured(SECRET_GVK)), byStructured);
    assert.equal(await cache.getInformer(metadataOnly(SECRET_GVK)), byStructured);
    const typed = await cache.get(Secrets, key('s0'));
    const plain = await cache.get(unstructured(SECRET_GVK), key('s0'));
    assert.deepEqual(plain, typed);
    assert.deepEqual(
      cache.stats().informers.map((e) => e.representation),
      ['metadata'],
    );
    assert.deepEqual(
      cache.stats().workingSets.map((s) => `${s.representation}:${s.objects}`),
      ['structured:1', 'unstructured:1'],
    );
  });

  void it('removing the kind’s informer empties its working set; the next read lists again and fetches afresh', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server);
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    assert.equal(secretSet(cache).objects, 1);
    await cache.removeInformer(Secrets);
    assert.equal(secretSet(cache).objects, 0);
    const lists = secretRequests(server, 'list');
    assert.deepEqual((await cache.get(Secrets, key('s0'), { signal: timeout() })).data, { n: base64('0') });
    assert.equal(secretRequests(server, 'list'), lists + 1);
    assert.equal(secretRequests(server, 'get'), 2);
    server.objects.delete('secrets', 's0', { namespace: 'ns1' });
    await eventually(() => secretSet(cache).objects === 0, 'the new informer’s delete to reach the working set');
  });

  void it('a Client over the cache reads through the working set', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 3);
    const cache = startWorkingSetCache(t, server);
    const client = new Client(server.kubeConfig(), { cache });
    t.after(() => client.close());
    const secret = await client.get(Secrets, key('s1'), { signal: timeout() });
    assert.deepEqual(secret.data, { n: base64('1') });
    assert.equal(await client.get(Secrets, key('s1')), secret, 'a hit');
    const list = await client.list(Secrets, { namespace: 'ns1', labelSelector: { parity: 'even' } });
    assert.deepEqual(list.items.map((s) => s.metadata?.name).sort(), ['s0', 's2']);
    assert.equal(secretRequests(server, 'get'), 3);
    const live = await client.get(Secrets, key('s1'), { live: true });
    assert.deepEqual(live.data, secret.data);
  });

  void it("defaultCacheFullObjects applies to every kind, and a byObject 'always' keeps one kind in full", async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'c', namespace: 'ns1' }, data: { a: '1' } });
    createSecrets(server, 1);
    const { cache } = startCache(t, server, {
      defaultCacheFullObjects: 'whenRead',
      defaultWorkingSet: { maxObjects: 5 },
      byObject: [{ kind: Secrets, cacheFullObjects: 'always' }],
    });
    assert.deepEqual((await cache.get(ConfigMaps, key('c'), { signal: timeout() })).data, { a: '1' });
    assert.deepEqual((await cache.get(Secrets, key('s0'), { signal: timeout() })).data, { n: base64('0') });
    assert.deepEqual(
      cache.stats().informers.map((e) => `${e.gvk.kind}/${e.representation}`),
      ['ConfigMap/metadata', 'Secret/structured'],
    );
    assert.deepEqual(
      cache.stats().workingSets.map((s) => `${s.gvk.kind}:${s.maxObjects}`),
      ['ConfigMap:5'],
    );
  });

  void it('serves a cluster-scoped kind: GET and LIST without a namespace', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server, { defaultCacheFullObjects: 'whenRead', defaultWorkingSet: { liveListAbove: 1 } });
    const ns = await cache.get(Namespaces, { name: 'ns2' }, { signal: timeout() });
    assert.equal(ns.metadata?.name, 'ns2');
    assert.equal(ns.status?.phase, 'Active', 'the full object');
    assert.deepEqual(server.requests.filter({ verb: 'get', resource: 'namespaces' }).map((r) => r.path), ['/api/v1/namespaces/ns2']);
    const all = await cache.list(Namespaces);
    assert.ok(all.length >= 3 && all.every((n) => n.status?.phase === 'Active'));
    const lists = server.requests.filter({ verb: 'list', resource: 'namespaces' }).filter((r) => r.query.has('resourceVersionMatch'));
    assert.deepEqual(lists.map((r) => r.path), ['/api/v1/namespaces']);
  });

  void it('applies the cache’s transform to the full objects it fetches, as to the metadata', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const mark: CacheTransform = (obj) => ({ ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata?.annotations, seen: 'yes' } } });
    const cache = startWorkingSetCache(t, server, {}, { defaultTransform: mark });
    const secret = await cache.get(Secrets, key('s0'), { signal: timeout() });
    assert.equal(secret.metadata?.annotations?.['seen'], 'yes');
    assert.equal((await cache.get(metadataOnly(SECRET_GVK), key('s0'))).metadata.annotations?.['seen'], 'yes');
  });

  void it('rejects reads before start with CacheNotStartedError, and serves them once started', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = newCache(server, { byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead' }] });
    await assert.rejects(cache.get(Secrets, key('s0')), CacheNotStartedError);
    const stop = new AbortController();
    const done = cache.start(stop.signal);
    t.after(async () => {
      stop.abort();
      await done;
    });
    assert.deepEqual((await cache.get(Secrets, key('s0'), { signal: timeout() })).data, { n: base64('0') });
  });

  void it('a structured kind the Scheme does not know rejects with KindNotRegisteredError', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server, { defaultCacheFullObjects: 'whenRead' });
    const widgets = structured({ group: 'example.com', version: 'v1', kind: 'Widget' });
    await assert.rejects(cache.get(widgets, key('w')), KindNotRegisteredError);
  });
});
