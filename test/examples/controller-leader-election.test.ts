import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoordinationV1Api, V1MicroTime } from '@kubernetes/client-node';
import type { KubeConfig, V1Lease } from '@kubernetes/client-node';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { LeaderElector } from '../../examples/controller/leader-election.ts';
import type { LeaderElectionConfig } from '../../examples/controller/leader-election.ts';
import { within } from './controller-helpers.ts';
import { eventually } from '../helpers.ts';

const FAST = { leaseDuration: 1000, renewDeadline: 500, retryPeriod: 100 } as const;

interface Candidate {
  readonly identity: string;
  readonly elector: LeaderElector;
  readonly stop: AbortController;
  readonly done: Promise<void>;
  readonly events: string[];
}

function candidate(kubeConfig: KubeConfig, leaseName: string, identity: string, extra: Partial<LeaderElectionConfig> = {}): Candidate {
  const events: string[] = [];
  const stop = new AbortController();
  const elector = new LeaderElector(kubeConfig, {
    leaseNamespace: 'default',
    leaseName,
    identity,
    ...FAST,
    callbacks: {
      onStartedLeading: async (signal) => {
        events.push('started');
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        events.push('work-stopped');
      },
      onStoppedLeading: () => events.push('stopped'),
    },
    onError: (error) => events.push(`error:${error.reason}`),
    ...extra,
  });
  return { identity, elector, stop, done: elector.run(stop.signal), events };
}

