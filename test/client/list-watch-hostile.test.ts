// ListWatch against hostile servers: bad watch streams and lists fail typed, and sockets are released.

import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, describe, it } from 'node:test';
import { StatusError } from '../../src/api/errors.ts';
import type { WatchEvent } from '../../src/api/lister-watcher.ts';
import { InvalidResponseError, RequestTimeoutError, WatchDecodeError } from '../../src/client/errors.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import type { Transport } from '../../src/client/transport.ts';
import {
  assertNoOpenSockets,
  beginWatch,
  collect,
  configMap,
  line,
  startTinyServer,
  transportFor,
  type TinyServer,
} from './helpers.ts';
import { eventually, isPending } from '../helpers.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };
const servers: TinyServer[] = [];
const transports: Transport[] = [];

async function setup(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  maxEventBytes?: number,
  requestTimeoutMs?: number,
): Promise<{ server: TinyServer; transport: Transport; lw: ListWatch<Record<string, unknown>> }> {
  const server = await startTinyServer(handler);
  const transport = transportFor(server, requestTimeoutMs === undefined ? {} : { requestTimeoutMs });
  servers.push(server);
  transports.push(transport);
  const lw = new ListWatch<Record<string, unknown>>({ transport, resource: configmaps, namespace: 'default', maxEventBytes });
  return { server, transport, lw };
}

async function watchError(lw: ListWatch<Record<string, unknown>>): Promise<{ events: WatchEvent<unknown>[]; error: unknown }> {
  const events: WatchEvent<unknown>[] = [];
  try {
    for await (const event of lw.watch({ resourceVersion: '1' })) events.push(event);
  } catch (error) {
    return { events, error };
  }
  assert.fail(`expected the watch to fail; got ${events.length} events`);
}

void after(async () => {
  for (const t of transports) t.close();
  await Promise.all(servers.map((s) => s.stop()));
});

