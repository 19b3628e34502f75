// cacheFullObjects 'whenRead': the rules of get, over HTTP against the fake APIServer.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound, StatusError } from '../../../src/api/errors.ts';
import { StaleReadError } from '../../../src/cache/errors.ts';
import { metadataOnly, Secrets } from '../../../src/cache/kinds.ts';
import { eventually, startServer, timeout } from '../../helpers.ts';
import { base64, createSecrets, secretRequests, secretSet, startProxiedCache, startProxy, startWorkingSetCache } from './helpers.ts';

const SECRET_GVK = { group: '', version: 'v1', kind: 'Secret' };
const key = (name: string) => ({ namespace: 'ns1', name });

void describe("cacheFullObjects 'whenRead': get", () => {
  void it('watches metadata only, and a first get sends one GET carrying the metadata cache’s resourceVersion', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 3);
    const cache = startWorkingSetCache(t, server);
    const secret = await cache.get(Secrets, key('s1'), { signal: timeout() });
    assert.deepEqual(secret.data, { n: base64('1') });
    const lists = server.requests.filter({ verb: 'list', resource: 'secrets' });
    assert.equal(lists.length, 1);
    const gets = server.requests.filter({ verb: 'get', resource: 'secrets' });
    assert.equal(gets.length, 1);
    assert.equal(gets[0]?.query.get('resourceVersion'), secret.metadata?.resourceVersion, 'not older than what the metadata cache has seen');
    assert.deepEqual(secretSet(cache), { ...secretSet(cache), objects: 1, hits: 0, misses: 1, hydrations: 1, getRequests: 1 });
  });

  void it('a second get of an unchanged object is answered from the working set without a request', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 3);
    const cache = startWorkingSetCache(t, server);
    const first = await cache.get(Secrets, key('s1'), { signal: timeout() });
    const second = await cache.get(Secrets, key('s1'));
    assert.equal(second, first, 'the same frozen object');
    assert.equal(secretRequests(server, 'get'), 1);
    assert.equal(secretSet(cache).hits, 1);
  });

  void it('a get of an object the metadata cache does not hold is a NotFound without any request', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = startWorkingSetCache(t, server);
    await assert.rejects(cache.get(Secrets, key('missing'), { signal: timeout() }), (err: unknown) => {
      assert.ok(isNotFound(err));
      assert.match((err as Error).message, /secrets "missing" not found/);
      return true;
    });
    assert.equal(secretRequests(server, 'get'), 0);
  });

  void it('a get after the object changed sends one GET not older than the new version and returns the new object', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server);
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    const updated = server.objects.update('secrets', { metadata: { name: 's0', namespace: 'ns1' }, data: { n: base64('changed') } });
    await eventually(async () => (await cache.get(metadataOnly(SECRET_GVK), key('s0'))).metadata.resourceVersion === updated.metadata.resourceVersion, 'the metadata watch');
    const secret = await cache.get(Secrets, key('s0'));
    assert.deepEqual(secret.data, { n: base64('changed') });
    const gets = server.requests.filter({ verb: 'get', resource: 'secrets' });
    assert.equal(gets.length, 2);
    assert.equal(gets[1]?.query.get('resourceVersion'), updated.metadata.resourceVersion);
  });

  void it('concurrent gets of the same missing object share one GET', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server);
    await cache.get(metadataOnly(SECRET_GVK), key('s0'), { signal: timeout() });
    server.faults.latency(50);
    const reads = await Promise.all(Array.from({ length: 10 }, () => cache.get(Secrets, key('s1'))));
    assert.ok(reads.every((r) => r === reads[0]), 'every reader receives the one fetched object');
    assert.equal(secretRequests(server, 'get'), 1);
    assert.equal(secretSet(cache).misses, 10);
  });

  void it('a reader that aborts stops waiting while the GET it shared completes for the others', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = startWorkingSetCache(t, server);
    await cache.get(metadataOnly(SECRET_GVK), key('s0'), { signal: timeout() });
    server.faults.latency(100);
    const impatient = new AbortController();
    const abandoned = cache.get(Secrets, key('s0'), { signal: impatient.signal });
    const patient = cache.get(Secrets, key('s0'));
    impatient.abort(new Error('reader gave up'));
    await assert.rejects(abandoned, /reader gave up/);
    assert.deepEqual((await patient).data, { n: base64('0') });
    assert.equal(secretRequests(server, 'get'), 1);
    assert.equal(secretSet(cache).objects, 1);
  });

  void it('when its only reader aborts, the GET is abandoned and nothing is kept', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const proxy = await startProxy(t, server);
    const cache = startProxiedCache(t, proxy);
    await cache.get(metadataOnly(SECRET_GVK), key('s0'), { signal: timeout() });
    server.faults.latency(200);
    await assert.rejects(cache.get(Secrets, key('s0'), { signal: AbortSignal.timeout(20) }), { name: 'TimeoutError' });
    await eventually(() => proxy.abandonedGets === 1, 'the GET to be abandoned');
    assert.equal(secretSet(cache).objects, 0);
    assert.equal(secretSet(cache).hydrations, 0);
  });

  void it('objects are frozen, and deepCopy returns a mutable copy on a miss and on a hit', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = startWorkingSetCache(t, server);
    const copyOnMiss = await cache.get(Secrets, key('s0'), { deepCopy: true, signal: timeout() });
    copyOnMiss.data = { n: 'mine' };
    const frozen = await cache.get(Secrets, key('s0'));
    assert.throws(() => {
      (frozen.data as Record<string, string>)['n'] = 'x';
    }, TypeError);
    assert.deepEqual(frozen.data, { n: base64('0') }, 'the copy did not touch the cached object');
    const copyOnHit = await cache.get(Secrets, key('s0'), { deepCopy: true });
    assert.notEqual(copyOnHit, frozen);
    assert.deepEqual(copyOnHit, frozen);
  });

  void it('a failing GET rejects with the server’s StatusError, keeps nothing, and the next get asks again', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = startWorkingSetCache(t, server);
    await cache.get(metadataOnly(SECRET_GVK), key('s0'), { signal: timeout() });
    server.faults.failNext({ verb: 'get', resource: 'secrets', status: 403 });
    await assert.rejects(cache.get(Secrets, key('s0')), (err: unknown) => err instanceof StatusError && err.code === 403);
    assert.equal(secretSet(cache).objects, 0);
    assert.deepEqual((await cache.get(Secrets, key('s0'))).data, { n: base64('0') });
    assert.equal(secretRequests(server, 'get'), 2);
  });

  void it('a GET answering 404 (deleted before the metadata watch said so) rejects with NotFound', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const cache = startWorkingSetCache(t, server);
    await cache.get(metadataOnly(SECRET_GVK), key('s0'), { signal: timeout() });
    server.faults.failNext({ verb: 'get', resource: 'secrets', status: 404 });
    await assert.rejects(cache.get(Secrets, key('s0')), (err: unknown) => isNotFound(err));
    assert.equal(secretSet(cache).objects, 0, 'nothing kept');
  });

  void it('a server answering a GET older than the metadata cache has seen is asked once more, consistently, then refused with StaleReadError', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 1);
    const stale = server.objects.get('secrets', 's0', { namespace: 'ns1' });
    server.objects.update('secrets', { metadata: { name: 's0', namespace: 'ns1' }, data: { n: base64('new') } });
    const seen: string[] = [];
    // A proxy that serves GETs from a stale copy, as an aggregated server ignoring resourceVersion might.
    const proxy = await startProxy(t, server, (req) => {
      if (!/\/secrets\/s0$/.test(req.url.pathname)) return undefined;
      seen.push(req.url.searchParams.get('resourceVersion') ?? '');
      return { status: 200, body: stale };
    });
    const cache = startProxiedCache(t, proxy);
    const md = await cache.get(metadataOnly(SECRET_GVK), key('s0'), { signal: timeout() });
    await assert.rejects(cache.get(Secrets, key('s0')), (err: unknown) => {
      assert.ok(err instanceof StaleReadError);
      assert.equal(err.reason, 'StaleRead');
      assert.equal(err.resourceVersion, stale.metadata.resourceVersion);
      assert.equal(err.minResourceVersion, md.metadata.resourceVersion);
      return true;
    });
    assert.deepEqual(seen, [md.metadata.resourceVersion, ''], 'the second GET is a consistent read (no resourceVersion)');
    assert.equal(secretSet(cache).objects, 0);
  });

  void it('a deleted object is dropped from the working set, and a get is then a NotFound without a request', async (t) => {
    const server = await startServer(t);
    createSecrets(server, 2);
    const cache = startWorkingSetCache(t, server);
    await cache.get(Secrets, key('s0'), { signal: timeout() });
    server.objects.delete('secrets', 's0', { namespace: 'ns1' });
    await eventually(() => secretSet(cache).objects === 0, 'the delete to drop the full object');
    assert.equal(secretSet(cache).invalidations, 1);
    await assert.rejects(cache.get(Secrets, key('s0')), (err: unknown) => isNotFound(err));
    assert.equal(secretRequests(server, 'get'), 1);
  });
});
