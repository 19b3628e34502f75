// Retry-After on 429 and 5xx, as client-go's REST client honours it, over HTTP on a fake clock.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { isTooManyRequests, StatusError } from '../../src/api/errors.ts';
import { ListWatch } from '../../src/client/list-watch.ts';
import { RestClient } from '../../src/client/rest-client.ts';
import { RESTMapper } from '../../src/client/rest-mapper.ts';
import { Transport, type TransportOptions } from '../../src/client/transport.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { startTinyServer, transportFor } from './helpers.ts';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

async function setup(t: TestContext, options: TransportOptions = {}): Promise<{ server: FakeApiServer; transport: Transport; clock: FakeClock }> {
  const server = await FakeApiServer.start();
  const clock = new FakeClock();
  const transport = Transport.fromKubeConfig(server.kubeConfig(), { clock, ...options });
  t.after(async () => {
    transport.close();
    await server.stop();
  });
  return { server, transport, clock };
}

/**
 * Lets `pending` run on the fake clock: each time it sleeps, checks the wait is `expectedMs` and
 * moves time by it. Resolves with the settled outcome and the virtual milliseconds waited.
 */
async function driveRetries<T>(clock: FakeClock, pending: Promise<T>, expectedMs: number): Promise<{ outcome: PromiseSettledResult<T>; waitedMs: number; waits: number }> {
  const settled = Promise.allSettled([pending]).then(([outcome]) => outcome as PromiseSettledResult<T>);
  let done = false;
  void settled.then(() => (done = true));
  let waits = 0;
  const start = clock.now();
  for (;;) {
    await Promise.race([clock.waitForTimers(1), settled]);
    if (done) return { outcome: await settled, waitedMs: clock.now() - start, waits };
    assert.deepEqual(clock.pendingDelays(), [expectedMs], 'one wait, as long as the server asked');
    waits++;
    await clock.advance(expectedMs);
  }
}

function value<T>(outcome: PromiseSettledResult<T>): T {
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
}