void describe('LeaderElector against the fake APIServer', () => {
  let server: FakeApiServer;
  let leases: CoordinationV1Api;
  const stopAll: Candidate[] = [];

  before(async () => {
    server = await FakeApiServer.start();
    leases = server.kubeConfig().makeApiClient(CoordinationV1Api);
  });

  // Faults are server-wide, so no candidate may outlive its test.
  afterEach(async () => {
    server.faults.clear();
    const running = stopAll.splice(0);
    for (const c of running) c.stop.abort();
    await Promise.all(running.map((c) => c.done));
  });

  after(async () => {
    await server.stop();
  });

  const readLease = (name: string): Promise<V1Lease> => leases.readNamespacedLease({ name, namespace: 'default' });

  void it('creates an absent lease, holds it under its identity and keeps renewing it', async () => {
    const a = candidate(server.kubeConfig(), 'solo', 'replica-a');
    stopAll.push(a);
    await eventually(() => a.elector.isLeader(), 'replica-a to lead');
    const first = await readLease('solo');
    assert.equal(first.spec?.holderIdentity, 'replica-a');
    assert.equal(first.spec?.leaseDurationSeconds, 1);
    assert.equal(first.spec?.leaseTransitions, 0);
    await eventually(
      async () => (await readLease('solo')).metadata?.resourceVersion !== first.metadata?.resourceVersion,
      'a renewal',
    );
    const renewed = await readLease('solo');
    assert.equal(renewed.spec?.holderIdentity, 'replica-a');
    assert.deepEqual(a.events, ['started']);
  });

  void it('lets exactly one of two candidates lead, and hands over at once when the leader is cancelled', async () => {
    const a = candidate(server.kubeConfig(), 'pair', 'replica-a');
    const b = candidate(server.kubeConfig(), 'pair', 'replica-b');
    stopAll.push(a, b);
    const leader = await eventually(() => (a.elector.isLeader() ? a : b.elector.isLeader() ? b : undefined), 'a leader');
    const follower = leader === a ? b : a;
    const before = await readLease('pair');
    // Several renew rounds pass while the follower keeps trying; it must never take over.
    await eventually(
      async () => Number((await readLease('pair')).metadata?.resourceVersion) > Number(before.metadata?.resourceVersion) + 2,
      'three renewals',
    );
    assert.equal(follower.elector.isLeader(), false);
    assert.deepEqual(follower.events, []);
    assert.equal((await readLease('pair')).spec?.holderIdentity, leader.identity);

    leader.stop.abort();
    await within(leader.done, 'the cancelled leader to return');
    assert.deepEqual(leader.events, ['started', 'work-stopped', 'stopped'], 'work stops before leadership is reported over');
    const released = await readLease('pair');
    assert.notEqual(released.spec?.holderIdentity, leader.identity, 'the lease is handed back before run returns');
    await eventually(() => follower.elector.isLeader(), 'the follower to take over', 3000);
    const after = await readLease('pair');
    assert.equal(after.spec?.holderIdentity, follower.identity);
    assert.equal(after.spec?.leaseTransitions, 1);
  });

  void it('steps down and calls onStoppedLeading when another holder takes the lease', async () => {
    const a = candidate(server.kubeConfig(), 'stolen', 'replica-a');
    stopAll.push(a);
    await eventually(() => a.elector.isLeader(), 'replica-a to lead');
    const lease = await readLease('stolen');
    const now = new V1MicroTime(Date.now());
    await leases.replaceNamespacedLease({
      name: 'stolen',
      namespace: 'default',
      body: { ...lease, spec: { ...lease.spec, holderIdentity: 'intruder', leaseDurationSeconds: 30, renewTime: now } },
    });
    await within(a.done, 'the elector to give up after renewDeadline');
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.events, ['started', 'work-stopped', 'stopped']);
    assert.equal((await readLease('stolen')).spec?.holderIdentity, 'intruder', 'a lost lease is not released');
  });

  void it('takes over a lease whose holder stopped renewing once it has expired', async () => {
    const stale = new V1MicroTime(Date.now() - 5000);
    await leases.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'expired', namespace: 'default' },
        spec: { holderIdentity: 'gone', leaseDurationSeconds: 1, renewTime: stale, acquireTime: stale, leaseTransitions: 3 },
      },
    });
    const a = candidate(server.kubeConfig(), 'expired', 'replica-a');
    stopAll.push(a);
    await eventually(() => a.elector.isLeader(), 'replica-a to take the expired lease');
    const lease = await readLease('expired');
    assert.equal(lease.spec?.holderIdentity, 'replica-a');
    assert.equal(lease.spec?.leaseTransitions, 4);
  });

  void it('returns without leading when cancelled while waiting for a held lease', async () => {
    const holder = candidate(server.kubeConfig(), 'held', 'replica-a');
    stopAll.push(holder);
    await eventually(() => holder.elector.isLeader(), 'replica-a to lead');
    const calls: string[] = [];
    const b = candidate(server.kubeConfig(), 'held', 'replica-b', {
      callbacks: { onStartedLeading: () => void calls.push('started'), onStoppedLeading: () => void calls.push('stopped') },
    });
    await eventually(() => b.elector.getLeader() === 'replica-a', 'replica-b to observe the leader');
    b.stop.abort();
    await within(b.done, 'the waiting candidate to return');
    assert.equal(b.elector.isLeader(), false);
    assert.deepEqual(calls, [], 'a candidate that never led reports neither start nor stop');
  });

  void it('keeps leading through failed renewals that recover within renewDeadline', async () => {
    const a = candidate(server.kubeConfig(), 'flaky', 'replica-a');
    stopAll.push(a);
    await eventually(() => a.elector.isLeader(), 'replica-a to lead');
    const before = await readLease('flaky');
    server.faults.failNext({ verb: 'get', resource: 'leases', status: 500, count: 2 });
    await eventually(() => a.events.filter((e) => e === 'error:GetFailed').length === 2, 'two failed renewals');
    await eventually(
      async () => (await readLease('flaky')).metadata?.resourceVersion !== before.metadata?.resourceVersion,
      'a renewal after the failures',
    );
    assert.equal(a.elector.isLeader(), true);
    assert.deepEqual(a.events, ['started', 'error:GetFailed', 'error:GetFailed']);
  });

  void it('steps down when the API server stops answering within renewDeadline', async () => {
    const a = candidate(server.kubeConfig(), 'hung', 'replica-a');
    stopAll.push(a);
    await eventually(() => a.elector.isLeader(), 'replica-a to lead');
    server.faults.latency(1500);
    await within(a.done, 'the elector to give up on hung renewals', 5000);
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.events, ['started', 'work-stopped', 'stopped']);
  });

  void it('returns promptly when cancelled while its first lease request hangs', async () => {
    server.faults.latency(3000);
    const a = candidate(server.kubeConfig(), 'slow', 'replica-a');
    stopAll.push(a);
    await eventually(() => a.elector.getLeader() === undefined, 'the candidate to start');
    a.stop.abort();
    await within(a.done, 'run to return without waiting for the hung request', 1500);
    assert.deepEqual(a.events, []);
  });

  void it('rejects timings that would let a lease expire before its leader gives up', () => {
    const make = (timings: Partial<LeaderElectionConfig>): LeaderElector =>
      new LeaderElector(server.kubeConfig(), {
        leaseNamespace: 'default',
        leaseName: 'x',
        identity: 'a',
        callbacks: { onStartedLeading: () => undefined, onStoppedLeading: () => undefined },
        ...timings,
      });
    assert.throws(() => make({ leaseDuration: 1000, renewDeadline: 1000 }), /leaseDuration/);
    assert.throws(() => make({ renewDeadline: 1000, retryPeriod: 900 }), /renewDeadline/);
    assert.throws(() => make({ identity: '' }), /identity/);
  });
});
