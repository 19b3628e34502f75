// Server-side apply through the Client, and what every call shares: AbortSignal, the transport timeout, no credentials in errors.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { isConflict, isInvalid, StatusError } from '../../src/api/errors.ts';
import { RequestTimeoutError } from '../../src/client/errors.ts';
import { ConfigMaps, Deployments } from '../../src/cache/kinds.ts';
import { Client } from '../../src/kube-client/client.ts';
import { Cache } from '../../src/cache/cache.ts';
import { kubeConfigFor, startTinyServer } from '../client/helpers.ts';
import { liveClient, startServer } from './helpers.ts';
import { deferCleanup } from '../cleanup.ts';
import { eventually } from '../helpers.ts';

void describe('Client.apply', () => {
  void it('creates a missing object by server-side apply, filling apiVersion and kind, under the client fieldOwner', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server, { fieldOwner: 'my-operator' });
    const applied = await client.apply(Deployments, {
      metadata: { name: 'web', namespace: 'ns1', labels: { app: 'web' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } },
    });
    assert.equal(applied.metadata?.generation, 1);
    assert.equal(applied.spec?.replicas, 2);
    const request = server.requests.filter({ verb: 'patch' }).at(-1);
    assert.equal(request?.query.get('fieldManager'), 'my-operator');
    assert.equal(request?.query.has('force'), false);

    const again = await client.apply(Deployments, { metadata: { name: 'web', namespace: 'ns1' }, spec: { replicas: 3 } }, { force: true });
    assert.equal(again.spec?.replicas, 3);
    assert.equal(server.requests.filter({ verb: 'patch' }).at(-1)?.query.get('force'), 'true');
  });

  void it('passes on the server 422 when no field manager is named', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    const err = await client.apply(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' }, data: { k: 'v' } }).catch((e: unknown) => e);
    assert.ok(isInvalid(err), String(err));
    assert.equal((err as StatusError).status.details?.causes?.[0]?.field, 'fieldManager');
  });
});

void describe('Client calls, whatever the method', () => {
  void it('rejects with the signal reason when aborted in flight', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server);
    await client.create(ConfigMaps, { metadata: { name: 'a', namespace: 'ns1' } }); // discovery done
    server.faults.latency(1_000);
    deferCleanup(t, () => server.faults.clear());
    const stop = new AbortController();
    const pending = client.get(ConfigMaps, { namespace: 'ns1', name: 'a' }, { signal: stop.signal });
    setImmediate(() => stop.abort(new Error('reconcile cancelled')));
    await assert.rejects(pending, { message: 'reconcile cancelled' });
  });

  void it('times out a request the server never answers after the transport requestTimeoutMs', async (t) => {
    const server = await startServer(t);
    const client = liveClient(t, server, { transport: { requestTimeoutMs: 100 } });
    // Discovery shares the 100 ms timeout, which a stall of the machine (a busy CI runner, a GC
    // pause) can make it miss; ask again until it is done, so only the delete meets the latency.
    await eventually(() => client.isNamespaced(ConfigMaps), 'discovery, answered within 100 ms');
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'ns1' } });
    server.faults.latency(1_000);
    deferCleanup(t, () => server.faults.clear());
    const err = await client.delete(ConfigMaps, { namespace: 'ns1', name: 'a' }).catch((e: unknown) => e);
    assert.ok(err instanceof RequestTimeoutError, String(err));
  });

  void it('keeps the bearer token out of errors when the server echoes it in its answer to a write', async (t) => {
    const token = 'secret-token-0123456789';
    const echo = await startTinyServer((req, res) => {
      res.writeHead(409, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409, reason: 'Conflict', message: `conflict for ${req.headers.authorization ?? ''}` }));
    });
    deferCleanup(t, () => echo.stop());
    const kc = kubeConfigFor(echo.url, token);
    // The cache lends its mapper, so the client's only request is the write.
    const cache = new Cache(kc, { mapper: { restMapping: () => Promise.resolve({ resource: { group: '', version: 'v1', resource: 'configmaps' }, scope: 'Namespace' }) } });
    const client = new Client(kc, { cache });
    const err = await client.update(ConfigMaps, { metadata: { name: 'a', namespace: 'default', resourceVersion: '1' } }).catch((e: unknown) => e);
    assert.ok(isConflict(err), String(err));
    assert.match((err as Error).message, /conflict for Bearer <redacted>/);
    for (const text of [String(err), JSON.stringify((err as StatusError).status), inspect(err, { depth: 8 })]) assert.equal(text.includes(token), false, text);
    assert.deepEqual(echo.requests, ['PUT /api/v1/namespaces/default/configmaps/a']);
  });
});
