// WATCH over HTTP: start points, framing, selector transitions, bookmarks, watch-list, timeouts, 410.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- wire JSON of unknown shape, asserted field by field */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { configMap, request, startServer, watch, type ReceivedEvent } from './fake-apiserver-helpers.ts';
import { eventually } from '../helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';

function names(events: readonly ReceivedEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata.name as string}`);
}

void describe('fake apiserver WATCH', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer({ bookmarkIntervalMs: 50, historyWindow: 20 });
    server.objects.create('namespaces', { metadata: { name: 'other' } });
  });
  after(() => server.stop());

  void it('flushes headers at once with chunked JSON even when nothing is sent', async () => {
    const w = await watch(server, '/api/v1/namespaces/empty/configmaps?watch=true');
    assert.equal(w.status, 200);
    assert.equal(w.headers.get('content-type'), 'application/json');
    assert.equal(w.headers.get('transfer-encoding'), 'chunked');
    w.close();
  });

  void it('sends the current state as ADDED for resourceVersion "" and "0", then live events', async () => {
    server.objects.create('configmaps', configMap('w0a'));
    for (const rv of ['', '&resourceVersion=0']) {
      const w = await watch(server, `${CM}?watch=1${rv}`);
      const first = await w.until((e) => e.object.metadata.name === 'w0a');
      assert.equal(first.type, 'ADDED');
      assert.equal(first.object.kind, 'ConfigMap');
      assert.equal(first.object.apiVersion, 'v1');
      w.close();
    }
    const w = await watch(server, `${CM}?watch=true`);
    await w.until((e) => e.object.metadata.name === 'w0a');
    server.objects.create('configmaps', configMap('w0b'));
    const live = await w.until((e) => e.object.metadata.name === 'w0b');
    assert.equal(live.type, 'ADDED');
    assert.ok(w.lines.every((l) => !l.includes('\n') && l.startsWith('{"type":')));
    w.close();
  });

  void it('replays exactly what came after an explicit resourceVersion, in order', async () => {
    const rv = server.store.resourceVersion;
    server.objects.create('configmaps', configMap('x1'));
    const cm = server.objects.update('configmaps', { ...configMap('x1', { data: { k: '2' } }) }, { namespace: 'default' });
    server.objects.delete('configmaps', 'x1', { namespace: 'default' });
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${rv}`);
    const events = [await w.next(), await w.next(), await w.next()] as ReceivedEvent[];
    assert.deepEqual(names(events), ['ADDED x1', 'MODIFIED x1', 'DELETED x1']);
    assert.equal(events[1]?.object.metadata.resourceVersion, cm.metadata.resourceVersion);
    assert.equal(Number(events[2]?.object.metadata.resourceVersion), Number(cm.metadata.resourceVersion) + 1);
    assert.equal(events[2]?.object.data.k, '2');
    w.close();
  });

  void it('scopes a namespaced watch to its namespace', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('elsewhere', { namespace: 'other' }));
    server.objects.create('configmaps', configMap('here'));
    const e = await w.next();
    assert.equal(e?.object.metadata.name, 'here');
    w.close();
  });

  void it('turns selector transitions into ADDED and DELETED', async () => {
    const w = await watch(server, `${CM}?watch=true&labelSelector=app%3Dx&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('sel', { labels: { app: 'y' } }));
    server.objects.update('configmaps', configMap('sel', { labels: { app: 'x' } }), { namespace: 'default' });
    const moved = server.objects.update('configmaps', configMap('sel', { labels: { app: 'z' } }), { namespace: 'default' });
    const added = await w.next();
    assert.equal(added?.type, 'ADDED');
    const left = await w.next();
    assert.equal(left?.type, 'DELETED');
    assert.equal(left?.object.metadata.labels.app, 'x');
    assert.equal(left?.object.metadata.resourceVersion, moved.metadata.resourceVersion);
    w.close();
  });

  void it('applies field selectors to events', async () => {
    const w = await watch(server, `${CM}?watch=true&fieldSelector=metadata.name%3Donly&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('not-me'));
    server.objects.create('configmaps', configMap('only'));
    const e = await w.next();
    assert.equal(e?.object.metadata.name, 'only');
    w.close();
  });

  void it('sends periodic BOOKMARKs with the current resourceVersion when allowed', async () => {
    const w = await watch(server, `${CM}?watch=true&allowWatchBookmarks=true&resourceVersion=${server.store.resourceVersion}`);
    const bm = await w.until((e) => e.type === 'BOOKMARK');
    assert.deepEqual(bm.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(server.store.resourceVersion) } });
    w.close();
  });

  void it('ends initial events of a watch-list with the annotated bookmark', async () => {
    const w = await watch(server, `${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const end = await w.until((e) => e.type === 'BOOKMARK');
    assert.equal(end.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.equal(end.object.metadata.resourceVersion, String(server.store.resourceVersion));
    const before = w.lines.slice(0, -1).map((l) => JSON.parse(l) as ReceivedEvent);
    assert.ok(before.length > 0 && before.every((e) => e.type === 'ADDED'));
    w.close();
  });

  void it('rejects watch options the real server rejects with 422', async () => {
    const res = await request(server, 'GET', `${CM}?watch=true&resourceVersionMatch=NotOlderThan`);
    assert.equal(res.status, 422);
    assert.match(res.body.message, /resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided/);
  });

  void it('closes the stream after timeoutSeconds', async () => {
    const w = await watch(server, `${CM}?watch=true&timeoutSeconds=1&resourceVersion=${server.store.resourceVersion}`);
    const rest = await w.drain(5000);
    assert.deepEqual(rest, []);
  });

  void it('keeps a watch open whose timeoutSeconds is longer than a timer can wait', async () => {
    // 3e6 s is past setTimeout's 2^31-1 ms; an unclamped timer fires at once and ends the watch.
    const w = await watch(server, `${CM}?watch=true&timeoutSeconds=3000000&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('long-1'));
    await w.until((e) => e.type === 'ADDED' && e.object.metadata.name === 'long-1');
    // One round trip later an immediate timer would certainly have fired: the stream must still deliver.
    server.objects.create('configmaps', configMap('long-2'));
    await w.until((e) => e.type === 'ADDED' && e.object.metadata.name === 'long-2');
    w.close();
  });

  void it('answers a compacted resourceVersion with 200, one ERROR 410 Expired event, and a close', async () => {
    const old = server.store.resourceVersion;
    for (let i = 0; i < 25; i++) server.objects.create('configmaps', configMap(`fill-${i}`));
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${old}`);
    assert.equal(w.status, 200);
    const events = await w.drain();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'ERROR');
    assert.equal(events[0]?.object.code, 410);
    assert.equal(events[0]?.object.reason, 'Expired');
    assert.equal(events[0]?.object.kind, 'Status');
    assert.match(events[0]?.object.message as string, new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  void it('watches all namespaces and cluster-scoped kinds', async () => {
    const w = await watch(server, `/api/v1/configmaps?watch=true&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('anywhere', { namespace: 'other' }));
    assert.equal((await w.next())?.object.metadata.namespace, 'other');
    w.close();
    const n = await watch(server, `/api/v1/nodes?watch=true&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('nodes', { metadata: { name: 'node-w' } });
    assert.equal((await n.next())?.object.kind, 'Node');
    n.close();
  });

  void it('stops delivering to a watch the client closed', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=${server.store.resourceVersion}`);
    await w.next(200).catch(() => undefined);
    const open = server.watches.size;
    w.close();
    await eventually(() => server.watches.size < open, 'the server to end the closed watch');
  });
});

