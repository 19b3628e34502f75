// Controller with FakeInformers and a fake clock: event mapping, the work queue's guarantees, reconcile outcomes, shutdown.

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { ConfigMaps, Deployments, Nodes, Pods, ReplicaSets } from '../../src/cache/kinds.ts';
import { Controller, type ControllerOptions } from '../../src/controller/controller.ts';
import { CacheSyncFailedError, AlreadyStartedError } from '../../src/controller/errors.ts';
import { enqueueRequestForOwner, enqueueRequestsFromMapFunc } from '../../src/controller/event-handlers.ts';
import { renderControllerPrometheus } from '../../src/controller/prometheus.ts';
import { TerminalError, type Reconciler, type Request } from '../../src/controller/reconcile.ts';
import { FakeClock } from '../../src/api/clock.ts';
import { FakeInformers } from '../../src/testing/index.ts';
import type { OwnerReference } from '../../src/api/types.ts';
import { deferred } from './helpers.ts';
import { isPending } from '../helpers.ts';

const key = (r: Request): string => `${r.namespace}/${r.name}`;

function pod(namespace: string, name: string, extra: Record<string, unknown> = {}) {
  return { metadata: { namespace, name, resourceVersion: '1' }, ...extra };
}

/** A started controller over FakeInformers; stopped when the test ends. */
function setup(t: TestContext, reconciler: Reconciler, options: ControllerOptions = {}) {
  const informers = new FakeInformers();
  const clock = new FakeClock();
  const controller = new Controller('test', informers, reconciler, { clock, ...options });
  const stop = new AbortController();
  const start = async (): Promise<void> => {
    const running = controller.start(stop.signal);
    t.after(async () => {
      stop.abort();
      await running;
    });
    await controller.onStarted();
  };
  return { informers, clock, controller, stop, start };
}

/** A reconciler that records the keys it saw. */
function recorder(): { seen: string[]; reconcile: Reconciler } {
  const seen: string[] = [];
  return { seen, reconcile: (r) => void seen.push(key(r)) };
}