void describe('ListWatch against hostile servers', () => {
  void it('delivers the events before a truncated JSON line, then throws MalformedWatchEvent and closes the socket', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      res.write(line('ADDED', configMap('a', '2')));
      res.write('{"type":"ADDED","object":{"metadata":{"name":\n');
    });
    const { events, error } = await watchError(lw);
    assert.equal(events.length, 1);
    assert.ok(error instanceof WatchDecodeError);
    assert.equal(error.reason, 'MalformedWatchEvent');
    await assertNoOpenSockets(server, transport);
  });

  void it('throws TruncatedWatchEvent when the connection drops in the middle of an event', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      res.write(line('ADDED', configMap('a', '2')));
      res.write('{"type":"ADDED","object":{"metadata":', () => res.destroy());
    });
    const { events, error } = await watchError(lw);
    assert.equal(events.length, 1);
    assert.ok(error instanceof WatchDecodeError);
    assert.equal(error.reason, 'TruncatedWatchEvent');
    await assertNoOpenSockets(server, transport);
  });

  void it('stops reading a line that grows past maxEventBytes with EventTooLarge, without buffering the rest', async () => {
    let written = 0;
    const { server, transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      res.write('{"type":"ADDED","object":{"metadata":{"name":"');
      const timer = setInterval(() => {
        written += 1024;
        res.write('x'.repeat(1024));
      }, 1);
      res.once('close', () => clearInterval(timer));
    }, 8 * 1024);
    const { error } = await watchError(lw);
    assert.ok(error instanceof WatchDecodeError);
    assert.equal(error.reason, 'EventTooLarge');
    assert.ok(error.lineExcerpt.length <= 201);
    await assertNoOpenSockets(server, transport);
    assert.ok(written < 1024 * 1024, `the server kept writing ${written} bytes`);
  });

  void it('decodes events sent one byte at a time, splitting lines and UTF-8 characters, until the server ends', async () => {
    const wire = Buffer.from(line('ADDED', configMap('ä', '2', { v: '日本語' })) + line('MODIFIED', configMap('ä', '3', { v: '🚀' })));
    const { transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      let i = 0;
      const timer = setInterval(() => {
        if (i < wire.length) res.write(wire.subarray(i, ++i));
        else {
          clearInterval(timer);
          res.end();
        }
      }, 0);
    });
    const events = await collect(lw.watch({ resourceVersion: '1' }));
    assert.deepEqual(events, [
      { type: 'ADDED', object: configMap('ä', '2', { v: '日本語' }) },
      { type: 'MODIFIED', object: configMap('ä', '3', { v: '🚀' }) },
    ]);
    await eventually(() => transport.stats().activeSockets === 0, 'the watch socket to go back to the pool');
  });

  void it('throws UnknownEventType for an event type outside the protocol', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      res.write(line('UPSERTED', configMap('a', '2')));
    });
    const { error } = await watchError(lw);
    assert.ok(error instanceof WatchDecodeError);
    assert.equal(error.reason, 'UnknownEventType');
    await assertNoOpenSockets(server, transport);
  });

  void it('throws MissingObjectMetadata for an event object without metadata', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      res.write(line('ADDED', { kind: 'ConfigMap', data: {} }));
    });
    const { error } = await watchError(lw);
    assert.ok(error instanceof WatchDecodeError);
    assert.equal(error.reason, 'MissingObjectMetadata');
    await assertNoOpenSockets(server, transport);
  });

  void it('rejects the first next() with the StatusError of a non-200 watch answer', async () => {
    const { lw, transport } = await setup((_req, res) => {
      const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Internal error occurred: etcd', reason: 'InternalError', code: 500 };
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    const { error } = await watchError(lw);
    assert.ok(error instanceof StatusError);
    assert.equal(error.code, 500);
    assert.equal(error.message, 'Internal error occurred: etcd');
    await eventually(() => transport.stats().activeSockets === 0, 'the socket to be released');
  });

  void it('rejects a watch answered with an HTML 200 page with InvalidResponseError', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>maintenance</html>');
    });
    const { error } = await watchError(lw);
    assert.ok(error instanceof InvalidResponseError);
    assert.equal(error.reason, 'UnexpectedContentType');
    // The page was read to its end, so its socket may stay in the keep-alive pool, idle.
    await eventually(() => transport.stats().activeSockets === 0, 'the socket to be released');
    assert.ok(server.sockets.size <= 1);
  });

  void it('ends the iteration promptly when the signal aborts during an idle watch, and closes the socket', async () => {
    const { server, transport, lw } = await setup((_req, res) => {
      beginWatch(res);
      res.write(line('ADDED', configMap('a', '2')));
    });
    const controller = new AbortController();
    const events: WatchEvent<unknown>[] = [];
    const loop = (async () => {
      for await (const event of lw.watch({ resourceVersion: '1', signal: controller.signal })) {
        events.push(event);
        controller.abort();
      }
    })();
    await loop;
    assert.equal(events.length, 1);
    await assertNoOpenSockets(server, transport);
  });

  void it('settles a pending next() with done when return() is called on an idle watch', async () => {
    const { server, transport, lw } = await setup((_req, res) => beginWatch(res));
    const iterator = lw.watch({ resourceVersion: '1' });
    const pending = iterator.next();
    await eventually(() => server.sockets.size === 1, 'the watch to connect');
    assert.deepEqual(await iterator.return?.(), { done: true, value: undefined });
    assert.deepEqual(await pending, { done: true, value: undefined });
    await assertNoOpenSockets(server, transport);
  });

  void it('does not send a request when the signal is already aborted', async () => {
    const { server, lw } = await setup((_req, res) => beginWatch(res));
    assert.deepEqual(await collect(lw.watch({ signal: AbortSignal.abort() })), []);
    assert.equal(server.requests.length, 0);
  });

  void it('rejects a list without metadata.resourceVersion with InvalidResponseError MalformedResponse', async () => {
    const { lw } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'ConfigMapList', metadata: {}, items: [] }));
    });
    const err = await lw.list({}).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidResponseError);
    assert.equal(err.reason, 'MalformedResponse');
    assert.match(err.message, /no metadata\.resourceVersion/);
  });

  void it('sends the metadata-only Accept headers and the joined selectors', async () => {
    const accepts: string[] = [];
    const server = await startTinyServer((req, res) => {
      accepts.push(req.headers.accept ?? '');
      if ((req.url ?? '').includes('watch=true')) {
        beginWatch(res);
        res.end();
      } else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"metadata":{"resourceVersion":"5"},"items":null}');
    });
    servers.push(server);
    const transport = transportFor(server);
    transports.push(transport);
    const lw = new ListWatch({ transport, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, metadataOnly: true, labelSelector: 'app=x' });
    assert.deepEqual(await lw.list({ labelSelector: 'tier=web', limit: 10 }), { items: [], resourceVersion: '5' });
    await collect(lw.watch({ resourceVersion: '5', allowWatchBookmarks: true }));
    assert.deepEqual(server.requests, [
      'GET /apis/apps/v1/deployments?labelSelector=app%3Dx%2Ctier%3Dweb&limit=10',
      'GET /apis/apps/v1/deployments?allowWatchBookmarks=true&labelSelector=app%3Dx&resourceVersion=5&watch=true',
    ]);
    assert.deepEqual(accepts, [
      'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json',
    ]);
  });

  void it('fails a watch whose headers never arrive with RequestTimeoutError, but lets an idle open watch live', async () => {
    const { server, transport, lw } = await setup(
      (req, res) => {
        if (!(req.url ?? '').includes('resourceVersion=2')) return;
        beginWatch(res);
        res.write(line('ADDED', configMap('a', '3')));
      },
      undefined,
      150,
    );
    const { error } = await watchError(lw);
    assert.ok(error instanceof RequestTimeoutError);
    // The idle watch gets a second transport whose timeout the headers cannot miss on a loaded
    // machine (150 ms can pass between two turns of a starved event loop, and the headers would
    // then time out as they should). Its first event proves the headers arrived; from then on the
    // watch is idle, and waiting out the timeout, armed before that event, must not end it.
    const patient = transportFor(server, { requestTimeoutMs: 1000 });
    transports.push(patient);
    const idle = new ListWatch<Record<string, unknown>>({ transport: patient, resource: configmaps, namespace: 'default' }).watch({ resourceVersion: '2' });
    const first = await idle.next();
    assert.ok(first.done !== true && first.value.type === 'ADDED', 'the idle watch delivered its first event');
    const pending = idle.next();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await isPending(pending), true, 'an open watch with no events is not timed out by the request timeout');
    await idle.return?.();
    await assertNoOpenSockets(server, transport);
    await assertNoOpenSockets(server, patient);
  });
});
