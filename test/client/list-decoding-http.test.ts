// LIST bodies over HTTP: one-body rv=0 lists larger than the response limit, item limits, bad and cut-off bodies.

import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/api/types.ts';
import { ConnectionError, InvalidResponseError, RequestTimeoutError } from '../../src/client/errors.ts';
import { ListBodyError } from '../../src/client/list-body-decoder.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { Transport } from '../../src/client/transport.ts';
import { SharedIndexInformer } from '../../src/informer/shared-index-informer.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { assertNoActiveSockets, assertNoOpenSockets, startTinyServer, transportFor, type TinyServer } from './helpers.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const LIMIT = 64 * 1024;

void describe('LIST bodies from the fake APIServer, which answers rv=0 lists whole', () => {
  let server: FakeApiServer;
  let transport: Transport;

  void before(async () => {
    server = await FakeApiServer.start();
    for (let i = 0; i < 300; i++) {
      server.objects.create('configmaps', { metadata: { namespace: 'default', name: `cm-${i}` }, data: { blob: 'x'.repeat(1000) } });
    }
    transport = Transport.fromKubeConfig(server.kubeConfig(), { maxResponseBytes: LIMIT });
  });
  void after(async () => {
    transport.close();
    await server.stop();
  });

  void it('syncs an informer whose one-body first list is larger than maxResponseBytes when every item fits', async () => {
    const informer = new SharedIndexInformer<KubeObject>(new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: 'default' }));
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.onSynced();
    assert.equal(informer.getIndexer().size, 300);
    stop.abort();
    await running;
    const lists = server.requests.records.filter((r) => r.verb === 'list' && r.resource === 'configmaps');
    assert.equal(lists.length, 1, 'one request');
    assert.equal(lists[0]?.query.get('resourceVersion'), '0');
  });

  void it('returns the whole collection as one page for resourceVersion=0 whatever the limit', async () => {
    const lw = new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: 'default' });
    const page = await lw.list({ resourceVersion: '0', limit: 10 });
    assert.equal(page.items.length, 300);
    assert.equal(page.continue, undefined);
    assert.equal(page.items[299]?.metadata?.name, 'cm-99', 'items in storage-key order');
    assert.match(page.resourceVersion, /^\d+$/);
  });

  void it('rejects a list holding one item over maxResponseBytes with ResponseTooLarge and closes its connection', async () => {
    server.objects.create('configmaps', { metadata: { namespace: 'kube-public', name: 'huge' }, data: { blob: 'y'.repeat(LIMIT) } });
    const lw = new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: 'kube-public' });
    const err = await lw.list({ resourceVersion: '0' }).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError, String(err));
    assert.equal(err.reason, 'ResponseTooLarge');
    assert.match(err.message, /an item of the list body exceeds the 65536-byte limit/);
    await assertNoActiveSockets(transport);
  });
});

void describe('LIST bodies from hostile servers', () => {
  const servers: TinyServer[] = [];
  const transports: Transport[] = [];
  void after(async () => {
    for (const t of transports) t.close();
    await Promise.all(servers.map((s) => s.stop()));
  });

  async function setup(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void, requestTimeoutMs?: number) {
    const server = await startTinyServer(handler);
    const transport = transportFor(server, requestTimeoutMs === undefined ? {} : { requestTimeoutMs });
    servers.push(server);
    transports.push(transport);
    return { server, transport, lw: new ListWatch<KubeObject>({ transport, resource: configmaps, namespace: 'default' }) };
  }

  void it('reads resourceVersion and continue from metadata sent after the items, in chunks of a few bytes', async () => {
    const body = Buffer.from(
      '{"items":[{"metadata":{"name":"ä","resourceVersion":"3"},"data":{"v":"日本語 \\"🚀\\""}},{"metadata":{"name":"b"}}],' +
        '"metadata":{"resourceVersion":"9","continue":"next","remainingItemCount":4},"kind":"ConfigMapList","apiVersion":"v1"}',
    );
    const { lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      let at = 0;
      const timer = setInterval(() => {
        res.write(body.subarray(at, at + 7));
        at += 7;
        if (at >= body.length) {
          clearInterval(timer);
          res.end();
        }
      }, 0);
    });
    const page = await lw.list({ limit: 2 });
    assert.deepEqual(page, {
      items: [{ metadata: { name: 'ä', resourceVersion: '3' }, data: { v: '日本語 "🚀"' } }, { metadata: { name: 'b' } }],
      resourceVersion: '9',
      continue: 'next',
      remainingItemCount: 4,
    });
  });

  void it('rejects a malformed body with MalformedResponse naming the offset, and closes the connection at once', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // The server goes on with an endless body: the client must stop reading at the error.
      res.write('{"metadata":{"resourceVersion":"5"},"items":[{"a":1} {"a":2}');
    });
    const err = await lw.list({}).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError, String(err));
    assert.equal(err.reason, 'MalformedResponse');
    assert.ok(err.cause instanceof ListBodyError);
    assert.match(err.message, /expected "," or "\]" in the list body, found "\{" at byte 53/);
    await assertNoOpenSockets(server, transport);
  });

  void it('rejects a list with an items field that is not an array', async () => {
    const { lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"metadata":{"resourceVersion":"5"},"items":{"a":1}}');
    });
    const err = await lw.list({}).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError);
    assert.match(err.message, /no items array/);
  });

  void it('reports a body cut off by the connection as a retryable ConnectionError, not a malformed one', async () => {
    const { lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"metadata":{"resourceVersion":"5"},"items":[{"a":1},{"a"', () => res.destroy());
    });
    const err = await lw.list({}).catch((e: unknown) => e);
    assert.ok(err instanceof ConnectionError, String(err));
    assert.equal(err.reason, 'ConnectionFailed');
  });

  void it('bounds the whole body by the request timeout, not only its headers', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"metadata":{"resourceVersion":"5"},"items":[{"a":1},');
    }, 150);
    const err = await lw.list({}).catch((e: unknown) => e);
    assert.ok(err instanceof RequestTimeoutError, String(err));
    await assertNoOpenSockets(server, transport);
  });

  void it('rejects with the abort reason when the signal aborts while the body is arriving', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"metadata":{"resourceVersion":"5"},"items":[{"a":1},');
    });
    const controller = new AbortController();
    const pending = lw.list({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop listing')), 20);
    await assert.rejects(pending, /stop listing/);
    await assertNoOpenSockets(server, transport);
  });

  void it('passes an error thrown by the decode option through unchanged', async () => {
    const { transport } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"metadata":{"resourceVersion":"5"},"items":[{"a":1}]}');
    });
    const lw = new ListWatch<KubeObject>({
      transport,
      resource: configmaps,
      decode: () => {
        throw new TypeError('not a ConfigMap');
      },
    });
    await assert.rejects(lw.list({}), (err: unknown) => err instanceof TypeError && err.message === 'not a ConfigMap');
  });
});