void describe('fake apiserver WATCH deadline', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer({ bookmarkIntervalMs: 600_000 });
  });
  after(() => server.stop());

  void it('sends a last BOOKMARK shortly before timeoutSeconds ends the stream', async () => {
    const w = await watch(server, `${CM}?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${server.store.resourceVersion}`);
    server.objects.create('configmaps', configMap('before-deadline'));
    const events = await w.drain(10_000);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'BOOKMARK']);
    assert.equal(events[1]?.object.metadata.resourceVersion, String(server.store.resourceVersion));
  });
});

void describe('fake apiserver WATCH of a large state', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer();
    server.objects.create('namespaces', { metadata: { name: 'big' } });
    for (let i = 0; i < 2500; i++) server.objects.create('configmaps', configMap(`cm-${String(i).padStart(5, '0')}`, { namespace: 'big' }));
  });
  after(() => server.stop());

  void it('streams the initial state in order and holds writes made meanwhile until after the end bookmark', async () => {
    let wrote = false;
    const writer = (): void => {
      if (server.watches.size > 0) {
        server.objects.create('configmaps', configMap('aaa-late', { namespace: 'big' }));
        wrote = true;
        return;
      }
      setImmediate(writer);
    };
    setImmediate(writer);
    const w = await watch(server, '/api/v1/namespaces/big/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true');
    const seen: string[] = [];
    for (;;) {
      const e = await w.next(10_000);
      assert.ok(e);
      if (e.type === 'BOOKMARK') break;
      seen.push(e.object.metadata.name as string);
    }
    assert.equal(seen.length, 2500);
    assert.deepEqual(seen, [...seen].sort());
    assert.ok(wrote);
    const late = await w.next();
    assert.equal(late?.type, 'ADDED');
    assert.equal(late?.object.metadata.name, 'aaa-late');
    w.close();
  });

  void it('lists a large state in one valid, compact JSON document', async () => {
    const res = await request(server, 'GET', '/api/v1/namespaces/big/configmaps?resourceVersion=0');
    assert.equal(res.status, 200);
    assert.equal(res.text, `${JSON.stringify(res.body)}\n`);
    assert.equal(res.body.kind, 'ConfigMapList');
    assert.equal(res.body.items.length, server.objects.list('configmaps', { namespace: 'big' }).length);
    assert.equal(res.body.metadata.resourceVersion, String(server.store.resourceVersion));
  });
});

