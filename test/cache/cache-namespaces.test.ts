// Multi-namespace caches and byObject overrides: routing, merging, per-kind selectors and transforms.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound } from '../../src/api/errors.ts';
import { UnknownNamespaceError } from '../../src/cache/errors.ts';
import { ConfigMaps, Namespaces, Pods } from '../../src/cache/kinds.ts';
import { MultiNamespaceInformer } from '../../src/cache/multi-namespace-informer.ts';
import { transformStripManagedFields } from '../../src/cache/transforms.ts';
import type { KubeObject } from '../../src/api/types.ts';
import type { FakeApiServer } from '../../src/testing/index.ts';
import { eventually, pod, startCache, startServer, timeout } from '../helpers.ts';

function seed(server: FakeApiServer): void {
  for (const ns of ['ns1', 'ns2', 'ns3']) {
    server.objects.create('pods', pod(ns, `web-${ns}`, { app: 'web' }));
    server.objects.create('pods', pod(ns, `db-${ns}`, { app: 'db' }));
    server.objects.create('configmaps', { metadata: { name: `cm-${ns}`, namespace: ns } });
  }
}

const names = (items: readonly { metadata?: { name?: string } }[]): string[] => items.map((i) => i.metadata?.name ?? '').sort();

void describe('multi-namespace caches', () => {
  void it('caches only the listed namespaces and merges lists across them', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server, { defaultNamespaces: ['ns1', 'ns2'] });
    const all = await cache.list(Pods, { signal: timeout() });
    assert.deepEqual(names(all), ['db-ns1', 'db-ns2', 'web-ns1', 'web-ns2']);
    assert.deepEqual(names(await cache.list(Pods, { namespace: 'ns2', labelSelector: 'app=web' })), ['web-ns2']);
    assert.equal((await cache.list(Pods, { limit: 3 })).length, 3);
    const got = await cache.get(Pods, { namespace: 'ns1', name: 'db-ns1' });
    assert.equal(got.metadata?.namespace, 'ns1');
  });

  void it('rejects reads of other namespaces with upstream\'s unknown-namespace errors, not NotFound', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server, { defaultNamespaces: ['ns1', 'ns2'] });
    await assert.rejects(cache.get(Pods, { namespace: 'ns3', name: 'web-ns3' }, { signal: timeout() }), (err: unknown) => {
      assert.ok(err instanceof UnknownNamespaceError);
      assert.equal(isNotFound(err), false);
      assert.equal(err.message, 'unable to get: ns3/web-ns3 because of unknown namespace for the cache');
      return true;
    });
    await assert.rejects(cache.list(Pods, { namespace: 'ns3' }), {
      message: 'unable to list: ns3 because of unknown namespace for the cache',
    });
  });

  void it('serves cluster-scoped kinds from one cluster-wide cache', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server, { defaultNamespaces: ['ns1'] });
    const namespaces = names(await cache.list(Namespaces, { signal: timeout() }));
    assert.ok(namespaces.includes('ns3') && namespaces.includes('default'));
    const ns2 = await cache.get(Namespaces, { name: 'ns2' });
    assert.equal(ns2.metadata?.name, 'ns2');
  });

  void it('routes other namespaces to the all-namespaces entry without listing anything twice', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server, {
      defaultNamespaces: { ns1: { labelSelector: 'app=web' }, '': {} },
    });
    const all = await cache.list(Pods, { signal: timeout() });
    assert.deepEqual(names(all), ['db-ns2', 'db-ns3', 'web-ns1', 'web-ns2', 'web-ns3']);
    const viaCatchAll = await cache.get(Pods, { namespace: 'ns3', name: 'db-ns3' });
    assert.equal(viaCatchAll.metadata?.name, 'db-ns3');
    await assert.rejects(cache.get(Pods, { namespace: 'ns1', name: 'db-ns1' }), (err: unknown) => isNotFound(err));
  });

  void it('fans a handler out to every namespace informer and reports sync when all have synced', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server, { defaultNamespaces: ['ns1', 'ns2'] });
    const informer = await cache.getInformer(ConfigMaps, { signal: timeout() });
    assert.ok((informer as unknown) instanceof MultiNamespaceInformer);
    assert.equal(informer.hasSynced(), true);
    const seen: string[] = [];
    const registration = informer.addEventHandler({ onAdd: (cm) => void seen.push(cm.metadata?.name ?? '') });
    await registration.onSynced({ signal: timeout() });
    assert.deepEqual(seen.sort(), ['cm-ns1', 'cm-ns2']);
    server.objects.create('configmaps', { metadata: { name: 'late', namespace: 'ns2' } });
    server.objects.create('configmaps', { metadata: { name: 'ignored', namespace: 'ns3' } });
    await eventually(() => seen.includes('late'), 'the add in ns2');
    assert.equal(seen.includes('ignored'), false);
    await informer.removeEventHandler(registration);
    assert.throws(() => informer.removeEventHandler({ hasSynced: () => true, onSynced: async () => {}, queueDepth: 0 }), {
      reason: 'ForeignRegistration',
    });
  });
});