void describe('Retry-After', { timeout: 30_000 }, () => {
  void it('sends a throttled list again after the seconds Retry-After asks, until it is served', async (t) => {
    const { server, transport, clock } = await setup(t);
    server.faults.throttle({ verb: 'list', resource: 'configmaps', retryAfterSeconds: 2, count: 3 });
    const lw = new ListWatch({ transport, resource: configmaps });
    const { outcome, waitedMs, waits } = await driveRetries(clock, lw.list({}), 2000);
    assert.equal(value(outcome).items.length, 0);
    assert.equal(waits, 3);
    assert.equal(server.requests.count({ verb: 'throttled' }), 3);
    assert.equal(server.requests.count({ verb: 'list' }), 1);
    console.log(`list: 3 × 429 (Retry-After: 2), served on attempt 4 after ${waitedMs / 1000} s of clock`);
  });

  void it('retries watches, discovery and writes the same way; a write is created once', async (t) => {
    const { server, transport, clock } = await setup(t);
    const lw = new ListWatch({ transport, resource: configmaps });
    server.objects.create('configmaps', { metadata: { name: 'seen', namespace: 'default' } });

    server.faults.throttle({ verb: 'watch', retryAfterSeconds: 1, count: 2 });
    const watch = lw.watch({ resourceVersion: '0' });
    const first = await driveRetries(clock, watch.next(), 1000);
    const event = value(first.outcome);
    assert.equal(event.done, false);
    assert.equal(event.value.type, 'ADDED');
    assert.equal(first.waits, 2);
    await watch.return?.();

    // One: discovery sends /api and /apis at once, and two parallel waits would race the driver.
    server.faults.throttle({ verb: 'discovery', retryAfterSeconds: 1, count: 1 });
    const mapper = new RESTMapper(transport);
    const mapping = await driveRetries(clock, mapper.restMapping({ group: 'apps', version: 'v1', kind: 'Deployment' }), 1000);
    assert.equal(value(mapping.outcome).resource.resource, 'deployments');
    assert.equal(mapping.waits, 1);

    server.faults.throttle({ verb: 'create', retryAfterSeconds: 1, count: 1 });
    const rest = new RestClient(transport);
    const created = await driveRetries(clock, rest.createObject(configmaps, { metadata: { name: 'once', namespace: 'default' } }), 1000);
    assert.equal(value(created.outcome).metadata?.name, 'once');
    assert.equal(server.requests.count({ verb: 'create' }), 1);
    assert.equal(server.requests.count({ verb: 'throttled' }), 4);
    console.log(`watch: 2 waits, discovery: 1 wait, create: ${created.waits} wait and 1 object; 4 × 429 in all`);
  });

  void it('honours Retry-After on a 5xx Status, capped at maxRetryWaitMs, and never retries a 5xx without it', async (t) => {
    const { server, transport, clock } = await setup(t, { maxRetryWaitMs: 30_000 });
    const rest = new RestClient(transport);
    server.objects.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
    server.faults.failNext({ verb: 'get', status: 503, retryAfterSeconds: 3600 });
    const got = await driveRetries(clock, rest.getObject(configmaps, 'a', { namespace: 'default' }), 30_000);
    assert.equal(value(got.outcome).metadata?.name, 'a');
    assert.equal(got.waitedMs, 30_000, 'an hour asked, the 30 s cap waited');

    server.faults.failNext({ verb: 'get', status: 500 });
    await assert.rejects(rest.getObject(configmaps, 'a', { namespace: 'default' }), { name: 'StatusError', code: 500 });
    assert.equal(clock.pendingTimers, 0);
  });

  void it('gives up after 10 retries, reporting the 429 as TooManyRequests with retryAfterSeconds', async (t) => {
    const { server, transport, clock } = await setup(t);
    server.faults.throttle({ retryAfterSeconds: 1 });
    const lw = new ListWatch({ transport, resource: configmaps });
    const { outcome, waits } = await driveRetries(clock, lw.list({}), 1000);
    assert.equal(outcome.status, 'rejected');
    const err: unknown = outcome.reason;
    assert.ok(err instanceof StatusError, String(err));
    assert.ok(isTooManyRequests(err));
    assert.equal(err.code, 429);
    assert.equal(err.status.details?.retryAfterSeconds, 1);
    assert.equal(waits, 10);
    assert.equal(server.requests.count({ verb: 'throttled' }), 11);
    console.log(`persistent 429: ${waits} retries (${server.requests.count({ verb: 'throttled' })} attempts), then StatusError TooManyRequests`);
  });

  void it('does not wait for a Retry-After that is an HTTP-date, nor past maxRetries 0', async (t) => {
    const tiny = await startTinyServer((_req, res) => {
      res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }).end('slow down');
    });
    const clock = new FakeClock();
    const transport = transportFor(tiny, { clock });
    t.after(async () => {
      transport.close();
      await tiny.stop();
    });
    await assert.rejects(transport.requestJson({ path: '/api' }), { name: 'StatusError', code: 429 });
    assert.equal(tiny.requests.length, 1);

    const { server, transport: noRetries } = await setup(t, { maxRetries: 0 });
    server.faults.throttle({ count: 1 });
    await assert.rejects(noRetries.requestJson({ path: '/api/v1/configmaps' }), (err: unknown) => isTooManyRequests(err));
  });

  void it('ends a Retry-After wait at once when the caller aborts', async (t) => {
    const { server, transport, clock } = await setup(t);
    server.faults.throttle({ retryAfterSeconds: 5 });
    const ac = new AbortController();
    const pending = transport.requestJson({ path: '/api/v1/configmaps', signal: ac.signal });
    await clock.waitForTimers(1);
    ac.abort(new Error('caller gave up'));
    await assert.rejects(pending, { message: 'caller gave up' });
    assert.equal(clock.pendingTimers, 0);
  });
});