void describe('fake apiserver WATCH buffering', () => {
  let server: FakeApiServer;
  before(async () => {
    // 200 ConfigMaps of 16 KiB: 3.2 MB of initial events against a 1 MiB per-watcher buffer.
    server = await startServer({ maxWatchBufferBytes: 1024 * 1024 });
    server.objects.create('namespaces', { metadata: { name: 'big' } });
    const value = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 200; i++) server.objects.create('configmaps', configMap(`cm-${String(i).padStart(3, '0')}`, { namespace: 'big', data: { value } }));
  });
  after(() => server.stop());

  void it('waits for a slow watch-list client during the initial events instead of cutting it off', async () => {
    const w = await watch(server, '/api/v1/namespaces/big/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true');
    // Read nothing for a while: the server's writes pile up unless it waits for the socket to drain.
    await new Promise((resolve) => setTimeout(resolve, 200));
    let added = 0;
    for (;;) {
      const e = await w.next(10_000);
      assert.ok(e, `the stream ended after ${added} initial events, before the end bookmark`);
      if (e.type === 'BOOKMARK') break;
      added++;
    }
    assert.equal(added, 200);
    w.close();
  });

  void it('cuts off a watcher that falls more than maxWatchBufferBytes behind on live events', async () => {
    const w = await watch(server, '/api/v1/namespaces/big/configmaps?watch=true&resourceVersion=' + String(server.store.resourceVersion));
    const value = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 40; i++) server.objects.update('configmaps', configMap('cm-000', { namespace: 'big', data: { value: `${value}${i}` } }), { namespace: 'big' });
    const events = await w.drain(10_000);
    assert.ok(events.length < 40, `a watcher 2.5 MB behind was not cut off (${events.length} events)`);
  });
});

void describe('fake apiserver WATCH with watch-list defaulting', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startServer({ watchListDefaulting: true });
    server.objects.create('configmaps', configMap('d1'));
  });
  after(() => server.stop());

  void it('ends the initial events of a legacy "0" watch with the annotated bookmark', async () => {
    const w = await watch(server, `${CM}?watch=true&resourceVersion=0&allowWatchBookmarks=true`);
    const first = await w.next();
    assert.equal(first?.type, 'ADDED');
    const end = await w.next();
    assert.equal(end?.type, 'BOOKMARK');
    assert.equal(end?.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    w.close();
  });
});
