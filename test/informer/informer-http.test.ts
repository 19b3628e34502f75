// SharedIndexInformer end to end: ListWatch over real HTTP against the fake APIServer, with faults.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { ListerWatcher, ListOptions } from '../../src/api/lister-watcher.ts';
import type { KubeObject } from '../../src/api/types.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { Transport } from '../../src/client/transport.ts';
import { isDeletedFinalStateUnknown } from '../../src/informer/deleted-final-state-unknown.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import type { SharedIndexInformerOptions } from '../../src/informer/informer-types.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { eventually, FAST_BACKOFF } from '../helpers.ts';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
// Fast retries keep fault tests short; the delays' growth is unit-tested on a fake clock.

void describe('SharedIndexInformer over HTTP against the fake APIServer', () => {
  let server: FakeApiServer;
  let transport: Transport;
  const running: { abort: AbortController; done: Promise<void> }[] = [];

  void before(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 50 });
    transport = Transport.fromKubeConfig(server.kubeConfig());
  });
  // Each test's informers stop with it, so one test's faults never reach another's informers.
  async function stopAll(): Promise<void> {
    const stopping = running.splice(0);
    for (const r of stopping) r.abort.abort();
    await Promise.all(stopping.map((r) => r.done));
    server.faults.clear();
  }
  void afterEach(stopAll);
  void after(async () => {
    await stopAll();
    transport.close();
    await server.stop();
  });

  let nsCounter = 0;
  function freshNamespace(): string {
    const name = `e2e-${++nsCounter}`;
    server.objects.create('namespaces', { metadata: { name } });
    return name;
  }

  function cm(namespace: string, name: string, data: Record<string, string> = {}): void {
    server.objects.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name }, data });
  }

  function start(
    namespace: string,
    options: SharedIndexInformerOptions<ConfigMap> = {},
    wrap: (lw: ListerWatcher<ConfigMap>) => ListerWatcher<ConfigMap> = (lw) => lw,
  ): SharedIndexInformer<ConfigMap> {
    const lw = wrap(new ListWatch<ConfigMap>({ transport, resource: configmaps, namespace }));
    const informer = new SharedIndexInformer<ConfigMap>(lw, { backoff: FAST_BACKOFF, ...options });
    const abort = new AbortController();
    running.push({ abort, done: informer.run(abort.signal) });
    return informer;
  }

  function lists(namespace: string): number {
    return server.requests.count({ verb: 'list', resource: 'configmaps', namespace });
  }

  void it('delivers create, update and delete in order to two handlers, after the store has the change', async () => {
    const ns = freshNamespace();
    const informer = start(ns);
    const logs: string[][] = [[], []];
    for (const log of logs) {
      informer.addEventHandler({
        onAdd: (o) => void log.push(`add ${o.metadata?.name} ${informer.getIndexer().has(`${ns}/${o.metadata?.name}`)}`),
        onUpdate: (_old, o) => void log.push(`update ${o.data?.['v']}`),
        onDelete: (o) => void log.push(`delete ${isDeletedFinalStateUnknown(o) ? o.key : o.metadata?.name}`),
      });
    }
    await informer.onSynced();
    cm(ns, 'a', { v: '1' });
    // The store is at least as new as a notification: had the delete already arrived, `a` would be gone.
    await eventually(() => logs.every((l) => l.length === 1), 'both handlers to see the add');
    server.objects.update('configmaps', { metadata: { namespace: ns, name: 'a' }, data: { v: '2' } });
    server.objects.delete('configmaps', 'a', { namespace: ns });
    const expected = ['add a true', 'update 2', 'delete a'];
    await eventually(() => logs.every((l) => l.length === 3), 'both handlers to see three events');
    assert.deepEqual(logs[0], expected);
    assert.deepEqual(logs[1], expected);
  });

  void it('gives a handler added after sync the existing objects as initial-list adds', async () => {
    const ns = freshNamespace();
    cm(ns, 'x');
    cm(ns, 'y');
    const informer = start(ns);
    await informer.onSynced();
    const seen: string[] = [];
    const reg = informer.addEventHandler({ onAdd: (o, initial) => void seen.push(`${o.metadata?.name}:${initial}`) });
    await reg.onSynced();
    assert.deepEqual(seen.sort(), ['x:true', 'y:true']);
  });

  void it('resumes a dropped watch from the last version with no relist, no duplicate and no lost event', async () => {
    const ns = freshNamespace();
    cm(ns, 'before');
    const informer = start(ns);
    const adds: string[] = [];
    informer.addEventHandler({ onAdd: (o) => void adds.push(o.metadata?.name ?? '') });
    await informer.onSynced();
    const watchesBefore = server.requests.count({ verb: 'watch', resource: 'configmaps', namespace: ns });
    server.faults.dropWatches();
    cm(ns, 'during');
    await eventually(() => adds.includes('during'), 'the add made while the watch was down');
    cm(ns, 'after');
    await eventually(() => adds.includes('after'), 'the add after the reconnect');
    assert.deepEqual(adds, ['before', 'during', 'after']);
    assert.equal(lists(ns), 1, 'a clean watch close must not relist');
    assert.ok(server.requests.count({ verb: 'watch', resource: 'configmaps', namespace: ns }) > watchesBefore);
  });

  void it('relists after a 410 and delivers a delete missed while disconnected as DeletedFinalStateUnknown', async () => {
    const ns = freshNamespace();
    cm(ns, 'keep');
    cm(ns, 'gone');
    const informer = start(ns);
    const deletes: string[] = [];
    informer.addEventHandler({
      onDelete: (o) => void deletes.push(isDeletedFinalStateUnknown(o) ? `tombstone ${o.key}` : `delete ${o.metadata?.name}`),
    });
    await informer.onSynced();
    // Hold the reconnecting watch in latency while the object is deleted and history compacted.
    server.faults.latency(300);
    server.faults.dropWatches();
    server.objects.delete('configmaps', 'gone', { namespace: ns });
    server.faults.compact();
    server.faults.latency(0);
    await eventually(() => deletes.length > 0, 'the missed delete');
    assert.deepEqual(deletes, [`tombstone ${ns}/gone`]);
    assert.ok(lists(ns) >= 2, 'the 410 must lead to a relist');
    assert.deepEqual(informer.getIndexer().listKeys(), [`${ns}/keep`]);
  });

  void it('relists after a watch failure with the current state in one LIST, not the snapshot at its last version', async () => {
    const ns = freshNamespace();
    cm(ns, 'a');
    const relisted: { names: string[]; resourceVersion: string }[] = [];
    const informer = start(ns, {}, (lw) => ({
      list: async (options: ListOptions) => {
        const page = await lw.list(options);
        relisted.push({ names: page.items.map((o) => o.metadata?.name ?? ''), resourceVersion: page.resourceVersion });
        return page;
      },
      watch: (options) => lw.watch(options),
    }));
    await informer.onSynced();
    const listsBefore = lists(ns);
    // The watch ends and its successor fails; `b` is written in between, so no watch delivers it.
    server.faults.failNext({ verb: 'watch', resource: 'configmaps', status: 500, count: 1 });
    server.faults.dropWatches();
    cm(ns, 'b');
    const written = String(server.store.resourceVersion);
    await eventually(() => relisted.length === 2, 'the relist');
    assert.deepEqual(relisted[1]?.names, ['a', 'b'], 'the relist returns what the server holds now');
    assert.ok(Number(relisted[1]?.resourceVersion) >= Number(written));
    assert.equal(lists(ns) - listsBefore, 1);
    const relist = server.requests.filter({ verb: 'list', resource: 'configmaps', namespace: ns }).at(-1);
    assert.equal(relist?.query.get('resourceVersionMatch'), 'NotOlderThan');
  });

  void it('relists with exactly one LIST after a 410', async () => {
    const ns = freshNamespace();
    cm(ns, 'keep');
    const informer = start(ns);
    await informer.onSynced();
    const listsBefore = lists(ns);
    server.faults.dropWatches();
    cm(ns, 'new');
    server.faults.compact();
    await eventually(() => informer.getIndexer().has(`${ns}/new`), 'the relisted object');
    assert.equal(lists(ns) - listsBefore, 1, 'the relist at the last version is not itself answered 410');
    assert.ok(informer.stats().relists >= 2);
  });

  void it('falls back to a full list when the continue token of a paginated relist expires', async () => {
    const ns = freshNamespace();
    for (let i = 0; i < 7; i++) cm(ns, `page-${i}`);
    let expired = false;
    const informer = start(ns, { pageSize: 2 }, (lw) => ({
      list: async (options: ListOptions) => {
        const page = await lw.list(options);
        // On the first page that has a successor, write elsewhere and compact: its token is now too old.
        if (!expired && page.continue !== undefined && page.continue !== '') {
          expired = true;
          server.objects.create('configmaps', { metadata: { namespace: 'default', name: `bump-${ns}` } });
          server.faults.compact();
        }
        return page;
      },
      watch: (options) => lw.watch(options),
    }));
    await informer.onSynced();
    // The first list asks for resourceVersion=0, which the server answers whole; a failed watch
    // makes the reflector relist "not older than" its version, which the server pages.
    cm(ns, 'page-7');
    server.faults.failNext({ verb: 'watch', resource: 'configmaps', status: 500, count: 1 });
    server.faults.dropWatches();
    await eventually(() => expired, 'the paginated relist to expire');
    await eventually(() => informer.getIndexer().size === 8, 'the relisted contents');
    const fullLists = server.requests
      .filter({ verb: 'list', resource: 'configmaps', namespace: ns })
      .filter((r) => r.query.get('resourceVersion') !== '0' && !r.query.has('limit'));
    assert.equal(fullLists.length, 1, 'exactly one unpaginated fallback list');
  });

  void it('keeps its version fresh through bookmarks, so a reconnect after a quiet period needs no relist', async () => {
    const ns = freshNamespace();
    cm(ns, 'quiet');
    const informer = start(ns);
    await informer.onSynced();
    const listedAt = informer.lastSyncResourceVersion();
    // Writes elsewhere advance the global version; only bookmarks carry it to this watch.
    for (let i = 0; i < 5; i++) server.objects.create('configmaps', { metadata: { namespace: 'default', name: `noise-${ns}-${i}` } });
    await eventually(() => informer.lastSyncResourceVersion() !== listedAt, 'a bookmark to advance the version');
    await eventually(() => Number(informer.lastSyncResourceVersion()) >= server.store.resourceVersion, 'the version to catch up');
    server.faults.compact();
    server.faults.dropWatches();
    cm(ns, 'after-quiet');
    await eventually(() => informer.getIndexer().has(`${ns}/after-quiet`), 'the new object');
    assert.equal(lists(ns), 1, 'no relist after a reconnect from a bookmarked version');
  });

  void it('backs off and recovers from 500s on list and a 403 on watch, reporting each failure', async () => {
    const ns = freshNamespace();
    cm(ns, 'survivor');
    const errors: number[] = [];
    server.faults.failNext({ verb: 'list', resource: 'configmaps', status: 500, count: 2 });
    const informer = start(ns, { watchErrorHandler: (err) => void errors.push((err as { code?: number }).code ?? -1) });
    await informer.onSynced();
    assert.equal(informer.getIndexer().size, 1);
    assert.deepEqual(errors.slice(0, 2), [500, 500]);
    server.faults.forbid('configmaps');
    server.faults.dropWatches();
    await eventually(() => errors.includes(403), 'a 403 to be reported');
    server.faults.clear();
    cm(ns, 'after-403');
    await eventually(() => informer.getIndexer().has(`${ns}/after-403`), 'recovery after the 403');
  });

  void it('reaches the same contents in watch-list mode as in list mode, without a LIST', async () => {
    const ns = freshNamespace();
    for (let i = 0; i < 5; i++) cm(ns, `wl-${i}`, { i: String(i) });
    const listed = start(ns);
    const streamed = start(ns, { useWatchList: true });
    await Promise.all([listed.onSynced(), streamed.onSynced()]);
    const keysOf = (i: SharedIndexInformer<ConfigMap>): string[] => i.getIndexer().listKeys().sort();
    assert.deepEqual(keysOf(streamed), keysOf(listed));
    assert.equal(keysOf(streamed).length, 5);
    const initialWatches = server.requests
      .filter({ verb: 'watch', resource: 'configmaps', namespace: ns })
      .filter((r) => r.query.get('sendInitialEvents') === 'true');
    assert.equal(initialWatches.length, 1);
    assert.equal(lists(ns), 1, 'only the list-mode informer lists');
  });
});
