// Sync progress: per-informer listed counts and synced flags while a cache (or an informer) syncs over HTTP.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListerWatcher } from '../../src/api/lister-watcher.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { ConfigMaps, Secrets } from '../../src/cache/kinds.ts';
import { followSyncProgress, type SyncProgress } from '../../src/cache/sync-progress.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { Transport } from '../../src/client/transport.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { newCache, startCache, startServer, timeout } from '../helpers.ts';
import { recordingLogger } from './helpers.ts';
import { deferCleanup, runUntilTestEnds } from '../cleanup.ts';

function assertMonotonic(reports: readonly SyncProgress[]): void {
  for (let i = 1; i < reports.length; i++) {
    const [prev, next] = [reports[i - 1], reports[i]];
    next?.informers.forEach((inf, j) => {
      const before = prev?.informers[j];
      assert.ok(inf.listed >= (before?.listed ?? 0), 'listed never decreases');
      assert.ok(inf.synced || before?.synced !== true, 'synced never reverts');
    });
  }
}

void describe('sync progress', () => {
  void it('reports each awaited informer from unsynced to synced with the objects it listed', async (t) => {
    const server = await startServer(t);
    for (let i = 0; i < 5; i++) server.objects.create('configmaps', { metadata: { name: `cm-${i}`, namespace: 'ns1' } });
    for (let i = 0; i < 2; i++) server.objects.create('secrets', { metadata: { name: `s-${i}`, namespace: 'ns2' } });
    const cache = newCache(server, { logger: recordingLogger() });
    await cache.getInformer(ConfigMaps, { blockUntilSynced: false });
    await cache.getInformer(Secrets, { blockUntilSynced: false });
    runUntilTestEnds(t, (signal) => cache.start(signal));
    const reports: SyncProgress[] = [];
    assert.equal(await cache.waitForCacheSync({ signal: timeout(), onProgress: (p) => reports.push(p) }), true);

    // Nothing can have answered over HTTP before the first report: it is taken synchronously after start.
    assert.equal(reports[0]?.total, 2);
    assert.equal(reports[0]?.synced, 0);
    const last = reports.at(-1);
    assert.equal(last?.synced, 2);
    const byKind = new Map(last?.informers.map((i) => [i.gvk.kind, i]));
    assert.deepEqual(byKind.get('ConfigMap'), {
      gvk: { group: '', version: 'v1', kind: 'ConfigMap' },
      representation: 'structured',
      namespace: '',
      listed: 5,
      synced: true,
    });
    assert.equal(byKind.get('Secret')?.listed, server.objects.list('secrets').length);
    assertMonotonic(reports);

    const informer = (await cache.getInformer(ConfigMaps)) as SharedIndexInformer<KubeObject>;
    assert.equal(informer.events.listenerCount('listProgress'), 0, 'progress listeners are removed once the wait is over');
    assert.equal(informer.events.listenerCount('synced'), 0);
  });

  void it('still accepts a bare AbortSignal, and answers false when it aborts first', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server);
    assert.equal(await cache.waitForCacheSync(timeout()), true);
    const aborted = AbortSignal.abort();
    const unstarted = newCache(server);
    assert.equal(await unstarted.waitForCacheSync(aborted), false);
    assert.equal(await unstarted.waitForCacheSync({ signal: aborted, onProgress: () => assert.fail('no progress before start') }), false);
  });

  void it('survives an onProgress callback that throws, reporting it as a process warning', async (t) => {
    const server = await startServer(t);
    server.objects.create('configmaps', { metadata: { name: 'one', namespace: 'ns1' } });
    const cache = newCache(server);
    await cache.getInformer(ConfigMaps, { blockUntilSynced: false });
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    deferCleanup(t, () => process.off('warning', onWarning));
    runUntilTestEnds(t, (signal) => cache.start(signal));
    const synced = await cache.waitForCacheSync({
      signal: timeout(),
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    });
    assert.equal(synced, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(warnings.some((w) => w.message === 'progress bar broke'));
  });

  void it('counts a paginated list page by page', async (t) => {
    const server = await startServer(t);
    for (let i = 0; i < 5; i++) server.objects.create('configmaps', { metadata: { name: `p-${i}`, namespace: 'ns3' } });
    const transport = Transport.fromKubeConfig(server.kubeConfig());
    deferCleanup(t, () => transport.close());
    const lw = new ListWatch<KubeObject>({ transport, resource: { group: '', version: 'v1', resource: 'configmaps' }, namespace: 'ns3' });
    // A list from version "0" is served whole from the watch cache; from "" it honours the page size.
    const fromLatest: ListerWatcher<KubeObject> = {
      list: (options) => lw.list(options.resourceVersion === '0' ? { ...options, resourceVersion: '' } : options),
      watch: (options) => lw.watch(options),
    };
    const informer = new SharedIndexInformer<KubeObject>(fromLatest, { pageSize: 2, logger: recordingLogger() });
    const reports: SyncProgress[] = [];
    const unfollow = followSyncProgress(
      [{ gvk: { group: '', version: 'v1', kind: 'ConfigMap' }, representation: 'unstructured', namespace: 'ns3', informer }],
      (p) => reports.push(p),
    );
    runUntilTestEnds(t, (signal) => informer.run(signal));
    await informer.onSynced({ signal: timeout() });
    unfollow();
    assert.deepEqual(
      reports.map((r) => [r.informers[0]?.listed, r.informers[0]?.synced]),
      [
        [0, false],
        [2, false],
        [4, false],
        [5, false],
        [5, true],
      ],
    );
  });
});

