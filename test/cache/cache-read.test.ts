// Reads through the Cache over HTTP: structured, unstructured and metadata-only, namespaced and cluster-scoped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound, StatusError } from '../../src/api/errors.ts';
import { metadataOnly, Namespaces, Pods, unstructured } from '../../src/cache/kinds.ts';
import { CacheNotStartedError } from '../../src/cache/errors.ts';
import { deferCleanup } from '../cleanup.ts';
import { newCache, pod, startCache, startServer, timeout } from '../helpers.ts';

void describe('Cache reads', () => {
  void it('gets and lists structured pods after syncing, with apiVersion and kind stamped', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'p1'));
    server.objects.create('pods', pod('ns2', 'p2'));
    const { cache } = startCache(t, server);
    const p1 = await cache.get(Pods, { namespace: 'ns1', name: 'p1' }, { signal: timeout() });
    assert.equal(p1.metadata?.name, 'p1');
    assert.equal(p1.apiVersion, 'v1');
    assert.equal(p1.kind, 'Pod');
    assert.equal(p1.spec?.nodeName, 'node-a');
    const all = await cache.list(Pods);
    assert.deepEqual(all.map((p) => p.metadata?.name).sort(), ['p1', 'p2']);
    const inNs2 = await cache.list(Pods, { namespace: 'ns2' });
    assert.deepEqual(inNs2.map((p) => p.metadata?.name), ['p2']);
  });

  void it('rejects a missing object with a NotFound StatusError shaped like the server', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    await assert.rejects(cache.get(Pods, { namespace: 'ns1', name: 'nope' }, { signal: timeout() }), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.ok(isNotFound(err));
      assert.equal(err.code, 404);
      assert.equal(err.message, 'pods "nope" not found');
      assert.deepEqual(err.status.details, { name: 'nope', group: '', kind: 'pods' });
      return true;
    });
  });

  void it('reads cluster-scoped kinds and ignores a namespace given for them', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const ns = await cache.get(Namespaces, { namespace: 'whatever', name: 'ns1' }, { signal: timeout() });
    assert.equal(ns.metadata?.name, 'ns1');
    const names = (await cache.list(Namespaces)).map((n) => n.metadata?.name);
    assert.ok(names.includes('default') && names.includes('ns3'));
  });

  void it('reads unstructured and metadata-only objects, each from its own informer', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'c1', namespace: 'ns1' }, data: { k: 'v' } });
    const { cache } = startCache(t, server);
    const cmU = unstructured({ group: '', version: 'v1', kind: 'ConfigMap' });
    const cmM = metadataOnly({ group: '', version: 'v1', kind: 'ConfigMap' });
    const u = await cache.get(cmU, { namespace: 'ns1', name: 'c1' }, { signal: timeout() });
    assert.deepEqual(u.data, { k: 'v' });
    assert.equal(u.kind, 'ConfigMap');
    const m = await cache.get(cmM, { namespace: 'ns1', name: 'c1' }, { signal: timeout() });
    assert.equal(m.apiVersion, 'v1');
    assert.equal(m.kind, 'ConfigMap');
    assert.equal(m.metadata.name, 'c1');
    assert.equal((m as unknown as { data?: unknown }).data, undefined);
    assert.equal((await cache.list(cmM, { namespace: 'ns1' })).length, 1);
  });

  void it('a read issued right after start(), of a kind first read before start, waits for the sync instead of answering NotFound', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'p1'));
    const cache = newCache(server);
    await assert.rejects(cache.get(Pods, { namespace: 'ns1', name: 'p1' }), CacheNotStartedError);
    const stop = new AbortController();
    const done = cache.start(stop.signal);
    deferCleanup(t, async () => {
      stop.abort();
      await done;
    });
    const read = await cache.get(Pods, { namespace: 'ns1', name: 'p1' }, { signal: timeout() });
    assert.equal(read.metadata?.name, 'p1');
  });
});
