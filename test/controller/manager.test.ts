// Manager without election or with one candidate: probes and metrics over HTTP, graceful shutdown, runnable failures.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { AlreadyStartedError, DuplicateControllerNameError, GracefulShutdownTimeoutError, InvalidOptionsError, StopEngagedError } from '../../src/controller/errors.ts';
import { Manager } from '../../src/controller/manager.ts';
import { Transport } from '../../src/client/transport.ts';
import { LeaseLock } from '../../src/controller/lease-lock.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { eventually, isPending } from '../helpers.ts';
import { deferred } from './helpers.ts';
import { ElectionClock, TrackedLock } from './lease-harness.ts';

/**
 * Waits for the manager to lead, failing after the tests' bound: a Lease the server refuses would
 * otherwise leave `elected()` pending, and the test (with the manager it started) running forever.
 */
async function untilElected(manager: Manager): Promise<void> {
  let leading = false;
  void manager.elected().then(() => (leading = true));
  await eventually(() => leading, 'the manager to be elected');
}

void describe('Manager', () => {
  let server: FakeApiServer;

  before(async () => {
    server = await FakeApiServer.start();
  });

  after(() => server.stop());

  const get = async (url: string): Promise<{ status: number; body: string; type: string | null }> => {
    const res = await fetch(url);
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };

  void it('serves /healthz, /readyz and /metrics on 127.0.0.1 only when asked, with controller-runtime’s answers', async () => {
    const quiet = new Manager(server.kubeConfig());
    assert.equal(quiet.metricsUrl, undefined);
    const manager = new Manager(server.kubeConfig(), { metricsBindAddress: '127.0.0.1:0', healthProbeBindAddress: '127.0.0.1:0' });
    server.objects.create('configmaps', { metadata: { namespace: 'default', name: 'probe' } });
    const controller = manager.newController('probe-test', () => undefined).for(ConfigMaps);
    let failing = true;
    manager.addReadyzCheck('custom', () => {
      if (failing) throw new Error('not yet');
    });
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    await controller.onStarted();
    await controller.onIdle();
    const probes = manager.healthProbeUrl ?? assert.fail('no probe endpoint');
    const metrics = manager.metricsUrl ?? assert.fail('no metrics endpoint');
    assert.match(probes, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(probes, metrics);
    assert.deepEqual(await get(`${probes}/healthz`), { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' });
    assert.deepEqual(await get(`${probes}/readyz`), {
      status: 500,
      body: '[+]cache-sync ok\n[-]custom failed: reason withheld\n[+]ping ok\nhealthz check failed\n',
      type: 'text/plain; charset=utf-8',
    });
    assert.equal((await get(`${probes}/readyz/custom`)).body, 'internal server error: not yet\n');
    assert.equal((await get(`${probes}/readyz?exclude=custom`)).status, 200);
    failing = false;
    assert.equal((await get(`${probes}/readyz?verbose`)).body, '[+]cache-sync ok\n[+]custom ok\n[+]ping ok\nhealthz check passed\n');
    assert.equal((await get(`${probes}/healthz/nope`)).status, 404);
    assert.equal((await get(`${probes}/metrics`)).status, 404, 'metrics are on their own address');
    const scraped = await get(`${metrics}/metrics`);
    assert.equal(scraped.type, 'text/plain; version=0.0.4; charset=utf-8');
    assert.match(scraped.body, /^controller_runtime_reconcile_total\{controller="probe-test",result="success"\} 1$/m);
    assert.match(scraped.body, /^kubecache_informer_objects\{group="",version="v1",kind="ConfigMap",representation="structured",namespace=""\} 1$/m);
    stop.abort();
    await running;
    await assert.rejects(fetch(`${probes}/healthz`), 'the endpoint is closed with the manager');
  });

  void it('stops gracefully: takes no new work, lets the in-flight reconcile finish, then releases the lease', async (t) => {
    const release = deferred();
    const started: string[] = [];
    let abortedDuringGrace: boolean | undefined;
    const manager = new Manager(server.kubeConfig(), { leaderElection: { id: 'graceful', namespace: 'default', identity: 'solo' } });
    const controller = manager.newController('graceful', async (r, signal) => {
      started.push(r.name);
      await release.promise;
      abortedDuringGrace = signal.aborted;
    });
    const stop = new AbortController();
    t.after(() => stop.abort());
    const running = manager.start(stop.signal);
    await untilElected(manager);
    await controller.onStarted();
    controller.enqueue({ namespace: 'ns', name: 'in-flight' });
    await eventually(() => started.length === 1, 'the reconcile to start');
    controller.enqueue({ namespace: 'ns', name: 'queued' });
    stop.abort();
    assert.equal(await isPending(running), true, 'waits for the in-flight reconcile');
    const lease = () => server.objects.get('leases', 'graceful', { namespace: 'default' })['spec'] as Record<string, unknown>;
    assert.equal(lease()['holderIdentity'], 'solo', 'the lease is held while work runs');
    release.resolve();
    await running;
    assert.deepEqual(started, ['in-flight'], 'nothing new was taken after the stop');
    assert.equal(abortedDuringGrace, false);
    assert.equal(lease()['holderIdentity'], '', 'released after the work finished');
  });

  void it('aborts work that outlives the grace period, keeps the lease, and rejects with GracefulShutdownTimeoutError', async (t) => {
    const clock = new ElectionClock();
    const transport = Transport.fromKubeConfig(server.kubeConfig());
    t.after(() => transport.close());
    const lock = new TrackedLock(new LeaseLock({ transport, namespace: 'default', name: 'stuck', identity: 'stuck-1' }));
    clock.locks.push(lock);
    let workSignal: AbortSignal | undefined;
    const manager = new Manager(server.kubeConfig(), { clock, gracefulShutdownTimeoutMs: 30_000, leaderElection: { id: 'stuck', lock } });
    const controller = manager.newController('stuck', (_r, signal) => {
      workSignal = signal;
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    });
    const stop = new AbortController();
    t.after(() => stop.abort());
    const failed = assert.rejects(manager.start(stop.signal), GracefulShutdownTimeoutError);
    await untilElected(manager);
    await controller.onStarted();
    controller.enqueue({ namespace: 'ns', name: 'stuck' });
    await eventually(() => workSignal !== undefined, 'the reconcile to start');
    stop.abort();
    // In steps that wait for the Lease renewals, so leadership is not lost to a clock jump.
    await clock.step(29_900, { stepMs: 500 });
    assert.equal(workSignal?.aborted, false, `the grace period is not over: ${String(workSignal?.reason)} at ${clock.now()}`);
    await clock.step(200);
    await failed;
    assert.equal(workSignal?.aborted, true);
    const spec = server.objects.get('leases', 'stuck', { namespace: 'default' })['spec'] as Record<string, unknown>;
    assert.equal(spec['holderIdentity'], 'stuck-1', 'unfinished work keeps the lease until it expires');
  });

  void it('stops everything and rejects with a runnable’s failure', async () => {
    const manager = new Manager(server.kubeConfig());
    const boom = new Error('runnable failed');
    let otherStopped = false;
    manager.add({ start: () => Promise.reject(boom) });
    manager.add({
      start: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })).then(() => void (otherStopped = true)),
      needLeaderElection: () => false,
    });
    await assert.rejects(manager.start(new AbortController().signal), boom);
    assert.equal(otherStopped, true);
    await assert.rejects(manager.start(new AbortController().signal), AlreadyStartedError);
    assert.throws(() => manager.add({ start: () => Promise.resolve() }), StopEngagedError);
  });

  void it('rejects duplicate controller names, bad addresses and leader election without a namespace outside a cluster', () => {
    const manager = new Manager(server.kubeConfig());
    manager.newController('dup', () => undefined);
    assert.throws(() => manager.newController('dup', () => undefined), DuplicateControllerNameError);
    assert.throws(() => new Manager(server.kubeConfig(), { metricsBindAddress: 'localhost' }), InvalidOptionsError);
    assert.throws(() => new Manager(server.kubeConfig(), { leaderElection: { id: 'x' } }), /unable to find leader election namespace/);
  });
});
