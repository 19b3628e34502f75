// cacheFullObjects 'whenRead': list — selectors from the metadata cache, full objects by GETs or one live LIST.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadataOnly, Secrets } from '../../../src/cache/kinds.ts';
import { startCache, startServer, timeout } from '../../helpers.ts';
import { base64, createSecrets, secretRequests, secretSet, startProxiedCache, startProxy, startWorkingSetCache } from './helpers.ts';

const SECRET_GVK = { group: '', version: 'v1', kind: 'Secret' };

/** LIST requests of Secrets the working set sent (the informer's own lists ask for metadata and carry no resourceVersionMatch). */
function liveLists(server: Awaited<ReturnType<typeof startServer>>) {
  return server.requests.filter({ verb: 'list', resource: 'secrets' }).filter((r) => r.query.get('resourceVersionMatch') === 'NotOlderThan');
}

void describe("cacheFullObjects 'whenRead': list", () => {
  void it('answers the label selector from the metadata cache and fetches only the matches, one GET each', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 10);
    const cache = startWorkingSetCache(t, server);
    const evens = await cache.list(Secrets, { namespace: 'ns1', labelSelector: 'parity=even', signal: timeout() });
    assert.deepEqual(evens.map((s) => s.data?.['n']).sort(), ['0', '2', '4', '6', '8'].map(base64));
    assert.equal(secretRequests(server, 'get'), 5);
    assert.equal(liveLists(server).length, 0);
    const again = await cache.list(Secrets, { namespace: 'ns1', labelSelector: 'parity=even' });
    assert.deepEqual(again, evens);
    assert.equal(secretRequests(server, 'get'), 5, 'the second list is served from the working set');
    assert.deepEqual(secretSet(cache), { ...secretSet(cache), hits: 5, misses: 5, objects: 5 });
  });

  void it('fetches more than liveListAbove missing objects with one live LIST carrying the list’s selectors, not older than the metadata', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 10);
    createSecrets(server, 4, 'ns2');
    const cache = startWorkingSetCache(t, server, { liveListAbove: 2 });
    const mds = await cache.list(metadataOnly(SECRET_GVK), { namespace: 'ns1', labelSelector: 'parity=even', signal: timeout() });
    const evens = await cache.list(Secrets, { namespace: 'ns1', labelSelector: 'parity=even' });
    assert.deepEqual(evens.map((s) => s.metadata?.name).sort(), ['s0', 's2', 's4', 's6', 's8']);
    assert.ok(evens.every((s) => s.data?.['n'] !== undefined), 'full objects');
    assert.equal(secretRequests(server, 'get'), 0);
    const [list] = liveLists(server);
    assert.equal(liveLists(server).length, 1);
    assert.equal(list?.namespace, 'ns1');
    assert.equal(list?.query.get('labelSelector'), 'parity=even');
    const newest = mds.map((o) => Number(o.metadata.resourceVersion)).reduce((a, b) => Math.max(a, b));
    assert.equal(list?.query.get('resourceVersion'), String(newest));
    assert.deepEqual(secretSet(cache), { ...secretSet(cache), listRequests: 1, hydrations: 5, objects: 5, getRequests: 0 });
    await cache.list(Secrets, { namespace: 'ns1', labelSelector: 'parity=even' });
    assert.equal(liveLists(server).length, 1, 'then held');
  });

  void it('fetches by GET when the field selector names a cache index the server cannot apply', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 6);
    const cache = startWorkingSetCache(t, server, { liveListAbove: 0 });
    // The informer holds metadata objects, so that is what the index function reads.
    await cache.indexField(Secrets, 'parity', (s) => [s.metadata?.labels?.['parity'] ?? '']);
    const odds = await cache.list(Secrets, { fieldSelector: 'parity=odd', signal: timeout() });
    assert.deepEqual(odds.map((s) => s.metadata?.name).sort(), ['s1', 's3', 's5']);
    assert.equal(secretRequests(server, 'get'), 3);
    assert.equal(liveLists(server).length, 0);
  });

  void it('runs at most hydrationConcurrency GETs at a time', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 12);
    const proxy = await startProxy(t, server);
    const cache = startProxiedCache(t, proxy, { hydrationConcurrency: 3, liveListAbove: Infinity });
    await cache.list(metadataOnly(SECRET_GVK), { signal: timeout() });
    server.faults.latency(20);
    const all = await cache.list(Secrets);
    assert.equal(all.length, 12);
    assert.equal(proxy.maxConcurrentGets, 3);
  });

  void it('lists each namespace of a multi-namespace cache with its own LIST, never across namespaces', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 3, 'ns1');
    createSecrets(server, 3, 'ns2');
    createSecrets(server, 3, 'ns3');
    const { cache } = startCache(t, server, {
      defaultNamespaces: ['ns1', 'ns2'],
      byObject: [{ kind: Secrets, cacheFullObjects: 'whenRead', workingSet: { liveListAbove: 1 } }],
    });
    const all = await cache.list(Secrets, { signal: timeout() });
    assert.deepEqual(all.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`).sort(), ['ns1/s0', 'ns1/s1', 'ns1/s2', 'ns2/s0', 'ns2/s1', 'ns2/s2']);
    assert.deepEqual(liveLists(server).map((r) => r.namespace).sort(), ['ns1', 'ns2']);
  });

  void it('leaves out a match the server no longer has when it is fetched', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 4);
    const cache = startWorkingSetCache(t, server);
    await cache.list(metadataOnly(SECRET_GVK), { signal: timeout() });
    server.faults.failNext({ verb: 'get', resource: 'secrets', status: 404 });
    const all = await cache.list(Secrets, { namespace: 'ns1' });
    assert.equal(all.length, 3);
  });

  void it('rejects with the first failing GET', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 4);
    const cache = startWorkingSetCache(t, server);
    await cache.list(metadataOnly(SECRET_GVK), { signal: timeout() });
    server.faults.failNext({ verb: 'get', resource: 'secrets', status: 500 });
    await assert.rejects(cache.list(Secrets, { namespace: 'ns1' }), { code: 500 });
  });

  void it('returns mutable copies with deepCopy, frozen objects without', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server);
    const frozen = await cache.list(Secrets, { signal: timeout() });
    assert.ok(frozen.every((s) => Object.isFrozen(s) && Object.isFrozen(s.data)));
    const copies = await cache.list(Secrets, { deepCopy: true });
    assert.ok(copies.every((s) => !Object.isFrozen(s)));
    assert.deepEqual(copies, frozen);
  });
});
