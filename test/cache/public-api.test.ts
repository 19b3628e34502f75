// The package entry exposes what a cache user needs, and it works end to end through it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as kubecache from '../../src/index.ts';
import { startServer, timeout } from '../helpers.ts';
import { runUntilTestEnds } from '../cleanup.ts';

void describe('public entry', () => {
  void it('exports the cache, kind handles, options, errors and selector helpers', () => {
    for (const name of [
      'Cache',
      'Pods',
      'structured',
      'unstructured',
      'metadataOnly',
      'resolveCacheOptions',
      'transformStripManagedFields',
      'CacheNotStartedError',
      'ResourceNotCachedError',
      'StatusError',
      'isNotFound',
      'NoKindMatchError',
      'parseLabelSelector',
      'parseFieldSelector',
      'SharedIndexInformer',
      'DeletedFinalStateUnknown',
      'Scheme',
      'defaultScheme',
      // What informer options and events mention, so examples import only the package.
      'FakeClock',
      'realClock',
      'Backoff',
      'ProcessDeltasError',
      'IndexFuncError',
      'TransformError',
      'ResyncError',
      'MissingInitialEventsEndError',
      // The working set (cacheFullObjects: 'whenRead').
      'StaleReadError',
      'DEFAULT_WORKING_SET',
    ]) {
      assert.ok(name in kubecache, `${name} is exported`);
    }
    // The types public options mention, checked by the compiler.
    const clock: kubecache.Clock = new kubecache.FakeClock();
    const backoff: kubecache.BackoffOptions = { clock, initialMs: 100 };
    assert.equal(new kubecache.Backoff({ ...backoff, random: () => 0 }).next(), 100);
  });

  void it('reads through a cache built only from the entry point', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'hello', namespace: 'default' }, data: { a: '1' } });
    const cache = new kubecache.Cache(server.kubeConfig(), { defaultTransform: kubecache.transformStripManagedFields() });
    runUntilTestEnds(t, (signal) => cache.start(signal));
    const cm = await cache.get(kubecache.ConfigMaps, { namespace: 'default', name: 'hello' }, { signal: timeout() });
    assert.deepEqual(cm.data, { a: '1' });
    assert.equal(await cache.waitForCacheSync(timeout()), true);
  });
});