void describe('cache.syncProgress', () => {
  void it('yields snapshots until every informer has synced, then ends', async (t) => {
    const server = await startServer(t);
    for (let i = 0; i < 4; i++) server.objects.create('configmaps', { metadata: { name: `i-${i}`, namespace: 'ns1' } });
    const cache = newCache(server, { logger: recordingLogger() });
    await cache.getInformer(ConfigMaps, { blockUntilSynced: false });
    await cache.getInformer(Secrets, { blockUntilSynced: false });
    runUntilTestEnds(t, (signal) => cache.start(signal));
    const seen: SyncProgress[] = [];
    for await (const p of cache.syncProgress({ signal: timeout() })) seen.push(p);
    assert.equal(seen[0]?.synced, 0);
    assert.equal(seen.at(-1)?.synced, 2);
    assert.equal(seen.at(-1)?.informers.find((i) => i.gvk.kind === 'ConfigMap')?.listed, 4);
    assertMonotonic(seen);
    const informer = (await cache.getInformer(ConfigMaps)) as SharedIndexInformer<KubeObject>;
    assert.equal(informer.events.listenerCount('stopped'), 0, 'its listeners are removed when it ends');
  });

  void it('ends without an error when its signal aborts before the cache starts', async (t) => {
    const server = await startServer(t);
    const cache = newCache(server);
    const seen: SyncProgress[] = [];
    for await (const p of cache.syncProgress({ signal: AbortSignal.abort() })) seen.push(p);
    assert.deepEqual(seen, []);
  });

  void it('ends when an informer stops before it synced', { timeout: 10_000 }, async (t) => {
    const server = await startServer(t);
    server.faults.forbid('configmaps');
    const cache = newCache(server, { logger: recordingLogger(), backoff: { initialMs: 20, capMs: 50 } });
    await cache.getInformer(ConfigMaps, { blockUntilSynced: false });
    runUntilTestEnds(t, (signal) => cache.start(signal));
    // A signal that outlives the test: only the informer stopping can end the loop in time.
    const unbounded = new AbortController();
    deferCleanup(t, () => unbounded.abort());
    const seen: SyncProgress[] = [];
    for await (const p of cache.syncProgress({ signal: unbounded.signal })) {
      seen.push(p);
      void cache.removeInformer(ConfigMaps);
    }
    assert.equal(seen.at(-1)?.synced, 0);
  });
});
