// Two Managers against one fake APIServer, leader election on a fake clock: one leads, hand-over, step-down on lost renewals.

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ConfigMaps } from '../../src/cache/kinds.ts';
import { Transport } from '../../src/client/transport.ts';
import { LeaderElectionLostError } from '../../src/controller/errors.ts';
import { LeaseLock } from '../../src/controller/lease-lock.ts';
import { Manager } from '../../src/controller/manager.ts';
import type { Request } from '../../src/controller/reconcile.ts';
import { FakeApiServer } from '../../src/testing/index.ts';
import { eventually } from '../helpers.ts';
import { ElectionClock, TrackedLock } from './lease-harness.ts';

interface Replica {
  readonly name: string;
  readonly manager: Manager;
  readonly stop: AbortController;
  readonly done: Promise<void>;
  /** Every reconcile this replica ran, and whether it led at that moment. */
  readonly reconciles: { readonly key: string; readonly leading: boolean }[];
  /** Why the reconcile of `default/slow` was told to stop (it waits for that). */
  slowAbortReason?: unknown;
}

void describe('Manager leader election against the fake APIServer', () => {
  let server: FakeApiServer;
  let replicas: Replica[] = [];
  let transports: Transport[] = [];
  let slowSeen = false;
  let clocks: ElectionClock[] = [];

  before(async () => {
    server = await FakeApiServer.start();
  });

  afterEach(async () => {
    server.faults.clear();
    for (const r of replicas) r.stop.abort();
    // A failed test may leave a reconcile hanging: move the clock past the grace period so stopping ends.
    const stopped = Promise.allSettled(replicas.map((r) => r.done));
    for (const clock of clocks) await clock.advance(60_000);
    await stopped;
    clocks = [];
    for (const t of transports) t.close();
    replicas = [];
    transports = [];
  });

  after(() => server.stop());

  function replica(clock: ElectionClock, lease: string, name: string): Replica {
    if (!clocks.includes(clock)) clocks.push(clock);
    const transport = Transport.fromKubeConfig(server.kubeConfig());
    transports.push(transport);
    const lock = new TrackedLock(new LeaseLock({ transport, namespace: 'default', name: lease, identity: name }));
    clock.locks.push(lock);
    const manager = new Manager(server.kubeConfig(), { clock, leaderElection: { id: lease, lock } });
    const reconciles: Replica['reconciles'][number][] = [];
    const stop = new AbortController();
    const r: Replica = { name, manager, stop, done: manager.start(stop.signal), reconciles };
    const reconcile = async (req: Request, signal: AbortSignal): Promise<void> => {
      reconciles.push({ key: `${req.namespace}/${req.name}`, leading: manager.isLeader() });
      // Only the first reconcile of default/slow hangs: a later one (on the next leader) must not hold up shutdown.
      if (req.name !== 'slow' || slowSeen) return;
      slowSeen = true;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      r.slowAbortReason = signal.reason;
    };
    manager.newController('configmaps', reconcile).for(ConfigMaps);
    replicas.push(r);
    return r;
  }

  const holder = (lease: string): unknown => (server.objects.get('leases', lease, { namespace: 'default' })['spec'] as Record<string, unknown>)['holderIdentity'];
  const createConfigMap = (name: string): void => void server.objects.create('configmaps', { metadata: { namespace: 'default', name } });

  /** Waits until both replicas' electors have made their first attempt and wait on the clock. */
  async function electionUnderway(clock: ElectionClock, a: Replica, b: Replica): Promise<[Replica, Replica]> {
    const leader = await eventually(() => (a.manager.isLeader() ? a : b.manager.isLeader() ? b : undefined), 'a leader');
    await eventually(() => clock.pendingTimers >= 2, 'both electors to wait for their next attempt');
    await clock.settle();
    return [leader, leader === a ? b : a];
  }

  void it('lets exactly one of two managers lead and reconcile, and hands over within one retry period when the leader stops', async () => {
    const clock = new ElectionClock();
    createConfigMap('before');
    const a = replica(clock, 'handover', 'a');
    const b = replica(clock, 'handover', 'b');
    const [leader, follower] = await electionUnderway(clock, a, b);
    await eventually(() => leader.reconciles.length === 1, 'the leader to reconcile the existing ConfigMap');
    createConfigMap('during');
    await eventually(() => leader.reconciles.length === 2, 'the leader to reconcile a new ConfigMap');
    await clock.step(10_000, { stepMs: 500, until: () => a.manager.isLeader() === b.manager.isLeader() });
    assert.notEqual(a.manager.isLeader(), b.manager.isLeader(), 'one leader throughout several renewals');
    assert.deepEqual(follower.reconciles, [], 'no reconcile runs on a non-leader');

    leader.stop.abort();
    await leader.done;
    assert.equal(holder('handover'), '', 'the lease is released once the leader stopped');
    const releasedAt = clock.now();
    await clock.step(4400, { until: () => follower.manager.isLeader() });
    assert.equal(follower.manager.isLeader(), true);
    // The standby's next attempt comes one jittered retry period (2 s × [1, 2.2)) after its last.
    assert.ok(clock.now() - releasedAt <= 4400, `took over ${clock.now() - releasedAt} ms after the release`);
    await eventually(() => follower.reconciles.length === 2, 'the new leader to reconcile both ConfigMaps');
    createConfigMap('after');
    await eventually(() => follower.reconciles.length === 3, 'the new leader to reconcile a new ConfigMap');
    assert.ok([...a.reconciles, ...b.reconciles].every((r) => r.leading), 'every reconcile ran on the leader of the moment');
  });

  void it('steps a leader down when its Lease updates fail, before its lease expires; the other takes over and no reconcile runs on the deposed one', async () => {
    const clock = new ElectionClock();
    const a = replica(clock, 'deposed', 'a');
    const b = replica(clock, 'deposed', 'b');
    const [leader, follower] = await electionUnderway(clock, a, b);
    let both = false;
    const watch = (): boolean => {
      both ||= a.manager.isLeader() && b.manager.isLeader();
      return false;
    };
    createConfigMap('slow');
    await eventually(() => leader.reconciles.some((r) => r.key === 'default/slow'), 'the leader to start reconciling default/slow');
    server.faults.failNext({ verb: 'update', resource: 'leases', status: 500, count: 1000 });
    const lastRenewal = clock.now();
    const failed = assert.rejects(leader.done, LeaderElectionLostError);
    await clock.step(15_000, { stepMs: 250, until: () => !leader.manager.isLeader() || watch() });
    assert.equal(leader.manager.isLeader(), false, 'the leader stepped down');
    assert.ok(clock.now() - lastRenewal < 15_000, 'before its lease could expire');
    assert.equal(holder('deposed'), leader.name, 'and did not touch the lease again');
    await failed;
    assert.ok(leader.slowAbortReason instanceof LeaderElectionLostError, 'the in-flight reconcile was told to stop at once');
    const reconcilesWhenDeposed = leader.reconciles.length;
    server.faults.clear();
    createConfigMap('while-changing-hands');
    await clock.step(20_000, { stepMs: 250, until: () => follower.manager.isLeader() || watch() });
    assert.equal(follower.manager.isLeader(), true, 'the other took over once the lease expired');
    assert.equal(holder('deposed'), follower.name);
    await eventually(() => follower.reconciles.some((r) => r.key === 'default/while-changing-hands'), 'the new leader to reconcile');
    assert.equal(leader.reconciles.length, reconcilesWhenDeposed, 'the deposed leader reconciled nothing more');
    assert.equal(both, false, 'never two leaders');
    assert.ok([...a.reconciles, ...b.reconciles].every((r) => r.leading));
  });
});
