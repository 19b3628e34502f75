// What an informer logs over real HTTP: lists, watches, bookmarks, relists and why, failures; and when it warns the process.

import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { KubeObject } from '../../src/api/types.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { Transport } from '../../src/client/transport.ts';
import type { SharedIndexInformerOptions } from '../../src/informer/informer-types.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { eventually, FAST_BACKOFF } from '../helpers.ts';
import { linesStartingWith, recordingLogger, type LogRecord } from './helpers.ts';
import { runUntilTestEnds } from '../cleanup.ts';

const TOKEN = 'observability-secret-token';
const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

void describe('informer logging over HTTP', () => {
  let server: FakeApiServer;
  let transport: Transport;
  let nsCounter = 0;

  void before(async () => {
    server = await FakeApiServer.start({ bookmarkIntervalMs: 50, token: TOKEN });
    transport = Transport.fromKubeConfig(server.kubeConfig());
  });
  void after(async () => {
    transport.close();
    await server.stop();
  });

  function freshNamespace(objects = 0): string {
    const ns = `log-${++nsCounter}`;
    server.objects.create('namespaces', { metadata: { name: ns } });
    for (let i = 0; i < objects; i++) server.objects.create('configmaps', { metadata: { namespace: ns, name: `cm-${i}` } });
    return ns;
  }

  // Each informer stops with its test: faults such as failNext must not be consumed by another test's informer.
  function start(t: TestContext, ns: string, options: SharedIndexInformerOptions<KubeObject> = {}): SharedIndexInformer<KubeObject> {
    const lw = new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: ns });
    const informer = new SharedIndexInformer<KubeObject>(lw, { backoff: FAST_BACKOFF, objectDescription: 'configmaps', ...options });
    runUntilTestEnds(t, (signal) => informer.run(signal));
    return informer;
  }

  function collectWarnings(): { warnings: Error[]; stop: () => void } {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    return { warnings, stop: () => process.off('warning', onWarning) };
  }

  void it('logs the initial list with its count and version, then the watch from that version', async (t) => {
    const ns = freshNamespace(3);
    const log = recordingLogger();
    const informer = start(t, ns, { logger: log });
    await informer.onSynced({ signal: AbortSignal.timeout(10_000) });
    await eventually(() => linesStartingWith(log.records, 'watching').length > 0, 'the watch log line');
    const listing = linesStartingWith(log.records, 'listing configmaps');
    assert.deepEqual(listing[0]?.fields, { reason: 'initial list', resourceVersion: '0' });
    const listed = linesStartingWith(log.records, 'listed configmaps')[0];
    assert.equal(listed?.level, 'info');
    assert.equal(listed?.fields['count'], 3);
    assert.equal(listed?.fields['resourceVersion'], informer.lastSyncResourceVersion());
    const watching = linesStartingWith(log.records, 'watching configmaps')[0];
    assert.equal(watching?.level, 'debug');
    assert.equal(watching?.fields['resourceVersion'], listed?.fields['resourceVersion']);
  });

  void it('logs bookmarks at debug with the version they advance to', async (t) => {
    const ns = freshNamespace(1);
    const log = recordingLogger();
    const informer = start(t, ns, { logger: log });
    await informer.onSynced({ signal: AbortSignal.timeout(10_000) });
    await eventually(() => linesStartingWith(log.records, 'bookmark').length > 0, 'a bookmark line');
    const bookmark = linesStartingWith(log.records, 'bookmark')[0];
    assert.equal(bookmark?.level, 'debug');
    assert.match(String(bookmark?.fields['resourceVersion']), /^\d+$/);
  });

  void it('logs a watch the server closed, and resumes from the last version', async (t) => {
    const ns = freshNamespace(1);
    const log = recordingLogger();
    const informer = start(t, ns, { logger: log });
    await informer.onSynced({ signal: AbortSignal.timeout(10_000) });
    server.objects.create('configmaps', { metadata: { namespace: ns, name: 'late' } });
    await eventually(() => informer.getIndexer().has(`${ns}/late`), 'the late object');
    await eventually(() => linesStartingWith(log.records, 'bookmark').length > 0, 'a bookmark, so the watch is not very short');
    server.faults.dropWatches();
    await eventually(() => linesStartingWith(log.records, 'watch closed by server').length > 0, 'the close line');
    const closed = linesStartingWith(log.records, 'watch closed by server')[0];
    assert.equal(closed?.level, 'debug');
    assert.ok(Number(closed?.fields['events']) >= 1);
    await eventually(() => linesStartingWith(log.records, 'watching').length >= 2, 'the resumed watch');
    assert.equal(linesStartingWith(log.records, 'listing').length, 1, 'no relist');
  });

  void it('logs a relist after 410 with its reason, the warning and the backoff delay', async (t) => {
    const ns = freshNamespace(2);
    const log = recordingLogger();
    const informer = start(t, ns, { logger: log });
    await informer.onSynced({ signal: AbortSignal.timeout(10_000) });
    await eventually(() => linesStartingWith(log.records, 'bookmark').length > 0, 'an established watch');
    // While the informer is disconnected, history moves on and is compacted: its version is now too old.
    server.faults.dropWatches();
    server.objects.create('configmaps', { metadata: { namespace: ns, name: 'unseen' } });
    server.faults.compact();
    await eventually(() => linesStartingWith(log.records, 'listing').length >= 2, 'the relist');
    const relist = linesStartingWith(log.records, 'listing')[1];
    assert.equal(relist?.fields['reason'], 'resource version expired (410)');
    await eventually(() => informer.getIndexer().has(`${ns}/unseen`), 'the object created while disconnected');
    const warn = log.records.find((r) => r.level === 'warn');
    assert.ok(warn !== undefined, 'the failure is logged at warn');
    const backoff = linesStartingWith(log.records, 'backing off')[0];
    assert.equal(backoff?.fields['then'], 'relist');
    assert.equal(typeof backoff?.fields['delayMs'], 'number');
  });

  void it('logs list failures at warn with the Status reason and code, and never the credentials', async (t) => {
    const ns = freshNamespace(1);
    const log = recordingLogger();
    server.faults.failNext({ verb: 'list', resource: 'configmaps', status: 403, count: 2 });
    const informer = start(t, ns, { logger: log });
    await informer.onSynced({ signal: AbortSignal.timeout(10_000) });
    const warnings = log.records.filter((r) => r.level === 'warn');
    assert.ok(warnings.length >= 2, `${warnings.length} warnings`);
    assert.equal(warnings[0]?.fields['code'], 403);
    assert.equal(warnings[0]?.fields['reason'], 'Forbidden');
    assert.equal(linesStartingWith(log.records, 'listing')[1]?.fields['reason'], 'list failed');
    assert.doesNotMatch(JSON.stringify(log.records), new RegExp(TOKEN));
  });

  void it('logs handler failures at error and, with a logger configured, emits no process warning', async (t) => {
    const ns = freshNamespace(1);
    const log = recordingLogger();
    const watch = collectWarnings();
    try {
      const informer = start(t, ns, { logger: log });
      informer.addEventHandler({
        onAdd: () => {
          throw new Error('handler exploded');
        },
      });
      await eventually(() => informer.stats().handlerErrors === 1, 'the handler error');
      await new Promise((resolve) => setImmediate(resolve));
      const failed: LogRecord | undefined = linesStartingWith(log.records, 'event handler failed')[0];
      assert.equal(failed?.level, 'error');
      assert.equal(failed?.fields['error'], 'handler exploded');
      assert.equal(failed?.fields['notification'], 'add');
      assert.deepEqual(watch.warnings.filter((w) => w.message.includes('handler exploded')), []);
    } finally {
      watch.stop();
    }
  });

  void it('without a logger, a handler failure nobody listens for still becomes a process warning', async (t) => {
    const ns = freshNamespace(1);
    const watch = collectWarnings();
    try {
      const informer = start(t, ns);
      informer.addEventHandler({
        onAdd: () => {
          throw new Error('unheard failure');
        },
      });
      await eventually(() => watch.warnings.some((w) => w.message.includes('unheard failure')), 'the process warning');
      assert.equal(informer.stats().handlerErrors, 1);
    } finally {
      watch.stop();
    }
  });
});
