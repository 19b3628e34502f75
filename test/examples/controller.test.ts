import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { isNotFound } from '../../src/api/errors.ts';
import { FakeApiServer } from '../../src/testing/fake-apiserver/server.ts';
import { MirrorControllerManager } from '../../examples/controller/manager.ts';
import type { MirrorControllerManagerOptions } from '../../examples/controller/manager.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../examples/controller/reconciler.ts';
import { within } from './controller-helpers.ts';
import { eventually } from '../helpers.ts';

const FAST = { leaseDuration: 2000, renewDeadline: 1000, retryPeriod: 100 } as const;

interface Replica {
  readonly identity: string;
  readonly manager: MirrorControllerManager;
  readonly stop: AbortController;
  readonly done: Promise<void>;
  readonly lines: string[];
}

void describe('the example controller against the fake APIServer', () => {
  let server: FakeApiServer;
  let core: CoreV1Api;
  const replicas: Replica[] = [];

  function startReplica(identity: string, leaseName: string, extra: Partial<MirrorControllerManagerOptions> = {}): Replica {
    const lines: string[] = [];
    const manager = new MirrorControllerManager({
      kubeConfig: server.kubeConfig(),
      identity,
      leaseName,
      ...FAST,
      log: (line) => lines.push(line),
      ...extra,
    });
    const stop = new AbortController();
    const replica = { identity, manager, stop, done: manager.run(stop.signal), lines };
    replicas.push(replica);
    return replica;
  }

  async function mirrorData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    try {
      return (await core.readNamespacedConfigMap({ name: `${name}-mirror`, namespace })).data ?? {};
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  function managed(namespace: string, name: string, data: Record<string, string>): V1ConfigMap {
    return { metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, data };
  }

  async function setData(namespace: string, name: string, data: Record<string, string>): Promise<void> {
    const cm = await core.readNamespacedConfigMap({ name, namespace });
    await core.replaceNamespacedConfigMap({ name, namespace, body: { ...cm, data } });
  }

  before(async () => {
    server = await FakeApiServer.start();
    core = server.kubeConfig().makeApiClient(CoreV1Api);
  });

  after(async () => {
    for (const r of replicas) r.stop.abort();
    await Promise.all(replicas.map((r) => r.done));
    await server.stop();
  });

  void it('mirrors existing and new managed ConfigMaps, follows updates, and deletes mirrors with their source', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: managed('default', 'before-start', { a: '1' }) });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'ignored', namespace: 'default' }, data: { i: '1' } } });
    const solo = startReplica('solo', 'solo-lease');
    await eventually(async () => (await mirrorData('default', 'before-start'))?.['a'] === '1', 'the pre-existing ConfigMap to be mirrored');

    await core.createNamespacedConfigMap({ namespace: 'default', body: managed('default', 'after-start', { b: '1' }) });
    await eventually(async () => (await mirrorData('default', 'after-start'))?.['b'] === '1', 'a new ConfigMap to be mirrored');

    await setData('default', 'after-start', { b: '2', c: '3' });
    await eventually(async () => (await mirrorData('default', 'after-start'))?.['c'] === '3', 'the update to be mirrored');
    assert.deepEqual(await mirrorData('default', 'after-start'), { b: '2', c: '3' });

    // A hand-edited mirror is put back, because mirror events map to their source.
    const mirror = await core.readNamespacedConfigMap({ name: 'after-start-mirror', namespace: 'default' });
    await core.replaceNamespacedConfigMap({ name: 'after-start-mirror', namespace: 'default', body: { ...mirror, data: { tampered: 'yes' } } });
    await eventually(async () => (await mirrorData('default', 'after-start'))?.['c'] === '3', 'the tampered mirror to be repaired');

    await core.deleteNamespacedConfigMap({ name: 'before-start', namespace: 'default' });
    await eventually(async () => (await mirrorData('default', 'before-start')) === undefined, 'the mirror to follow its source away');
    assert.equal(await mirrorData('default', 'ignored'), undefined, 'unlabelled ConfigMaps are not mirrored');
    assert.ok(solo.manager.isLeader());

    solo.stop.abort();
    await within(solo.done, 'the manager to stop');
    assert.equal(solo.manager.isLeader(), false);
  });

  void it('lets only the leader of two replicas reconcile, and the other takes over when the leader stops', async (t) => {
    const ns = 'pair';
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const a = startReplica('replica-a', 'pair-lease');
    const b = startReplica('replica-b', 'pair-lease');
    let bothLed = false;
    const monitor = setInterval(() => {
      bothLed ||= a.manager.isLeader() && b.manager.isLeader();
    }, 2);
    t.after(() => clearInterval(monitor));
    const leader = await eventually(() => (a.manager.isLeader() ? a : b.manager.isLeader() ? b : undefined), 'a leader');
    const follower = leader === a ? b : a;

    await core.createNamespacedConfigMap({ namespace: ns, body: managed(ns, 'shared', { v: '1' }) });
    await eventually(async () => (await mirrorData(ns, 'shared'))?.['v'] === '1', 'the leader to mirror');
    assert.equal(follower.manager.isLeader(), false);
    assert.equal(follower.manager.reconcileCount, 0, 'the follower must not reconcile');
    assert.ok(leader.manager.reconcileCount > 0);

    leader.stop.abort();
    await within(leader.done, 'the leader to stop');
    await eventually(() => follower.manager.isLeader(), 'the follower to take over', 5000);

    await setData(ns, 'shared', { v: '2' });
    await core.createNamespacedConfigMap({ namespace: ns, body: managed(ns, 'after-takeover', { w: '1' }) });
    await eventually(async () => (await mirrorData(ns, 'shared'))?.['v'] === '2', 'the new leader to mirror an update');
    await eventually(async () => (await mirrorData(ns, 'after-takeover'))?.['w'] === '1', 'the new leader to mirror a new ConfigMap');
    assert.ok(follower.manager.reconcileCount > 0);
    assert.ok(follower.lines.some((l) => l.includes('became leader')));
    assert.equal(bothLed, false, 'the two replicas were never leaders at the same time');
  });
});
