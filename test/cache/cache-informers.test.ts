// Informer lifecycle through the Cache: lazy creation, blocking sync, events, removal, CRDs appearing later.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestClient } from '../../src/client/rest-client.ts';
import { Transport } from '../../src/client/transport.ts';
import { ResourceNotCachedError } from '../../src/cache/errors.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { ConfigMaps, metadataOnly, Pods, structured, unstructured } from '../../src/cache/kinds.ts';
import { defaultScheme } from '../../src/cache/scheme.ts';
import { crdOf, WIDGET_CRD, eventually, newCache, pod, startCache, startServer, timeout } from '../helpers.ts';
import { deferCleanup } from '../cleanup.ts';

void describe('Cache informers', () => {
  void it('creates an informer before start without blocking, runs it on start and reports sync', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'ns1' } });
    const cache = newCache(server);
    const informer = await cache.getInformer(ConfigMaps);
    assert.equal(informer.hasSynced(), false);
    const stop = new AbortController();
    const done = cache.start(stop.signal);
    assert.equal(await cache.waitForCacheSync(timeout()), true);
    assert.equal(informer.hasSynced(), true);
    stop.abort();
    await done;
    assert.equal(informer.isStopped(), true);
  });

  void it('shares one informer between concurrent requests for a new kind', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const [a, b, c] = await Promise.all([
      cache.getInformer(Pods, { signal: timeout() }),
      cache.getInformer(Pods, { signal: timeout() }),
      cache.list(Pods, { signal: timeout() }).then(() => cache.getInformer(Pods)),
    ]);
    assert.equal(a, b);
    assert.equal(b, c);
    assert.equal(server.requests.count({ verb: 'list', resource: 'pods' }), 1);
  });

  void it('blocks getInformer until synced unless blockUntilSynced is false', async (t) => {
    const server = await startServer(t);
    server.faults.latency(100);
    const { cache } = startCache(t, server);
    const early = await cache.getInformer(ConfigMaps, { blockUntilSynced: false });
    assert.equal(early.hasSynced(), false);
    const blocked = await cache.getInformer(ConfigMaps, { signal: timeout() });
    assert.equal(blocked.hasSynced(), true);
  });

  void it('delivers adds, updates and deletes to a handler added through getInformer', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'existing'));
    const { cache } = startCache(t, server);
    const informer = await cache.getInformer(Pods, { signal: timeout() });
    const events: string[] = [];
    informer.addEventHandler({
      onAdd: (p, initial) => void events.push(`add ${p.metadata?.name} ${initial}`),
      onUpdate: (_old, p) => void events.push(`update ${p.metadata?.name} ${p.metadata?.labels?.['v']}`),
      onDelete: (p) => void events.push(`delete ${'key' in p ? p.key : p.metadata?.name}`),
    });
    server.objects.create('pods', pod('ns1', 'new'));
    server.objects.update('pods', { ...pod('ns1', 'new', { v: '2' }) });
    server.objects.delete('pods', 'new', { namespace: 'ns1' });
    await eventually(() => events.length >= 4, 'four events');
    assert.deepEqual(events, ['add existing true', 'add new false', 'update new 2', 'delete new']);
    const p = await cache.get(Pods, { namespace: 'ns1', name: 'existing' });
    assert.equal(p.metadata?.name, 'existing');
  });

  void it('after removeInformer, stops the informer, delivers nothing more, and behaves as if it never existed', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server, { readerFailOnMissingInformer: true });
    const informer = await cache.getInformer(ConfigMaps, { signal: timeout() });
    const seen: string[] = [];
    informer.addEventHandler({ onAdd: (cm) => void seen.push(cm.metadata?.name ?? '') });
    await cache.removeInformer(ConfigMaps);
    await eventually(() => informer.isStopped(), 'the removed informer to stop');
    server.objects.create('configmaps', { metadata: { name: 'after', namespace: 'ns1' } });
    await assert.rejects(cache.list(ConfigMaps), ResourceNotCachedError);
    const fresh = await cache.getInformer(ConfigMaps, { signal: timeout() });
    assert.notEqual(fresh, informer);
    assert.deepEqual((await cache.list(ConfigMaps)).map((c) => c.metadata?.name), ['after']);
    assert.deepEqual(seen, []);
    await cache.removeInformer(unstructured({ group: '', version: 'v1', kind: 'Secret' }));
  });

  void it('reads a custom resource whose CRD was created through the API after the cache started', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    await cache.getInformer(ConfigMaps, { signal: timeout() });
    const transport = Transport.fromKubeConfig(server.kubeConfig());
    deferCleanup(t, () => transport.close());
    const rest = new RestClient(transport);
    const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
    await rest.createObject(crds, WIDGET_CRD);
    const widgets = { group: 'example.com', version: 'v1', resource: 'widgets' };
    const body = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } };
    await rest.createObject(widgets, body, { namespace: 'ns1' });
    const Widgets = unstructured({ group: 'example.com', version: 'v1', kind: 'Widget' });
    const w1 = await cache.get(Widgets, { namespace: 'ns1', name: 'w1' }, { signal: timeout() });
    assert.deepEqual(w1.spec, { size: 3 });
    assert.equal(w1.kind, 'Widget');
    await assert.rejects(cache.get(Widgets, { namespace: 'ns1', name: 'w2' }), {
      message: 'widgets.example.com "w2" not found',
    });
  });

  void it('reads a custom resource as metadata only, and structured through a user-registered decoder', async (t) => {
    const server = await startServer(t);
    server.objects.create('customresourcedefinitions', crdOf('gadgets', 'Gadget'));
    server.objects.create('gadgets.example.com', { metadata: { name: 'g1', namespace: 'ns2' }, spec: { color: 'red' } });
    interface Gadget extends KubeObject {
      color: string;
    }
    const gvk = { group: 'example.com', version: 'v1', kind: 'Gadget' };
    const scheme = defaultScheme.clone().register<Gadget>({
      gvk,
      namespaced: true,
      decode: (raw): Gadget => {
        const r = raw as { metadata: NonNullable<KubeObject['metadata']>; spec: { color: string } };
        return { metadata: r.metadata, color: r.spec.color };
      },
    });
    const { cache } = startCache(t, server, { scheme });
    const typed = await cache.list(structured<Gadget>(gvk), { signal: timeout() });
    assert.deepEqual(
      typed.map((g) => [g.metadata?.name, g.color, g.kind]),
      [['g1', 'red', 'Gadget']],
    );
    const meta = await cache.list(metadataOnly(gvk), { namespace: 'ns2', signal: timeout() });
    assert.deepEqual(
      meta.map((g) => [g.metadata.name, g.apiVersion, g.kind]),
      [['g1', 'example.com/v1', 'Gadget']],
    );
    assert.equal((await cache.list(unstructured(gvk), { signal: timeout() }))[0]?.['spec'] !== undefined, true);
  });

  void it('answers waitForCacheSync with false when its signal aborts before start', async (t) => {
    const server = await startServer(t);
    const cache = newCache(server);
    const ac = new AbortController();
    const waiting = cache.waitForCacheSync(ac.signal);
    ac.abort();
    assert.equal(await waiting, false);
  });

  void it('returns the informer of a registered kind from getInformerForKind', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const byKind = await cache.getInformerForKind({ group: '', version: 'v1', kind: 'Pod' }, { signal: timeout() });
    assert.equal(byKind, await cache.getInformer(Pods));
  });
});
