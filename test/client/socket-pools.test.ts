// maxSockets never starves: watches have a pool of their own, and a request queued for a socket is timed out and says so.

import assert from 'node:assert/strict';
import type http from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import { ConfigMaps, Pods, Secrets, structured } from '../../src/cache/kinds.ts';
import { RequestTimeoutError } from '../../src/client/errors.ts';
import { Transport } from '../../src/client/transport.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { eventually, startCache, startServer, WAIT_MS } from '../helpers.ts';
import { startTinyServer, transportFor } from './helpers.ts';

const Services = structured({ group: '', version: 'v1', kind: 'Service' });

async function fakeTransport(t: TestContext, maxSockets: number): Promise<{ server: FakeApiServer; transport: Transport }> {
  const server = await FakeApiServer.start();
  const transport = Transport.fromKubeConfig(server.kubeConfig(), { maxSockets, requestTimeoutMs: 5000 });
  t.after(async () => {
    transport.close();
    await server.stop();
  });
  return { server, transport };
}

void describe('socket pools', { timeout: 20_000 }, () => {
  void it('serves lists while more watches run than maxSockets allows, each watch on a socket of its own', async (t) => {
    const { transport } = await fakeTransport(t, 1);
    const watches = await Promise.all(
      ['configmaps', 'secrets', 'pods'].map((resource) => transport.requestStream({ path: `/api/v1/${resource}?watch=true` })),
    );
    t.after(() => watches.forEach((w) => w.abort()));
    const lists = await Promise.all(['configmaps', 'secrets', 'pods'].map((resource) => transport.requestJson({ path: `/api/v1/${resource}` })));
    assert.equal(lists.length, 3);
    const stats = transport.stats();
    assert.equal(stats.watchSockets, 3);
    assert.ok(stats.activeSockets - stats.watchSockets <= 1, `request sockets: ${stats.activeSockets - stats.watchSockets}`);
    console.log(`maxSockets 1: 3 watches on ${stats.watchSockets} watch sockets, 3 lists served on ≤1 request socket`);
  });

  void it('times out a request queued behind maxSockets busy ones, saying it never got a socket, and settles a queued abort at once', async (t) => {
    const held: http.ServerResponse[] = [];
    const tiny = await startTinyServer((req, res) => {
      if (req.url === '/hold') held.push(res);
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
    const transport = transportFor(tiny, { maxSockets: 1, requestTimeoutMs: 200 });
    t.after(async () => {
      transport.close();
      await tiny.stop();
    });
    const holder = transport.requestJson({ path: '/hold', timeoutMs: 0 });
    await eventually(() => held.length === 1, 'the first request to hold the only socket');

    const queued = transport.requestJson({ path: '/api/v1/pods' }).catch((e: unknown) => e);
    await eventually(() => transport.stats().queuedRequests === 1, 'the second request to queue');
    const err = await queued;
    assert.ok(err instanceof RequestTimeoutError, String(err));
    assert.equal(err.waitedForSocket, true);
    assert.equal(err.message, 'GET /api/v1/pods: no free socket within 200 ms: all 1 sockets of maxSockets were busy');

    const ac = new AbortController();
    const aborted = transport.requestJson({ path: '/api/v1/pods', signal: ac.signal, timeoutMs: 0 }).catch((e: unknown) => e);
    ac.abort(new Error('caller gave up'));
    assert.equal(((await aborted) as Error).message, 'caller gave up');

    held[0]?.writeHead(200, { 'Content-Type': 'application/json' }).end('{"released":true}');
    assert.deepEqual(await holder, { released: true });
    // With the tests' bound, not the 200 ms one: a stall of the machine must not fail a request that is served.
    assert.deepEqual(await transport.requestJson({ path: '/api/v1/pods', timeoutMs: WAIT_MS }), {}, 'the pool serves again');
    assert.equal(transport.stats().queuedRequests, 0, 'the timed-out and aborted requests left the queue');
    console.log(`queued request: ${err.name} after 200 ms, waitedForSocket=${err.waitedForSocket}; queued abort settled at once`);
  });

  void it('keeps four informers current through a cache whose maxSockets is 1', async (t) => {
    const server = await startServer(t);
    const { cache } = startCache(t, server, { transport: { maxSockets: 1 } });
    const kinds = [ConfigMaps, Secrets, Pods, Services];
    for (const kind of kinds) await cache.getInformer(kind, { signal: AbortSignal.timeout(5000) });
    server.objects.create('configmaps', { metadata: { name: 'c', namespace: 'ns1' } });
    server.objects.create('secrets', { metadata: { name: 's', namespace: 'ns1' } });
    server.objects.create('pods', { metadata: { name: 'p', namespace: 'ns1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    server.objects.create('services', { metadata: { name: 'v', namespace: 'ns1' }, spec: { ports: [{ port: 80 }] } });
    for (const kind of kinds) {
      await eventually(async () => (await cache.list(kind, { namespace: 'ns1' })).length === 1, `${kind.gvk.kind} to follow the server`);
    }
    console.log(`cache with maxSockets 1: ${kinds.length} informers synced and current, ${server.watches.size} watches open`);
  });
});
