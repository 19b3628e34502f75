// Every error a Cache caller can get, with upstream's messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import { NoKindMatchError } from '../../src/client/errors.ts';
import {
  CacheAlreadyStartedError,
  CacheNotStartedError,
  ContinueNotSupportedError,
  KindNotRegisteredError,
  ResourceNotCachedError,
  UnsupportedFieldSelectorError,
} from '../../src/cache/errors.ts';
import { Pods, Services, structured, unstructured } from '../../src/cache/kinds.ts';
import { newCache, pod, startCache, startServer, timeout } from '../helpers.ts';
import { runUntilTestEnds } from '../cleanup.ts';

void describe('Cache errors', () => {
  void it('rejects reads before start with CacheNotStartedError and serves them after start', async (t) => {
    const server = await startServer(t);
    server.objects.create('pods', pod('ns1', 'p1'));
    const cache = newCache(server);
    await assert.rejects(cache.get(Pods, { namespace: 'ns1', name: 'p1' }), (err: unknown) => {
      assert.ok(err instanceof CacheNotStartedError);
      assert.equal(err.reason, 'CacheNotStarted');
      assert.equal(err.message, 'the cache is not started, can not read objects');
      return true;
    });
    await assert.rejects(cache.list(Pods), CacheNotStartedError);
    runUntilTestEnds(t, (signal) => cache.start(signal));
    assert.equal(await cache.waitForCacheSync(timeout()), true);
    const got = await cache.get(Pods, { namespace: 'ns1', name: 'p1' });
    assert.equal(got.metadata?.name, 'p1');
  });

  void it('rejects a second start with "informer already started"', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    await assert.rejects(cache.start(new AbortController().signal), (err: unknown) => {
      assert.ok(err instanceof CacheAlreadyStartedError);
      assert.equal(err.message, 'informer already started');
      return true;
    });
  });

  void it('with readerFailOnMissingInformer, rejects reads of kinds without an informer as not cached', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server, { readerFailOnMissingInformer: true });
    await assert.rejects(cache.get(Services, { namespace: 'ns1', name: 's' }), (err: unknown) => {
      assert.ok(err instanceof ResourceNotCachedError);
      assert.equal(err.reason, 'ResourceNotCached');
      assert.equal(err.message, '/v1, Kind=Service is not cached');
      return true;
    });
    await cache.getInformer(Services, { signal: timeout() });
    assert.deepEqual(await cache.list(Services), []);
  });

  void it('reports a kind the server does not serve with NoKindMatchError, and stores nothing', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const missing = unstructured({ group: 'example.com', version: 'v1', kind: 'Missing' });
    await assert.rejects(cache.list(missing, { signal: timeout() }), NoKindMatchError);
    await assert.rejects(cache.getInformer(missing, { signal: timeout() }), NoKindMatchError);
  });

  void it('rejects structured kinds the scheme does not know', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const foo = structured({ group: 'example.com', version: 'v1', kind: 'Foo' });
    await assert.rejects(cache.list(foo), (err: unknown) => {
      assert.ok(err instanceof KindNotRegisteredError);
      assert.equal(err.message, 'no kind "Foo" is registered for version "example.com/v1" in scheme');
      return true;
    });
    await assert.rejects(cache.getInformerForKind(foo.gvk), KindNotRegisteredError);
  });

  void it('rejects continue tokens and field selectors the cache cannot serve', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    await cache.getInformer(Pods, { signal: timeout() });
    await assert.rejects(cache.list(Pods, { continue: 'abc' }), (err: unknown) => {
      assert.ok(err instanceof ContinueNotSupportedError);
      assert.equal(err.message, 'continue list option is not supported by the cache');
      return true;
    });
    const nonExact = { message: 'non-exact field matches are not supported by the cache' };
    await assert.rejects(cache.list(Pods, { fieldSelector: 'spec.nodeName!=a' }), nonExact);
    await assert.rejects(cache.list(Pods, { fieldSelector: '' }), nonExact);
    await assert.rejects(cache.list(Pods, { fieldSelector: { 'spec.nodeName': 'a' } }), (err: unknown) => {
      assert.ok(err instanceof UnsupportedFieldSelectorError);
      assert.equal(err.message, 'index with name field:spec.nodeName does not exist');
      return true;
    });
    await assert.rejects(cache.list(Pods, { labelSelector: 'a in' }), { reason: 'InvalidSelector' });
  });

  void it('rejects a blocking read with a 504 Timeout when its signal aborts before the informer syncs', async (t) => {
    const server = await startServer(t);
    server.faults.failNext({ count: 1000, verb: 'list', resource: 'pods', status: 403 });
    const { cache } = startCache(t, server);
    await assert.rejects(cache.list(Pods, { signal: AbortSignal.timeout(200) }), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 504);
      assert.equal(err.reason, 'Timeout');
      assert.match(err.message, /^Timeout: failed waiting for structured \/v1, Kind=Pod Informer to sync$/);
      return true;
    });
  });
});
