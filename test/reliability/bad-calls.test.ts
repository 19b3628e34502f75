// Bad calls on a Cache and an informer: each rejects with a typed error and leaves the cache usable.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SelectorParseError } from '../../src/api/selector-error.ts';
import { Cache } from '../../src/cache/cache.ts';
import {
  CacheAlreadyStartedError,
  CacheNotStartedError,
  InvalidKindError,
  KindNotRegisteredError,
  UnsupportedFieldSelectorError,
} from '../../src/cache/errors.ts';
import { ConfigMaps, metadataOnly, Secrets, unstructured } from '../../src/cache/kinds.ts';
import { NoKindMatchError } from '../../src/client/errors.ts';
import { InformerAlreadyStartedError, InformerStoppedError } from '../../src/informer/errors.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { ScriptedListerWatcher, type TestPod } from '../informer/scripted-lister-watcher.ts';
import { startCache, startServer, timeout } from '../helpers.ts';
import { runUntilTestEnds } from '../cleanup.ts';

void describe('bad calls', () => {
  void it('refuses an invalid default label selector when the cache is built, with SelectorParseError InvalidSelector', async (t) => {
    const server = await startServer(t);
    assert.throws(() => new Cache(server.kubeConfig(), { defaultLabelSelector: 'tier in (' }), {
      name: 'SelectorParseError',
      reason: 'InvalidSelector',
      code: 400,
    });
  });

  void it('rejects reads with an invalid selector or an unindexed field, and keeps serving good reads', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'ns1', labels: { tier: 'gold' } } });
    const { cache } = startCache(t, server);
    await assert.rejects(cache.list(ConfigMaps, { labelSelector: 'tier in (' }), SelectorParseError);
    await assert.rejects(cache.list(ConfigMaps, { fieldSelector: 'data.x=y' }), UnsupportedFieldSelectorError);
    const gold = await cache.list(ConfigMaps, { labelSelector: 'tier=gold', signal: timeout() });
    assert.deepEqual(gold.map((o) => o.metadata?.name), ['a']);
  });

  void it('rejects a kind the server does not serve with NoKindMatchError, and a malformed kind handle with InvalidKindError', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    const nope = unstructured({ group: 'nope.example.com', version: 'v1', kind: 'Nope' });
    await assert.rejects(cache.get(nope, { namespace: 'ns1', name: 'x' }, { signal: timeout() }), NoKindMatchError);
    await assert.rejects(cache.list(nope, { signal: timeout() }), { reason: 'NoKindMatch' });
    assert.throws(() => metadataOnly({ group: '', version: 'v1', kind: '' }), InvalidKindError);
    await assert.rejects(cache.getInformerForKind({ group: 'nope.example.com', version: 'v1', kind: 'Nope' }), KindNotRegisteredError);
    assert.deepEqual(await cache.list(ConfigMaps, { signal: timeout() }), []);
  });

  void it('rejects reads before start with CacheNotStartedError and a second start with CacheAlreadyStartedError', async (t) => {
    const server = await startServer(t);
    const cache = new Cache(server.kubeConfig());
    await assert.rejects(cache.list(ConfigMaps), CacheNotStartedError);
    const { stop } = runUntilTestEnds(t, (signal) => cache.start(signal));
    await assert.rejects(cache.start(stop.signal), CacheAlreadyStartedError);
    assert.equal(await cache.waitForCacheSync(timeout()), true);
  });

  void it('after stop, refuses new handlers, indexes and kinds with InformerStoppedError; cached kinds answer their last state', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'ns1' } });
    const { cache, stop, done } = startCache(t, server);
    const informer = await cache.getInformer(ConfigMaps, { signal: timeout() });
    stop.abort();
    await done;
    assert.equal(informer.isStopped(), true);
    assert.throws(() => informer.addEventHandler({}), InformerStoppedError);
    await assert.rejects(cache.indexField(ConfigMaps, 'x', () => []), InformerStoppedError);
    await assert.rejects(cache.list(Secrets, { signal: timeout() }), InformerStoppedError);
    server.objects.create('configmaps', { metadata: { name: 'b', namespace: 'ns1' } });
    const names = (await cache.list(ConfigMaps)).map((o) => o.metadata?.name);
    assert.deepEqual(names, ['a'], 'a stopped cache no longer follows the server');
  });

  void it('rejects a second run of a SharedIndexInformer with InformerAlreadyStartedError', async () => {
    const informer = new SharedIndexInformer(new ScriptedListerWatcher<TestPod>());
    const stop = new AbortController();
    const first = informer.run(stop.signal);
    await assert.rejects(informer.run(stop.signal), InformerAlreadyStartedError);
    stop.abort();
    await first;
  });
});
