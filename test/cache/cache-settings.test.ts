// Cache-wide settings reaching the wire and the informers: watch-list, bookmarks, namespace pinning, error handler.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupVersionKind } from '../../src/api/gvk.ts';
import { InvalidCacheOptionsError } from '../../src/cache/errors.ts';
import { ConfigMaps, Pods, unstructured } from '../../src/cache/kinds.ts';
import { crdOf, eventually, FAST_BACKOFF, newCache, pod, startCache, startServer, timeout } from '../helpers.ts';

void describe('Cache settings', () => {
  void it('streams the initial state with a watch-list when useWatchList is set', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'p1'));
    const { cache } = startCache(t, server, { useWatchList: true });
    assert.deepEqual((await cache.list(Pods, { signal: timeout() })).map((p) => p.metadata?.name), ['p1']);
    const watches = server.requests.filter({ verb: 'watch', resource: 'pods' });
    assert.ok(watches.some((w) => w.query.get('sendInitialEvents') === 'true'));
    assert.equal(server.requests.count({ verb: 'list', resource: 'pods' }), 0);
  });

  void it('asks for watch bookmarks by default and not when they are disabled', async (t) => {
    const server = await startServer(t);
    const on = startCache(t, server).cache;
    await on.getInformer(Pods, { signal: timeout() });
    const off = startCache(t, server, { defaultEnableWatchBookmarks: false }).cache;
    await off.getInformer(ConfigMaps, { signal: timeout() });
    await eventually(() => server.requests.count({ verb: 'watch' }) >= 2, 'both watches');
    const [podWatch] = server.requests.filter({ verb: 'watch', resource: 'pods' });
    const [cmWatch] = server.requests.filter({ verb: 'watch', resource: 'configmaps' });
    assert.equal(podWatch?.query.get('allowWatchBookmarks'), 'true');
    assert.notEqual(cmWatch?.query.get('allowWatchBookmarks'), 'true');
  });

  void it('lists within the namespace a default field selector pins, as namespace-scoped RBAC needs', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'p1'));
    server.objects.create('pods', pod('ns2', 'p2'));
    const { cache } = startCache(t, server, { defaultFieldSelector: 'metadata.namespace=ns2' });
    assert.deepEqual((await cache.list(Pods, { signal: timeout() })).map((p) => p.metadata?.name), ['p2']);
    const lists = server.requests.filter({ verb: 'list', resource: 'pods' });
    assert.ok(lists.length > 0 && lists.every((r) => r.namespace === 'ns2'));
  });

  void it('hands list and watch failures to defaultWatchErrorHandler with the kind and namespace', async (t) => {
    const server = await startServer(t);
    server.faults.failNext({ verb: 'list', resource: 'configmaps', status: 500, count: 1 });
    const seen: { gvk: GroupVersionKind; namespace: string }[] = [];
    const { cache } = startCache(t, server, { backoff: FAST_BACKOFF, defaultWatchErrorHandler: (_err, source) => void seen.push(source) });
    await cache.getInformer(ConfigMaps, { signal: timeout() });
    assert.equal(seen.length >= 1, true);
    assert.deepEqual(seen[0], { gvk: { group: '', version: 'v1', kind: 'ConfigMap' }, namespace: '' });
  });

  void it('registers a field index on every namespace informer of a multi-namespace cache', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'a', {}, 'n1'));
    server.objects.create('pods', pod('ns2', 'b', {}, 'n1'));
    server.objects.create('pods', pod('ns3', 'c', {}, 'n1'));
    const { cache } = startCache(t, server, { defaultNamespaces: ['ns1', 'ns2'] });
    await cache.indexField(Pods, 'spec.nodeName', (p) => [p.spec?.nodeName ?? '']);
    const onNode = await cache.list(Pods, { fieldSelector: 'spec.nodeName=n1', signal: timeout() });
    assert.deepEqual(onNode.map((p) => p.metadata?.name).sort(), ['a', 'b']);
  });

  void it('fails start for byObject namespaces on a kind the server says is cluster-scoped', async (t) => {
    const server = await startServer(t);
    server.objects.create('customresourcedefinitions', crdOf('clusterthings', 'ClusterThing', 'Cluster'));
    const kind = unstructured({ group: 'example.com', version: 'v1', kind: 'ClusterThing' });
    const cache = newCache(server, { byObject: [{ kind, namespaces: ['ns1'] }] });
    const waiting = cache.waitForCacheSync();
    await assert.rejects(cache.start(new AbortController().signal), (err: unknown) => {
      assert.ok(err instanceof InvalidCacheOptionsError);
      assert.equal(
        err.message,
        'type example.com/v1, Kind=ClusterThing is not namespaced, but its byObject.namespaces setting is not undefined',
      );
      return true;
    });
    assert.equal(await waiting, false);
  });
});