void describe('Controller', () => {
  void it('reconciles the object of every create, update and delete, a tombstone’s by its key, objects present at start included', async (t) => {
    const { seen, reconcile } = recorder();
    const { informers, controller, start } = setup(t, reconcile);
    const pods = informers.informerFor(Pods);
    await pods.add(pod('ns', 'existing'));
    controller.for(Pods);
    await start();
    await controller.onIdle();
    assert.deepEqual(seen, ['ns/existing'], 'objects present at start are reconciled');
    await pods.add(pod('ns', 'a'));
    await pods.update(pod('ns', 'a', { spec: { x: 1 } }));
    await pods.delete(pod('ns', 'a'));
    await pods.delete(pod('ns', 'gone'), { finalStateUnknown: true });
    await controller.onIdle();
    assert.deepEqual(seen.slice(1), ['ns/a', 'ns/a', 'ns/a', 'ns/gone']);
  });

  void it('never reconciles one request twice at once; events during its reconcile make exactly one more run', async (t) => {
    const release = deferred();
    const active = new Map<string, number>();
    let overlap = false;
    let peak = 0;
    const runs: string[] = [];
    const { informers, controller, start } = setup(
      t,
      async (r) => {
        const k = key(r);
        runs.push(k);
        active.set(k, (active.get(k) ?? 0) + 1);
        overlap ||= (active.get(k) ?? 0) > 1;
        peak = Math.max(peak, [...active.values()].reduce((a, b) => a + b, 0));
        if (runs.filter((run) => run === k).length === 1) await release.promise;
        active.set(k, (active.get(k) ?? 1) - 1);
      },
      { maxConcurrentReconciles: 3 },
    );
    controller.for(Pods);
    await start();
    const pods = informers.informerFor(Pods);
    await pods.add(pod('ns', 'a'));
    await pods.update(pod('ns', 'a', { spec: { n: 1 } }));
    await pods.update(pod('ns', 'a', { spec: { n: 2 } }));
    await pods.add(pod('ns', 'b'));
    await pods.add(pod('ns', 'c'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(runs.slice().sort(), ['ns/a', 'ns/b', 'ns/c'], 'b and c run beside a; the updates of a wait for it');
    release.resolve();
    await controller.onIdle();
    assert.deepEqual(runs.filter((k) => k === 'ns/a'), ['ns/a', 'ns/a']);
    assert.equal(overlap, false);
    assert.equal(peak, 3);
  });

  void it('retries a throwing reconcile with growing backoff, reports it, and forgets the backoff after a success', async (t) => {
    let attempts = 0;
    const { informers, clock, controller, start } = setup(t, () => {
      attempts++;
      if (attempts <= 2) throw new Error(`attempt ${attempts} failed`);
    });
    const reported: string[] = [];
    controller.events.on('reconcileError', (r, err) => reported.push(`${key(r)}: ${(err as Error).message}`));
    controller.for(Pods);
    await start();
    await informers.informerFor(Pods).add(pod('ns', 'a'));
    await controller.onIdle();
    assert.deepEqual(clock.pendingDelays(), [5]);
    await clock.advance(5);
    await controller.onIdle();
    assert.deepEqual(clock.pendingDelays(), [10], 'the second failure waits twice as long');
    await clock.advance(10);
    await controller.onIdle();
    assert.equal(attempts, 3);
    assert.deepEqual(reported, ['ns/a: attempt 1 failed', 'ns/a: attempt 2 failed']);
    const m = controller.metrics();
    assert.deepEqual(m.reconcileTotal, { success: 1, error: 2, requeue: 0, requeue_after: 0 });
    assert.equal(m.workqueue.retries, 2);
    controller.enqueue({ namespace: 'ns', name: 'a' });
    await controller.onIdle();
    assert.equal(clock.pendingTimers, 0, 'success forgot the backoff; nothing is scheduled');
  });

  void it('requeues after requeueAfterMs, requeues with backoff for requeue: true, and drops a terminal error', async (t) => {
    const results = new Map<string, () => unknown>([
      ['ns/after', () => ({ requeueAfterMs: 30_000 })],
      ['ns/again', () => ({ requeue: true })],
      ['ns/terminal', () => {
        throw new TerminalError(new Error('spec.size must be positive'));
      }],
    ]);
    const runs: string[] = [];
    const { controller, clock, start } = setup(t, (r) => {
      runs.push(key(r));
      const result = results.get(key(r))?.();
      results.delete(key(r));
      return result as undefined;
    });
    await start();
    for (const name of ['after', 'again', 'terminal']) controller.enqueue({ namespace: 'ns', name });
    await controller.onIdle();
    assert.deepEqual(clock.pendingDelays(), [5, 30_000]);
    await clock.advance(30_000);
    await controller.onIdle();
    assert.deepEqual(runs.slice().sort(), ['ns/after', 'ns/after', 'ns/again', 'ns/again', 'ns/terminal']);
    const m = controller.metrics();
    assert.deepEqual(m.reconcileTotal, { success: 2, error: 1, requeue: 1, requeue_after: 1 });
    assert.equal(m.terminalReconcileErrors, 1);
    assert.equal(m.reconcileErrors, 1);
  });

  void it('isolates throws of reconcilers, handlers and predicates: each is counted and reported, the controller keeps going', async (t) => {
    const { informers, controller, start } = setup(t, (r) => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a non-Error throw must be isolated too
      if (r.name === 'bad') throw 'not even an Error';
    });
    const handlerErrors: unknown[] = [];
    controller.events.on('eventHandlerError', (err) => handlerErrors.push(err));
    controller.for(Pods, (event) => {
      if (event.type === 'create' && event.object.metadata?.name === 'boom') throw new Error('predicate bug');
      return true;
    });
    controller.watches(ConfigMaps, () => {
      throw new Error('handler bug');
    });
    await start();
    await informers.informerFor(Pods).add(pod('ns', 'boom'));
    await informers.informerFor(ConfigMaps).add(pod('ns', 'cm'));
    await informers.informerFor(Pods).add(pod('ns', 'bad'));
    await informers.informerFor(Pods).add(pod('ns', 'fine'));
    await controller.onIdle();
    assert.deepEqual(handlerErrors.map((e) => (e as Error).message), ['predicate bug', 'handler bug']);
    const m = controller.metrics();
    assert.equal(m.eventHandlerErrors, 2);
    assert.deepEqual(m.reconcileTotal, { success: 1, error: 1, requeue: 0, requeue_after: 0 });
  });

  void it('maps owned objects to their owners: kind and group must match, the version need not; cluster-scoped owners have no namespace', async (t) => {
    const { seen, reconcile } = recorder();
    const { informers, controller, start } = setup(t, reconcile);
    controller.for(Deployments).owns(ReplicaSets);
    controller.watches(Pods, enqueueRequestForOwner(Nodes.gvk));
    await start();
    const owner = (apiVersion: string, kind: string, name: string, controllerRef = true) => ({ apiVersion, kind, name, uid: name, controller: controllerRef });
    const rs = (name: string, refs: OwnerReference[]) => ({ metadata: { namespace: 'ns', name, ownerReferences: refs } });
    await informers.informerFor(ReplicaSets).add(rs('rs-1', [owner('apps/v1beta2', 'Deployment', 'web')]));
    await informers.informerFor(ReplicaSets).add(rs('rs-2', [owner('extensions/v1', 'Deployment', 'other-group'), owner('apps/v1', 'Deployment', 'not-controller', false)]));
    await informers.informerFor(ReplicaSets).update(rs('rs-1', [owner('apps/v1', 'Deployment', 'api')]));
    await informers.informerFor(Pods).add({ metadata: { namespace: 'kube-system', name: 'static', ownerReferences: [owner('v1', 'Node', 'node-1', false)] } });
    await controller.onIdle();
    assert.deepEqual(seen.sort(), ['/node-1', 'ns/api', 'ns/web', 'ns/web'], 'the add reached web; the update the old owner web and the new one api');
  });

  void it('enqueues what a mapping function returns for the old and the new object of an update', async (t) => {
    const { seen, reconcile } = recorder();
    const { informers, controller, start } = setup(t, reconcile);
    controller.watches(
      ConfigMaps,
      enqueueRequestsFromMapFunc((cm) => [{ namespace: cm.metadata?.namespace ?? '', name: cm.metadata?.labels?.['app'] ?? '' }]),
    );
    await start();
    const cm = (app: string) => ({ metadata: { namespace: 'ns', name: 'cfg', labels: { app } } });
    await informers.informerFor(ConfigMaps).add(cm('one'));
    await controller.onIdle();
    await informers.informerFor(ConfigMaps).update(cm('two'));
    await controller.onIdle();
    assert.deepEqual(seen[0], 'ns/one');
    assert.deepEqual(seen.slice(1).sort(), ['ns/one', 'ns/two']);
  });

  void it('fails to start with CacheSyncFailedError when a watched informer does not sync within the timeout', async () => {
    const informers = new FakeInformers({ synced: false });
    const clock = new FakeClock();
    const controller = new Controller('slow', informers, () => undefined, { clock, cacheSyncTimeoutMs: 1000 }).for(Pods);
    const failed = assert.rejects(controller.start(new AbortController().signal), (err: unknown) =>
      err instanceof CacheSyncFailedError && /timed out waiting for cache to be synced for kind source: \/v1, Kind=Pod/.test(err.message));
    await clock.waitForTimers(1);
    await clock.advance(1000);
    await failed;
    await assert.rejects(controller.start(new AbortController().signal), AlreadyStartedError);
  });

  void it('on stop takes no new request, lets the in-flight reconcile finish with its work signal intact, then resolves', async () => {
    const informers = new FakeInformers();
    const release = deferred();
    const seen: string[] = [];
    let workAborted: boolean | undefined;
    const controller = new Controller('graceful', informers, async (r, signal) => {
      seen.push(r.name);
      await release.promise;
      workAborted = signal.aborted;
    });
    const stop = new AbortController();
    const work = new AbortController();
    const running = controller.start(stop.signal, { workSignal: work.signal });
    controller.enqueue({ namespace: 'ns', name: 'a' });
    controller.enqueue({ namespace: 'ns', name: 'b' });
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    assert.equal(await isPending(running), true, 'waits for the in-flight reconcile');
    release.resolve();
    await running;
    assert.deepEqual(seen, ['a']);
    assert.equal(workAborted, false);
    assert.equal(controller.metrics().workqueue.depth, 1, 'b was left queued');
  });

  void it('renders its reconcile and work-queue metrics under controller-runtime’s names', async (t) => {
    const { controller, start } = setup(t, () => undefined, { maxConcurrentReconciles: 2 });
    await start();
    controller.enqueue({ namespace: 'ns', name: 'a' });
    await controller.onIdle();
    const text = renderControllerPrometheus({ controllers: [controller.metrics()], leaderElection: { name: 'ops/lock', isLeader: true, slowpathTotal: 0 } });
    for (const line of [
      'controller_runtime_reconcile_total{controller="test",result="success"} 1',
      'controller_runtime_reconcile_total{controller="test",result="error"} 0',
      'controller_runtime_max_concurrent_reconciles{controller="test"} 2',
      'controller_runtime_reconcile_time_seconds_count{controller="test"} 1',
      'workqueue_adds_total{name="test",controller="test"} 1',
      'workqueue_depth{name="test",controller="test"} 0',
      'workqueue_queue_duration_seconds_bucket{name="test",controller="test",le="+Inf"} 1',
      'leader_election_master_status{name="ops/lock"} 1',
    ]) {
      assert.ok(text.split('\n').includes(line), `missing: ${line}`);
    }
    assert.match(text, /^# TYPE workqueue_work_duration_seconds histogram$/m);
  });
});