void describe('byObject overrides', () => {
  void it('applies a per-kind label selector on the server, leaving other kinds alone', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server, { byObject: [{ kind: Pods, labelSelector: 'app=web' }] });
    assert.deepEqual(names(await cache.list(Pods, { signal: timeout() })), ['web-ns1', 'web-ns2', 'web-ns3']);
    await assert.rejects(cache.get(Pods, { namespace: 'ns1', name: 'db-ns1' }), (err: unknown) => isNotFound(err));
    assert.equal((await cache.list(ConfigMaps, { signal: timeout() })).length, 3);
    const podLists = server.requests.filter({ verb: 'list', resource: 'pods' });
    assert.ok(podLists.length > 0 && podLists.every((r) => r.query.get('labelSelector') === 'app=web'));
  });

  void it('restricts one kind to its own namespaces while others stay cluster-wide', async (t) => {
    const server = await startServer(t);
    seed(server);
    const { cache } = startCache(t, server, { byObject: new Map([[Pods, { namespaces: ['ns3'] }]]) });
    assert.deepEqual(names(await cache.list(Pods, { signal: timeout() })), ['db-ns3', 'web-ns3']);
    assert.deepEqual(names(await cache.list(ConfigMaps, { signal: timeout() })), ['cm-ns1', 'cm-ns2', 'cm-ns3']);
  });

  void it('runs the per-kind transform before objects are stored, and the default transform elsewhere', async (t) => {
    const server = await startServer(t);
    seed(server);
    const mark = (value: string) => (obj: KubeObject) => {
      obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, transformed: value } };
      return obj;
    };
    const { cache } = startCache(t, server, {
      defaultTransform: mark('default'),
      byObject: [{ kind: Pods, transform: mark('pods') }],
    });
    const p = await cache.get(Pods, { namespace: 'ns1', name: 'web-ns1' }, { signal: timeout() });
    assert.equal(p.metadata?.annotations?.['transformed'], 'pods');
    const cm = await cache.get(ConfigMaps, { namespace: 'ns1', name: 'cm-ns1' }, { signal: timeout() });
    assert.equal(cm.metadata?.annotations?.['transformed'], 'default');
  });
});

void describe('transformStripManagedFields', () => {
  void it('drops managedFields in place and passes objects without metadata through', () => {
    const strip = transformStripManagedFields();
    const obj: KubeObject = { metadata: { name: 'a', managedFields: [{ manager: 'kubectl' }] } };
    assert.equal(strip(obj), obj);
    assert.equal(obj.metadata?.managedFields, undefined);
    assert.equal('managedFields' in (obj.metadata ?? {}), false);
    const bare: KubeObject = { kind: 'X' };
    assert.deepEqual(strip(bare), { kind: 'X' });
  });
});
